package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BlockedListener;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Broker-wide flow control on queued message bodies: RabbitMQ's memory alarm
 * (https://www.rabbitmq.com/docs/memory) and {@code connection.blocked}/{@code unblocked}.
 */
@Timeout(30)
class FlowControlTest {
  private static final int LIMIT = 1000;

  private Broker broker;
  private Connection connection;
  private Channel ch;
  private final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    broker =
        new Broker(new BrokerConfig("flow-" + System.nanoTime(), 2).withMemoryLimitBytes(LIMIT));
    connection = broker.newConnection("/", null);
    connection.addBlockedListener(
        reason -> events.add("blocked: " + reason), () -> events.add("unblocked"));
    ch = connection.createChannel();
    ch.queueDeclare(QueueSpec.durable("q"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private void fill() {
    ch.basicPublish("", "q", false, null, new byte[LIMIT + 1]);
    TestSupport.await("blocked", () -> events.equals(List.of("blocked: low on memory")));
  }

  private void assertUnblockedBy(Consumer<Channel> action) {
    fill();
    action.accept(ch);
    TestSupport.await(
        "unblocked", () -> events.equals(List.of("blocked: low on memory", "unblocked")));
  }

  private Thread publishInBackground(Channel channel, CountDownLatch done) {
    Thread t =
        new Thread(
            () -> {
              try {
                channel.basicPublish("", "q", false, null, bytes("waits"));
              } catch (AmqpException e) {
                // closed while waiting
              }
              done.countDown();
            });
    t.start();
    return t;
  }

  @Test
  void aPublisherWaitsWhileTheBrokerIsOverItsLimitAndGoesOnWhenConsumedBelowIt() throws Exception {
    fill();
    CountDownLatch published = new CountDownLatch(1);
    Thread publisher = publishInBackground(ch, published);
    assertFalse(published.await(200, TimeUnit.MILLISECONDS), "publisher blocked");
    assertEquals(1, broker.virtualHost("/").queueMessageCount("q"));

    assertNotNull(ch.basicGet("q", true));
    assertTrue(published.await(5, TimeUnit.SECONDS));
    publisher.join();
    TestSupport.await(
        "unblocked", () -> events.equals(List.of("blocked: low on memory", "unblocked")));
    assertEquals(1, broker.virtualHost("/").queueMessageCount("q"));
  }

  @Test
  void unackedMessagesCountUntilAcked() {
    assertUnblockedBy(
        c -> {
          GetResponse r = c.basicGet("q", false);
          assertTrue(events.size() == 1, "still blocked while unacked");
          c.basicAck(r.delivery().deliveryTag(), false);
        });
  }

  @Test
  void aRejectWithoutRequeueReleasesTheBytes() {
    assertUnblockedBy(c -> c.basicReject(c.basicGet("q", false).delivery().deliveryTag(), false));
  }

  @Test
  void purgeReleasesTheBytes() {
    assertUnblockedBy(c -> c.queuePurge("q"));
  }

  @Test
  void queueDeleteReleasesTheBytes() {
    assertUnblockedBy(c -> c.queueDelete("q", false, false));
  }

  @Test
  void ackingAfterTheQueueWasDeletedReleasesTheBytes() {
    assertUnblockedBy(
        c -> {
          GetResponse r = c.basicGet("q", false);
          c.queueDelete("q", false, false);
          c.basicAck(r.delivery().deliveryTag(), false);
        });
  }

  @Test
  void expiryReleasesTheBytes() {
    ch.queueDeclare(new QueueSpec("ttl", true, false, false, Map.of("x-message-ttl", 50)));
    ch.basicPublish("", "ttl", false, null, new byte[LIMIT + 1]);
    TestSupport.await(
        "blocked then unblocked",
        () -> events.equals(List.of("blocked: low on memory", "unblocked")));
  }

  @Test
  void dropHeadReleasesTheBytes() {
    ch.queueDeclare(new QueueSpec("short", true, false, false, Map.of("x-max-length", 1)));
    for (int i = 0; i < 5; i++) {
      // would wait forever (until the test times out) if dropped heads kept their bytes
      ch.basicPublish("", "short", false, null, new byte[LIMIT / 2 + 1]);
    }
    assertEquals(1, broker.virtualHost("/").queueMessageCount("short"));
  }

  @Test
  void closingTheChannelReleasesAWaitingPublisher() throws Exception {
    fill();
    Channel other = connection.createChannel();
    CountDownLatch done = new CountDownLatch(1);
    publishInBackground(other, done).join(100);
    other.close();
    assertTrue(done.await(5, TimeUnit.SECONDS));
  }

  @Test
  void closingTheBrokerReleasesAWaitingPublisher() throws Exception {
    fill();
    CountDownLatch done = new CountDownLatch(1);
    publishInBackground(ch, done).join(100);
    broker.close();
    assertTrue(done.await(5, TimeUnit.SECONDS));
  }

  @Test
  void aListenerAddedWhileBlockedIsToldAtOnce() throws Exception {
    fill();
    Connection late = broker.newConnection("/", null);
    CountDownLatch told = new CountDownLatch(1);
    late.addBlockedListener(
        new BlockedListener() {
          @Override
          public void handleBlocked(String reason) {
            told.countDown();
          }

          @Override
          public void handleUnblocked() {}
        });
    assertTrue(told.await(5, TimeUnit.SECONDS));
  }

  @Test
  void aRemovedListenerIsNotTold() {
    Connection other = broker.newConnection("/", null);
    List<String> seen = new CopyOnWriteArrayList<>();
    BlockedListener l = other.addBlockedListener(seen::add, () -> seen.add("unblocked"));
    assertTrue(other.removeBlockedListener(l));
    assertUnblockedBy(c -> c.queuePurge("q"));
    assertEquals(List.of(), seen);
  }

  @Test
  void aConsumerCallbackMayPublishWhileBlocked() throws Exception {
    ch.queueDeclare(QueueSpec.durable("in"));
    CountDownLatch republished = new CountDownLatch(1);
    Channel consumerChannel = connection.createChannel();
    consumerChannel.basicConsume(
        "in",
        true,
        "c",
        false,
        null,
        d -> {
          consumerChannel.basicPublish("", "q", false, null, bytes("from callback"));
          republished.countDown();
        });
    fill();
    // the publisher is blocked: put the trigger in the queue from a callback-free path
    Channel trigger = broker.newConnection("/", null).createChannel();
    trigger.basicConsume(
        "q",
        false,
        "drain",
        false,
        null,
        d -> trigger.basicPublish("", "in", false, null, bytes("go")));
    // the consumer of "q" publishes to "in" from its callback although the broker is blocked
    assertTrue(republished.await(5, TimeUnit.SECONDS));
  }

  @Test
  void noBytesLeakUnderConcurrentPublishingAckingRejectingExpiryAndDeadLettering()
      throws Exception {
    long limit = 200_000;
    try (Broker b = new Broker(new BrokerConfig("flow-leak", 2).withMemoryLimitBytes(limit))) {
      Connection c = b.newConnection("/", null);
      Channel admin = c.createChannel();
      admin.exchangeDeclare(ExchangeSpec.durable("dlx", "fanout"));
      admin.queueDeclare(new QueueSpec("dead", false, false, false, Map.of("x-max-length", 50)));
      admin.queueBind("dead", "dlx", "", null);
      admin.queueDeclare(
          new QueueSpec(
              "work",
              false,
              false,
              false,
              Map.of("x-message-ttl", 20, "x-dead-letter-exchange", "dlx", "x-delivery-limit", 2)));
      List<Channel> consumers = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 2; i++) {
        Channel cc = c.createChannel();
        cc.basicQos(10, false);
        java.util.concurrent.atomic.AtomicInteger n =
            new java.util.concurrent.atomic.AtomicInteger();
        cc.basicConsume(
            "work",
            false,
            "w" + i,
            false,
            null,
            d -> {
              switch (n.incrementAndGet() % 3) {
                case 0 -> cc.basicAck(d.deliveryTag(), false);
                case 1 -> cc.basicNack(d.deliveryTag(), false, true);
                default -> cc.basicNack(d.deliveryTag(), false, false);
              }
            });
        consumers.add(cc);
      }
      Channel deadConsumer = c.createChannel();
      deadConsumer.basicConsume("dead", true, "d", false, null, d -> {});
      consumers.add(deadConsumer);
      List<Thread> publishers = new java.util.ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Channel pc = c.createChannel();
        Thread p =
            new Thread(
                () -> {
                  for (int i = 0; i < 1000; i++) {
                    pc.basicPublish("", "work", false, null, new byte[200]);
                  }
                });
        p.start();
        publishers.add(p);
      }
      for (Thread p : publishers) {
        p.join();
      }
      for (Channel cc : consumers) {
        cc.close();
      }
      admin.queueDelete("work", false, false);
      admin.queueDelete("dead", false, false);

      // exactly at the limit is not over it: with no leaked byte, nothing blocks
      admin.queueDeclare(QueueSpec.durable("probe"));
      admin.basicPublish("", "probe", false, null, new byte[(int) limit]);
      CountDownLatch done = new CountDownLatch(1);
      Thread last =
          new Thread(
              () -> {
                admin.basicPublish("", "probe", false, null, new byte[0]);
                done.countDown();
              });
      last.start();
      assertTrue(done.await(5, TimeUnit.SECONDS), "a leaked byte would block this publish");
    }
  }

  @Test
  void limitZeroMeansUnlimited() {
    try (Broker unlimited =
        new Broker(new BrokerConfig("flow-unlimited", 2).withMemoryLimitBytes(0))) {
      Connection c = unlimited.newConnection("/", null);
      List<String> seen = new CopyOnWriteArrayList<>();
      c.addBlockedListener(seen::add, () -> seen.add("unblocked"));
      Channel channel = c.createChannel();
      channel.queueDeclare(QueueSpec.durable("q"));
      for (int i = 0; i < 16; i++) {
        channel.basicPublish("", "q", false, null, new byte[1 << 20]);
      }
      assertEquals(16, unlimited.virtualHost("/").queueMessageCount("q"));
      assertEquals(List.of(), seen);
    }
  }

  @Test
  void theDefaultLimitIsFortyPercentOfTheHeapAndNegativeLimitsAreRefused() {
    BrokerConfig config = new BrokerConfig("b", 1);
    assertEquals(Runtime.getRuntime().maxMemory() / 5 * 2, config.memoryLimitBytes());
    assertEquals(config.memoryLimitBytes(), BrokerConfig.named("b").memoryLimitBytes());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> config.withMemoryLimitBytes(-1));
    assertEquals("memoryLimitBytes must be >= 0 (0 = no limit), was -1", e.getMessage());
  }
}
