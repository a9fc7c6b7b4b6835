package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.XA_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.TestSupport.Recorder;
import java.util.Map;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What others see of an XA branch: its publishes nothing until commit, its acked messages stay away
 * from other consumers until rollback returns them redelivered (with {@code x-delivery-count}).
 */
@Timeout(30)
class XaVisibilityTest {
  private Broker broker;
  private Connection conn;
  private Channel ch;
  private Channel observer;
  private VirtualHost vhost;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    conn = broker.newConnection("/", null);
    ch = conn.createChannel();
    observer = conn.createChannel();
    vhost = broker.virtualHost("/");
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.exchangeDeclare(ExchangeSpec.durable("fan", "fanout"));
    ch.queueDeclare(QueueSpec.durable("f1"));
    ch.queueDeclare(QueueSpec.durable("f2"));
    ch.queueBind("f1", "fan", "", Map.of());
    ch.queueBind("f2", "fan", "", Map.of());
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void publishesAreInvisibleUntilATwoPhaseCommit() throws Exception {
    Recorder seen = new Recorder();
    observer.basicConsume("q", true, "", false, Map.of(), seen);
    Xid xid = TestXid.of("publish");
    ch.dtxStart(xid, TMNOFLAGS);
    ch.basicPublish("", "q", false, null, bytes("a"));
    ch.basicPublish("fan", "", false, null, bytes("both"));
    ch.dtxEnd(xid, TMSUCCESS);
    assertEquals(XA_OK, ch.dtxPrepare(xid));
    assertEquals(0, vhost.queueMessageCount("f1"));
    assertTrue(seen.isEmpty());
    ch.dtxCommit(xid, false);
    assertEquals("a", text(seen.next()));
    assertEquals("both", text(observer.basicGet("f1", true).delivery()));
    assertEquals("both", text(observer.basicGet("f2", true).delivery()));
  }

  @Test
  void aOnePhaseCommitRoutesThePublishesThen() throws Exception {
    Xid xid = TestXid.of("one-phase");
    ch.dtxStart(xid, TMNOFLAGS);
    ch.basicPublish("", "q", false, null, bytes("a"));
    ch.dtxEnd(xid, TMSUCCESS);
    assertEquals(0, vhost.queueMessageCount("q"));
    observer.dtxCommit(xid, true); // from another channel: the branch is the broker's
    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void rollbackDropsThePublishes() throws Exception {
    Xid xid = TestXid.of("dropped");
    ch.dtxStart(xid, TMNOFLAGS);
    ch.basicPublish("", "q", false, null, bytes("a"));
    ch.dtxEnd(xid, TMSUCCESS);
    ch.dtxPrepare(xid);
    ch.dtxRollback(xid);
    assertEquals(0, vhost.queueMessageCount("q"));
    // the channel publishes normally again
    ch.basicPublish("", "q", false, null, bytes("b"));
    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void anAckedMessageIsNotRedeliveredToOthersUntilRollbackReturnsItRedelivered() throws Exception {
    observer.basicPublish("", "q", false, null, bytes("m"));
    Xid xid = TestXid.of("consume");
    Recorder mine = new Recorder();
    ch.dtxStart(xid, TMNOFLAGS);
    ch.basicConsume("q", false, "mine", false, Map.of(), mine);
    Delivery d = mine.next();
    assertFalse(d.redelivered());
    ch.basicAck(d.deliveryTag(), false);
    ch.basicCancel("mine");
    ch.dtxEnd(xid, TMSUCCESS);
    ch.close(); // a channel closing does not requeue what a pending branch owns

    Recorder others = new Recorder();
    observer.basicConsume("q", false, "others", false, Map.of(), others);
    assertEquals(0, vhost.queueMessageCount("q"));
    assertEquals(XA_OK, observer.dtxPrepare(xid));
    assertTrue(others.isEmpty());
    observer.dtxRollback(xid);
    Delivery again = others.next();
    assertEquals("m", text(again));
    assertTrue(again.redelivered());
    assertEquals(1L, again.properties().headers().get("x-delivery-count"));
  }

  @Test
  void aCommittedAckRemovesTheMessageForGood() throws Exception {
    observer.basicPublish("", "q", false, null, bytes("m"));
    Xid xid = TestXid.of("ack");
    ch.dtxStart(xid, TMNOFLAGS);
    GetResponse got = ch.basicGet("q", false);
    ch.basicAck(got.delivery().deliveryTag(), false);
    ch.dtxEnd(xid, TMSUCCESS);
    ch.dtxPrepare(xid);
    ch.dtxCommit(xid, false);
    ch.basicRecover(true); // nothing unacked is left to recover
    ch.close();
    assertEquals(0, vhost.queueMessageCount("q"));
    assertNull(observer.basicGet("q", true));
  }

  @Test
  void aNackWithRequeueInABranchRequeuesAtCommit() throws Exception {
    observer.basicPublish("", "q", false, null, bytes("m"));
    Xid xid = TestXid.of("nack");
    ch.dtxStart(xid, TMNOFLAGS);
    GetResponse got = ch.basicGet("q", false);
    ch.basicNack(got.delivery().deliveryTag(), false, true);
    ch.dtxEnd(xid, TMSUCCESS);
    assertEquals(0, vhost.queueMessageCount("q"));
    ch.dtxCommit(xid, true);
    GetResponse back = observer.basicGet("q", true);
    assertTrue(back.delivery().redelivered());
  }

  @Test
  void rollbackCountsTowardsTheDeliveryLimit() throws Exception {
    ch.queueDeclare(new QueueSpec("limited", true, false, false, Map.of("x-delivery-limit", 1)));
    observer.basicPublish("", "limited", false, null, bytes("poison"));
    for (int attempt = 1; attempt <= 2; attempt++) {
      Xid xid = TestXid.of("attempt-" + attempt);
      ch.dtxStart(xid, TMNOFLAGS);
      GetResponse got = ch.basicGet("limited", false);
      assertEquals("poison", text(got.delivery()));
      ch.basicAck(got.delivery().deliveryTag(), false);
      ch.dtxEnd(xid, TMSUCCESS);
      ch.dtxRollback(xid);
    }
    // two rollbacks: delivery count 2 > limit 1, the message is dropped (no dead-letter exchange)
    assertEquals(0, vhost.queueMessageCount("limited"));
  }
}
