package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestXid.assertXa;
import static javax.transaction.xa.XAException.XAER_PROTO;
import static javax.transaction.xa.XAException.XA_RBROLLBACK;
import static javax.transaction.xa.XAResource.TMFAIL;
import static javax.transaction.xa.XAResource.TMJOIN;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMRESUME;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.TMSUSPEND;
import static javax.transaction.xa.XAResource.XA_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warrenmq.client.QueueSpec;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several channels in one branch ({@code TMJOIN}, as the sessions of one JCA managed connection)
 * and suspend/resume of an association.
 */
@Timeout(30)
class XaJoinTest {
  private Broker broker;
  private Connection conn;
  private Channel first;
  private Channel second;
  private VirtualHost vhost;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    conn = broker.newConnection("/", null);
    first = conn.createChannel();
    second = broker.newConnection("/", null).createChannel();
    vhost = broker.virtualHost("/");
    first.queueDeclare(QueueSpec.durable("q"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void joinedChannelsShareOneBranchThatPreparesOnlyOnceEveryoneEnded() throws Exception {
    Xid xid = TestXid.of("joined");
    first.dtxStart(xid, TMNOFLAGS);
    second.dtxStart(xid, TMJOIN);
    first.basicPublish("", "q", false, null, bytes("1"));
    second.basicPublish("", "q", false, null, bytes("2"));
    first.dtxEnd(xid, TMSUCCESS);
    assertXa(XAER_PROTO, () -> first.dtxPrepare(xid)); // second is still associated
    second.dtxEnd(xid, TMSUCCESS);
    assertEquals(0, vhost.queueMessageCount("q"));
    assertEquals(XA_OK, first.dtxPrepare(xid));
    conn.createChannel().dtxCommit(xid, false);
    assertEquals(2, vhost.queueMessageCount("q"));
  }

  @Test
  void aJoinedChannelEndingWithTmfailDoomsTheWholeBranch() throws Exception {
    Xid xid = TestXid.of("doomed");
    first.dtxStart(xid, TMNOFLAGS);
    second.dtxStart(xid, TMJOIN);
    first.basicPublish("", "q", false, null, bytes("1"));
    second.dtxEnd(xid, TMFAIL);
    assertXa(XA_RBROLLBACK, () -> second.dtxStart(xid, TMJOIN));
    assertXa(XA_RBROLLBACK, () -> first.dtxEnd(xid, TMSUCCESS));
    assertXa(XA_RBROLLBACK, () -> first.dtxRollback(xid));
    assertEquals(0, vhost.queueMessageCount("q"));
  }

  @Test
  void workBetweenSuspendAndResumeIsOutsideTheBranch() throws Exception {
    Xid xid = TestXid.of("suspended");
    first.dtxStart(xid, TMNOFLAGS);
    first.basicPublish("", "q", false, null, bytes("in-1"));
    first.dtxEnd(xid, TMSUSPEND);
    first.basicPublish("", "q", false, null, bytes("outside"));
    assertEquals(1, vhost.queueMessageCount("q"));
    first.dtxStart(xid, TMRESUME);
    first.basicPublish("", "q", false, null, bytes("in-2"));
    first.dtxEnd(xid, TMSUCCESS);
    assertEquals(1, vhost.queueMessageCount("q"));
    first.dtxCommit(xid, true);
    assertEquals(3, vhost.queueMessageCount("q"));
  }

  @Test
  void aSuspendedAssociationCanBeEndedWithoutResumingIt() throws Exception {
    Xid xid = TestXid.of("end-suspended");
    first.dtxStart(xid, TMNOFLAGS);
    first.basicPublish("", "q", false, null, bytes("1"));
    first.dtxEnd(xid, TMSUSPEND);
    first.dtxEnd(xid, TMSUCCESS);
    assertEquals(XA_OK, second.dtxPrepare(xid));
    second.dtxCommit(xid, false);
    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void aChannelClosingWhileAssociatedEndsItsAssociationAndTheBranchKeepsItsWork() throws Exception {
    Xid xid = TestXid.of("closed");
    first.dtxStart(xid, TMNOFLAGS);
    first.basicPublish("", "q", false, null, bytes("kept"));
    first.close();
    assertEquals(XA_OK, second.dtxPrepare(xid));
    second.dtxCommit(xid, false);
    assertEquals(1, vhost.queueMessageCount("q"));
  }
}
