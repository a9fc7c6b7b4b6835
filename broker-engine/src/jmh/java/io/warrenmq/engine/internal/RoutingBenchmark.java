package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing only: the cost of {@link ExchangeType#route} for a routing key, without queues, locks or
 * deliveries. One operation is one routed message; the score is routes per second per thread.
 *
 * <p>Each binding goes to its own queue, so the number of matched queues is what the keys match,
 * not an artefact of deduplication. The keys cycle through a precomputed array so that the JIT
 * cannot fold the lookup; every key matches a small, fixed number of bindings whatever the binding
 * count, so a score that falls as the binding count grows would show a publish path that scales
 * with non-matching bindings.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class RoutingBenchmark {
  private static final int KEYS = 1024; // power of two: index with a mask

  private static Queue queue(int i) {
    QueueSpec spec = QueueSpec.durable("q" + i);
    return new Queue(
        spec.name(),
        spec,
        null,
        0,
        QueueArguments.parse(spec.arguments(), spec.name(), "/"),
        new ServerVirtualHost("/"));
  }

  /** Per-thread cursor and collector, as a channel has. */
  @State(Scope.Thread)
  public static class Cursor {
    final RouteCollector out = new RouteCollector();
    int next;

    int advance() {
      return next++ & (KEYS - 1);
    }
  }

  /** A direct exchange with {@code key-<i>} bindings, one queue each. */
  @State(Scope.Benchmark)
  public static class Direct {
    @Param({"100", "10000"})
    public int directBindings;

    ExchangeType routes;
    final String[] keys = new String[KEYS];

    @Setup(Level.Trial)
    public void setUp() {
      routes = ExchangeType.create("direct");
      Exchange x = new Exchange(ExchangeSpec.durable("bench.direct", "direct"), routes);
      for (int i = 0; i < directBindings; i++) {
        routes.bind(new Binding(x, queue(i), "key-" + i, Map.of()));
      }
      for (int k = 0; k < KEYS; k++) {
        // three in four keys match one binding, one in four matches none
        keys[k] =
            (k & 3) == 3 ? "unbound-" + k : "key-" + (int) ((k * 7919L) % directBindings);
      }
    }
  }

  /**
   * A topic exchange whose bindings mix literal words, {@code *} and {@code #}, in five shapes
   * (binding {@code j} of each shape uses words {@code r<a>} and {@code s<b>} with {@code a = j %
   * 50}, {@code b = j / 50}):
   *
   * <pre>
   * r&lt;a&gt;.s&lt;b&gt;.t0      r&lt;a&gt;.s&lt;b&gt;.*      r&lt;a&gt;.*.t&lt;b&gt;      r&lt;a&gt;.s&lt;b&gt;.#      #.s&lt;b&gt;.z&lt;a&gt;
   * </pre>
   *
   * Keys are three words: {@code r<a>.s<b>.t0} (matches 3-4 bindings), {@code r<a>.s<b>.z<a>}
   * (matches 3) and {@code r<a>.q.t<b>} (matches 1).
   */
  @State(Scope.Benchmark)
  public static class Topic {
    @Param({"100", "10000"})
    public int topicBindings;

    ExchangeType routes;
    final String[] keys = new String[KEYS];

    @Setup(Level.Trial)
    public void setUp() {
      routes = ExchangeType.create("topic");
      Exchange x = new Exchange(ExchangeSpec.durable("bench.topic", "topic"), routes);
      int perShape = topicBindings / 5;
      int q = 0;
      for (int j = 0; j < perShape; j++) {
        int a = j % 50;
        int b = j / 50;
        for (String pattern :
            new String[] {
              "r" + a + ".s" + b + ".t0",
              "r" + a + ".s" + b + ".*",
              "r" + a + ".*.t" + b,
              "r" + a + ".s" + b + ".#",
              "#.s" + b + ".z" + a
            }) {
          routes.bind(new Binding(x, queue(q++), pattern, Map.of()));
        }
      }
      for (int k = 0; k < KEYS; k++) {
        int j = (int) ((k * 7919L) % perShape);
        int a = j % 50;
        int b = j / 50;
        keys[k] =
            switch (k % 3) {
              case 0 -> "r" + a + ".s" + b + ".t0";
              case 1 -> "r" + a + ".s" + b + ".z" + a;
              default -> "r" + a + ".q.t" + b;
            };
      }
    }
  }

  /**
   * A headers exchange with bindings {@code {x-match=all|any, region=r<i%50>, kind=k<i>}}; the
   * messages carry {@code region} and {@code kind} headers. Headers routing scans every binding
   * (as RabbitMQ's does), so this score is expected to fall linearly with the binding count.
   */
  @State(Scope.Benchmark)
  public static class Headers {
    @Param({"100", "1000"})
    public int headersBindings;

    ExchangeType routes;
    final BasicProperties[] messages = new BasicProperties[KEYS];

    @Setup(Level.Trial)
    public void setUp() {
      routes = ExchangeType.create("headers");
      Exchange x = new Exchange(ExchangeSpec.durable("bench.headers", "headers"), routes);
      for (int i = 0; i < headersBindings; i++) {
        Map<String, Object> args =
            Map.of("x-match", i % 2 == 0 ? "all" : "any", "region", "r" + i % 50, "kind", "k" + i);
        routes.bind(new Binding(x, queue(i), "", args));
      }
      for (int k = 0; k < KEYS; k++) {
        int i = (int) ((k * 7919L) % headersBindings);
        messages[k] =
            BasicProperties.builder()
                .headers(Map.of("region", "r" + i % 50, "kind", "k" + i, "app", "bench"))
                .build();
      }
    }
  }

  @Benchmark
  public int direct(Direct x, Cursor c) {
    return route(x.routes, x.keys[c.advance()], BasicProperties.EMPTY, c.out);
  }

  @Benchmark
  public int topic(Topic x, Cursor c) {
    return route(x.routes, x.keys[c.advance()], BasicProperties.EMPTY, c.out);
  }

  @Benchmark
  public int headers(Headers x, Cursor c) {
    return route(x.routes, "", x.messages[c.advance()], c.out);
  }

  private static int route(
      ExchangeType routes, String key, BasicProperties props, RouteCollector out) {
    routes.route(key, props, out);
    int n = out.size();
    out.clear();
    return n;
  }
}
