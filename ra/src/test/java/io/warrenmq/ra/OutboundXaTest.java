package io.warrenmq.ra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.resource.spi.LocalTransaction;
import java.util.Arrays;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The managed connection's XAResource covers every session created through its handles: sessions
 * created before and after {@code start}, transacted or not (arguments ignored in a branch), commit
 * and roll back together; a fresh managed connection recovers and commits a prepared branch; the
 * container-managed LocalTransaction is a one-phase branch over the same sessions; a transacted
 * session used outside any transaction is the application's own local transaction, and closing the
 * handle rolls back what it left open.
 */
@Timeout(20)
class OutboundXaTest {
  private WarrenResourceAdapter ra;
  private WarrenManagedConnectionFactory mcf;
  private Connection observer;

  @BeforeEach
  void start() throws Exception {
    ra = new WarrenResourceAdapter();
    configure(ra);
    ra.start(null);
    mcf = new WarrenManagedConnectionFactory();
    mcf.setResourceAdapter(ra);
    observer = ra.connectionFactory("/", 10).createConnection();
    observer.start();
  }

  /** The adapter's broker: here an embedded in-memory one; OutboundXaOverWireTest's remote. */
  void configure(WarrenResourceAdapter adapter) {
    adapter.setBrokerName("outbound-xa-test");
    adapter.setStore("memory");
  }

  @AfterEach
  void stop() throws Exception {
    observer.close();
    ra.stop();
  }

  private static Xid xid(int n) {
    return new LocalXid(new byte[] {9, 9, (byte) n});
  }

  private String receive(String queue, long ms) throws Exception {
    try (Session s = observer.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(s.createQueue(queue))) {
      TextMessage m = (TextMessage) c.receive(ms);
      return m == null ? null : m.getText();
    }
  }

  private static void send(Session s, String queue, String text) throws Exception {
    s.createProducer(s.createQueue(queue)).send(s.createTextMessage(text));
  }

  @Test
  void sessionsCreatedInsideABranchCommitTogetherAfterPrepare() throws Exception {
    WarrenManagedConnection mc = (WarrenManagedConnection) mcf.createManagedConnection(null, null);
    XAResource xa = mc.getXAResource();
    Xid x = xid(1);
    xa.start(x, XAResource.TMNOFLAGS);
    WarrenConnectionHandle h = (WarrenConnectionHandle) mc.getConnection(null, null);
    Session first = h.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Session second = h.createSession(true, Session.SESSION_TRANSACTED);
    send(first, "xa-a", "a");
    send(second, "xa-b", "b");
    xa.end(x, XAResource.TMSUCCESS);
    assertEquals(XAResource.XA_OK, xa.prepare(x));
    assertNull(receive("xa-a", 200), "not visible before commit");
    xa.commit(x, false);
    assertEquals("a", receive("xa-a", 5_000));
    assertEquals("b", receive("xa-b", 5_000));
    h.close();
    mc.destroy();
  }

  /**
   * A producer EJB's transaction as a container runs it: the branch starts before the session
   * exists, the application closes its handle (and so its one session) before the container ends
   * and commits in one phase; the managed connection serves the next transactions. The commit goes
   * through the closed session's resource, right behind its (over the wire, pipelined) end, and a
   * rollback likewise.
   */
  @Test
  void aOneSessionBranchWhoseHandleClosedBeforeTheEndCommitsOrRollsBackInOnePhase()
      throws Exception {
    WarrenManagedConnection mc = (WarrenManagedConnection) mcf.createManagedConnection(null, null);
    XAResource xa = mc.getXAResource();
    for (int i = 0; i < 3; i++) {
      Xid committed = xid(20 + 2 * i);
      xa.start(committed, XAResource.TMNOFLAGS);
      WarrenConnectionHandle h = (WarrenConnectionHandle) mc.getConnection(null, null);
      send(h.createSession(), "xa-one", "kept " + i);
      h.close();
      xa.end(committed, XAResource.TMSUCCESS);
      xa.commit(committed, true);
      assertEquals("kept " + i, receive("xa-one", 5_000), "round " + i);

      Xid rolledBack = xid(21 + 2 * i);
      xa.start(rolledBack, XAResource.TMNOFLAGS);
      h = (WarrenConnectionHandle) mc.getConnection(null, null);
      send(h.createSession(), "xa-one", "dropped " + i);
      h.close();
      xa.end(rolledBack, XAResource.TMSUCCESS);
      xa.rollback(rolledBack);
      assertNull(receive("xa-one", 200), "round " + i);
    }
    mc.destroy();
  }

