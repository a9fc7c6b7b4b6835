package io.warrenmq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.Consumer;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many producers and many consumers on one queue: every message arrives exactly once (push
 * consumers with auto-ack and with manual ack and prefetch, {@code basic.get} pollers, consumers
 * that cancel and re-subscribe mid-stream, consumers that reject with requeue), and a single
 * consumer sees each producer's messages in publish order (AMQP 0-9-1 spec 4.7: order is kept
 * between one publisher and one consumer of a queue when nothing is requeued).
 *
 * <p>Messages carry (producer, sequence) in 8 bytes; a per-message counter of receipts detects both
 * loss and duplication. The whole class runs in a few seconds.
 */
@Timeout(10)
class ConcurrentProducersConsumersTest {
  private static final int PRODUCERS = 8;
  private static final int PER_PRODUCER = 4_000;
  private static final int TOTAL = PRODUCERS * PER_PRODUCER;

  private Broker broker;
  private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
  private final AtomicIntegerArray receipts = new AtomicIntegerArray(TOTAL);
  private final CountDownLatch all = new CountDownLatch(TOTAL);

  @BeforeEach
  void start() {
    broker = new Broker(new BrokerConfig("concurrent-pc", 2));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private static byte[] id(int producer, int seq) {
    return ByteBuffer.allocate(8).putInt(producer).putInt(seq).array();
  }

  private static int producerOf(Delivery d) {
    return ByteBuffer.wrap(d.body()).getInt(0);
  }

  private static int seqOf(Delivery d) {
    return ByteBuffer.wrap(d.body()).getInt(4);
  }

  /**
   * Records one receipt of a message; a second receipt counts as a failure at the end. Callbacks
   * ack before recording, so that the last ack is done before the test closes the broker.
   */
  private void received(Delivery d) {
    int index = producerOf(d) * PER_PRODUCER + seqOf(d);
    if (receipts.incrementAndGet(index) == 1) {
      all.countDown();
    }
  }

  /** Starts the producers, each on its own connection and channel, publishing to {@code queue}. */
  private List<Thread> startProducers(String exchange, String routingKey) {
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      Thread t =
          new Thread(
              () -> {
                try (Connection c = broker.newConnection("/", "producer-" + producer)) {
                  Channel ch = c.createChannel();
                  go.await();
                  for (int i = 0; i < PER_PRODUCER; i++) {
                    ch.basicPublish(exchange, routingKey, false, null, id(producer, i));
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              },
              "producer-" + p);
      t.start();
      threads.add(t);
    }
    go.countDown();
    return threads;
  }

  private void awaitAll(List<Thread> threads) throws InterruptedException {
    for (Thread t : threads) {
      t.join();
    }
    assertTrue(all.await(8, TimeUnit.SECONDS), () -> all.getCount() + " messages never arrived");
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError("a producer or consumer failed");
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }

  private void assertEachReceivedExactlyOnce() {
    for (int i = 0; i < TOTAL; i++) {
      int n = receipts.get(i);
      if (n != 1) {
        int producer = i / PER_PRODUCER;
        int seq = i % PER_PRODUCER;
        throw new AssertionError(
            "message " + producer + "/" + seq + " received " + n + " times, expected once");
      }
    }
  }

  @Test
  void pushConsumersAndGetPollersTogetherReceiveEveryMessageExactlyOnce() throws Exception {
    Connection consumers = broker.newConnection("/", "consumers");
    Channel setup = consumers.createChannel();
    setup.queueDeclare(new QueueSpec("work", false, false, false, null));
    // two auto-ack consumers on one channel, two manual-ack consumers with prefetch on their own
    Channel auto = consumers.createChannel();
    auto.basicConsume("work", true, "auto-1", false, null, this::received);
    auto.basicConsume("work", true, "auto-2", false, null, this::received);
    for (int i = 0; i < 2; i++) {
      Channel ch = consumers.createChannel();
      ch.basicQos(5 + 20 * i, false);
      ch.basicConsume(
          "work",
          false,
          "manual-" + i,
          false,
          null,
          d -> {
            ch.basicAck(d.deliveryTag(), false);
            received(d);
          });
    }
    // two threads polling with basic.get and acking, until everything has arrived
    AtomicBoolean done = new AtomicBoolean();
    List<Thread> pollers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Channel ch = consumers.createChannel();
      Thread t =
          new Thread(
              () -> {
                try {
                  while (!done.get()) {
                    GetResponse r = ch.basicGet("work", false);
                    if (r == null) {
                      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
                      continue;
                    }
                    received(r.delivery());
                    ch.basicAck(r.delivery().deliveryTag(), false);
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              },
              "poller-" + i);
      t.start();
      pollers.add(t);
    }

    awaitAll(startProducers("", "work"));
    done.set(true);
    for (Thread t : pollers) {
      t.join();
    }

    assertEachReceivedExactlyOnce();
    assertEquals(0, broker.virtualHost("/").queueMessageCount("work"));
  }

  @Test
  void consumersThatCancelAndResubscribeMidStreamLoseAndDuplicateNothing() throws Exception {
    Connection consumers = broker.newConnection("/", "consumers");
    Channel setup = consumers.createChannel();
    setup.queueDeclare(new QueueSpec("churn", false, false, false, null));
    Channel steady = consumers.createChannel();
    steady.basicQos(10, false);
    steady.basicConsume(
        "churn",
        false,
        "steady",
        false,
        null,
        d -> {
          steady.basicAck(d.deliveryTag(), false);
          received(d);
        });
    // another channel keeps cancelling its consumer and consuming again while producers publish
    Channel churner = consumers.createChannel();
    churner.basicQos(3, false);
    Consumer acking =
        d -> {
          churner.basicAck(d.deliveryTag(), false);
          received(d);
        };
    AtomicBoolean done = new AtomicBoolean();
    Thread churn =
        new Thread(
            () -> {
              try {
                for (int round = 0; !done.get(); round++) {
                  String tag =
                      churner.basicConsume("churn", false, "churn-" + round, false, null, acking);
                  LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
                  churner.basicCancel(tag);
                }
              } catch (Throwable e) {
                failures.add(e);
              }
            },
            "churner");
    churn.start();

    awaitAll(startProducers("", "churn"));
    done.set(true);
    churn.join();

    assertEachReceivedExactlyOnce();
  }

  @Test
  void rejectedAndRequeuedMessagesStillArriveExactlyOnceInTheEnd() throws Exception {
    Connection consumers = broker.newConnection("/", "consumers");
    Channel setup = consumers.createChannel();
    setup.exchangeDeclare(new ExchangeSpec("jobs", "direct", false, false, false, null));
    setup.queueDeclare(new QueueSpec("jobs", false, false, false, null));
    setup.queueBind("jobs", "jobs", "job", null);
    for (int i = 0; i < 3; i++) {
      Channel ch = consumers.createChannel();
      ch.basicQos(16, false);
      ch.basicConsume(
          "jobs",
          false,
          "worker-" + i,
          false,
          null,
          d -> {
            // every message is refused once, then accepted on its redelivery
            if (!d.redelivered() && seqOf(d) % 3 == 0) {
              ch.basicReject(d.deliveryTag(), true);
              return;
            }
            ch.basicAck(d.deliveryTag(), false);
            received(d);
          });
    }

    awaitAll(startProducers("jobs", "job"));

    assertEachReceivedExactlyOnce();
  }

  @Test
  void aSingleConsumerSeesEachProducersMessagesInPublishOrder() throws Exception {
    Connection consumers = broker.newConnection("/", "consumers");
    Channel ch = consumers.createChannel();
    ch.queueDeclare(new QueueSpec("ordered", false, false, false, null));
    ch.basicQos(50, false);
    int[] lastSeq = new int[PRODUCERS];
    Arrays.fill(lastSeq, -1);
    AtomicReference<String> disorder = new AtomicReference<>();
    // callbacks of one channel are serial, so lastSeq needs no lock
    ch.basicConsume(
        "ordered",
        false,
        "single",
        false,
        null,
        d -> {
          int p = producerOf(d);
          int seq = seqOf(d);
          if (seq != lastSeq[p] + 1 && disorder.get() == null) {
            disorder.set("producer " + p + ": " + seq + " after " + lastSeq[p]);
          }
          lastSeq[p] = seq;
          ch.basicAck(d.deliveryTag(), true);
          received(d);
        });

    awaitAll(startProducers("", "ordered"));

    assertEquals(null, disorder.get(), "per-producer order");
    assertEachReceivedExactlyOnce();
  }
}
