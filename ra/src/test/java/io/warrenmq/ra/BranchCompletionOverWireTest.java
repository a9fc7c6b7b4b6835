package io.warrenmq.ra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A branch prepared through a managed connection whose connection to the remote broker is then lost
 * (the server stops and starts again on the same port; the broker and its prepared branch stay) is
 * still committed or rolled back by the transaction manager's call on that managed connection's
 * XAResource: the call completes it on a new connection ({@code BranchCompletion}). Before, the
 * call failed with XAER_RMFAIL, which Payara's transaction manager takes as "rolled back" for a
 * rollback and then forgets the prepared branch.
 */
@Timeout(30)
class BranchCompletionOverWireTest {
  private Broker broker;
  private WarrenServer server;
  private int port;
  private WarrenResourceAdapter ra;
  private WarrenManagedConnectionFactory mcf;

  @BeforeEach
  void start() throws Exception {
    broker = new Broker(new BrokerConfig("branch-completion-" + System.nanoTime(), 2));
    server = WarrenServer.start(broker, ServerConfig.defaults());
    port = server.port();
    ra = new WarrenResourceAdapter();
    ra.setConnectionURL("amqp://guest:guest@127.0.0.1:" + port);
    ra.start(null);
    mcf = new WarrenManagedConnectionFactory();
    mcf.setResourceAdapter(ra);
  }

  @AfterEach
  void stop() {
    ra.stop();
    server.close();
    broker.close();
  }

  /** Stops the server (every client connection is lost) and starts it again on the same port. */
  private void restartServer() {
    server.close();
    server = WarrenServer.start(broker, ServerConfig.defaults().withListener("127.0.0.1", port));
  }

  /** Sends {@code text} to {@code queue} in a new branch of a new managed connection, prepared. */
  private XAResource prepareSend(Xid x, String queue, String text) throws Exception {
    WarrenManagedConnection mc = (WarrenManagedConnection) mcf.createManagedConnection(null, null);
    XAResource xa = mc.getXAResource();
    xa.start(x, XAResource.TMNOFLAGS);
    WarrenConnectionHandle h = (WarrenConnectionHandle) mc.getConnection(null, null);
    Session s = h.createSession();
    s.createProducer(s.createQueue(queue)).send(s.createTextMessage(text));
    xa.end(x, XAResource.TMSUCCESS);
    assertEquals(XAResource.XA_OK, xa.prepare(x));
    return xa;
  }

  private String receive(String queue, long ms) throws Exception {
    try (Connection c = ra.connectionFactory("/", 10).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
      TextMessage m = (TextMessage) consumer.receive(ms);
      return m == null ? null : m.getText();
    }
  }

  private Xid[] prepared() throws Exception {
    try (var c = ra.connectionFactory("/", 10).createConnection()) {
      return c.createXASession()
          .getXAResource()
          .recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
    }
  }

  @Test
  void aPreparedBranchWhoseConnectionWasLostIsCommittedOnANewConnection() throws Exception {
    Xid x = new LocalXid(new byte[] {7, 1});
    XAResource xa = prepareSend(x, "bc-commit", "kept");

    restartServer();
    xa.commit(x, false);

    assertEquals("kept", receive("bc-commit", 5_000));
    assertNull(receive("bc-commit", 300), "exactly one copy");
    assertArrayEquals(new Xid[0], prepared(), "no branch left prepared");
  }

  @Test
  void aPreparedBranchWhoseConnectionWasLostIsRolledBackOnANewConnection() throws Exception {
    Xid x = new LocalXid(new byte[] {7, 2});
    XAResource xa = prepareSend(x, "bc-rollback", "discarded");

    restartServer();
    xa.rollback(x);

    assertArrayEquals(new Xid[0], prepared(), "no branch left prepared");
    assertNull(receive("bc-rollback", 300), "the send was discarded");
  }
}
