package io.warrenmq.store.jdbc;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link PagingAcceptanceTest}: on an H2 store in {@code args[0]}, publishes
 * {@code args[1]} persistent messages of {@code args[2]} bytes to one durable queue with publisher
 * confirms, then drains them with one consumer (manual acks), checking that each arrives exactly
 * once and in order. Prints one line {@code RESULT published=.. consumed=.. duplicates=..
 * outOfOrder=.. missing=.. publishMs=.. drainMs=.. peakHeapMb=..} and exits 0, or exits 1 with the
 * failure on stderr.
 */
public final class PagingAcceptanceChild {
  private PagingAcceptanceChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    int size = Integer.parseInt(args[2]);
    BrokerConfig config = BrokerConfig.named("paging-acceptance");
    BasicProperties persistent =
        BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();
    try (Broker broker =
            new Broker(config, JdbcMessageStore.open(JdbcStoreConfig.h2(dir), config.name()));
        Connection c = broker.newConnection("/", "acceptance")) {
      Channel pub = c.createChannel();
      pub.queueDeclare(QueueSpec.durable("backlog"));
      pub.confirmSelect();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        byte[] body = ByteBuffer.allocate(size).putInt(i).array();
        pub.basicPublish("", "backlog", false, persistent, body);
        if (i % 10_000 == 9_999) {
          pub.waitForConfirmsOrDie(120_000); // at most 10,000 unconfirmed (about 10 MB)
        }
      }
      pub.waitForConfirmsOrDie(120_000);
      long publishMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      int depth = broker.virtualHost("/").queueMessageCount("backlog");
      if (depth != n) {
        throw new AssertionError("queue holds " + depth + " messages after publishing " + n);
      }

      Channel sub = c.createChannel();
      sub.basicQos(500, false);
      BlockingQueue<Delivery> got = new ArrayBlockingQueue<>(1000);
      sub.basicConsume(
          "backlog",
          false,
          null,
          false,
          null,
          d -> {
            try {
              got.put(d);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      BitSet seen = new BitSet(n);
      int duplicates = 0;
      int outOfOrder = 0;
      int last = -1;
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Delivery d = got.poll(60, TimeUnit.SECONDS);
        if (d == null) {
          break;
        }
        int k = ByteBuffer.wrap(d.body()).getInt();
        if (seen.get(k)) {
          duplicates++;
        }
        seen.set(k);
        if (k < last) {
          outOfOrder++;
        }
        last = k;
        if (i % 100 == 99 || i == n - 1) {
          sub.basicAck(d.deliveryTag(), true);
        }
      }
      long drainMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
      Delivery extra = got.poll(500, TimeUnit.MILLISECONDS);
      if (extra != null) {
        duplicates++;
      }
      int consumed = seen.cardinality();
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.println(
          "RESULT published="
              + n
              + " consumed="
              + consumed
              + " duplicates="
              + duplicates
              + " outOfOrder="
              + outOfOrder
              + " missing="
              + (n - consumed)
              + " publishMs="
              + publishMs
              + " drainMs="
              + drainMs
              + " peakHeapMb="
              + (peak >> 20));
    }
  }
}
