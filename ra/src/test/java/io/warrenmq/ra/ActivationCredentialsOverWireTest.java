package io.warrenmq.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.ConnectionInfo;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkManager;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The activation's own login, ActivationSpec {@code user} and {@code password} (ActiveMQ Artemis'
 * names), against a WarrenServer on an ephemeral 127.0.0.1 port: they override the user of the
 * adapter's {@code connectionURL} (whose credentials here are refused), a refused password fails
 * the activation naming the user and never the password, and after a lost connection a refused
 * login is retried with back-off until the broker accepts it again. One in-memory server for the
 * class; the tests use distinct queue names.
 */
@Timeout(30)
class ActivationCredentialsOverWireTest {
  private static final String USER = "mdb-user";
  private static final String PASSWORD = "mdb-s3cret-pw";
  private static final String URL_PASSWORD = "not-the-right-one";

  private static Broker broker;
  private static WarrenServer server;

  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private WarrenResourceAdapter ra;

  @BeforeAll
  static void startServer() {
    broker = new Broker(new BrokerConfig("ra-credentials-" + System.nanoTime(), 2));
    broker.users().putUser(USER, PASSWORD, List.of());
    broker.users().setPermissions(new PermissionInfo(USER, "/", ".*", ".*", ".*"));
    server = WarrenServer.start(broker, ServerConfig.defaults());
  }

  @AfterAll
  static void stopServer() {
    server.close();
    broker.close();
  }

