package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.AMQConnection;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RabbitMQ's {@code connection.blocked} / {@code connection.unblocked}
 * (https://www.rabbitmq.com/docs/connection-blocked, .../alarms) on the wire: the engine's memory
 * alarm, fired here by a 1 MiB limit on queued bodies ({@code BrokerConfig.memoryLimitBytes}),
 * blocks the connections that publish (their sockets are not read; RabbitMQ's Java client's {@code
 * BlockedListener} is told) and leaves the connections that only consume alone.
 */
@Timeout(60)
class ConnectionBlockedTest {
  private static final int LIMIT = 1 << 20;
  private static final int MESSAGE = 16 * 1024;

  private Broker broker;
  private WarrenServer server;
  private final List<Connection> connections = new ArrayList<>();

  @BeforeEach
  void start() {
    broker =
        new Broker(new BrokerConfig("blocked-" + System.nanoTime(), 2).withMemoryLimitBytes(LIMIT));
    server = WarrenServer.start(broker, ServerConfig.defaults());
  }

  @AfterEach
  void stop() {
    // the server first: a client blocked in a socket write cannot even abort until it closes
    server.close();
    for (Connection c : connections) {
      c.abort(1_000);
    }
    broker.close();
  }

  private Connection connect(Map<String, Object> clientProperties) throws Exception {
    return connect(clientProperties, 60);
  }

  private Connection connect(Map<String, Object> clientProperties, int heartbeatSeconds)
      throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setRequestedHeartbeat(heartbeatSeconds);
    f.setHost("127.0.0.1");
    f.setPort(server.port());
    f.setAutomaticRecoveryEnabled(false);
    f.setChannelRpcTimeout(30_000);
    if (clientProperties != null) {
      f.setClientProperties(clientProperties);
    }
    Connection c = f.newConnection();
    connections.add(c);
    return c;
  }

  /** What a connection's {@link BlockedListener} was told, in order. */
  private static List<String> events(Connection c) {
    List<String> events = new CopyOnWriteArrayList<>();
    c.addBlockedListener(
        new BlockedListener() {
          @Override
          public void handleBlocked(String reason) {
            events.add("blocked: " + reason);
          }

          @Override
          public void handleUnblocked() {
            events.add("unblocked");
          }
        });
    return events;
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  private static byte[] message(int publisher, int n) {
    return ByteBuffer.allocate(MESSAGE).putInt(publisher).putInt(n).array();
  }

  /**
   * Publishes in the background until stopped: its socket stops taking writes while the broker does
   * not read it, and the broker may have read a batch of publishes before the alarm fires, so it
   * publishes until the test has seen what it waits for.
   */
  private static final class Publisher extends Thread {
    private final Connection connection;
    private final int id;
    private final int limit;
    private volatile boolean stop;
    private volatile int published;
    private volatile Throwable failure;

    Publisher(Connection connection, int id, int limit) {
      super("publisher-" + id);
      this.connection = connection;
      this.id = id;
      this.limit = limit;
      start();
    }

    @Override
    public void run() {
      try {
        Channel ch = connection.createChannel();
        for (int n = 0; !stop && n < limit; n++) {
          ch.basicPublish("", "q", null, message(id, n));
          published = n + 1;
        }
      } catch (Exception | AssertionError e) {
        failure = e;
      }
    }

    /** Stops publishing, waits for the publish under way, and returns how many were published. */
    int finish() throws InterruptedException {
      stop = true;
      join();
      assertEquals(null, failure);
      return published;
    }
  }

  /** Consumes with acks, in the background; the messages as "publisher:n" in arrival order. */
  private static BlockingQueue<String> consume(Connection c) throws Exception {
    Channel ch = c.createChannel();
    ch.basicQos(20);
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    ch.basicConsume(
        "q",
        false,
        (tag, d) -> {
          ByteBuffer b = ByteBuffer.wrap(d.getBody());
          received.add(b.getInt() + ":" + b.getInt());
          ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
        },
        tag -> {});
    return received;
  }

  private static List<String> take(BlockingQueue<String> received, int total) throws Exception {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      String m = received.poll(30, TimeUnit.SECONDS);
      if (m == null) {
        fail("received " + all.size() + " of " + total);
      }
      all.add(m);
    }
    return all;
  }

  /** Blocked and unblocked alternate, starting with blocked, ending with unblocked. */
  private static boolean alternatesAndEndsUnblocked(List<String> events) {
    if (events.isEmpty() || events.size() % 2 != 0) {
      return false;
    }
    for (int i = 0; i < events.size(); i++) {
      if (!events.get(i).equals(i % 2 == 0 ? "blocked: low on memory" : "unblocked")) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aConnectionThatPublishesDuringTheAlarmIsBlockedAndToldUntilItClears() throws Exception {
    Connection publisherConnection = connect(null);
    Connection consumer = connect(null);
    List<String> publisherEvents = events(publisherConnection);
    List<String> consumerEvents = events(consumer);
    consumer.createChannel().queueDeclare("q", false, false, false, null);
    Publisher publisher = new Publisher(publisherConnection, 0, Integer.MAX_VALUE);

    await("blocked", () -> publisherEvents.equals(List.of("blocked: low on memory")));
    await("its socket not read", () -> server.blockedConnectionCount() == 1);
    // a connection that only consumes goes on during the alarm, and its acks clear it
    BlockingQueue<String> received = consume(consumer);
    int published = publisher.finish();
    List<String> all = take(received, published);
    for (int n = 0; n < published; n++) {
      assertEquals("0:" + n, all.get(n), "order");
    }
    await("unblocked", () -> alternatesAndEndsUnblocked(publisherEvents));
    assertEquals(List.of(), consumerEvents, "a connection that does not publish is not told");
    assertEquals(0, server.blockedConnectionCount());
  }

  @Test
  void aBlockedConnectionsSocketIsNotReadSoItsClientCannotWriteMuchMore() throws Exception {
    Connection publisherConnection = connect(null);
    Connection consumer = connect(null);
    consumer.createChannel().queueDeclare("q", false, false, false, null);
    Publisher publisher = new Publisher(publisherConnection, 0, Integer.MAX_VALUE);
    await("its socket not read", () -> server.blockedConnectionCount() == 1);

    // TCP buffers take a few MiB at most; a socket still read would take 64 MiB in well under 3 s
    int atBlock = publisher.published;
    int more = 64 * (1 << 20) / MESSAGE;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (publisher.published - atBlock < more && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    int written = publisher.published - atBlock;
    assertTrue(written < more, written + " messages written while blocked");
    assertEquals(1, server.blockedConnectionCount());

    BlockingQueue<String> received = consume(consumer);
    int published = publisher.finish();
    assertEquals(published, take(received, published).size());
  }

  @Test
  void aClientWithoutTheCapabilityIsBlockedWithoutBeingTold() throws Exception {
    Map<String, Object> properties = new HashMap<>(AMQConnection.defaultClientProperties());
    @SuppressWarnings("unchecked")
    Map<String, Object> capabilities =
        new HashMap<>((Map<String, Object>) properties.get("capabilities"));
    capabilities.remove("connection.blocked");
    properties.put("capabilities", capabilities);
    Connection publisherConnection = connect(properties);
    List<String> publisherEvents = events(publisherConnection);
    Connection consumer = connect(null);
    consumer.createChannel().queueDeclare("q", false, false, false, null);
    Publisher publisher = new Publisher(publisherConnection, 0, Integer.MAX_VALUE);

    await("its socket not read", () -> server.blockedConnectionCount() == 1);
    BlockingQueue<String> received = consume(consumer);
    int published = publisher.finish();
    assertEquals(published, take(received, published).size());
    await("read again", () -> server.blockedConnectionCount() == 0);
    assertEquals(List.of(), publisherEvents);
  }

  @Test
  void aBlockedClientIsNotDisconnectedForTheHeartbeatsItsUnreadSocketHolds() throws Exception {
    Connection publisherConnection = connect(null, 1);
    CountDownLatch closed = new CountDownLatch(1);
    publisherConnection.addShutdownListener(s -> closed.countDown());
    Connection consumer = connect(null);
    consumer.createChannel().queueDeclare("q", false, false, false, null);
    Publisher publisher = new Publisher(publisherConnection, 0, Integer.MAX_VALUE);
    await("its socket not read", () -> server.blockedConnectionCount() == 1);

    // RabbitMQ pauses its heartbeat monitor for a blocked connection: no close after 2 intervals
    assertFalse(closed.await(3500, TimeUnit.MILLISECONDS), "closed while blocked");
    BlockingQueue<String> received = consume(consumer);
    int published = publisher.finish();
    assertEquals(published, take(received, published).size());
    assertTrue(publisherConnection.isOpen());
  }

  @Test
  void manyBlockedPublishersDoNotStopAConsumerFromDrainingTheQueue() throws Exception {
    // more publishers than the server's command threads: none of them may hold one while blocked
    int publishers = 3 * Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    connect(null).createChannel().queueDeclare("q", false, false, false, null);
    List<Publisher> running = new ArrayList<>();
    for (int p = 0; p < publishers; p++) {
      running.add(new Publisher(connect(null), p, 4 * LIMIT / MESSAGE));
    }
    await("most publishers blocked", () -> server.blockedConnectionCount() > publishers / 2);

    BlockingQueue<String> received = consume(connect(null));
    int total = 0;
    for (Publisher p : running) {
      total += p.finish();
    }
    int[] next = new int[publishers];
    for (String m : take(received, total)) {
      String[] parts = m.split(":");
      int p = Integer.parseInt(parts[0]);
      assertEquals(next[p]++, Integer.parseInt(parts[1]), "order of publisher " + p);
    }
    await("all read again", () -> server.blockedConnectionCount() == 0);
  }
}
