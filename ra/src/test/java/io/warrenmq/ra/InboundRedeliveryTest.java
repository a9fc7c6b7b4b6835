package io.warrenmq.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkManager;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An MDB whose {@code onMessage} throws gets the message again with {@code JMSXDeliveryCount} 1, 2,
 * 3, ..., spaced by {@code redeliveryDelay} (transacted or not), and after {@code
 * maxDeliveryAttempts} failed deliveries the message is in the dead-letter queue instead. Runs the
 * adapter on an in-memory broker with a thread-pool work manager and a plain (non-transacted)
 * endpoint factory.
 */
@Timeout(30)
class InboundRedeliveryTest {
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private WarrenResourceAdapter ra;
  private Connection client;

  /** What the endpoint saw, one entry per onMessage call. */
  private record Attempt(int deliveryCount, boolean redelivered, long nanos) {}

  private final List<Attempt> attempts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startAdapter() throws Exception {
    ra = new WarrenResourceAdapter();
    configure(ra);
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
    BootstrapContext ctx =
        (BootstrapContext)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {BootstrapContext.class},
                (p, m, a) -> {
                  if (m.getName().equals("getWorkManager")) {
                    return wm;
                  }
                  throw new UnsupportedOperationException(m.getName());
                });
    ra.start(ctx);
    client = ra.connectionFactory("/", 10).createConnection();
    client.start();
  }

  /**
   * The adapter's broker: here an embedded in-memory one; InboundRedeliveryOverWireTest's remote.
   */
  void configure(WarrenResourceAdapter adapter) {
    adapter.setBrokerName("redelivery-" + System.nanoTime());
    adapter.setStore("memory");
  }

  @AfterEach
  void stopAdapter() throws Exception {
    client.close();
    ra.stop();
    workers.shutdownNow();
  }

  /** An endpoint factory whose endpoint throws on the first {@code failures} deliveries. */
  private MessageEndpointFactory failing(int failures, CountDownLatch calls) {
    return failing(failures, calls, false);
  }

  /**
   * As {@link #failing(int, CountDownLatch)}; when {@code transacted}, the factory says delivery is
   * transacted and its endpoint plays the container: beforeDelivery starts a branch on the
   * XAResource given to createEndpoint, afterDelivery ends it and commits (one phase) or, if
   * onMessage threw, rolls it back.
   */
  private MessageEndpointFactory failing(int failures, CountDownLatch calls, boolean transacted) {
    MessageListener listener =
        m -> {
          try {
            attempts.add(
                new Attempt(
                    m.getIntProperty("JMSXDeliveryCount"),
                    m.getJMSRedelivered(),
                    System.nanoTime()));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          } finally {
            calls.countDown();
          }
          if (attempts.size() <= failures) {
            throw new IllegalStateException("attempt " + attempts.size() + " fails on purpose");
          }
        };
    return (MessageEndpointFactory)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {MessageEndpointFactory.class},
            (p, m, a) ->
                switch (m.getName()) {
                  case "createEndpoint" ->
                      transacted ? xaEndpoint(listener, (XAResource) a[0]) : endpoint(listener);
                  case "isDeliveryTransacted" -> transacted;
                  case "getActivationName", "getEndpointClass" ->
                      m.getReturnType() == String.class ? "redelivery-test" : MessageListener.class;
                  case "hashCode" -> System.identityHashCode(p);
                  case "equals" -> p == a[0];
                  case "toString" -> "failing endpoint factory";
                  default -> throw new UnsupportedOperationException(m.getName());
                });
  }

  private MessageEndpoint endpoint(MessageListener listener) {
    return (MessageEndpoint)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
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

  private MessageEndpoint xaEndpoint(MessageListener listener, XAResource xa) {
    assertNotNull(xa, "transacted delivery passes the session's XAResource to createEndpoint");
    Xid[] branch = new Xid[1];
    boolean[] failed = new boolean[1];
    return (MessageEndpoint)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {MessageEndpoint.class, MessageListener.class},
            (p, m, a) ->
                switch (m.getName()) {
                  case "beforeDelivery" -> {
                    branch[0] = new TestXid(UUID.randomUUID());
                    failed[0] = false;
                    xa.start(branch[0], XAResource.TMNOFLAGS);
                    yield null;
                  }
                  case "onMessage" -> {
                    try {
                      listener.onMessage((Message) a[0]);
                    } catch (RuntimeException e) {
                      failed[0] = true;
                      throw e;
                    }
                    yield null;
                  }
                  case "afterDelivery" -> {
                    xa.end(branch[0], XAResource.TMSUCCESS);
                    if (failed[0]) {
                      xa.rollback(branch[0]);
                    } else {
                      xa.commit(branch[0], true);
                    }
                    yield null;
                  }
                  case "hashCode" -> System.identityHashCode(p);
                  case "equals" -> p == a[0];
                  case "toString" -> "xa endpoint";
                  default -> null; // release
                });
  }

  /** A Xid made from a UUID. */
  private record TestXid(UUID id) implements Xid {
    @Override
    public int getFormatId() {
      return 4711;
    }

    @Override
    public byte[] getGlobalTransactionId() {
      return id.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] getBranchQualifier() {
      return new byte[] {1};
    }
  }

  private WarrenActivationSpec spec(String queue) {
    WarrenActivationSpec spec = new WarrenActivationSpec();
    spec.setDestination(queue);
    spec.setDestinationType(WarrenActivationSpec.QUEUE_TYPE);
    spec.setMaxSession(1);
    return spec;
  }

  private void send(String queue, String text) throws Exception {
    try (Session s = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue(queue))) {
      TextMessage m = s.createTextMessage(text);
      m.setStringProperty("orderId", "o-42");
      p.send(m);
    }
  }

  @ParameterizedTest(name = "transacted delivery: {0}")
  @ValueSource(booleans = {false, true})
  void aMessageThatFailsTwiceIsDeliveredWithCountsOneTwoThreeAndNotDeadLettered(boolean transacted)
      throws Exception {
    CountDownLatch three = new CountDownLatch(3);
    WarrenActivationSpec spec = spec("retry-q");
    MessageEndpointFactory f = failing(2, three, transacted);
    ra.endpointActivation(f, spec);
    send("retry-q", "hello");
    assertTrue(three.await(20, TimeUnit.SECONDS), "three deliveries, saw " + attempts);
    ra.endpointDeactivation(f, spec);
    assertEquals(List.of(1, 2, 3), attempts.stream().map(Attempt::deliveryCount).toList());
    assertEquals(List.of(false, true, true), attempts.stream().map(Attempt::redelivered).toList());
    try (Session s = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer source = s.createConsumer(s.createQueue("retry-q"));
        MessageConsumer dlq = s.createConsumer(s.createQueue("DLQ"))) {
      assertNull(source.receive(200), "the third delivery succeeded and was acknowledged");
      assertNull(dlq.receive(200), "nothing was dead-lettered");
    }
  }

  @ParameterizedTest(name = "transacted delivery: {0}")
  @ValueSource(booleans = {false, true})
  void aMessageThatAlwaysFailsEndsInTheDeadLetterQueueAfterMaxDeliveryAttempts(boolean transacted)
      throws Exception {
    CountDownLatch three = new CountDownLatch(3);
    WarrenActivationSpec spec = spec("poison-q");
    spec.setMaxDeliveryAttempts(3);
    spec.setDeadLetterQueue("poison-dlq");
    MessageEndpointFactory f = failing(Integer.MAX_VALUE, three, transacted);
    ra.endpointActivation(f, spec);
    send("poison-q", "poison");
    try (Session s = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer dlq = s.createConsumer(s.createQueue("poison-dlq"))) {
      Message dead = dlq.receive(20_000);
      assertNotNull(dead, "the message reaches the dead-letter queue; deliveries: " + attempts);
      assertTrue(three.await(1, TimeUnit.SECONDS));
      ra.endpointDeactivation(f, spec);
      assertEquals(List.of(1, 2, 3), attempts.stream().map(Attempt::deliveryCount).toList());
      assertEquals("poison", ((TextMessage) dead).getText());
      assertEquals("o-42", dead.getStringProperty("orderId"));
      String reason = dead.getStringProperty(WarrenActivationSpec.DEAD_LETTER_REASON);
      assertTrue(
          reason.contains("maxDeliveryAttempts (3)") && reason.contains("fails on purpose"),
          reason);
      assertEquals(
          "queue://poison-q", dead.getStringProperty(WarrenActivationSpec.DEAD_LETTER_ORIGIN));
      try (MessageConsumer source = s.createConsumer(s.createQueue("poison-q"))) {
        assertNull(source.receive(200), "the original was acknowledged");
      }
    }
  }

  @ParameterizedTest(name = "transacted delivery: {0}")
  @ValueSource(booleans = {false, true})
  void redeliveryDelaySpacesTheRetriesEvenWithAnotherSessionFree(boolean transacted)
      throws Exception {
    CountDownLatch three = new CountDownLatch(3);
    WarrenActivationSpec spec = spec("slow-retry-q");
    spec.setRedeliveryDelay(300L);
    spec.setMaxSession(2); // the other session is free: only the broker's hold keeps it waiting
    MessageEndpointFactory f = failing(2, three, transacted);
    ra.endpointActivation(f, spec);
    send("slow-retry-q", "later");
    assertTrue(three.await(20, TimeUnit.SECONDS), "three deliveries, saw " + attempts);
    ra.endpointDeactivation(f, spec);
    for (int i = 1; i < 3; i++) {
      long gapMs =
          TimeUnit.NANOSECONDS.toMillis(attempts.get(i).nanos() - attempts.get(i - 1).nanos());
      assertTrue(gapMs >= 300, "retry " + i + " came after " + gapMs + " ms, not >= 300");
    }
    assertEquals(List.of(1, 2, 3), attempts.stream().map(Attempt::deliveryCount).toList());
  }
}