  @Test
  void aRolledBackBranchDiscardsTheSendsOfAllItsSessions() throws Exception {
    WarrenManagedConnection mc = (WarrenManagedConnection) mcf.createManagedConnection(null, null);
    XAResource xa = mc.getXAResource();
    Xid x = xid(2);
    xa.start(x, XAResource.TMNOFLAGS);
    WarrenConnectionHandle h = (WarrenConnectionHandle) mc.getConnection(null, null);
    send(h.createSession(), "xa-c", "c");
    send(h.createSession(), "xa-d", "d");
    xa.end(x, XAResource.TMSUCCESS);
    xa.rollback(x);
    assertNull(receive("xa-c", 300));
    assertNull(receive("xa-d", 300));
    h.close();
    mc.destroy();
  }

  @Test
  void aFreshManagedConnectionRecoversAndCommitsAPreparedBranch() throws Exception {
    WarrenManagedConnection mc = (WarrenManagedConnection) mcf.createManagedConnection(null, null);
    XAResource xa = mc.getXAResource();
    Xid x = xid(3);
    xa.start(x, XAResource.TMNOFLAGS);
    WarrenConnectionHandle h = (WarrenConnectionHandle) mc.getConnection(null, null);
    send(h.createSession(), "xa-e", "e");
    xa.end(x, XAResource.TMSUCCESS);
    assertEquals(XAResource.XA_OK, xa.prepare(x));
    h.close();
    mc.destroy();

    WarrenManagedConnection recovery =
        (WarrenManagedConnection) mcf.createManagedConnection(null, null);
    Xid[] prepared =
        recovery.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
    assertTrue(
        Arrays.stream(prepared)
            .anyMatch(p -> Arrays.equals(p.getGlobalTransactionId(), x.getGlobalTransactionId())),
        () -> "recover lists the prepared branch: " + Arrays.toString(prepared));
    recovery.getXAResource().commit(x, false);
    assertEquals("e", receive("xa-e", 5_000));
    assertArrayEquals(
        new Xid[0],
        recovery.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN));
    recovery.destroy();
  }

  @Test
  void aBranchInWhichNoSessionWasCreatedPreparesReadOnly() throws Exception {
    WarrenManagedConnection mc = (WarrenManagedConnection) mcf.createManagedConnection(null, null);
    XAResource xa = mc.getXAResource();
    Xid x = xid(4);
    xa.start(x, XAResource.TMNOFLAGS);
    xa.end(x, XAResource.TMSUCCESS);
    assertEquals(XAResource.XA_RDONLY, xa.prepare(x));
    mc.destroy();
  }

  @Test
  void theContainerManagedLocalTransactionCommitsOrRollsBackTheSessionsWork() throws Exception {
    WarrenManagedConnection mc = (WarrenManagedConnection) mcf.createManagedConnection(null, null);
    WarrenConnectionHandle h = (WarrenConnectionHandle) mc.getConnection(null, null);
    LocalTransaction tx = mc.getLocalTransaction();
    tx.begin();
    send(h.createSession(), "lt-q", "kept");
    tx.commit();
    tx.begin();
    send(h.createSession(), "lt-q", "discarded");
    tx.rollback();
    assertEquals("kept", receive("lt-q", 5_000));
    assertNull(receive("lt-q", 300));
    h.close();
    mc.destroy();
  }

  @Test
  void anApplicationLocalTransactionLeftOpenIsRolledBackWhenTheHandleCloses() throws Exception {
    WarrenManagedConnection mc = (WarrenManagedConnection) mcf.createManagedConnection(null, null);
    WarrenConnectionHandle h = (WarrenConnectionHandle) mc.getConnection(null, null);
    Session s = h.createSession(true, Session.SESSION_TRANSACTED); // no JTA: a local transaction
    send(s, "app-lt-q", "committed");
    s.commit();
    send(s, "app-lt-q", "left open");
    h.close(); // closes the session, which rolls back its open transaction (Session.close)
    assertEquals("committed", receive("app-lt-q", 5_000));
    assertNull(receive("app-lt-q", 300), "the open transaction's send is discarded");
    mc.destroy();
  }
}
