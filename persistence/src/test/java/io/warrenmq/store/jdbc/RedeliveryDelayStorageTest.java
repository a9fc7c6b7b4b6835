package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer argument {@code x-redelivery-delay} on a written (durable, persistent) queue: a
 * message held for the delay is still in the store, so a broker closed meanwhile recovers it as
 * ready and redelivered; and a paging queue (window of 16 KiB, so the queue pages) returns a held
 * message after the delay at its place, ahead of the paged-out rest, losing nothing.
 */
@Timeout(120)
class RedeliveryDelayStorageTest {
  private static final long WINDOW = 16 * 1024;
  private static final int BODY = 512;

  @TempDir Path dataDir;
  JdbcStoreConfig store;

  /** One arrival: the delivery and the {@link System#nanoTime()} its callback ran. */
  private record Arrival(Delivery delivery, long nanos) {}

  @BeforeEach
  void useTheStore() {
    store = JdbcStoreConfig.h2(dataDir);
  }

  private Broker start() {
    BrokerConfig config = BrokerConfig.named("redelivery-delay").withQueueWindowBytes(WINDOW);
    return new Broker(config, JdbcMessageStore.open(store, config.name()));
  }

  private static BasicProperties persistent() {
    return BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();
  }

  private static byte[] body(int n) {
    return ByteBuffer.allocate(BODY).putInt(n).array();
  }

  private static int number(Delivery d) {
    return ByteBuffer.wrap(d.body()).getInt();
  }

  private static void publish(Channel ch, String queue, int from, int to) throws Exception {
    ch.confirmSelect();
    for (int i = from; i < to; i++) {
      ch.basicPublish("", queue, false, persistent(), body(i));
    }
    ch.waitForConfirmsOrDie(30_000);
  }

  private static Arrival next(BlockingQueue<Arrival> arrivals) throws InterruptedException {
    Arrival a = arrivals.poll(30, TimeUnit.SECONDS);
    assertNotNull(a, "no delivery within 30 s");
    return a;
  }

  @Test
  void aMessageHeldWhenTheBrokerClosesComesBackReadyAndRedeliveredAfterARestart() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("held"));
      publish(ch, "held", 7, 8);
      BlockingQueue<Arrival> got = new LinkedBlockingQueue<>();
      Channel consumer = c.createChannel();
      consumer.basicConsume(
          "held",
          false,
          null,
          false,
          Map.of("x-redelivery-delay", 600_000L), // far beyond the test: held at the close
          d -> got.add(new Arrival(d, System.nanoTime())));
      consumer.basicNack(next(got).delivery().deliveryTag(), false, true);
      assertEquals(0, b.virtualHost("/").queueMessageCount("held"), "held: not ready");
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      assertEquals(1, b.virtualHost("/").queueMessageCount("held"), "recovered as ready");
      GetResponse r = c.createChannel().basicGet("held", true);
      assertNotNull(r);
      assertArrayEquals(body(7), r.delivery().body());
      assertTrue(r.delivery().redelivered(), "it had been delivered");
    }
  }

  @Test
  void aPagingQueueReturnsAHeldMessageAfterTheDelayAheadOfThePagedOutRestWithoutLoss()
      throws Exception {
    long delayMs = 300;
    int n = 200; // 100 KiB through a 16 KiB window
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("paged"));
      publish(ch, "paged", 0, n);
      Channel consumer = c.createChannel();
      consumer.basicQos(1, false);
      BlockingQueue<Arrival> got = new LinkedBlockingQueue<>();
      consumer.basicConsume(
          "paged",
          false,
          null,
          false,
          Map.of("x-redelivery-delay", delayMs),
          d -> got.add(new Arrival(d, System.nanoTime())));

      Arrival first = next(got);
      assertEquals(0, number(first.delivery()));
      long failed = System.nanoTime();
      consumer.basicNack(first.delivery().deliveryTag(), false, true);
      // the others go on meanwhile; the consumer then stops at message 6 (prefetch 1)
      for (int i = 1; i <= 5; i++) {
        Delivery d = next(got).delivery();
        assertEquals(i, number(d));
        consumer.basicAck(d.deliveryTag(), false);
      }
      Delivery six = next(got).delivery();
      assertEquals(6, number(six));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (b.virtualHost("/").queueMessageCount("paged") != n - 6) {
        assertTrue(System.nanoTime() < deadline, "message 0 never became ready again");
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      consumer.basicAck(six.deliveryTag(), false);

      Arrival back = next(got);
      assertEquals(0, number(back.delivery()), "back at its place: ahead of the paged-out rest");
      assertTrue(back.delivery().redelivered());
      assertEquals(1L, back.delivery().properties().headers().get("x-delivery-count"));
      long waited = TimeUnit.NANOSECONDS.toMillis(back.nanos() - failed);
      assertTrue(waited >= delayMs, "came back after " + waited + " ms, before " + delayMs);
      consumer.basicAck(back.delivery().deliveryTag(), false);
      List<Integer> rest = new ArrayList<>();
      for (int i = 7; i < n; i++) {
        Delivery d = next(got).delivery();
        rest.add(number(d));
        consumer.basicAck(d.deliveryTag(), false);
      }
      List<Integer> expected = new ArrayList<>();
      for (int i = 7; i < n; i++) {
        expected.add(i);
      }
      assertEquals(expected, rest, "the paged-out rest, in order, once each");
      assertNull(got.poll(100, TimeUnit.MILLISECONDS), "no extra delivery");
      assertEquals(0, b.virtualHost("/").queueMessageCount("paged"));
    }
    try (Broker b = start()) {
      assertEquals(0, b.virtualHost("/").queueMessageCount("paged"), "all acked before restart");
    }
  }
}
