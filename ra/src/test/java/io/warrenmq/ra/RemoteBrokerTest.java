package io.warrenmq.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import io.warrenmq.store.jdbc.JdbcMessageStoreProvider;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.SecurityException;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.security.PasswordCredential;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkManager;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.Subject;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resource adapter with {@code connectionURL} against a real WarrenMQ server (a {@link
 * WarrenServer} on an ephemeral 127.0.0.1 port, H2 store in a temporary directory; one server per
 * class, restarted on the same port and data directory by the tests that need it): outbound send
 * and receive and XA through the managed connection factory, credentials, virtual hosts, fail-fast
 * errors, an MDB activation that survives a server restart, XA recovery after a restart.
 */
@Timeout(60)
class RemoteBrokerTest {
  @TempDir static Path dataDir;

  private static final String NAME = "ra-remote-" + System.nanoTime();
  private static Broker broker;
  private static WarrenServer server;
  private static int port;

  private final ExecutorService workers = Executors.newCachedThreadPool();
  private WarrenResourceAdapter ra;

  @BeforeAll
  static void startServer() {
    startServer(0);
    port = server.port();
  }

  private static void startServer(int onPort) {
    broker =
        Broker.withStore(
            new BrokerConfig(NAME, 2),
            new JdbcMessageStoreProvider()
                .open(Map.of("dataDir", dataDir.toString(), "durability", "PROCESS_CRASH"), NAME));
    broker.users().putUser("app", "s3cret", List.of());
    broker.users().setPermissions(new PermissionInfo("app", "/", ".*", ".*", ".*"));
    broker.virtualHost("orders");
    broker.users().setPermissions(new PermissionInfo("guest", "orders", ".*", ".*", ".*"));
    server = WarrenServer.start(broker, ServerConfig.defaults().withListener("127.0.0.1", onPort));
  }

  /** Stops the server and its broker (store closed cleanly) and starts both again, same port. */
  private static void restartServer() {
    server.close();
    broker.close();
    startServer(port);
  }

  @AfterAll
  static void stopServer() {
    server.close();
    broker.close();
  }

  private static String url() {
    return "amqp://127.0.0.1:" + port;
  }

  @BeforeEach
  void startAdapter() throws Exception {
    ra = new WarrenResourceAdapter();
    ra.setConnectionURL(url());
    ra.start(bootstrap());
  }

  @AfterEach
  void stopAdapter() {
    ra.stop();
    workers.shutdownNow();
  }

