package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.XAJMSContext;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Jakarta Messaging XA API of the provider, driven by hand as a transaction manager would. */
@Timeout(30)
class XaSessionTest extends JmsTestSupport {

  private WarrenConnection connection;
  private WarrenXASession xa;
  private WarrenXAResource resource;

  @BeforeEach
  void open() throws Exception {
    connection = factory.createXAConnection();
    connection.start();
    xa = connection.createXASession();
    resource = xa.getXAResource();
  }

  @AfterEach
  void close() throws Exception {
    connection.close();
  }

  private static final AtomicLong XIDS = new AtomicLong(System.nanoTime());

  /**
   * A new Xid (format 4711), unique in this JVM; also used by {@link TransportSeamTest} and {@link
   * FailoverOverWireTest}.
   */
  static Xid xid() {
    byte[] gtrid = ByteBuffer.allocate(8).putLong(XIDS.incrementAndGet()).array();
    return new Xid() {
      @Override
      public int getFormatId() {
        return 4711;
      }

      @Override
      public byte[] getGlobalTransactionId() {
        return gtrid.clone();
      }

      @Override
      public byte[] getBranchQualifier() {
        return new byte[] {1};
      }
    };
  }

  private static int code(org.junit.jupiter.api.function.Executable call) {
    return assertThrows(XAException.class, call).errorCode;
  }

  private TextMessage next(String queue, long timeoutMs) throws Exception {
    try (Connection c = factory.createConnection()) {
      c.start();
      Session s = c.createSession();
      return (TextMessage) s.createConsumer(s.createQueue(queue)).receive(timeoutMs);
    }
  }

  /**
   * The resource adapter's inbound XA session (individual acknowledgement): its listener may hold
   * the next message while the previous one is processed in a transaction. Acknowledging the first
   * in a branch that rolls back returns that one only; the second, acknowledged later in its own
   * branch, is not delivered again (with "everything consumed" it was tied to the first branch:
   * returned by its rollback while its own transaction committed, so processed twice).
   */
  @Test
  void individualAcknowledgementTiesOnlyTheAcknowledgedMessageToTheBranch() throws Exception {
    WarrenXASession inbound = connection.createIndividualAcknowledgeXASession();
    Session s = inbound.getSession();
    Queue q = s.createQueue("individual-" + UUID.randomUUID());
    MessageProducer p = s.createProducer(q);
    p.send(s.createTextMessage("first"));
    p.send(s.createTextMessage("second"));
    MessageConsumer consumer = s.createConsumer(q);
    Message first = consumer.receive(5000);
    Message second = consumer.receive(5000);
    assertEquals("second", ((TextMessage) second).getText(), "both consumed");
    XAResource r = inbound.getXAResource();

    Xid rolledBack = xid();
    r.start(rolledBack, XAResource.TMNOFLAGS);
    first.acknowledge();
    r.end(rolledBack, XAResource.TMSUCCESS);
    r.rollback(rolledBack);
    Xid committed = xid();
    r.start(committed, XAResource.TMNOFLAGS);
    second.acknowledge();
    r.end(committed, XAResource.TMSUCCESS);
    r.commit(committed, true);

    Message again = consumer.receive(5000);
    assertEquals("first", ((TextMessage) again).getText());
    assertTrue(again.getJMSRedelivered());
    again.acknowledge(); // outside a branch: at once
    assertNull(consumer.receive(300), "the second message was acknowledged by its own branch");
    inbound.close();
  }

  /** requeue(Message) of an individual-acknowledge session returns that message only. */
  @Test
  void requeueReturnsOneMessageAndLeavesTheOthersConsumed() throws Exception {
    WarrenSession s = connection.createIndividualAcknowledgeSession();
    Queue q = s.createQueue("requeue-" + UUID.randomUUID());
    MessageProducer p = s.createProducer(q);
    p.send(s.createTextMessage("failed"));
    p.send(s.createTextMessage("pending"));
    MessageConsumer consumer = s.createConsumer(q);
    Message failed = consumer.receive(5000);
    Message pending = consumer.receive(5000);
    s.requeue(failed);
    s.requeue(failed); // once only
    Message again = consumer.receive(5000);
    assertEquals("failed", ((TextMessage) again).getText());
    assertTrue(again.getJMSRedelivered());
    assertNull(consumer.receive(300), "the pending message was not returned with it");
    pending.acknowledge();
    again.acknowledge();
    s.close();
    assertThrows(IllegalStateException.class, () -> xa.getSession().requeue(failed));
  }

  @Test
  void anXaSessionIsTransactedAndRefusesLocalCommitAndRollback() throws Exception {
    assertTrue(xa.getTransacted());
    assertThrows(TransactionInProgressException.class, xa::commit);
    assertThrows(TransactionInProgressException.class, xa::rollback);
    assertSame(resource, xa.getXAResource(), "one XAResource per session");
    assertSame(xa.getSession(), xa.getQueueSession());
    assertSame(xa.getSession(), xa.getTopicSession());
  }

