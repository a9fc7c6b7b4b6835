package io.warrenmq.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class OutboundConnectionTest {

  private WarrenResourceAdapter ra;
  private WarrenManagedConnectionFactory mcf;

  /** The durable store's directory (the default, ./warrenmq-data, would land in the work tree). */
  @TempDir java.nio.file.Path dataDir;

  @BeforeEach
  void start() throws ResourceException {
    ra = new WarrenResourceAdapter();
    ra.setBrokerName("outbound-test");
    ra.setDataDir(dataDir.toString());
    ra.start(null);
    mcf = new WarrenManagedConnectionFactory();
    mcf.setResourceAdapter(ra);
  }

  @AfterEach
  void stop() {
    ra.stop();
  }

  @Test
  void theConnectionFactorySendsAndReceivesThroughTheAdaptersBroker() throws Exception {
    ConnectionFactory cf = (ConnectionFactory) mcf.createConnectionFactory();
    try (Connection c = cf.createConnection()) {
      c.start();
      Session s = c.createSession();
      WarrenAdminQueue orders = new WarrenAdminQueue();
      orders.setName("orders");
      MessageConsumer consumer = s.createConsumer(orders);
      s.createProducer(orders).send(s.createTextMessage("order-1"));
      assertEquals("order-1", ((TextMessage) consumer.receive(5_000)).getText());
    }
  }

  @Test
  void aJMSContextFromThePooledFactoryWorksAndItsCloseFreesTheConnection() throws Exception {
    ConnectionFactory cf = (ConnectionFactory) mcf.createConnectionFactory();
    try (jakarta.jms.JMSContext ctx = cf.createContext()) {
      jakarta.jms.Queue q = ctx.createQueue("context-queue");
      ctx.createProducer().send(q, "via JMSContext");
      assertEquals("via JMSContext", ctx.createConsumer(q).receiveBody(String.class, 5_000));
    }
  }

  @Test
  void closingAHandleClosesItsSessionsAndFreesTheManagedConnection() throws Exception {
    WarrenManagedConnection mc = (WarrenManagedConnection) mcf.createManagedConnection(null, null);
    List<ConnectionEvent> events = new ArrayList<>();
    mc.addConnectionEventListener(new RecordingListener(events));
    WarrenConnectionHandle handle = (WarrenConnectionHandle) mc.getConnection(null, null);
    Session session = handle.createSession();
    handle.close();
    assertEquals(1, events.size());
    assertEquals(ConnectionEvent.CONNECTION_CLOSED, events.get(0).getId());
    assertEquals(handle, events.get(0).getConnectionHandle());
    assertThrows(IllegalStateException.class, session::createMessage);
    assertThrows(IllegalStateException.class, handle::createSession);
    assertTrue(mc.isUsable());
    mc.destroy();
    assertFalse(mc.isUsable());
  }

  @Test
  void containerForbiddenConnectionMethodsThrowIllegalState() throws Exception {
    WarrenManagedConnection mc = (WarrenManagedConnection) mcf.createManagedConnection(null, null);
    WarrenConnectionHandle handle = (WarrenConnectionHandle) mc.getConnection(null, null);
    assertThrows(IllegalStateException.class, () -> handle.setClientID("x"));
    assertThrows(IllegalStateException.class, () -> handle.setExceptionListener(e -> {}));
    assertThrows(IllegalStateException.class, handle::stop);
    mc.destroy();
  }

  @Test
  void aStoppedAdapterRefusesNewConnectionsWithAResourceException() throws Exception {
    ra.stop();
    ResourceException e =
        assertThrows(ResourceException.class, () -> mcf.createManagedConnection(null, null));
    assertTrue(e.getMessage().contains("not started"), e.getMessage());
    ConnectionFactory cf = (ConnectionFactory) mcf.createConnectionFactory();
    JMSException jmse = assertThrows(JMSException.class, cf::createConnection);
    assertEquals(e.getClass(), jmse.getLinkedException().getClass());
    ra.start(null);
  }

  private record RecordingListener(List<ConnectionEvent> events)
      implements ConnectionEventListener {
    @Override
    public void connectionClosed(ConnectionEvent event) {
      events.add(event);
    }

    @Override
    public void localTransactionStarted(ConnectionEvent event) {}

    @Override
    public void localTransactionCommitted(ConnectionEvent event) {}

    @Override
    public void localTransactionRolledback(ConnectionEvent event) {}

    @Override
    public void connectionErrorOccurred(ConnectionEvent event) {
      events.add(event);
    }
  }
}
