package io.warrenmq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ConcurrencyTest {
  private static final int PUBLISHERS = 4;
  private static final int PER_PUBLISHER = 5_000;
  private static final int TOTAL = PUBLISHERS * PER_PUBLISHER;

  private static byte[] id(int publisher, int seq) {
    return ByteBuffer.allocate(8).putInt(publisher).putInt(seq).array();
  }

  private static void publishConcurrently(Broker broker, String exchange, String key)
      throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int p = 0; p < PUBLISHERS; p++) {
      int publisher = p;
      Thread t =
          new Thread(
              () -> {
                try (Connection c = broker.newConnection("/", "publisher-" + publisher)) {
                  Channel ch = c.createChannel();
                  start.await();
                  for (int i = 0; i < PER_PUBLISHER; i++) {
                    ch.basicPublish(exchange, key, false, null, id(publisher, i));
                  }
                } catch (Throwable e) {
                  failure.set(e);
                }
              });
      t.start();
      threads.add(t);
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }

  @Test
  void everyMessageIsDeliveredExactlyOnceAcrossConsumers() throws Exception {
    try (Broker broker = new Broker(new BrokerConfig("concurrency", 2))) {
      Connection consumerConnection = broker.newConnection("/", "consumers");
      Channel setup = consumerConnection.createChannel();
      setup.queueDeclare(QueueSpec.durable("work"));
      Map<Long, Integer> seen = new ConcurrentHashMap<>();
      AtomicInteger redelivered = new AtomicInteger();
      CountDownLatch all = new CountDownLatch(TOTAL);
      // 3 consumers over 2 channels, with prefetch, some nacking with requeue once
      for (int i = 0; i < 3; i++) {
        Channel ch = i < 2 ? consumerConnection.createChannel() : setup;
        ch.basicQos(10 + i, false);
        int consumer = i;
        ch.basicConsume(
            "work",
            false,
            "c" + i,
            false,
            null,
            d -> {
              long key = ByteBuffer.wrap(d.body()).getLong();
              if (consumer == 0 && !d.redelivered() && key % 7 == 0) {
                ch.basicNack(d.deliveryTag(), false, true);
                return;
              }
              if (d.redelivered()) {
                redelivered.incrementAndGet();
              }
              if (seen.merge(key, 1, Integer::sum) == 1) {
                all.countDown();
              }
              ch.basicAck(d.deliveryTag(), false);
            });
      }
      publishConcurrently(broker, "", "work");
      assertTrue(all.await(30, TimeUnit.SECONDS), "missing " + all.getCount());
      TestSupport.await(
          "queue drained", () -> broker.virtualHost("/").queueMessageCount("work") == 0);
      assertEquals(TOTAL, seen.size());
      for (Map.Entry<Long, Integer> e : seen.entrySet()) {
        assertEquals(1, e.getValue(), "message " + e.getKey() + " processed once");
      }
      assertTrue(redelivered.get() > 0);
    }
  }

  @Test
  void perPublisherOrderIsKeptForASingleConsumer() throws Exception {
    try (Broker broker = new Broker(new BrokerConfig("ordering", 2))) {
      Channel ch = broker.newConnection("/", "consumer").createChannel();
      ch.exchangeDeclare(ExchangeSpec.durable("events", "topic"));
      ch.queueDeclare(QueueSpec.durable("all"));
      ch.queueBind("all", "events", "orders.#", null);
      int[] lastSeq = new int[PUBLISHERS];
      java.util.Arrays.fill(lastSeq, -1);
      AtomicReference<String> error = new AtomicReference<>();
      AtomicInteger lastTag = new AtomicInteger();
      CountDownLatch all = new CountDownLatch(TOTAL);
      ch.basicConsume(
          "all",
          true,
          "c",
          false,
          null,
          d -> {
            ByteBuffer b = ByteBuffer.wrap(d.body());
            int publisher = b.getInt();
            int seq = b.getInt();
            if (seq != lastSeq[publisher] + 1) {
              error.compareAndSet(null, "publisher " + publisher + " seq " + seq);
            }
            lastSeq[publisher] = seq;
            if (d.deliveryTag() != lastTag.get() + 1) {
              error.compareAndSet(null, "tag " + d.deliveryTag() + " after " + lastTag.get());
            }
            lastTag.set((int) d.deliveryTag());
            all.countDown();
          });
      publishConcurrently(broker, "events", "orders.eu.created");
      assertTrue(all.await(30, TimeUnit.SECONDS), "missing " + all.getCount());
      assertEquals(null, error.get());
    }
  }

  @Test
  void deliveryTagsStayInOrderWhenSeveralQueuesFeedOneChannel() throws Exception {
    try (Broker broker = new Broker(new BrokerConfig("tags", 2))) {
      Channel ch = broker.newConnection("/", "consumer").createChannel();
      AtomicReference<String> error = new AtomicReference<>();
      AtomicInteger lastTag = new AtomicInteger();
      CountDownLatch all = new CountDownLatch(TOTAL);
      for (int p = 0; p < PUBLISHERS; p++) {
        ch.queueDeclare(QueueSpec.durable("q" + p));
        ch.queueBind("q" + p, "amq.direct", "k" + p, null);
        ch.basicConsume(
            "q" + p,
            false,
            "",
            false,
            null,
            d -> {
              if (d.deliveryTag() != lastTag.get() + 1) {
                error.compareAndSet(null, "tag " + d.deliveryTag() + " after " + lastTag.get());
              }
              lastTag.set((int) d.deliveryTag());
              ch.basicAck(d.deliveryTag(), true);
              all.countDown();
            });
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < PUBLISHERS; p++) {
        int publisher = p;
        Thread t =
            new Thread(
                () -> {
                  Channel pc = broker.newConnection("/", null).createChannel();
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < PER_PUBLISHER; i++) {
                    pc.basicPublish("amq.direct", "k" + publisher, false, null, id(publisher, i));
                  }
                });
        t.start();
        threads.add(t);
      }
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
      assertTrue(all.await(30, TimeUnit.SECONDS), "missing " + all.getCount());
      assertEquals(null, error.get());
    }
  }
}
