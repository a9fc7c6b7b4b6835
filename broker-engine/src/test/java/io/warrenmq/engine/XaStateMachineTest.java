package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static io.warrenmq.engine.TestXid.assertXa;
import static javax.transaction.xa.XAException.XAER_DUPID;
import static javax.transaction.xa.XAException.XAER_INVAL;
import static javax.transaction.xa.XAException.XAER_NOTA;
import static javax.transaction.xa.XAException.XAER_PROTO;
import static javax.transaction.xa.XAException.XAER_RMFAIL;
import static javax.transaction.xa.XAException.XA_RBROLLBACK;
import static javax.transaction.xa.XAResource.TMENDRSCAN;
import static javax.transaction.xa.XAResource.TMFAIL;
import static javax.transaction.xa.XAResource.TMJOIN;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMONEPHASE;
import static javax.transaction.xa.XAResource.TMRESUME;
import static javax.transaction.xa.XAResource.TMSTARTRSCAN;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.TMSUSPEND;
import static javax.transaction.xa.XAResource.XA_OK;
import static javax.transaction.xa.XAResource.XA_RDONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The X/Open XA state machine of {@code dtx.*}: every protocol misuse gets the error code of {@link
 * Channel}'s Javadoc, and none changes another branch (a bystander branch, idle with a publish and
 * an ack, still commits exactly its work afterwards).
 */
@Timeout(30)
class XaStateMachineTest {
  private Broker broker;
  private Connection conn;
  private Channel ch;
  private Channel other;
  private VirtualHost vhost;
  private final Xid bystander = TestXid.of("bystander");