  @BeforeEach
  void startAdapter() throws Exception {
    ra = new WarrenResourceAdapter();
    // the adapter's default login is refused: only the activation's own can connect
    ra.setConnectionURL("amqp://guest:" + URL_PASSWORD + "@127.0.0.1:" + server.port());
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
    ra.start(
        (BootstrapContext)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {BootstrapContext.class},
                (p, m, a) -> {
                  if (m.getName().equals("getWorkManager")) {
                    return wm;
                  }
                  throw new UnsupportedOperationException(m.getName());
                }));
  }

  @AfterEach
  void stopAdapter() {
    broker.users().changePassword(USER, PASSWORD);
    ra.stop();
    workers.shutdownNow();
  }

  private static WarrenActivationSpec spec(String queue, String user, String password) {
    WarrenActivationSpec spec = new WarrenActivationSpec();
    spec.setDestination(queue);
    spec.setDestinationType(WarrenActivationSpec.QUEUE_TYPE);
    spec.setMaxSession(1);
    spec.setUser(user);
    spec.setPassword(password);
    return spec;
  }

  private MessageEndpointFactory endpoints() {
    MessageListener listener =
        m -> {
          try {
            received.add(((TextMessage) m).getText());
          } catch (JMSException e) {
            throw new IllegalStateException(e);
          }
        };
    return (MessageEndpointFactory)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {MessageEndpointFactory.class},
            (p, m, a) ->
                switch (m.getName()) {
                  case "createEndpoint" -> endpoint(listener);
                  case "isDeliveryTransacted" -> false;
                  case "getActivationName" -> "credentials-mdb";
                  case "getEndpointClass" -> MessageListener.class;
                  case "hashCode" -> System.identityHashCode(p);
                  case "equals" -> p == a[0];
                  case "toString" -> "credentials endpoint factory";
                  default -> throw new UnsupportedOperationException(m.getName());
                });
  }

  private static MessageEndpoint endpoint(MessageListener listener) {
    return (MessageEndpoint)
        Proxy.newProxyInstance(
            ActivationCredentialsOverWireTest.class.getClassLoader(),
            new Class<?>[] {MessageEndpoint.class, MessageListener.class},
            (p, m, a) ->
                switch (m.getName()) {
                  case "onMessage" -> {
                    listener.onMessage((Message) a[0]);
                    yield null;
                  }
                  case "hashCode" -> System.identityHashCode(p);
                  case "equals" -> p == a[0];
                  case "toString" -> "endpoint";
                  default -> null; // beforeDelivery, afterDelivery, release
                });
  }

  private static void send(String queue, String text) throws JMSException {
    try (Connection c =
        WarrenConnectionFactory.forUrl("amqp://127.0.0.1:" + server.port())
            .createConnection(USER, PASSWORD)) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(queue));
      p.send(s.createTextMessage(text));
    }
  }

  private static List<ConnectionInfo> connectionsOf(String user) {
    return broker.connections().stream().filter(c -> c.user().equals(user)).toList();
  }

  @Test
  void theActivationsUserAndPasswordOverrideTheAdaptersUrlLogin() throws Exception {
    MessageEndpointFactory f = endpoints();
    WarrenActivationSpec spec = spec("credentials-q", USER, PASSWORD);
    ra.endpointActivation(f, spec);
    try {
      assertEquals(1, connectionsOf(USER).size(), "the activation logged in as its own user");
      assertTrue(connectionsOf("guest").isEmpty(), "not as the URL's user");
      send("credentials-q", "to the mdb");
      assertEquals("to the mdb", received.poll(10, TimeUnit.SECONDS));
    } finally {
      ra.endpointDeactivation(f, spec);
    }
  }

  @Test
  void aWrongPasswordFailsTheActivationNamingTheUserNeverThePassword() throws Exception {
    MessageEndpointFactory f = endpoints();
    ResourceException e =
        assertThrows(
            ResourceException.class,
            () -> ra.endpointActivation(f, spec("credentials-bad-q", USER, "wrong-pw-123")));
    for (Throwable t = e; t != null; t = t.getCause()) {
      String text = String.valueOf(t.getMessage());
      assertFalse(text.contains("wrong-pw-123"), "no password in: " + text);
      assertFalse(text.contains(URL_PASSWORD), "no password in: " + text);
    }
    assertTrue(e.getMessage().contains("'" + USER + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("credentials-mdb"), e.getMessage());
    assertTrue(
        e.getCause() instanceof jakarta.jms.JMSSecurityException, String.valueOf(e.getCause()));
    assertTrue(connectionsOf(USER).isEmpty(), "nothing stays open");
  }

  @Test
  void aPasswordWithoutAUserIsAnInvalidPropertyNamingUser() {
    WarrenActivationSpec spec = spec("credentials-nouser-q", null, PASSWORD);
    InvalidPropertyException e = assertThrows(InvalidPropertyException.class, spec::validate);
    assertTrue(e.getMessage().contains("'user'"), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    assertFalse(spec.toString().contains(PASSWORD), spec.toString());
  }

  @Test
  void aLoginRefusedAfterALostConnectionIsRetriedUntilTheBrokerAcceptsItAgain() throws Exception {
    MessageEndpointFactory f = endpoints();
    WarrenActivationSpec spec = spec("credentials-retry-q", USER, PASSWORD);
    ra.endpointActivation(f, spec);
    try {
      broker.users().changePassword(USER, "rotated-elsewhere");
      assertTrue(broker.closeConnection(connectionsOf(USER).get(0).name(), "test"));
      long closedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!connectionsOf(USER).isEmpty() && System.nanoTime() < closedBy) {
        TimeUnit.MILLISECONDS.sleep(10); // polling with a deadline
      }
      assertTrue(connectionsOf(USER).isEmpty(), "the broker closed the activation's connection");
      // back-off 100, 200, 400, 800 ms: several refused attempts, none gets in
      long refusedUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
      while (System.nanoTime() < refusedUntil) {
        assertTrue(connectionsOf(USER).isEmpty(), "the refused login did not connect");
        TimeUnit.MILLISECONDS.sleep(50); // sampling a period, not waiting for an outcome
      }
      broker.users().changePassword(USER, PASSWORD);
      send("credentials-retry-q", "after the retry");
      assertEquals("after the retry", received.poll(15, TimeUnit.SECONDS));
      assertEquals(1, connectionsOf(USER).size());
    } finally {
      ra.endpointDeactivation(f, spec);
    }
  }

  @Test
  void recoveryReachesAnActivationsOwnUrlLoggedInAsTheActivationsUser() throws Exception {
    WarrenResourceAdapter good = new WarrenResourceAdapter();
    good.setConnectionURL("amqp://guest:guest@127.0.0.1:" + server.port());
    good.start(null);
    try {
      WarrenActivationSpec spec = spec("credentials-recovery-q", USER, PASSWORD);
      // a URL of its own whose login is refused: the activation's user replaces it
      spec.setConnectionURL("amqp://nobody:" + URL_PASSWORD + "@127.0.0.1:" + server.port());
      XAResource[] recovery = good.getXAResources(new ActivationSpec[] {spec});
      assertEquals(2, recovery.length, "the adapter's URL and the activation's");
      assertEquals(0, recovery[1].recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length);
      assertEquals(1, connectionsOf(USER).size(), "recovery logged in as the activation's user");
    } finally {
      good.stop();
    }
  }
}
