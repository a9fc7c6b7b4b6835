package io.warrenmq.engine;

import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End to end in-VM latency, publish to {@code handleDelivery}, of one 1 KB transient message at a
 * time (ping-pong: the benchmark thread publishes, then waits until the consumer callback has run).
 * JMH's sample mode records each operation's time, so the report gives p50/p90/p99/p99.9 directly.
 * This is the latency of an otherwise idle broker, dominated by waking a dispatch thread; under
 * load with {@link EndToEndBenchmark#WINDOW} messages in flight, latency is about {@code
 * WINDOW / throughput} (Little's law).
 *
 * <p>For the fanout case one operation ends when all 10 queues' consumers have received the
 * message.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class LatencyBenchmark {

  @State(Scope.Benchmark)
  public static class AutoAck extends EndToEndBenchmark.Flow {
    @Setup(Level.Trial)
    public void setUp() {
      open("latency-auto");
      producer.queueDeclare(new QueueSpec("work", false, false, false, null));
      consume("work", true, 0);
    }
  }

  @State(Scope.Benchmark)
  public static class ManualAck extends EndToEndBenchmark.Flow {
    @Setup(Level.Trial)
    public void setUp() {
      open("latency-ack");
      producer.queueDeclare(new QueueSpec("work", false, false, false, null));
      consume("work", false, 100);
    }
  }

  @State(Scope.Benchmark)
  public static class Fanout extends EndToEndBenchmark.Flow {
    @Setup(Level.Trial)
    public void setUp() {
      open("latency-fanout");
      copies = 10;
      producer.exchangeDeclare(
          new ExchangeSpec("bench.fanout", "fanout", false, false, false, null));
      for (int i = 0; i < copies; i++) {
        producer.queueDeclare(new QueueSpec("fan-" + i, false, false, false, null));
        producer.queueBind("fan-" + i, "bench.fanout", "", null);
        consume("fan-" + i, true, 0);
      }
    }
  }

  private static void roundTrip(EndToEndBenchmark.Flow flow, String exchange, String key) {
    long target = flow.published.incrementAndGet() * flow.copies;
    flow.producer.basicPublish(exchange, key, false, EndToEndBenchmark.TRANSIENT, flow.body);
    // spin briefly (the usual case), then yield so as not to starve the dispatch threads
    for (int spins = 0; flow.delivered.get() < target; spins++) {
      if (spins < 1_000) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  @Benchmark
  public void oneToOneAutoAck(AutoAck flow) {
    roundTrip(flow, "", "work");
  }

  @Benchmark
  public void oneToOneManualAckPrefetch100(ManualAck flow) {
    roundTrip(flow, "", "work");
  }

  @Benchmark
  public void fanoutOneToTen(Fanout flow) {
    roundTrip(flow, "bench.fanout", "");
  }
}