  @Test
  void theApplicationSessionIsAutoAcknowledgeOutsideABranchAndTransactedInside() throws Exception {
    Session s = xa.getSession();
    assertFalse(s.getTransacted());
    assertEquals(Session.AUTO_ACKNOWLEDGE, s.getAcknowledgeMode());
    assertThrows(IllegalStateException.class, s::commit, "not transacted outside a branch");
    Xid x = xid();
    resource.start(x, XAResource.TMNOFLAGS);
    assertTrue(s.getTransacted());
    assertEquals(Session.SESSION_TRANSACTED, s.getAcknowledgeMode());
    assertThrows(TransactionInProgressException.class, s::commit);
    assertThrows(TransactionInProgressException.class, s::rollback);
    resource.end(x, XAResource.TMSUCCESS);
    assertEquals(XAResource.XA_RDONLY, resource.prepare(x), "nothing sent or consumed");
  }

  @Test
  void anXaContextIsTransactedAndRefusesLocalCommitAndRollback() {
    try (XAJMSContext context = factory.createXAContext()) {
      assertTrue(context.getTransacted());
      assertThrows(TransactionInProgressRuntimeException.class, context::commit);
      assertThrows(TransactionInProgressRuntimeException.class, context::rollback);
      assertNotNull(context.getXAResource());
      JMSContext app = context.getContext();
      assertEquals(JMSContext.AUTO_ACKNOWLEDGE, app.getSessionMode());
    }
  }

  @Test
  void anXaContextSendsInItsBranch() throws Exception {
    try (XAJMSContext context = factory.createXAContext()) {
      XAResource r = context.getXAResource();
      Xid x = xid();
      r.start(x, XAResource.TMNOFLAGS);
      JMSContext app = context.getContext();
      app.createProducer().send(app.createQueue("xa-ctx"), "in-branch");
      r.end(x, XAResource.TMSUCCESS);
      assertNull(next("xa-ctx", 200), "invisible before commit");
      r.commit(x, true);
      assertEquals("in-branch", next("xa-ctx", 5_000).getText());
    }
  }

  @Test
  void isSameRmIsTrueOnlyForResourcesOfTheSameBroker() throws Exception {
    WarrenXASession other = factory.createXAConnection().createXASession();
    assertTrue(resource.isSameRM(other.getXAResource()), "another connection, same broker");
    assertTrue(resource.isSameRM(resource));
    assertFalse(resource.isSameRM(null));
    assertFalse(resource.isSameRM(new ForeignResource()));
    Broker second = new Broker(new BrokerConfig("xa-other-" + UUID.randomUUID(), 1));
    try (WarrenConnection c = new WarrenConnectionFactory(second).createXAConnection()) {
      assertFalse(resource.isSameRM(c.createXASession().getXAResource()), "another broker");
    } finally {
      second.close();
    }
  }

  @Test
  void aTwoPhaseCommitDeliversTheSendAndARollbackDiscardsIt() throws Exception {
    Session s = xa.getSession();
    Queue q = s.createQueue("xa-2pc");
    Xid committed = xid();
    resource.start(committed, XAResource.TMNOFLAGS);
    s.createProducer(q).send(s.createTextMessage("one"));
    resource.end(committed, XAResource.TMSUCCESS);
    assertEquals(XAResource.XA_OK, resource.prepare(committed));
    resource.commit(committed, false);
    assertEquals("one", next("xa-2pc", 5_000).getText());

    Xid rolledBack = xid();
    resource.start(rolledBack, XAResource.TMNOFLAGS);
    s.createProducer(q).send(s.createTextMessage("two"));
    resource.end(rolledBack, XAResource.TMSUCCESS);
    resource.rollback(rolledBack);
    assertNull(next("xa-2pc", 300));
  }

  @Test
  void aRolledBackReceiveIsRedeliveredWithItsDeliveryCountRaised() throws Exception {
    Session s = xa.getSession();
    Queue q = s.createQueue("xa-redeliver");
    s.createProducer(q).send(s.createTextMessage("job"));
    MessageConsumer consumer = s.createConsumer(q);
    Xid x = xid();
    resource.start(x, XAResource.TMNOFLAGS);
    assertEquals("job", ((TextMessage) consumer.receive(5_000)).getText());
    resource.end(x, XAResource.TMSUCCESS);
    resource.rollback(x);
    consumer.close();
    TextMessage again = next("xa-redeliver", 5_000);
    assertNotNull(again);
    assertTrue(again.getJMSRedelivered());
    assertEquals(2, again.getIntProperty("JMSXDeliveryCount"));
  }

  @Test
  void aPreparedBranchIsRecoveredAndCommittedThroughAnotherConnection() throws Exception {
    Session s = xa.getSession();
    Xid x = xid();
    resource.start(x, XAResource.TMNOFLAGS);
    s.createProducer(s.createQueue("xa-recover")).send(s.createTextMessage("in doubt"));
    resource.end(x, XAResource.TMSUCCESS);
    resource.prepare(x);
    xa.close();
    try (WarrenConnection c = factory.createXAConnection()) {
      XAResource r = c.createXASession().getXAResource();
      Xid[] inDoubt = r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
      assertEquals(1, inDoubt.length);
      assertArrayEquals(x.getGlobalTransactionId(), inDoubt[0].getGlobalTransactionId());
      r.commit(inDoubt[0], false);
      assertEquals(0, r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length);
    }
    assertEquals("in doubt", next("xa-recover", 5_000).getText());
  }

