package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestXid.assertXa;
import static javax.transaction.xa.XAException.XAER_NOTA;
import static javax.transaction.xa.XAException.XAER_RMERR;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A durable store that cannot keep a prepared branch fails {@code dtx.prepare} with XAER_RMERR and
 * the branch is rolled back (its acked message back, redelivered; its publishes dropped); one-phase
 * commit needs no prepared branch and still works.
 */
@Timeout(30)
class XaStoreFailureTest {
  private Broker broker;
  private Channel ch;
  private VirtualHost vhost;

  @BeforeEach
  void start() {
    broker = new Broker(BrokerConfig.named("xa-store-failure"), new RecordingStore());
    ch = broker.newConnection("/", null).createChannel();
    vhost = broker.virtualHost("/");
    ch.queueDeclare(QueueSpec.durable("in"));
    ch.queueDeclare(QueueSpec.durable("out"));
    ch.basicPublish("", "in", false, null, bytes("m"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private void work(Xid xid) throws Exception {
    ch.dtxStart(xid, TMNOFLAGS);
    ch.basicAck(ch.basicGet("in", false).delivery().deliveryTag(), false);
    ch.basicPublish("", "out", false, null, bytes("p"));
    ch.dtxEnd(xid, TMSUCCESS);
  }

  @Test
  void aPrepareTheStoreCannotWriteIsXaerRmerrAndRollsTheBranchBack() throws Exception {
    Xid xid = TestXid.of("unwritable");
    work(xid);
    assertXa(XAER_RMERR, () -> ch.dtxPrepare(xid));
    assertXa(XAER_NOTA, () -> ch.dtxRollback(xid));
    assertEquals(0, vhost.queueMessageCount("out"));
    GetResponse back = ch.basicGet("in", true);
    assertTrue(back.delivery().redelivered());
  }

  @Test
  void aOnePhaseCommitNeedsNoPreparedBranchInTheStore() throws Exception {
    Xid xid = TestXid.of("one-phase");
    work(xid);
    ch.dtxCommit(xid, true);
    assertEquals(1, vhost.queueMessageCount("out"));
    assertEquals(0, vhost.queueMessageCount("in"));
  }
}