  @BeforeEach
  void start() throws Exception {
    broker = TestSupport.newBroker();
    conn = broker.newConnection("/", null);
    ch = conn.createChannel();
    other = conn.createChannel();
    vhost = broker.virtualHost("/");
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.queueDeclare(QueueSpec.durable("out"));
    other.basicPublish("", "q", false, null, bytes("to-ack"));
    other.dtxStart(bystander, TMNOFLAGS);
    other.basicPublish("", "out", false, null, bytes("bystander"));
    GetResponse got = other.basicGet("q", false);
    other.basicAck(got.delivery().deliveryTag(), false);
    other.dtxEnd(bystander, TMSUCCESS);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  /** The bystander branch kept exactly its work: it commits its publish and its ack. */
  private void assertBystanderIntact() throws Exception {
    assertEquals(0, vhost.queueMessageCount("out"));
    assertEquals(0, vhost.queueMessageCount("q"));
    assertEquals(XA_OK, other.dtxPrepare(bystander));
    other.dtxCommit(bystander, false);
    assertEquals(1, vhost.queueMessageCount("out"));
    assertEquals("bystander", text(other.basicGet("out", true).delivery()));
    assertEquals(0, vhost.queueMessageCount("q"));
  }

  @Test
  void commitRollbackPrepareAndForgetOfAnUnknownXidAreXaerNota() throws Exception {
    Xid unknown = TestXid.of("unknown");
    assertXa(XAER_NOTA, () -> ch.dtxCommit(unknown, false));
    assertXa(XAER_NOTA, () -> ch.dtxCommit(unknown, true));
    assertXa(XAER_NOTA, () -> ch.dtxRollback(unknown));
    assertXa(XAER_NOTA, () -> ch.dtxPrepare(unknown));
    assertXa(XAER_NOTA, () -> ch.dtxForget(unknown));
    assertXa(XAER_NOTA, () -> ch.dtxStart(unknown, TMJOIN));
    assertXa(XAER_NOTA, () -> ch.dtxStart(unknown, TMRESUME));
    assertBystanderIntact();
  }

  @Test
  void startOfAKnownXidIsXaerDupidFromAnyChannel() throws Exception {
    assertXa(XAER_DUPID, () -> ch.dtxStart(bystander, TMNOFLAGS));
    assertXa(XAER_DUPID, () -> other.dtxStart(bystander, TMNOFLAGS));
    // the failed start left the channel unassociated: its publishes are not in any branch
    ch.basicPublish("", "q", false, null, bytes("plain"));
    assertEquals(1, vhost.queueMessageCount("q"));
    ch.basicGet("q", true);
    assertBystanderIntact();
  }

  @Test
  void endWithoutStartIsXaerNotaForAnUnknownXidAndXaerProtoForAnotherChannelsBranch()
      throws Exception {
    assertXa(XAER_NOTA, () -> ch.dtxEnd(TestXid.of("never-started"), TMSUCCESS));
    assertXa(XAER_PROTO, () -> ch.dtxEnd(bystander, TMSUCCESS));
    assertXa(XAER_PROTO, () -> ch.dtxEnd(bystander, TMFAIL));
    assertBystanderIntact();
  }

  @Test
  void prepareOrCommitOfABranchStillAssociatedIsXaerProto() throws Exception {
    Xid xid = TestXid.of("active");
    ch.dtxStart(xid, TMNOFLAGS);
    ch.basicPublish("", "out", false, null, bytes("x"));
    assertXa(XAER_PROTO, () -> other.dtxPrepare(xid));
    assertXa(XAER_PROTO, () -> other.dtxCommit(xid, true));
    assertXa(XAER_PROTO, () -> other.dtxRollback(xid));
    ch.dtxEnd(xid, TMSUSPEND);
    assertXa(XAER_PROTO, () -> other.dtxPrepare(xid));
    ch.dtxStart(xid, TMRESUME);
    ch.dtxEnd(xid, TMSUCCESS);
    ch.dtxRollback(xid);
    assertBystanderIntact();
  }

  @Test
  void aChannelCannotStartASecondBranchWhileAssociatedNorInTxSelectMode() throws Exception {
    Xid xid = TestXid.of("first");
    ch.dtxStart(xid, TMNOFLAGS);
    assertXa(XAER_PROTO, () -> ch.dtxStart(TestXid.of("second"), TMNOFLAGS));
    assertXa(XAER_PROTO, () -> ch.dtxStart(bystander, TMJOIN));
    ch.dtxEnd(xid, TMSUCCESS);
    assertEquals(XA_RDONLY, ch.dtxPrepare(xid));

    Channel tx = conn.createChannel();
    tx.txSelect();
    assertXa(XAER_PROTO, () -> tx.dtxStart(TestXid.of("tx"), TMNOFLAGS));
    assertBystanderIntact();
  }

  @Test
  void commitPhasesMustMatchThePreparedState() throws Exception {
    assertXa(XAER_PROTO, () -> other.dtxCommit(bystander, false)); // not prepared
    assertEquals(XA_OK, other.dtxPrepare(bystander));
    assertXa(XAER_PROTO, () -> other.dtxPrepare(bystander)); // prepared twice
    assertXa(XAER_PROTO, () -> other.dtxCommit(bystander, true)); // one-phase of prepared
    assertXa(XAER_PROTO, () -> ch.dtxStart(bystander, TMJOIN)); // join a prepared branch
    assertXa(XAER_PROTO, () -> ch.dtxForget(bystander)); // no heuristic outcome
    other.dtxCommit(bystander, false);
    assertEquals("bystander", text(other.basicGet("out", true).delivery()));
    assertXa(XAER_NOTA, () -> other.dtxCommit(bystander, false)); // gone after commit
  }

  @Test
  void resumeOfABranchNotSuspendedHereAndJoinOfOneSuspendedHereAreXaerProto() throws Exception {
    assertXa(XAER_PROTO, () -> ch.dtxStart(bystander, TMRESUME));
    Xid xid = TestXid.of("suspended");
    ch.dtxStart(xid, TMNOFLAGS);
    ch.dtxEnd(xid, TMSUSPEND);
    assertXa(XAER_PROTO, () -> ch.dtxStart(xid, TMJOIN));
    assertXa(XAER_PROTO, () -> ch.dtxEnd(xid, TMSUSPEND));
    ch.dtxStart(xid, TMRESUME);
    ch.dtxEnd(xid, TMSUCCESS);
    assertEquals(XA_RDONLY, ch.dtxPrepare(xid));
    assertBystanderIntact();
  }

  @Test
  void unknownFlagsAndInvalidXidsAreXaerInval() throws Exception {
    Xid xid = TestXid.of("flags");
    assertXa(XAER_INVAL, () -> ch.dtxStart(xid, TMSUCCESS));
    assertXa(XAER_INVAL, () -> ch.dtxStart(xid, TMONEPHASE));
    assertXa(XAER_INVAL, () -> ch.dtxStart(null, TMNOFLAGS));
    assertXa(XAER_INVAL, () -> ch.dtxStart(new TestXid(-1, "", ""), TMNOFLAGS));
    assertXa(XAER_INVAL, () -> ch.dtxStart(new TestXid(1, "x".repeat(65), "b"), TMNOFLAGS));
    ch.dtxStart(xid, TMNOFLAGS);
    assertXa(XAER_INVAL, () -> ch.dtxEnd(xid, TMJOIN));
    assertXa(XAER_INVAL, () -> ch.dtxRecover(TMJOIN));
    assertXa(XAER_INVAL, () -> ch.dtxSetTimeout(-1));
    ch.dtxEnd(xid, TMSUCCESS);
    ch.dtxRollback(xid);
    assertBystanderIntact();
  }

  @Test
  void startOnAClosedChannelIsXaerRmfail() throws Exception {
    Channel closed = conn.createChannel();
    closed.close();
    assertXa(XAER_RMFAIL, () -> closed.dtxStart(TestXid.of("closed"), TMNOFLAGS));
    assertBystanderIntact();
  }

  @Test
  void aBranchEndedWithTmfailIsRolledBackAtPrepareAndForgotten() throws Exception {
    Xid xid = TestXid.of("failed");
    ch.basicPublish("", "q", false, null, bytes("consumed"));
    ch.dtxStart(xid, TMNOFLAGS);
    ch.basicPublish("", "out", false, null, bytes("lost"));
    ch.basicAck(ch.basicGet("q", false).delivery().deliveryTag(), false);
    ch.dtxEnd(xid, TMFAIL);
    assertXa(XA_RBROLLBACK, () -> ch.dtxPrepare(xid));
    assertXa(XAER_NOTA, () -> ch.dtxRollback(xid));
    GetResponse back = ch.basicGet("q", true);
    assertTrue(back.delivery().redelivered());
    assertEquals(0, vhost.queueMessageCount("out"));
    assertBystanderIntact();
  }

  @Test
  void aBranchThatDidNothingPreparesReadOnlyAndIsForgotten() throws Exception {
    Xid xid = TestXid.of("empty");
    ch.dtxStart(xid, TMNOFLAGS);
    ch.dtxEnd(xid, TMSUCCESS);
    assertEquals(XA_RDONLY, ch.dtxPrepare(xid));
    assertXa(XAER_NOTA, () -> ch.dtxCommit(xid, false));
    assertFalse(TestXid.contains(ch.dtxRecover(TMSTARTRSCAN | TMENDRSCAN), xid));
    assertBystanderIntact();
  }

  @Test
  void recoverListsPreparedBranchesAtTheStartOfAScanOnly() throws Exception {
    assertFalse(TestXid.contains(ch.dtxRecover(TMSTARTRSCAN), bystander)); // idle, not prepared
    other.dtxPrepare(bystander);
    Xid[] all = ch.dtxRecover(TMSTARTRSCAN);
    assertEquals(1, all.length);
    assertTrue(TestXid.contains(all, bystander));
    assertEquals(0, ch.dtxRecover(TMENDRSCAN).length);
    assertEquals(0, ch.dtxRecover(TMNOFLAGS).length);
    assertTrue(TestXid.contains(ch.dtxRecover(TMSTARTRSCAN | TMENDRSCAN), bystander));
    ch.dtxCommit(all[0], false); // the returned Xid completes the branch
    assertEquals(1, vhost.queueMessageCount("out"));
  }

  @Test
  void theTimeoutIsPerChannelAndZeroRestoresTheDefault() throws Exception {
    assertEquals(60, ch.dtxGetTimeout());
    assertTrue(ch.dtxSetTimeout(5));
    assertEquals(5, ch.dtxGetTimeout());
    assertEquals(60, other.dtxGetTimeout());
    ch.dtxSetTimeout(0);
    assertEquals(60, ch.dtxGetTimeout());
  }

  @Test
  void theResourceManagerIdIsTheSameForChannelsOfOneBrokerAndDiffersBetweenBrokers() {
    assertEquals(ch.resourceManagerId(), other.resourceManagerId());
    try (Broker second = TestSupport.newBroker()) {
      Channel c = second.newConnection("/", null).createChannel();
      assertNotEquals(ch.resourceManagerId(), c.resourceManagerId());
    }
  }
}
