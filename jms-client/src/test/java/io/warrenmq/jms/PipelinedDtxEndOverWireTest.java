package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pipelined {@code dtx.end} of the wire transport (docs/protocol-dtx.md, "Pipelined dtx.end";
 * X/Open XA {@code xa_end}, {@code xa_prepare}, {@code xa_commit}): {@code end(TMSUCCESS)} returns
 * without waiting for the broker's answer, the next call on the Xid reports a refused end, a call
 * through another channel comes after the end, and a branch whose end was never answered (its
 * connection lost) is rolled back, not committed, by a later prepare or commit through another
 * connection. Against a real WarrenMQ server in this JVM, behind a {@link TcpProxy} where a test
 * must hold back or cut the broker's answers.
 */
@Timeout(60)
class PipelinedDtxEndOverWireTest extends PerTestWireBroker {
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "within 10 s: " + what);
      Thread.sleep(10);
    }
  }

  private static int code(org.junit.jupiter.api.function.Executable call) {
    return assertThrows(XAException.class, call).errorCode;
  }

  /** A send of {@code text} to a new queue inside branch {@code x} of {@code session}. */
  private Queue sendInBranch(WarrenXASession session, Xid x, String text) throws Exception {
    Session s = session.getSession();
    Queue q = newQueue(session);
    session.getXAResource().start(x, XAResource.TMNOFLAGS);
    s.createProducer(q).send(s.createTextMessage(text));
    return q;
  }

  private String receive(Queue q, long timeoutMs) throws Exception {
    try (Connection c = connect(server.port())) {
      Session s = c.createSession();
      MessageConsumer consumer = s.createConsumer(q);
      TextMessage m = (TextMessage) consumer.receive(timeoutMs);
      return m == null ? null : m.getText();
    }
  }

  @Test
  void endThenOnePhaseCommitOnTheSameResourceCommitsTheBranch() throws Exception {
    WarrenXASession session = connect(server.port()).createXASession();
    XAResource r = session.getXAResource();
    Xid x = XaSessionTest.xid();
    Queue q = sendInBranch(session, x, "committed");
    r.end(x, XAResource.TMSUCCESS);
    r.commit(x, true);
    assertEquals("committed", receive(q, 5000));
  }

  /** A branch's resource, the queue it sent to, and the proxy its connection goes through. */
  private record Proxied(XAResource resource, Queue queue, TcpProxy proxy) {}

  /**
   * Sends {@code text} in branch {@code x} over a connection through a new {@link TcpProxy}, then
   * ends the branch while the proxy holds the broker's answers back (they stay held).
   */
  private Proxied endWithAnswersHeld(Xid x, String text) throws Exception {
    TcpProxy proxy = proxy();
    WarrenXASession session = connect(proxy.port()).createXASession();
    Queue q = sendInBranch(session, x, text);
    // answered after the (pipelined) start and the send: the broker holds the branch
    session.getXAResource().getTransactionTimeout();
    proxy.holdReplies(true);
    session.getXAResource().end(x, XAResource.TMSUCCESS);
    return new Proxied(session.getXAResource(), q, proxy);
  }

  @Test
  void endReturnsWithoutWaitingForTheBrokersAnswer() throws Exception {
    Xid x = XaSessionTest.xid();
    // a waiting end would fail in there after the request timeout
    Proxied p = endWithAnswersHeld(x, "held");
    XAResource r = p.resource();
    Queue q = p.queue();
    p.proxy().holdReplies(false);
    r.commit(x, true);
    assertEquals("held", receive(q, 5000));
  }

  /**
   * A branch of {@code session} (timeout 1 s) that sent a message and consumed {@code marker},
   * waited for until the broker's timer rolled it back ({@code marker} ready again): its end then
   * answers XA_RBTIMEOUT.
   */
  private Xid branchTheBrokerRolledBack(WarrenXASession session, Queue q) throws Exception {
    XAResource r = session.getXAResource();
    r.setTransactionTimeout(1);
    Xid x = XaSessionTest.xid();
    Session probe = connect(server.port()).createSession();
    probe.createProducer(q).send(probe.createTextMessage("marker"));
    r.start(x, XAResource.TMNOFLAGS);
    session.getSession().createProducer(q).send(session.getSession().createTextMessage("sent"));
    MessageConsumer c = session.getSession().createConsumer(q);
    assertEquals("marker", ((TextMessage) c.receive(5000)).getText()); // acked in the branch
    c.close();
    String name = q.getQueueName();
    await("the branch is rolled back and 'marker' is back", () -> ready(name) == 1);
    return x;
  }

  private Queue newQueue(WarrenXASession session) throws Exception {
    Queue q = session.getSession().createQueue("pipelined-" + UUID.randomUUID());
    session.getSession().createConsumer(q).close(); // the queue exists before the branch
    return q;
  }

  @Test
  void anEndTheBrokerRefusesIsThrownByTheOnePhaseCommitThatFollows() throws Exception {
    WarrenXASession session = connect(server.port()).createXASession();
    Queue q = newQueue(session);
    Xid x = branchTheBrokerRolledBack(session, q);
    XAResource r = session.getXAResource();
    r.end(x, XAResource.TMSUCCESS);
    assertEquals(XAException.XA_RBTIMEOUT, code(() -> r.commit(x, true)));
    assertEquals("marker", receive(q, 5000), "the consumed message came back");
    assertNull(receive(q, 200), "the send of the rolled-back branch is not there");
  }

  @Test
  void anEndTheBrokerRefusesIsThrownByPrepare() throws Exception {
    WarrenXASession session = connect(server.port()).createXASession();
    Queue q = newQueue(session);
    Xid x = branchTheBrokerRolledBack(session, q);
    XAResource r = session.getXAResource();
    r.end(x, XAResource.TMSUCCESS);
    assertEquals(XAException.XA_RBTIMEOUT, code(() -> r.prepare(x)));
    // the resource goes on: a new branch on the same channel commits
    Xid y = XaSessionTest.xid();
    r.setTransactionTimeout(0);
    r.start(y, XAResource.TMNOFLAGS);
    session.getSession().createProducer(q).send(session.getSession().createTextMessage("next"));
    r.end(y, XAResource.TMSUCCESS);
    r.commit(y, true);
    assertEquals(2, ready(q.getQueueName()), "'marker' and 'next'");
  }

  @Test
  void aCommitThroughAnotherConnectionComesAfterTheEnd() throws Exception {
    WarrenXASession session = connect(server.port()).createXASession();
    XAResource other = connect(server.port()).createXASession().getXAResource();
    for (int i = 0; i < 50; i++) {
      Xid x = XaSessionTest.xid();
      Queue q = sendInBranch(session, x, "m" + i);
      session.getXAResource().end(x, XAResource.TMSUCCESS);
      assertEquals(XAResource.XA_OK, other.prepare(x), "round " + i);
      other.commit(x, false);
      assertEquals(1, depth(q.getQueueName()), "round " + i);
    }
  }

  @Test
  void aBranchWhoseEndWasNeverAnsweredIsRolledBackByACommitThroughAnotherConnection()
      throws Exception {
    Xid x = XaSessionTest.xid();
    Proxied p = endWithAnswersHeld(x, "in doubt");
    Queue q = p.queue();
    p.proxy().cut(); // the end's answer is lost with the connection

    XAResource other = connect(server.port()).createXASession().getXAResource();
    XAException e = assertThrows(XAException.class, () -> other.commit(x, true));
    assertEquals(XAException.XA_RBCOMMFAIL, e.errorCode, e.getMessage());
    assertTrue(e.getMessage().contains("was rolled back"), e.getMessage());
    assertEquals(0, depth(q.getQueueName()), "the branch's send was not committed");
    assertEquals(XAException.XAER_NOTA, code(() -> other.rollback(x)), "the branch is gone");
  }
}
