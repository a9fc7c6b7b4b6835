package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paging (issue 4 "Memory: paging", DESIGN.md "Memory"): a durable queue keeps a bounded window of
 * bodies in heap and reads the rest from the store as it drains. A small window (16 KiB) makes
 * every test here page. {@link PagingAcceptanceTest} runs the 1,000,000-message case.
 */
@Timeout(120)
class QueuePagingTest {
  private static final long WINDOW = 16 * 1024;
  private static final int BODY = 512;

  @TempDir Path dataDir;
  JdbcStoreConfig store;

  @BeforeEach
  void useTheStore() {
    store = JdbcStoreConfig.h2(dataDir);
  }

  private Broker start() {
    BrokerConfig config = BrokerConfig.named("paging").withQueueWindowBytes(WINDOW);
    return new Broker(config, JdbcMessageStore.open(store, config.name()));
  }

  private static BasicProperties persistent() {
    return BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();
  }

  private static BasicProperties transientProps() {
    return BasicProperties.builder().deliveryMode(BasicProperties.TRANSIENT).build();
  }

  /** A body of {@link #BODY} bytes that starts with {@code n}. */
  private static byte[] body(int n) {
    return ByteBuffer.allocate(BODY).putInt(n).array();
  }

  private static int number(byte[] body) {
    return ByteBuffer.wrap(body).getInt();
  }

  private static void publish(Channel ch, String queue, int from, int to) throws Exception {
    ch.confirmSelect();
    for (int i = from; i < to; i++) {
      ch.basicPublish("", queue, false, persistent(), body(i));
    }
    ch.waitForConfirmsOrDie(30_000);
  }