  private BootstrapContext bootstrap() {
    WorkManager wm =
        (WorkManager)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {WorkManager.class},
                (p, m, a) -> {
                  if (m.getName().endsWith("Work")) {
                    workers.execute((Work) a[0]);
                    return m.getReturnType() == long.class ? 0L : null;
                  }
                  throw new UnsupportedOperationException(m.getName());
                });
    return (BootstrapContext)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {BootstrapContext.class},
            (p, m, a) -> {
              if (m.getName().equals("getWorkManager")) {
                return wm;
              }
              throw new UnsupportedOperationException(m.getName());
            });
  }

  private WarrenManagedConnectionFactory mcf() throws ResourceException {
    WarrenManagedConnectionFactory mcf = new WarrenManagedConnectionFactory();
    mcf.setResourceAdapter(ra);
    return mcf;
  }

  /** Receives from the server directly (not through the adapter), the given virtual host. */
  private static String receiveDirect(String vhost, String queue, long ms) throws JMSException {
    String path = vhost.equals("/") ? "/%2F" : "/" + vhost;
    try (Connection c =
        WarrenConnectionFactory.forUrl(url() + path).createConnection("guest", "guest")) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
      TextMessage m = (TextMessage) consumer.receive(ms);
      return m == null ? null : m.getText();
    }
  }

  private static void sendDirect(String queue, String... texts) throws JMSException {
    try (Connection c = WarrenConnectionFactory.forUrl(url()).createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(queue));
      for (String t : texts) {
        p.send(s.createTextMessage(t));
      }
    }
  }

  private static void send(Session s, String queue, String text) throws JMSException {
    s.createProducer(s.createQueue(queue)).send(s.createTextMessage(text));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void theAdapterStartsNoBrokerAndItsConnectionFactoryReachesTheRemoteServer() throws Exception {
    ResourceException none = assertThrows(ResourceException.class, ra::broker);
    assertTrue(none.getMessage().contains("remote broker"), none.getMessage());
    ConnectionFactory cf = (ConnectionFactory) mcf().createConnectionFactory();
    try (Connection c = cf.createConnection()) {
      send(c.createSession(), "remote-orders", "order-1");
    }
    assertEquals("order-1", receiveDirect("/", "remote-orders", 5_000));
    sendDirect("remote-replies", "reply-1");
    try (Connection c = cf.createConnection()) {
      c.start();
      Session s = c.createSession();
      Message m = s.createConsumer(s.createQueue("remote-replies")).receive(5_000);
      assertEquals("reply-1", ((TextMessage) m).getText());
    }
  }

  @Test
  void aBrokerListWhoseFirstBrokerIsDownIsServedByTheNextOne() throws Exception {
    // the jms-client's failover URL (README "Several brokers, automatic reconnection") through a
    // connection definition: the adapter's virtual host and prefetch rewrite keeps the list
    WarrenManagedConnectionFactory mcf = mcf();
    mcf.setConnectionURL("amqp://127.0.0.1:" + freePort() + ",127.0.0.1:" + port);
    mcf.setVirtualHost("orders");
    try (Connection c = ((ConnectionFactory) mcf.createConnectionFactory()).createConnection()) {
      send(c.createSession(), "listed-orders", "order-via-list");
    }
    assertEquals("order-via-list", receiveDirect("orders", "listed-orders", 5_000));
  }

  @Test
  void anXaBranchCommitsOverTheWireAndARolledBackOneLeavesNothing() throws Exception {
    WarrenManagedConnection mc =
        (WarrenManagedConnection) mcf().createManagedConnection(null, null);
    XAResource xa = mc.getXAResource();
    Xid committed = new LocalXid(new byte[] {7, 1, (byte) port});
    xa.start(committed, XAResource.TMNOFLAGS);
    WarrenConnectionHandle h = (WarrenConnectionHandle) mc.getConnection(null, null);
    send(h.createSession(), "remote-xa", "committed");
    xa.end(committed, XAResource.TMSUCCESS);
    assertEquals(XAResource.XA_OK, xa.prepare(committed));
    assertNull(receiveDirect("/", "remote-xa", 200), "invisible before commit");
    xa.commit(committed, false);
    assertEquals("committed", receiveDirect("/", "remote-xa", 5_000));

    Xid rolledBack = new LocalXid(new byte[] {7, 2, (byte) port});
    xa.start(rolledBack, XAResource.TMNOFLAGS);
    send(h.createSession(), "remote-xa", "rolled back");
    xa.end(rolledBack, XAResource.TMSUCCESS);
    xa.rollback(rolledBack);
    assertNull(receiveDirect("/", "remote-xa", 300), "the rolled-back send is discarded");
    h.close();
    mc.destroy();
  }

  @Test
  void theDefinitionsLoginTheContainersSubjectAndCreateConnectionReachTheBroker() throws Exception {
    WarrenManagedConnectionFactory mcf = mcf();
    mcf.setUserName("app");
    mcf.setPassword("s3cret");
    WarrenManagedConnection byProperties =
        (WarrenManagedConnection) mcf.createManagedConnection(null, null);
    assertEquals("app", byProperties.getMetaData().getUserName());
    byProperties.destroy();

    ConnectionFactory cf = (ConnectionFactory) mcf.createConnectionFactory();
    try (Connection c = cf.createConnection("app", "s3cret")) {
      send(c.createSession(), "login-q", "as app");
    }
    assertEquals("as app", receiveDirect("/", "login-q", 5_000));
    JMSSecurityException refused =
        assertThrows(JMSSecurityException.class, () -> cf.createConnection("app", "wrong-pw"));
    assertTrue(refused.getMessage().contains("'app'"), refused.getMessage());
    assertTrue(refused.getMessage().contains("127.0.0.1:" + port), refused.getMessage());
    assertFalse(refused.getMessage().contains("wrong-pw"), refused.getMessage());

    Subject subject = new Subject();
    PasswordCredential good = new PasswordCredential("app", "s3cret".toCharArray());
    good.setManagedConnectionFactory(mcf);
    subject.getPrivateCredentials().add(good);
    WarrenManagedConnection bySubject =
        (WarrenManagedConnection) mcf.createManagedConnection(subject, null);
    assertEquals("app", bySubject.getMetaData().getUserName());
    bySubject.destroy();

    WarrenManagedConnectionFactory badDefinition = mcf();
    badDefinition.setUserName("app");
    badDefinition.setPassword("not-the-pw");
    SecurityException e =
        assertThrows(
            SecurityException.class, () -> badDefinition.createManagedConnection(null, null));
    assertTrue(e.getMessage().contains("'app'"), e.getMessage());
    assertTrue(e.getMessage().contains("amqp://127.0.0.1:" + port), e.getMessage());
    assertFalse(e.getMessage().contains("not-the-pw"), e.getMessage());
  }

  @Test
  void anUnreachablePortFailsTheFirstConnectionWithinSecondsNamingTheUrlNotThePassword()
      throws Exception {
    int closed = freePort();
    WarrenResourceAdapter unreachable = new WarrenResourceAdapter();
    unreachable.setConnectionURL("amqp://app:top-secret@127.0.0.1:" + closed);
    unreachable.start(bootstrap()); // start checks the syntax only
    try {
      WarrenManagedConnectionFactory mcf = new WarrenManagedConnectionFactory();
      mcf.setResourceAdapter(unreachable);
      long t0 = System.nanoTime();
      ResourceException e =
          assertThrows(ResourceException.class, () -> mcf.createManagedConnection(null, null));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(ms < 5_000, "failed after " + ms + " ms");
      assertTrue(e.getMessage().contains("127.0.0.1:" + closed), e.getMessage());
      assertFalse(e.getMessage().contains("top-secret"), e.getMessage());
      assertNotNull(e.getCause(), "the JMS cause is attached");
    } finally {
      unreachable.stop();
    }
  }

  @Test
  void aMalformedOrNonAmqpUrlFailsTheAdaptersStartNamingTheProperty() {
    for (String bad : List.of("amqp://127.0.0.1:notaport", "tcp://127.0.0.1:61616")) {
      WarrenResourceAdapter r = new WarrenResourceAdapter();
      r.setConnectionURL(bad);
      ResourceAdapterInternalException e =
          assertThrows(ResourceAdapterInternalException.class, () -> r.start(null));
      assertTrue(e.getMessage().contains("connectionURL"), e.getMessage());
    }
  }

  @Test
  void theVirtualHostOfTheDefinitionIsUsedAndAMissingOneFailsNamingIt() throws Exception {
    WarrenManagedConnectionFactory mcf = mcf();
    mcf.setVirtualHost("orders");
    try (Connection c = ((ConnectionFactory) mcf.createConnectionFactory()).createConnection()) {
      send(c.createSession(), "vhost-q", "in orders");
    }
    assertNull(receiveDirect("/", "vhost-q", 200), "not in /");
    assertEquals("in orders", receiveDirect("orders", "vhost-q", 5_000));

    WarrenManagedConnectionFactory missing = mcf();
    missing.setVirtualHost("nowhere");
    long t0 = System.nanoTime();
    ResourceException e =
        assertThrows(ResourceException.class, () -> missing.createManagedConnection(null, null));
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 5_000);
    assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void aConnectionDefinitionsUrlWinsOverTheAdaptersEmbeddedBroker() throws Exception {
    WarrenResourceAdapter embedded = new WarrenResourceAdapter();
    embedded.setBrokerName("embedded-" + System.nanoTime());
    embedded.setStore("memory");
    embedded.start(null);
    try {
      WarrenManagedConnectionFactory mcf = new WarrenManagedConnectionFactory();
      mcf.setResourceAdapter(embedded);
      mcf.setConnectionURL(url());
      try (Connection c = ((ConnectionFactory) mcf.createConnectionFactory()).createConnection()) {
        send(c.createSession(), "specific-q", "to the server");
      }
      assertEquals("to the server", receiveDirect("/", "specific-q", 5_000));
    } finally {
      embedded.stop();
    }
  }

  /**
   * An endpoint factory whose endpoints play the container for transacted delivery: beforeDelivery
   * starts a branch on the session's XAResource (failing as a container does, with a
   * ResourceException, when the broker is gone), afterDelivery ends and commits it one-phase and
   * records the text as committed, or rolls back.
   */
  private MessageEndpointFactory transacted(
      Map<String, AtomicInteger> committed, CountDownLatch gate, int blockAfter) {
    AtomicInteger deliveries = new AtomicInteger();
    return (MessageEndpointFactory)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {MessageEndpointFactory.class},
            (p, m, a) ->
                switch (m.getName()) {
                  case "createEndpoint" ->
                      xaEndpoint((XAResource) a[0], committed, gate, blockAfter, deliveries);
                  case "isDeliveryTransacted" -> true;
                  case "getActivationName" -> "remote-mdb";
                  case "getEndpointClass" -> MessageListener.class;
                  case "hashCode" -> System.identityHashCode(p);
                  case "equals" -> p == a[0];
                  case "toString" -> "transacted endpoint factory";
                  default -> throw new UnsupportedOperationException(m.getName());
                });
  }

  private MessageEndpoint xaEndpoint(
      XAResource xa,
      Map<String, AtomicInteger> committed,
      CountDownLatch gate,
      int blockAfter,
      AtomicInteger deliveries) {
    Xid[] branch = new Xid[1];
    String[] text = new String[1];
    return (MessageEndpoint)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {MessageEndpoint.class, MessageListener.class},
            (p, m, a) ->
                switch (m.getName()) {
                  case "beforeDelivery" -> {
                    branch[0] = new LocalXid(UUID.randomUUID().toString().getBytes());
                    text[0] = null;
                    try {
                      xa.start(branch[0], XAResource.TMNOFLAGS);
                    } catch (XAException e) {
                      throw new UnavailableException("cannot enlist: " + e.getMessage(), e);
                    }
                    yield null;
                  }
                  case "onMessage" -> {
                    text[0] = ((TextMessage) a[0]).getText();
                    if (deliveries.incrementAndGet() == blockAfter + 1) {
                      gate.await(30, TimeUnit.SECONDS); // in flight across the restart
                    }
                    yield null;
                  }
                  case "afterDelivery" -> {
                    try {
                      xa.end(branch[0], XAResource.TMSUCCESS);
                      xa.commit(branch[0], true);
                      committed
                          .computeIfAbsent(text[0], k -> new AtomicInteger())
                          .incrementAndGet();
                    } catch (XAException e) {
                      try {
                        xa.rollback(branch[0]);
                      } catch (XAException ignored) {
                        // the broker is gone: it rolls the branch back itself
                      }
                    }
                    yield null;
                  }
                  case "hashCode" -> System.identityHashCode(p);
                  case "equals" -> p == a[0];
                  case "toString" -> "xa endpoint";
                  default -> null; // release
                });
  }

  private static void awaitCommitted(Map<String, AtomicInteger> committed, int n, long ms)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    while (committed.size() < n && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      TimeUnit.MILLISECONDS.sleep(20); // polling with a deadline
    }
  }

  @Test
  void anActivationResumesAfterAServerRestartMidConsumptionLosingAndDoublingNothing()
      throws Exception {
    String[] texts = new String[20];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = "m-" + i;
    }
    sendDirect("mdb-restart-q", texts);
    Map<String, AtomicInteger> committed = new ConcurrentHashMap<>();
    CountDownLatch gate = new CountDownLatch(1);
    WarrenActivationSpec spec = new WarrenActivationSpec();
    spec.setDestination("mdb-restart-q");
    spec.setDestinationType(WarrenActivationSpec.QUEUE_TYPE);
    spec.setMaxSession(1);
    MessageEndpointFactory f = transacted(committed, gate, 5);
    ra.endpointActivation(f, spec);
    try {
      awaitCommitted(committed, 5, 20_000);
      assertEquals(5, committed.size(), "five committed before the restart: " + committed);
      restartServer(); // the sixth delivery is in onMessage meanwhile
      gate.countDown();
      awaitCommitted(committed, texts.length, 30_000);
    } finally {
      gate.countDown();
      ra.endpointDeactivation(f, spec);
    }
    assertEquals(texts.length, committed.size(), "every message committed: " + committed);
    for (String t : texts) {
      assertEquals(1, committed.get(t).get(), t + " committed once: " + committed);
    }
    assertNull(receiveDirect("/", "mdb-restart-q", 300), "the queue is empty");
  }

  @Test
  void aDurableTopicActivationWithASelectorReceivesOnlyMatchingMessagesFromTheServer()
      throws Exception {
    Map<String, AtomicInteger> committed = new ConcurrentHashMap<>();
    WarrenActivationSpec spec = new WarrenActivationSpec();
    spec.setDestination("remote.audit");
    spec.setDestinationType(WarrenActivationSpec.TOPIC_TYPE);
    spec.setSubscriptionDurability("Durable");
    spec.setSubscriptionName("audit-eu");
    spec.setClientId("remote-mdb-client");
    spec.setMessageSelector("region = 'eu'");
    spec.setMaxSession(2);
    MessageEndpointFactory f = transacted(committed, new CountDownLatch(0), Integer.MAX_VALUE);
    ra.endpointActivation(f, spec);
    try (Connection c = WarrenConnectionFactory.forUrl(url()).createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createTopic("remote.audit"));
      for (String region : List.of("eu", "us", "eu", "eu")) {
        TextMessage m = s.createTextMessage(region + "-" + System.nanoTime());
        m.setStringProperty("region", region);
        p.send(m);
      }
      awaitCommitted(committed, 3, 10_000); // the last eu one was routed after the us one
    } finally {
      ra.endpointDeactivation(f, spec);
    }
    // deactivation waited for deliveries in flight: a us message would be counted by now
    assertEquals(3, committed.size(), "only the eu messages: " + committed);
    assertTrue(committed.keySet().stream().allMatch(t -> t.startsWith("eu-")), committed::toString);
  }

  @Test
  void recoveryListsABranchPreparedBeforeAServerRestartAndCommitsIt() throws Exception {
    Xid xid = new LocalXid(("recover-" + UUID.randomUUID()).getBytes());
    WarrenManagedConnection mc =
        (WarrenManagedConnection) mcf().createManagedConnection(null, null);
    XAResource xa = mc.getXAResource();
    xa.start(xid, XAResource.TMNOFLAGS);
    WarrenConnectionHandle h = (WarrenConnectionHandle) mc.getConnection(null, null);
    send(h.createSession(), "recovered-q", "prepared before the restart");
    xa.end(xid, XAResource.TMSUCCESS);
    assertEquals(XAResource.XA_OK, xa.prepare(xid));
    h.close();
    mc.destroy();
    XAResource[] before = ra.getXAResources(new ActivationSpec[0]);
    assertTrue(listed(before[0], xid), "listed before the restart");

    restartServer();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    XAResource recovery = null;
    while (recovery == null) {
      try {
        XAResource r = ra.getXAResources(new ActivationSpec[0])[0];
        if (listed(r, xid)) {
          recovery = r;
        }
      } catch (XAException | ResourceException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(50); // the old recovery connection is being dropped
      }
    }
    recovery.commit(xid, false);
    assertEquals("prepared before the restart", receiveDirect("/", "recovered-q", 5_000));
    assertFalse(listed(recovery, xid), "no longer prepared");
  }

  @Test
  void aPooledConnectionThatTheServerDroppedIsReportedToThePoolAndReplaced() throws Exception {
    WarrenManagedConnectionFactory mcf = mcf();
    WarrenManagedConnection mc = (WarrenManagedConnection) mcf.createManagedConnection(null, null);
    CountDownLatch errorEvent = new CountDownLatch(1);
    mc.addConnectionEventListener(
        new jakarta.resource.spi.ConnectionEventListener() {
          @Override
          public void connectionErrorOccurred(jakarta.resource.spi.ConnectionEvent event) {
            errorEvent.countDown();
          }

          @Override
          public void connectionClosed(jakarta.resource.spi.ConnectionEvent event) {}

          @Override
          public void localTransactionStarted(jakarta.resource.spi.ConnectionEvent event) {}

          @Override
          public void localTransactionCommitted(jakarta.resource.spi.ConnectionEvent event) {}

          @Override
          public void localTransactionRolledback(jakarta.resource.spi.ConnectionEvent event) {}
        });
    restartServer();
    assertTrue(errorEvent.await(10, TimeUnit.SECONDS), "CONNECTION_ERROR_OCCURRED sent");
    assertEquals(java.util.Set.of(mc), mcf.getInvalidConnections(java.util.Set.of(mc)));
    assertNull(mcf.matchManagedConnections(java.util.Set.of(mc), null, null));
    WarrenManagedConnection fresh =
        (WarrenManagedConnection) mcf.createManagedConnection(null, null);
    WarrenConnectionHandle h = (WarrenConnectionHandle) fresh.getConnection(null, null);
    send(h.createSession(), "after-restart-q", "new connection");
    assertEquals("new connection", receiveDirect("/", "after-restart-q", 5_000));
    h.close();
    fresh.destroy();
    mc.destroy();
  }

  @Test
  void anActivationsUrlAndVirtualHostWinOverTheAdaptersEmbeddedBroker() throws Exception {
    WarrenResourceAdapter embedded = new WarrenResourceAdapter();
    embedded.setBrokerName("embedded-inbound-" + System.nanoTime());
    embedded.setStore("memory");
    embedded.start(bootstrap());
    Map<String, AtomicInteger> committed = new ConcurrentHashMap<>();
    WarrenActivationSpec spec = new WarrenActivationSpec();
    spec.setDestination("vhost-mdb-q");
    spec.setDestinationType(WarrenActivationSpec.QUEUE_TYPE);
    spec.setConnectionURL(url());
    spec.setVirtualHost("orders");
    spec.setMaxSession(1);
    MessageEndpointFactory f = transacted(committed, new CountDownLatch(0), Integer.MAX_VALUE);
    try {
      embedded.endpointActivation(f, spec);
      try (Connection c =
          WarrenConnectionFactory.forUrl(url() + "/orders").createConnection("guest", "guest")) {
        send(c.createSession(false, Session.AUTO_ACKNOWLEDGE), "vhost-mdb-q", "to orders");
      }
      awaitCommitted(committed, 1, 10_000);
      assertEquals(
          1, committed.get("to orders").get(), "delivered from vhost orders: " + committed);
      XAResource[] recovery = embedded.getXAResources(new ActivationSpec[] {spec});
      assertEquals(2, recovery.length, "the embedded broker and the activation's server");
      recovery[1].recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN); // reaches the server
    } finally {
      embedded.endpointDeactivation(f, spec);
      embedded.stop();
    }
  }

  private static boolean listed(XAResource r, Xid xid) throws XAException {
    return Arrays.stream(r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN))
        .anyMatch(p -> Arrays.equals(p.getGlobalTransactionId(), xid.getGlobalTransactionId()));
  }
}
