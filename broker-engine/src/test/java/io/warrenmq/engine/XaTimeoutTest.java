package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestXid.assertXa;
import static javax.transaction.xa.XAException.XAER_NOTA;
import static javax.transaction.xa.XAException.XA_RBTIMEOUT;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMSTARTRSCAN;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.XA_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.QueueSpec;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Branch timeouts: a branch not prepared in time is rolled back by the broker (its acked messages
 * back, redelivered; its publishes dropped) and later calls on it get XA_RBTIMEOUT; a prepared
 * branch no longer times out.
 */
@Timeout(30)
class XaTimeoutTest {
  private Broker broker;
  private Channel ch;
  private Channel other;
  private VirtualHost vhost;

  @BeforeEach
  void start() throws Exception {
    broker = TestSupport.newBroker();
    Connection conn = broker.newConnection("/", null);
    ch = conn.createChannel();
    other = conn.createChannel();
    vhost = broker.virtualHost("/");
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.queueDeclare(QueueSpec.durable("out"));
    ch.dtxSetTimeout(1);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  /** Starts a branch that publishes to "out" and acks the head of "q". */
  private void work(Channel c, Xid xid) throws Exception {
    c.dtxStart(xid, TMNOFLAGS);
    c.basicPublish("", "out", false, null, bytes("published"));
    c.basicAck(c.basicGet("q", false).delivery().deliveryTag(), false);
  }

  @Test
  void aBranchStillAssociatedIsRolledBackAndEndAnswersXaRbtimeout() throws Exception {
    other.basicPublish("", "q", false, null, bytes("m"));
    Xid xid = TestXid.of("slow");
    work(ch, xid);
    TestSupport.await(
        "the timed-out branch returns the acked message", () -> vhost.queueMessageCount("q") == 1);
    // still associated: publishes after the timeout are dropped with the branch
    ch.basicPublish("", "out", false, null, bytes("late"));
    assertXa(XA_RBTIMEOUT, () -> ch.dtxEnd(xid, TMSUCCESS));
    assertXa(XA_RBTIMEOUT, () -> ch.dtxPrepare(xid));
    assertXa(XAER_NOTA, () -> ch.dtxRollback(xid)); // the prepare answer forgot it
    assertEquals(0, vhost.queueMessageCount("out"));
    assertTrue(other.basicGet("q", true).delivery().redelivered());
    // the channel is free again
    ch.basicPublish("", "out", false, null, bytes("plain"));
    assertEquals(1, vhost.queueMessageCount("out"));
  }

  @Test
  void anIdleBranchTimesOutAndCommitAndRollbackAnswerXaRbtimeoutOnce() throws Exception {
    other.basicPublish("", "q", false, null, bytes("m"));
    Xid xid = TestXid.of("idle");
    work(ch, xid);
    ch.dtxEnd(xid, TMSUCCESS);
    TestSupport.await(
        "the timed-out branch returns the acked message", () -> vhost.queueMessageCount("q") == 1);
    assertXa(XA_RBTIMEOUT, () -> other.dtxCommit(xid, true));
    assertXa(XAER_NOTA, () -> other.dtxRollback(xid));
    assertEquals(0, vhost.queueMessageCount("out"));
  }

  @Test
  void aPreparedBranchDoesNotTimeOut() throws Exception {
    other.basicPublish("", "q", false, null, bytes("held"));
    other.basicPublish("", "q", false, null, bytes("clock"));
    Xid prepared = TestXid.of("prepared");
    work(ch, prepared);
    ch.dtxEnd(prepared, TMSUCCESS);
    assertEquals(XA_OK, ch.dtxPrepare(prepared));
    // a second branch, started later with the same timeout, is the clock
    Xid clock = TestXid.of("clock");
    work(ch, clock);
    ch.dtxEnd(clock, TMSUCCESS);
    TestSupport.await("the later branch timed out", () -> vhost.queueMessageCount("q") == 1);
    assertTrue(TestXid.contains(other.dtxRecover(TMSTARTRSCAN), prepared));
    other.dtxCommit(prepared, false);
    assertEquals(1, vhost.queueMessageCount("out"));
    assertEquals(1, vhost.queueMessageCount("q")); // only "clock" came back
  }
}