  /** Consumes {@code n} deliveries with manual acks; returns their numbers in delivery order. */
  private static List<Integer> drain(Channel ch, String queue, int n) throws Exception {
    BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
    ch.basicQos(100, false);
    String tag = ch.basicConsume(queue, false, null, false, null, got::add);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Delivery d = got.poll(30, TimeUnit.SECONDS);
      assertNotNull(d, "delivery " + i + " of " + n + " did not arrive");
      out.add(number(d.body()));
      ch.basicAck(d.deliveryTag(), false);
    }
    ch.basicCancel(tag);
    assertNull(got.poll(200, TimeUnit.MILLISECONDS), "more deliveries than messages");
    return out;
  }

  /** Like assertEquals on the lists, but names the first difference instead of printing both. */
  private static void assertSequence(List<Integer> expected, List<Integer> actual) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        throw new AssertionError(
            "at index "
                + i
                + ": expected "
                + expected.get(i)
                + " but was "
                + actual.get(i)
                + "; around it: "
                + actual.subList(Math.max(0, i - 3), Math.min(actual.size(), i + 5)));
      }
    }
    assertEquals(expected.size(), actual.size(), "number of messages");
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> l = new ArrayList<>();
    for (int i = from; i < to; i++) {
      l.add(i);
    }
    return l;
  }

  @Test
  void aBacklogFarBeyondTheWindowDrainsInOrderWithoutLossOrDuplicates() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("backlog"));
      publish(ch, "backlog", 0, 5000); // 2.5 MB through a 16 KiB window
      assertEquals(5000, b.virtualHost("/").queueMessageCount("backlog"));
      assertSequence(range(0, 5000), drain(c.createChannel(), "backlog", 5000));
      assertEquals(0, b.virtualHost("/").queueMessageCount("backlog"));
    }
    try (Broker b = start()) {
      assertEquals(0, b.virtualHost("/").queueMessageCount("backlog"), "all acked before restart");
    }
  }

  @Test
  void messagesPublishedWhileConsumersDrainAPagedQueueKeepTheirOrder() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("live"));
      publish(ch, "live", 0, 1000);
      Channel consumer = c.createChannel();
      BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      consumer.basicQos(10, false);
      consumer.basicConsume("live", false, null, false, null, got::add);
      List<Integer> seen = new ArrayList<>();
      for (int round = 1; round <= 4; round++) {
        publish(ch, "live", round * 1000, round * 1000 + 1000);
        for (int i = 0; i < 1000; i++) {
          Delivery d = got.poll(30, TimeUnit.SECONDS);
          assertNotNull(d);
          seen.add(number(d.body()));
          consumer.basicAck(d.deliveryTag(), false);
        }
      }
      for (int i = 0; i < 1000; i++) {
        Delivery d = got.poll(30, TimeUnit.SECONDS);
        assertNotNull(d);
        seen.add(number(d.body()));
        consumer.basicAck(d.deliveryTag(), false);
      }
      assertSequence(range(0, 5000), seen);
    }
  }

  @Test
  void transientMessagesArrivingWhileTheQueuePagesStayInArrivalOrder() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("mixed"));
      ch.confirmSelect();
      for (int i = 0; i < 600; i++) {
        ch.basicPublish("", "mixed", false, i % 3 == 0 ? transientProps() : persistent(), body(i));
      }
      ch.waitForConfirmsOrDie(30_000);
      assertSequence(range(0, 600), drain(c.createChannel(), "mixed", 600));
    }
  }

  @Test
  void pagedMessagesSurviveARestartAndComeBackInOrder() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("kept"));
      publish(ch, "kept", 0, 3000);
      // consume and ack the first 100, leave 10 unacked (delivered: they come back redelivered)
      Channel consumer = c.createChannel();
      BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      consumer.basicQos(10, false);
      consumer.basicConsume("kept", false, null, false, null, got::add);
      for (int i = 0; i < 100; i++) {
        Delivery d = got.poll(30, TimeUnit.SECONDS);
        assertNotNull(d);
        assertEquals(i, number(d.body()));
        consumer.basicAck(d.deliveryTag(), false);
      }
      for (int i = 0; i < 10; i++) {
        assertNotNull(got.poll(30, TimeUnit.SECONDS));
      }
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      assertEquals(2900, b.virtualHost("/").queueMessageCount("kept"));
      Channel ch = c.createChannel();
      BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      ch.basicQos(50, false);
      ch.basicConsume("kept", false, null, false, null, got::add);
      for (int i = 100; i < 3000; i++) {
        Delivery d = got.poll(30, TimeUnit.SECONDS);
        assertNotNull(d, "message " + i);
        assertEquals(i, number(d.body()));
        if (i < 110) {
          assertTrue(d.redelivered(), "message " + i + " had been delivered before the restart");
        } else if (i > 200) {
          assertFalse(d.redelivered(), "message " + i + " had never been delivered");
        }
        ch.basicAck(d.deliveryTag(), false);
      }
    }
  }

  @Test
  void basicGetReadsThroughTheWindowAndBrowsingSeesThePagedTail() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("gets"));
      publish(ch, "gets", 0, 400);
      List<Integer> browsed = new ArrayList<>();
      for (Delivery d : ch.queueBrowse("gets")) {
        browsed.add(number(d.body()));
      }
      assertSequence(range(0, 400), browsed);
      for (int i = 0; i < 400; i++) {
        GetResponse r = ch.basicGet("gets", true);
        assertNotNull(r, "basic.get " + i);
        assertEquals(i, number(r.delivery().body()));
      }
      assertNull(ch.basicGet("gets", true));
    }
  }

  @Test
  void purgeRemovesThePagedTailFromHeapAndStore() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("purged"));
      publish(ch, "purged", 0, 2000);
      assertEquals(2000, ch.queuePurge("purged"));
      assertEquals(0, b.virtualHost("/").queueMessageCount("purged"));
      publish(ch, "purged", 5000, 5100);
      assertSequence(range(5000, 5100), drain(c.createChannel(), "purged", 100));
      publish(ch, "purged", 6000, 6500);
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      assertEquals(500, b.virtualHost("/").queueMessageCount("purged"));
      assertSequence(range(6000, 6500), drain(c.createChannel(), "purged", 500));
    }
  }

  @Test
  void dropHeadCountsPagedMessagesAgainstTheLengthLimit() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(new QueueSpec("bounded", true, false, false, Map.of("x-max-length", 1000L)));
      publish(ch, "bounded", 0, 3000);
      assertEquals(1000, b.virtualHost("/").queueMessageCount("bounded"));
      assertSequence(range(2000, 3000), drain(c.createChannel(), "bounded", 1000));
    }
  }

  @Test
  void priorityQueuesPageToo() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(new QueueSpec("prio", true, false, false, Map.of("x-max-priority", 9)));
      ch.confirmSelect();
      for (int i = 0; i < 2000; i++) {
        BasicProperties p =
            BasicProperties.builder()
                .deliveryMode(BasicProperties.PERSISTENT)
                .priority(i % 2 == 0 ? 1 : 5)
                .build();
        ch.basicPublish("", "prio", false, p, body(i));
      }
      ch.waitForConfirmsOrDie(30_000);
      List<Integer> got = drain(c.createChannel(), "prio", 2000);
      assertSequence(range(0, 2000), got.stream().sorted().toList());
      // within each priority, arrival order holds
      List<Integer> even = got.stream().filter(n -> n % 2 == 0).toList();
      List<Integer> odd = got.stream().filter(n -> n % 2 == 1).toList();
      assertSequence(even.stream().sorted().toList(), even);
      assertSequence(odd.stream().sorted().toList(), odd);
    }
  }

  /**
   * Memory pressure (RabbitMQ's {@code vm_memory_high_watermark_paging_ratio}, 0.5): while the
   * broker holds more than half its memory limit in queued bodies, a durable queue pages past an
   * eighth of its window; below that it keeps its whole window in heap.
   */
  @Test
  void underMemoryPressureAQueuePagesPastAnEighthOfItsWindow() throws Exception {
    BrokerConfig config =
        BrokerConfig.named("pressure")
            .withQueueWindowBytes(64 * 1024)
            .withMemoryLimitBytes(256 * 1024);
    try (Broker b = new Broker(config, JdbcMessageStore.open(store, config.name()));
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("calm"));
      publishOneByOne(ch, "calm", 64); // 32 KiB: half the window, the broker far below 128 KiB
      assertEquals(0, b.stats().pagedOut(), "within its window and no pressure: " + b.stats());

      // 110 KiB of transient bodies in a queue that never pages: 142 KiB held, over half the limit
      ch.queueDeclare(new QueueSpec("hog", false, false, false, Map.of()));
      for (int i = 0; i < 220; i++) {
        ch.basicPublish("", "hog", false, transientProps(), body(i));
      }
      ch.queueDeclare(QueueSpec.durable("squeezed"));
      publishOneByOne(ch, "squeezed", 64); // 32 KiB again, now past an eighth (8 KiB)
      long squeezed = b.stats().pagedOut();
      assertTrue(squeezed > 0, "past 8 KiB under pressure: " + b.stats());

      ch.queuePurge("hog"); // back to 32 KiB + the squeezed window: no pressure
      ch.queueDeclare(QueueSpec.durable("relieved"));
      publishOneByOne(ch, "relieved", 64);
      assertEquals(squeezed, b.stats().pagedOut(), "whole window again: " + b.stats());
      assertSequence(range(0, 64), drain(c.createChannel(), "squeezed", 64));
    }
  }

  /** Publishes n persistent messages, each confirmed before the next (so the tail trims). */
  private static void publishOneByOne(Channel ch, String queue, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      publish(ch, queue, i, i + 1);
    }
  }
}
