package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue MBeans (issue 18, Artemis' QueueControl operations) on durable queues in a real H2
 * store, driven through the platform MBean server: paged-out messages (a 16 KiB window, so most of
 * each queue is only in the store) are counted, listed, removed and moved, and what the operations
 * did survives a restart.
 */
@Timeout(120)
class QueueControlStorageTest {
  private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final long WINDOW = 16 * 1024;
  private static final int BODY = 512;
  private static final int N = 400; // 200 KB through a 16 KiB window

  @TempDir Path dataDir;
  private JdbcStoreConfig store;
  private String name;

  @BeforeEach
  void useTheStore() {
    store = JdbcStoreConfig.h2(dataDir);
    name = "jmx-store-" + NAMES.incrementAndGet();
  }

  private Broker start() {
    BrokerConfig config = BrokerConfig.named(name).withQueueWindowBytes(WINDOW).withJmx(true);
    return new Broker(config, JdbcMessageStore.open(store, config.name()));
  }

  private ObjectName bean(String queue) throws Exception {
    return new ObjectName(
        "io.warrenmq:type=Queue,broker="
            + ObjectName.quote(name)
            + ",vhost="
            + ObjectName.quote("/")
            + ",name="
            + ObjectName.quote(queue));
  }

  private Object invoke(String queue, String op, String... args) throws Exception {
    String[] sig = new String[args.length];
    java.util.Arrays.fill(sig, String.class.getName());
    return SERVER.invoke(bean(queue), op, args, sig);
  }

  /** Persistent, {@link #BODY} bytes starting with n; even n red, odd n blue. */
  private static void publish(Channel ch, String queue, int n) throws Exception {
    ch.confirmSelect();
    for (int i = 0; i < n; i++) {
      BasicProperties p =
          BasicProperties.builder()
              .deliveryMode(BasicProperties.PERSISTENT)
              .headers(Map.of("colour", i % 2 == 0 ? "red" : "blue"))
              .build();
      ch.basicPublish("", queue, false, p, ByteBuffer.allocate(BODY).putInt(i).array());
    }
    ch.waitForConfirmsOrDie(30_000);
  }

  private static List<Integer> drain(Channel ch, String queue) {
    List<Integer> out = new ArrayList<>();
    GetResponse r;
    while ((r = ch.basicGet(queue, true)) != null) {
      out.add(ByteBuffer.wrap(r.delivery().body()).getInt());
    }
    return out;
  }

  private static List<Integer> numbers(int from, int to, int step) {
    List<Integer> l = new ArrayList<>();
    for (int i = from; i < to; i += step) {
      l.add(i);
    }
    return l;
  }

  @Test
  void pagedOutMessagesAreCountedListedAndRemovedAndTheRemovalIsDurable() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("big"));
      publish(ch, "big", N);
      assertEquals((long) N, invoke("big", "countMessages"));
      assertEquals((long) N / 2, invoke("big", "countMessages", "colour = 'red'"));
      CompositeData[] blue = (CompositeData[]) invoke("big", "listMessages", "colour = 'blue'");
      assertEquals(N / 2, blue.length, "listed, paged-out ones included");
      assertEquals((long) BODY, blue[N / 2 - 1].get("bodySize"));
      assertEquals(N / 2, invoke("big", "removeMessages", "colour = 'red'"));
      assertEquals((long) N / 2, SERVER.getAttribute(bean("big"), "MessageCount"));
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      assertEquals(N / 2, b.virtualHost("/").queueMessageCount("big"), "removals were stored");
      assertEquals(numbers(1, N, 2), drain(c.createChannel(), "big"), "the others, in order");
    }
  }

  @Test
  void moveOfPagedOutMessagesSurvivesARestart() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("src"));
      ch.queueDeclare(QueueSpec.durable("dst"));
      publish(ch, "src", N);
      assertEquals(N / 2, invoke("src", "moveMessages", "colour = 'blue'", "dst"));
      assertEquals((long) N / 2, SERVER.getAttribute(bean("dst"), "MessageCount"));
      assertEquals((long) N / 2, SERVER.getAttribute(bean("src"), "MessageCount"));
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      assertEquals(numbers(1, N, 2), drain(ch, "dst"), "in the destination, in order");
      assertEquals(numbers(0, N, 2), drain(ch, "src"), "not in the source any more");
    }
  }

  @Test
  void aMessagePublishedWhileTheTailIsMovedIsNeitherLostNorDuplicated() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("busy"));
      ch.queueDeclare(QueueSpec.durable("aside"));
      publish(ch, "busy", N);
      assertEquals(N / 2, invoke("busy", "moveMessages", "colour = 'red'", "aside"));
      publish(ch, "busy", 2); // 0 red, 1 blue: joins the tail behind the kept ones
      List<Integer> expected = numbers(1, N, 2);
      expected.add(0);
      expected.add(1);
      assertEquals(expected, drain(ch, "busy"));
      assertEquals(numbers(0, N, 2), drain(ch, "aside"));
    }
  }

  @Test
  void aMoveWhileAConsumerDrainsThePagedQueueLosesAndDuplicatesNothing() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("hot"));
      ch.queueDeclare(QueueSpec.durable("cold"));
      publish(ch, "hot", N);
      java.util.concurrent.BlockingQueue<io.warrenmq.client.Delivery> got =
          new java.util.concurrent.LinkedBlockingQueue<>();
      Channel consumer = c.createChannel();
      consumer.basicQos(10, false);
      consumer.basicConsume(
          "hot",
          false,
          null,
          false,
          null,
          d -> {
            got.add(d);
            consumer.basicAck(d.deliveryTag(), false);
          });
      int moved = (Integer) invoke("hot", "moveMessages", "", "cold");
      List<Integer> all = new ArrayList<>(drain(ch, "cold"));
      assertEquals(moved, all.size());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (got.size() < N - moved) {
        if (System.nanoTime() > deadline) {
          fail("consumed " + got.size() + " of " + (N - moved));
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      for (io.warrenmq.client.Delivery d : got) {
        all.add(ByteBuffer.wrap(d.body()).getInt());
      }
      java.util.Collections.sort(all);
      assertEquals(numbers(0, N, 1), all, "every message once, in one queue or the other");
    }
  }

  @Test
  void retryReturnsAMessageDeadLetteredByTtlToItsQueueDurably() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare(ExchangeSpec.durable("dlx", "fanout"));
      ch.queueDeclare(QueueSpec.durable("dlq"));
      ch.queueBind("dlq", "dlx", "", null);
      ch.queueDeclare(
          new QueueSpec("orders", true, false, false, Map.of("x-dead-letter-exchange", "dlx")));
      ch.confirmSelect();
      BasicProperties p =
          BasicProperties.builder()
              .deliveryMode(BasicProperties.PERSISTENT)
              .expiration("20") // dead-lettering drops the expiration: back for good
              .build();
      ch.basicPublish("", "orders", false, p, ByteBuffer.allocate(4).putInt(42).array());
      ch.waitForConfirmsOrDie(30_000);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (b.virtualHost("/").queueMessageCount("dlq") < 1) {
        if (System.nanoTime() > deadline) {
          fail("the message did not expire into the DLQ");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      assertEquals(1, SERVER.invoke(bean("dlq"), "retryMessages", null, null));
      assertEquals(0L, SERVER.getAttribute(bean("dlq"), "MessageCount"));
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      assertEquals(0, b.virtualHost("/").queueMessageCount("dlq"));
      GetResponse r = ch.basicGet("orders", true);
      assertNotNull(r, "back in its queue after a restart");
      assertEquals(42, ByteBuffer.wrap(r.delivery().body()).getInt());
      assertNotNull(r.delivery().properties().headers().get("x-death"), "headers kept");
    }
  }
}
