package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.XA_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import java.util.List;
import java.util.Map;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code basic.reject}/{@code basic.nack} without requeue inside an XA branch: the message is
 * dead-lettered (reason {@code rejected}, RabbitMQ's DLX doc) when the branch commits, as outside a
 * transaction, and comes back redelivered if it rolls back; the prepared branch given to the store
 * says which of its messages were acked and which rejected ({@link PreparedBranch.AckKind}), so
 * that a branch recovered after a restart settles them the same way.
 */
@Timeout(30)
class XaRejectTest {
  private static final BasicProperties PERSISTENT =
      BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();

  private final RecordingStore store = new RecordingStore();
  private Broker broker;
  private Channel ch;
  private Channel tm;
  private VirtualHost vhost;

  @BeforeEach
  void start() {
    store.keepsBranches = true;
    broker = new Broker(BrokerConfig.named("xa-reject"), store);
    Connection conn = broker.newConnection("/", null);
    ch = conn.createChannel();
    tm = conn.createChannel();
    vhost = broker.virtualHost("/");
    ch.exchangeDeclare(ExchangeSpec.durable("dlx", "fanout"));
    ch.queueDeclare(QueueSpec.durable("dead"));
    ch.queueBind("dead", "dlx", "", Map.of());
    ch.queueDeclare(
        new QueueSpec("src", true, false, false, Map.of("x-dead-letter-exchange", "dlx")));
    for (String m : List.of("acked", "rejected", "requeued")) {
      ch.basicPublish("", "src", false, PERSISTENT, bytes(m));
    }
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  /**
   * In a new branch: acks the first message, nacks the second without requeue, rejects the third
   * with requeue; ended and prepared.
   */
  private Xid settleInBranch(String name) throws Exception {
    Xid xid = TestXid.of(name);
    ch.dtxStart(xid, TMNOFLAGS);
    ch.basicAck(ch.basicGet("src", false).delivery().deliveryTag(), false);
    ch.basicNack(ch.basicGet("src", false).delivery().deliveryTag(), false, false);
    ch.basicReject(ch.basicGet("src", false).delivery().deliveryTag(), true);
    ch.dtxEnd(xid, TMSUCCESS);
    assertEquals(XA_OK, tm.dtxPrepare(xid));
    return xid;
  }

  @Test
  void thePreparedBranchTellsTheStoreWhichMessagesWereAckedAndWhichRejected() throws Exception {
    settleInBranch("kinds");

    assertEquals(1, store.prepared.size());
    List<PreparedBranch.Ack> acks = store.prepared.get(0).acks();
    assertEquals(2, acks.size(), "a requeue removes nothing: not written");
    assertEquals(
        List.of(PreparedBranch.AckKind.ACK, PreparedBranch.AckKind.REJECT),
        acks.stream().map(PreparedBranch.Ack::kind).toList());
    assertEquals(List.of("src", "src"), acks.stream().map(PreparedBranch.Ack::queue).toList());
    assertTrue(acks.get(0).messageId() > 0);
    assertNotEquals(acks.get(0).messageId(), acks.get(1).messageId());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aCommitDeadLettersTheRejectedMessageWithReasonRejected() throws Exception {
    Xid xid = settleInBranch("commit");
    assertEquals(0, vhost.queueMessageCount("dead"), "nothing dead-lettered before the commit");

    tm.dtxCommit(xid, false);

    GetResponse dead = ch.basicGet("dead", true);
    assertEquals("rejected", text(dead.delivery()));
    List<Map<String, Object>> deaths =
        (List<Map<String, Object>>) dead.delivery().properties().headers().get("x-death");
    assertEquals(1, deaths.size());
    assertEquals("rejected", deaths.get(0).get("reason"));
    assertEquals("src", deaths.get(0).get("queue"));
    assertNull(ch.basicGet("dead", true));
    GetResponse left = ch.basicGet("src", true);
    assertEquals("requeued", text(left.delivery()));
    assertTrue(left.delivery().redelivered());
    assertNull(ch.basicGet("src", true));
  }

  @Test
  void aRollbackReturnsTheRejectedMessageRedelivered() throws Exception {
    Xid xid = settleInBranch("rollback");

    tm.dtxRollback(xid);

    assertNull(ch.basicGet("dead", true));
    for (String m : List.of("acked", "rejected", "requeued")) {
      GetResponse r = ch.basicGet("src", true);
      assertEquals(m, text(r.delivery()));
      assertTrue(r.delivery().redelivered());
    }
    assertNull(ch.basicGet("src", true));
  }
}
