package io.warrenmq.engine;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.MessageSelector;

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
 * The cost of {@link MessageSelector#matches} for one message, as a topic subscription's selector
 * runs it at routing time: the score is evaluations per second per thread. Messages alternate
 * between one that matches and one that does not, so the JIT cannot fold the outcome.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@State(Scope.Thread)
public class SelectorBenchmark {

  @Param({
    "color = 'red'",
    "JMSType = 'car' AND color = 'blue' AND weight > 2500",
    "quantity < limit AND region IN ('eu', 'us', 'apac') AND JMSPriority BETWEEN 4 AND 9",
    "name LIKE 'order-%' OR missing IS NOT NULL"
  })
  public String selector;

  private MessageSelector parsed;
  private final BasicProperties[] messages = new BasicProperties[2];
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    parsed = MessageSelector.parse(selector);
    messages[0] =
        BasicProperties.builder()
            .type("car")
            .priority(7)
            .headers(
                Map.of(
                    "color", "blue", "weight", 3000L, "quantity", 3, "limit", 3.5d,
                    "region", "us", "name", "order-17"))
            .build();
    messages[1] =
        BasicProperties.builder()
            .type("truck")
            .priority(1)
            .headers(
                Map.of(
                    "color", "red", "weight", 1000L, "quantity", 4, "limit", 3.5d,
                    "region", "cn", "name", "invoice-3"))
            .build();
  }

  @Benchmark
  public boolean matches() {
    return parsed.matches(messages[next++ & 1]);
  }
}
