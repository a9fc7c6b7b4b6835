package io.warrenmq.engine;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.Consumer;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End to end in-VM throughput through the public {@link Channel} API: 1 KB transient messages
 * published by the benchmark thread(s) and consumed by {@link Consumer} callbacks on the broker's
 * dispatch threads. One operation is one published message; the score is messages published per
 * second, and since at most {@link #WINDOW} messages (per copy) may be in flight and every
 * iteration ends only when all are delivered, it is also the delivery rate (times the fan-out for
 * {@link #fanoutOneToTen}).
 *
 * <p>Flow control: a publisher that is {@link #WINDOW} messages ahead of the consumers yields
 * until they catch up, so the queue never grows without bound and the score is the sustainable
 * rate, not the rate of filling memory.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class EndToEndBenchmark {
  static final int BODY_BYTES = 1024;
  static final int WINDOW = 4096;
  static final BasicProperties TRANSIENT =
      BasicProperties.builder().deliveryMode(BasicProperties.TRANSIENT).build();

  /** A broker, a counter of deliveries, and the in-flight window shared by its publishers. */
  public abstract static class Flow {
    final byte[] body = new byte[BODY_BYTES];
    final AtomicLong published = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    Broker broker;
    Connection consumerConnection;
    Connection producerConnection;
    Channel producer;
    int copies = 1;

    void open(String name) {
      broker = new Broker(BrokerConfig.named(name));
      consumerConnection = broker.newConnection("/", "consumers");
      producerConnection = broker.newConnection("/", "producers");
      producer = producerConnection.createChannel();
    }

    final Consumer counting() {
      return d -> delivered.getAndIncrement();
    }

    /** Consumes {@code queue} on a new channel; manual ack acknowledges each message singly. */
    final void consume(String queue, boolean autoAck, int prefetch) {
      Channel ch = consumerConnection.createChannel();
      if (prefetch > 0) {
        ch.basicQos(prefetch, false);
      }
      Consumer callback =
          autoAck
              ? counting()
              : d -> {
                ch.basicAck(d.deliveryTag(), false);
                delivered.getAndIncrement();
              };
      ch.basicConsume(queue, autoAck, "", false, null, callback);
    }

    final void publish(Channel ch, String exchange, String routingKey) {
      long n = published.incrementAndGet();
      while ((n - WINDOW) * copies > delivered.get()) {
        Thread.yield();
      }
      ch.basicPublish(exchange, routingKey, false, TRANSIENT, body);
    }

    @TearDown(Level.Iteration)
    public void drain() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (delivered.get() < published.get() * copies) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "only " + delivered.get() + " of " + published.get() * copies + " delivered");
        }
        Thread.yield();
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      broker.close();
    }
  }

  /**
   * 1 producer → 1 auto-ack consumer through a topic exchange that also holds {@code
   * nonMatchingBindings} bindings of other queues (mixed {@code *}/{@code #} patterns) that the
   * message never matches: the score must not depend on that parameter.
   */
  @State(Scope.Benchmark)
  public static class OneToOne extends Flow {
    @Param({"100", "10000"})
    public int nonMatchingBindings;

    @Setup(Level.Trial)
    public void setUp() {
      open("bench-1to1");
      producer.exchangeDeclare(new ExchangeSpec("bench.topic", "topic", false, false, false, null));
      producer.queueDeclare(new QueueSpec("target", false, false, false, null));
      producer.queueBind("target", "bench.topic", "orders.eu.created", null);
      for (int i = 0; i < nonMatchingBindings; i++) {
        String q = "other-" + i;
        producer.queueDeclare(new QueueSpec(q, false, false, false, null));
        String pattern =
            switch (i % 4) {
              case 0 -> "orders.eu" + i + ".*";
              case 1 -> "orders.*.deleted" + i;
              case 2 -> "#.audit" + i;
              default -> "invoices" + i + ".#";
            };
        producer.queueBind(q, "bench.topic", pattern, Map.of());
      }
      consume("target", true, 0);
    }
  }

  /** 1 producer → 1 auto-ack consumer via the default exchange (no routing table at all). */
  @State(Scope.Benchmark)
  public static class Plain extends Flow {
    @Setup(Level.Trial)
    public void setUp() {
      open("bench-plain");
      producer.queueDeclare(new QueueSpec("work", false, false, false, null));
      consume("work", true, 0);
    }
  }

  /** 1 producer → 1 consumer acknowledging each message, prefetch 100, via the default exchange. */
  @State(Scope.Benchmark)
  public static class ManualAck extends Flow {
    @Setup(Level.Trial)
    public void setUp() {
      open("bench-ack");
      producer.queueDeclare(new QueueSpec("work", false, false, false, null));
      consume("work", false, 100);
    }
  }

  /** 4 producers → one queue → 4 auto-ack consumers (each on its own channel). */
  @State(Scope.Benchmark)
  public static class FourToFour extends Flow {
    @Setup(Level.Trial)
    public void setUp() {
      open("bench-4to4");
      producer.queueDeclare(new QueueSpec("shared", false, false, false, null));
      for (int i = 0; i < 4; i++) {
        consume("shared", true, 0);
      }
    }
  }

  /** Each producer thread of {@link FourToFour} has its own channel, as a client would. */
  @State(Scope.Thread)
  public static class ProducerChannel {
    Channel channel;

    @Setup(Level.Trial)
    public void setUp(FourToFour flow) {
      channel = flow.producerConnection.createChannel();
    }
  }

  /** 1 producer → fanout exchange → 10 queues, each with one auto-ack consumer. */
  @State(Scope.Benchmark)
  public static class Fanout extends Flow {
    @Setup(Level.Trial)
    public void setUp() {
      open("bench-fanout");
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

  @Benchmark
  public void oneToOneAutoAck(OneToOne flow) {
    flow.publish(flow.producer, "bench.topic", "orders.eu.created");
  }

  @Benchmark
  public void oneToOneAutoAckDefaultExchange(Plain flow) {
    flow.publish(flow.producer, "", "work");
  }

  @Benchmark
  public void oneToOneManualAckPrefetch100(ManualAck flow) {
    flow.publish(flow.producer, "", "work");
  }

  @Benchmark
  @Threads(4)
  public void fourToFour(FourToFour flow, ProducerChannel p) {
    flow.publish(p.channel, "", "shared");
  }

  @Benchmark
  public void fanoutOneToTen(Fanout flow) {
    flow.publish(flow.producer, "bench.fanout", "");
  }
}
