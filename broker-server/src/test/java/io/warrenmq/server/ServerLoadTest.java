package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.impl.nio.NioParams;
import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many connections against one server (issue 16, "Load" and "Memory"): the server runs in its own
 * JVM ({@link ServerProcess}, no store, {@code -Xmx512m}) and reports its own threads and heap; the
 * clients are RabbitMQ's Java client in NIO mode with shared executors, so that the test JVM does
 * not need a thread per connection either. Sockets: 1,000 connections need 1,000 file descriptors
 * in each of the two processes (the JVM raises its soft limit to the hard one).
 *
 * <p>The numbers this prints are reported in docs/performance.md, "Memory (broker-server)"; nothing
 * here asserts a time.
 */
@Timeout(300)
class ServerLoadTest {
  private static final int CONNECTIONS = 1_000;
  private static final int FEW = 10;
  private static final int MESSAGES_EACH = 5;
  private static final int QUEUED = 50_000;

  /**
   * Server threads allowed beyond those at {@value #FEW} connections: the pools are fixed, but a
   * pool thread may start late (a pool's last thread starts only when work reaches it).
   */
  private static final int THREAD_SLACK = 4;

  private static final List<String> JVM = List.of("-Xmx512m", "-XX:+UseSerialGC");

  private ExecutorService clientWork;
  private ScheduledExecutorService heartbeats;
  private ServerProcess server;
  private final List<Connection> connections = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    long fds = maxFileDescriptors();
    assertTrue(
        fds < 0 || fds >= CONNECTIONS + 500,
        "this test opens "
            + CONNECTIONS
            + " sockets in each of two processes; the file descriptor limit is "
            + fds
            + " (raise it: ulimit -n)");
    clientWork = Executors.newFixedThreadPool(4);
    heartbeats = Executors.newScheduledThreadPool(1);
  }

  @AfterEach
  void stop() throws Exception {
    for (Connection c : connections) {
      c.abort(1_000);
    }
    if (server != null) {
      server.close();
    }
    clientWork.shutdownNow();
    heartbeats.shutdownNow();
  }

  @Test
  void aThousandConnectionsPublishingAndConsumingAreAllServedByAFixedNumberOfThreads()
      throws Exception {
    server = ServerProcess.start("load-test-server", null, JVM);
    ConnectionFactory f = factory();
    List<Channel> channels = open(f, FEW);
    exchange(channels, "few");
    ServerProcess.Stats few = server.stats();
    channels.addAll(open(f, CONNECTIONS - FEW));
    exchange(channels, "all");
    ServerProcess.Stats all = server.stats();
    System.out.printf(
        "ServerLoadTest: server at %d connections: %d threads, heap %d KiB after GC, direct"
            + " buffers %d KiB, resident %d KiB; at %d connections: %d threads, heap %d KiB,"
            + " direct %d KiB, resident %d KiB; threads by name %s; client threads %d%n",
        FEW,
        few.threads(),
        few.heapBytes() / 1024,
        few.directBytes() / 1024,
        few.residentBytes() / 1024,
        all.connections(),
        all.threads(),
        all.heapBytes() / 1024,
        all.directBytes() / 1024,
        all.residentBytes() / 1024,
        all.threadsByName(),
        ManagementFactory.getThreadMXBean().getThreadCount());
    assertEquals(CONNECTIONS, all.connections(), "every connection is open on the server");
    assertTrue(
        all.threads() <= few.threads() + THREAD_SLACK,
        "server threads at "
            + FEW
            + " connections: "
            + few.threadsByName()
            + ", at "
            + CONNECTIONS
            + ": "
            + all.threadsByName());
  }

  /**
   * Measures by adding only, never by deleting: the heap used after a full GC, before and after
   * queueing {@value #QUEUED} transient messages (empty body, then 1 KiB), then before and after
   * opening {@value #CONNECTIONS} idle connections. (A deleted queue or a closed connection is
   * released by the server a little later, which would blur a difference taken across it.)
   */
  @Test
  void heapPerQueuedTransientMessageAndPerIdleConnectionIsReported() throws Exception {
    server = ServerProcess.start("memory-test-server", null, JVM);
    ConnectionFactory f = factory();
    Channel ch = open(f, 1).get(0);
    ch.confirmSelect();
    StringBuilder report = new StringBuilder("ServerLoadTest: heap (after a full GC)");
    for (int bodySize : new int[] {0, 1024}) {
      String queue = "memory-" + bodySize;
      ch.queueDeclare(queue, false, false, false, null);
      ServerProcess.Stats before = server.stats();
      byte[] body = new byte[bodySize];
      for (int i = 0; i < QUEUED; i++) {
        ch.basicPublish("", queue, null, body);
        if (i % 1_000 == 999) {
          ch.waitForConfirmsOrDie(30_000);
        }
      }
      ch.waitForConfirmsOrDie(30_000);
      assertEquals(QUEUED, ch.queueDeclarePassive(queue).getMessageCount(), "all queued");
      ServerProcess.Stats after = server.stats();
      long perMessage = (after.heapBytes() - before.heapBytes()) / QUEUED;
      report.append(
          String.format(
              " per queued transient message with a %d-byte body: %d bytes;",
              bodySize, perMessage));
      assertTrue(perMessage >= bodySize, "a queued message holds at least its body");
    }
    ServerProcess.Stats before = server.stats();
    open(f, CONNECTIONS);
    ServerProcess.Stats idle = server.stats();
    assertEquals(CONNECTIONS + 1, idle.connections());
    long perConnection = (idle.heapBytes() - before.heapBytes()) / CONNECTIONS;
    report.append(
        String.format(
            " per idle connection with one channel: %d bytes (and %d bytes of direct buffers,"
                + " %d bytes resident)",
            perConnection,
            (idle.directBytes() - before.directBytes()) / CONNECTIONS,
            (idle.residentBytes() - before.residentBytes()) / CONNECTIONS));
    System.out.println(report);
    assertTrue(perConnection > 0, "an open connection costs heap: " + perConnection);
  }

  /**
   * RabbitMQ's Java client in NIO mode: one I/O thread for every connection, consumers dispatched
   * on a shared pool, one shared heartbeat thread.
   */
  private ConnectionFactory factory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(server.port());
    f.setAutomaticRecoveryEnabled(false);
    f.useNio();
    f.setNioParams(
        new NioParams().setNbIoThreads(1).setReadByteBufferSize(8192).setWriteByteBufferSize(8192));
    f.setSharedExecutor(clientWork);
    f.setHeartbeatExecutor(heartbeats);
    f.setShutdownExecutor(clientWork);
    return f;
  }

  /** Opens {@code n} connections, one channel each. */
  private List<Channel> open(ConnectionFactory f, int n) throws Exception {
    List<Future<Channel>> opening = new ArrayList<>();
    ExecutorService openers = Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < n; i++) {
        opening.add(
            openers.submit(
                () -> {
                  Connection c = f.newConnection();
                  synchronized (connections) {
                    connections.add(c);
                  }
                  return c.createChannel();
                }));
      }
      List<Channel> channels = new ArrayList<>();
      for (Future<Channel> c : opening) {
        channels.add(c.get(60, TimeUnit.SECONDS));
      }
      return channels;
    } finally {
      openers.shutdown();
    }
  }

  /**
   * Every channel declares its own queue and consumes it with manual acks, then publishes {@value
   * #MESSAGES_EACH} messages to the next channel's queue; returns once every message arrived, once,
   * at the consumer it was sent to.
   */
  private void exchange(List<Channel> channels, String round) throws Exception {
    int n = channels.size();
    CountDownLatch all = new CountDownLatch(n * MESSAGES_EACH);
    Map<String, String> received = new ConcurrentHashMap<>();
    Set<String> duplicates = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < n; i++) {
      Channel ch = channels.get(i);
      String queue = "load-" + round + "-" + i;
      ch.queueDeclare(queue, false, true, true, null);
      ch.basicQos(MESSAGES_EACH);
      ch.basicConsume(
          queue,
          false,
          new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(
                String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                throws IOException {
              String id = new String(body, StandardCharsets.UTF_8);
              if (received.put(id, queue) != null) {
                duplicates.add(id);
              }
              getChannel().basicAck(envelope.getDeliveryTag(), false);
              all.countDown();
            }
          });
    }
    for (int i = 0; i < n; i++) {
      String to = "load-" + round + "-" + ((i + 1) % n);
      for (int k = 0; k < MESSAGES_EACH; k++) {
        String id = round + "-" + i + "-" + k;
        channels.get(i).basicPublish("", to, null, id.getBytes(StandardCharsets.UTF_8));
      }
    }
    assertTrue(
        all.await(120, TimeUnit.SECONDS),
        round + ": " + all.getCount() + " of " + n * MESSAGES_EACH + " messages not delivered");
    assertEquals(Set.of(), duplicates, round + ": delivered twice");
    received.forEach(
        (id, queue) -> {
          int from = Integer.parseInt(id.split("-")[1]);
          assertEquals("load-" + round + "-" + ((from + 1) % n), queue, id + " went astray");
        });
  }

  private static long maxFileDescriptors() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
  }
}