  @Test
  void aSessionClosedInsideABranchKeepsItUntilEndAndTheConnectionCompletesIt() throws Exception {
    Session s = xa.getSession();
    Xid x = xid();
    resource.start(x, XAResource.TMNOFLAGS);
    s.createProducer(s.createQueue("xa-closed")).send(s.createTextMessage("kept"));
    xa.close();
    resource.end(x, XAResource.TMSUCCESS);
    assertEquals(XAResource.XA_OK, resource.prepare(x));
    resource.commit(x, false);
    assertEquals("kept", next("xa-closed", 5_000).getText());
  }

  /**
   * Whether {@code XAResource.start} waits for the broker's answer and so throws its refusal
   * itself; false where the transport pipelines a {@code TMNOFLAGS} start (over the wire,
   * docs/protocol-dtx.md "Pipelined dtx.start").
   */
  boolean startWaitsForTheBroker() {
    return true;
  }

  @Test
  void xaErrorCodesOfTheBrokerSurfaceThroughTheResource() throws Exception {
    Xid unknown = xid();
    assertEquals(XAException.XAER_NOTA, code(() -> resource.commit(unknown, false)));
    assertEquals(XAException.XAER_NOTA, code(() -> resource.rollback(unknown)));
    assertEquals(XAException.XAER_NOTA, code(() -> resource.prepare(unknown)));
    assertEquals(XAException.XAER_INVAL, code(() -> resource.recover(0x1234)));
    assertEquals(XAException.XAER_INVAL, code(() -> resource.setTransactionTimeout(-1)));
    assertEquals(XAException.XAER_INVAL, code(() -> resource.start(null, XAResource.TMNOFLAGS)));
    assertEquals(
        XAException.XAER_PROTO,
        code(() -> resource.end(unknown, XAResource.TMSUCCESS)),
        "end without start");

    Xid x = xid();
    resource.start(x, XAResource.TMNOFLAGS);
    assertEquals(
        XAException.XAER_PROTO,
        code(() -> resource.start(xid(), XAResource.TMNOFLAGS)),
        "already associated");
    assertEquals(XAException.XAER_PROTO, code(() -> resource.prepare(x)), "still associated");
    resource.end(x, XAResource.TMSUCCESS);
    WarrenXAResource other = factory.createXAConnection().createXASession().getXAResource();
    if (startWaitsForTheBroker()) {
      assertEquals(
          XAException.XAER_DUPID, code(() -> other.start(x, XAResource.TMNOFLAGS)), "known Xid");
    } else {
      other.start(x, XAResource.TMNOFLAGS); // pipelined: the refusal comes with the next call
      XAException refused;
      try {
        other.end(x, XAResource.TMSUCCESS);
        refused = assertThrows(XAException.class, () -> other.prepare(x));
      } catch (XAException atEnd) {
        refused = atEnd;
      }
      assertEquals(XAException.XA_RBROLLBACK, refused.errorCode, refused.getMessage());
      assertTrue(refused.getMessage().contains("XAER_DUPID"), refused.getMessage());
      other.rollback(x); // leaves the branch of x, which is not other's, alone
    }
    resource.rollback(x);
    assertEquals(XAException.XAER_NOTA, code(() -> resource.commit(x, true)), "forgotten");
  }

  @Test
  void aClosedConnectionAnswersRmFail() throws Exception {
    connection.close();
    assertEquals(XAException.XAER_RMFAIL, code(() -> resource.recover(XAResource.TMSTARTRSCAN)));
    assertEquals(XAException.XAER_RMFAIL, code(() -> resource.start(xid(), 0)));
  }

  @Test
  void theTransactionTimeoutIsSetAndRead() throws Exception {
    assertTrue(resource.setTransactionTimeout(5));
    assertEquals(5, resource.getTransactionTimeout());
    assertTrue(resource.setTransactionTimeout(0));
    assertEquals(60, resource.getTransactionTimeout(), "0 restores the broker's default");
  }

  /** An XAResource of another resource manager. */
  private static final class ForeignResource implements XAResource {
    @Override
    public void commit(Xid xid, boolean onePhase) {}

    @Override
    public void end(Xid xid, int flags) {}

    @Override
    public void forget(Xid xid) {}

    @Override
    public int getTransactionTimeout() {
      return 0;
    }

    @Override
    public boolean isSameRM(XAResource xares) {
      return false;
    }

    @Override
    public int prepare(Xid xid) {
      return XA_OK;
    }

    @Override
    public Xid[] recover(int flag) {
      return new Xid[0];
    }

    @Override
    public void rollback(Xid xid) {}

    @Override
    public boolean setTransactionTimeout(int seconds) {
      return true;
    }

    @Override
    public void start(Xid xid, int flags) {}
  }
}
