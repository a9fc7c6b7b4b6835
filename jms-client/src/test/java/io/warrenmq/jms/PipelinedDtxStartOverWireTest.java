package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.UUID;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pipelined {@code dtx.start} of the wire transport (docs/protocol-dtx.md, "Pipelined
 * dtx.start"; X/Open XA {@code xa_start}, {@code xa_end}, {@code xa_commit}, {@code xa_rollback}):
 * {@code start(TMNOFLAGS)} returns without waiting for the broker; a start the broker refuses
 * closes the channel, so the work sent behind it never runs outside the branch, and the calls on
 * the Xid through that resource report the branch rolled back without touching a branch of the same
 * Xid elsewhere. Against a real WarrenMQ server in this JVM, behind a {@link TcpProxy} where a test
 * must hold back the broker's answers.
 */
@Timeout(60)
class PipelinedDtxStartOverWireTest extends PerTestWireBroker {
  /** An XA session through a new proxy, its channel in dtx mode before anything is held. */
  private record Proxied(TcpProxy proxy, WarrenXASession session, Queue queue) {}

  private Proxied selectedThroughAProxy() throws Exception {
    TcpProxy proxy = proxy();
    WarrenXASession session = connect(proxy.port()).createXASession();
    Queue q = newQueue(session.getSession());
    session.getXAResource().getTransactionTimeout(); // dtx.select, answered before any hold
    return new Proxied(proxy, session, q);
  }

  private Queue newQueue(Session session) throws Exception {
    Queue q = session.createQueue("pipelined-start-" + UUID.randomUUID());
    session.createConsumer(q).close(); // the queue exists before the branch
    return q;
  }

  private String receive(Queue q) throws Exception {
    try (Connection c = connect(server.port())) {
      MessageConsumer consumer = c.createSession().createConsumer(q);
      TextMessage m = (TextMessage) consumer.receive(5000);
      return m == null ? null : m.getText();
    }
  }

  @Test
  void startReturnsWithoutWaitingForTheBrokersAnswer() throws Exception {
    Proxied p = selectedThroughAProxy();
    Session s = p.session().getSession();
    XAResource r = p.session().getXAResource();
    Xid x = XaSessionTest.xid();
    p.proxy().holdReplies(true);
    // a waiting start would fail in there after the request timeout
    r.start(x, XAResource.TMNOFLAGS);
    s.createProducer(p.queue()).send(s.createTextMessage("pipelined"));
    r.end(x, XAResource.TMSUCCESS);
    p.proxy().holdReplies(false);
    r.commit(x, true);
    assertEquals("pipelined", receive(p.queue()));
  }

  /** Branch {@code x} ended on {@code first}, whose start the broker refused on {@code second}. */
  private record Refused(Xid x, Queue queue, XAResource first, XAResource second) {}

  /**
   * Starts a new Xid on a first connection and ends it there (the broker knows the branch), then
   * starts the same Xid again with {@code TMNOFLAGS} on a second one (refused: XAER_DUPID) and
   * sends "behind" right behind that start.
   */
  private Refused startADuplicateAndSendBehindIt() throws Exception {
    WarrenXASession second = connect(server.port()).createXASession();
    Queue q = newQueue(second.getSession());
    Xid x = XaSessionTest.xid();
    WarrenXASession first = connect(server.port()).createXASession();
    first.getXAResource().start(x, XAResource.TMNOFLAGS);
    first.getSession().createProducer(q).send(first.getSession().createTextMessage("first"));
    first.getXAResource().end(x, XAResource.TMSUCCESS);
    XAResource r = second.getXAResource();
    r.getTransactionTimeout(); // dtx.select before, so that the start itself is not waited for
    r.start(x, XAResource.TMNOFLAGS);
    Session s = second.getSession();
    try {
      s.createProducer(q).send(s.createTextMessage("behind"));
    } catch (jakarta.jms.JMSException closedAlready) {
      // the broker's channel.close came first: the send is refused instead of discarded
    }
    return new Refused(x, q, first.getXAResource(), r);
  }

  /** end(TMSUCCESS) on the refused resource: returns, or throws XA_RBROLLBACK if the close came. */
  private static void endOnTheRefusedResource(Refused refused) throws XAException {
    try {
      refused.second().end(refused.x(), XAResource.TMSUCCESS);
    } catch (XAException refusedAlready) {
      assertEquals(XAException.XA_RBROLLBACK, refusedAlready.errorCode);
    }
  }

  @Test
  void aRefusedStartDiscardsTheWorkSentBehindItAndTheCommitReportsTheBranchRolledBack()
      throws Exception {
    Refused refused = startADuplicateAndSendBehindIt();
    Xid x = refused.x();
    Queue q = refused.queue();
    endOnTheRefusedResource(refused);
    XAException e = assertThrows(XAException.class, () -> refused.second().commit(x, true));
    assertEquals(XAException.XA_RBROLLBACK, e.errorCode, e.getMessage());
    assertTrue(e.getMessage().contains("XAER_DUPID"), e.getMessage());
    assertEquals(0, depth(q.getQueueName()), "'behind' ran neither outside nor inside a branch");

    // the branch of the same Xid on the first connection is untouched
    refused.first().commit(x, true);
    assertEquals("first", receive(q));
    assertEquals(0, depth(q.getQueueName()), "'behind' was never routed");
  }

  @Test
  void aRollbackAfterARefusedStartLeavesTheOtherBranchOfThatXidAlone() throws Exception {
    Refused refused = startADuplicateAndSendBehindIt();
    Xid x = refused.x();
    XAResource r = refused.second();
    XAException end = assertThrows(XAException.class, () -> r.end(x, XAResource.TMFAIL));
    assertEquals(XAException.XA_RBROLLBACK, end.errorCode, end.getMessage());
    r.rollback(x); // nothing of this resource's is in the branch

    assertEquals(
        XAResource.XA_OK, refused.first().prepare(x), "the first connection's branch is there");
    refused.first().commit(x, false);
    assertEquals("first", receive(refused.queue()));
  }

  @Test
  void aPrepareAfterARefusedStartReportsTheBranchRolledBack() throws Exception {
    Refused refused = startADuplicateAndSendBehindIt();
    Xid x = refused.x();
    endOnTheRefusedResource(refused);
    assertEquals(
        XAException.XA_RBROLLBACK,
        assertThrows(XAException.class, () -> refused.second().prepare(x)).errorCode);
    refused.first().rollback(x);
    assertEquals(0, depth(refused.queue().getQueueName()));
  }

  /**
   * The start, the send and the end of a branch all lost with the connection: the broker never
   * heard of the branch, and a one-phase commit through another connection reports it rolled back
   * (XA_RBCOMMFAIL), not unknown (XAER_NOTA, which a transaction manager may read as "completed").
   */
  @Test
  void aBranchWhoseStartWasLostWithItsEndIsReportedRolledBackThroughAnotherConnection()
      throws Exception {
    Proxied p = selectedThroughAProxy();
    Session s = p.session().getSession();
    Queue q = p.queue();
    XAResource r = p.session().getXAResource();
    Xid x = XaSessionTest.xid();
    p.proxy().holdRequests(true);
    r.start(x, XAResource.TMNOFLAGS);
    s.createProducer(q).send(s.createTextMessage("never arrived"));
    r.end(x, XAResource.TMSUCCESS);
    p.proxy().cut(); // start, send and end die in the proxy

    XAResource other = connect(server.port()).createXASession().getXAResource();
    XAException e = assertThrows(XAException.class, () -> other.commit(x, true));
    assertEquals(XAException.XA_RBCOMMFAIL, e.errorCode, e.getMessage());
    assertEquals(0, depth(q.getQueueName()));
  }
}
