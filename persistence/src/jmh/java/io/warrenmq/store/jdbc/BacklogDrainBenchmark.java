package io.warrenmq.store.jdbc;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import io.warrenmq.client.QueueSpec;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 4 benchmark c: one consumer drains a backlog of {@link #BACKLOG} persistent 1 KB messages
 * from a durable queue on the store (an H2 file database, or PostgreSQL with {@code -p
 * database=postgresql}, see {@link BenchDatabases}), acking each (prefetch 1000), until the store
 * has committed every ack. Score: messages per second (average time per message, inverted by
 * {@code OperationsPerInvocation}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
@Warmup(iterations = 1, batchSize = 1)
@Measurement(iterations = 3, batchSize = 1)
@State(Scope.Benchmark)
public class BacklogDrainBenchmark {
  static final int BACKLOG = 100_000;
  static final BasicProperties PERSISTENT =
      BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();

  /** {@code h2} or {@code postgresql}. */
  @Param({"h2"})
  public String database;

  BenchDatabases db;
  Broker broker;
  Connection connection;

  @Setup(Level.Trial)
  public void open() {
    db = new BenchDatabases(database);
    BrokerConfig config = BrokerConfig.named("drain").withMemoryLimitBytes(0);
    broker = new Broker(config, JdbcMessageStore.open(db.config, config.name()));
    connection = broker.newConnection("/", "drain");
    connection.createChannel().queueDeclare(QueueSpec.durable("q"));
  }

  /** Fills the backlog, committed, before each measured drain. */
  @Setup(Level.Invocation)
  public void fill() throws Exception {
    Channel ch = connection.createChannel();
    ch.confirmSelect();
    byte[] body = new byte[1024];
    for (int i = 0; i < BACKLOG; i++) {
      ch.basicPublish("", "q", false, PERSISTENT, body);
    }
    ch.waitForConfirmsOrDie(300_000);
    ch.close();
  }

  @Benchmark
  @OperationsPerInvocation(BACKLOG)
  public void drainBacklog() throws Exception {
    Channel ch = connection.createChannel();
    ch.basicQos(1000, false);
    CountDownLatch done = new CountDownLatch(BACKLOG);
    ch.basicConsume(
        "q",
        false,
        "",
        false,
        null,
        d -> {
          ch.basicAck(d.deliveryTag(), false);
          done.countDown();
        });
    done.await();
    ch.close();
    // the acks are written once this barrier is confirmed
    Channel barrier = connection.createChannel();
    barrier.queueDeclare(QueueSpec.durable("barrier"));
    barrier.confirmSelect();
    barrier.basicPublish("", "barrier", false, PERSISTENT, new byte[0]);
    barrier.waitForConfirmsOrDie(300_000);
    barrier.queuePurge("barrier");
    barrier.close();
  }

  @TearDown(Level.Trial)
  public void close() {
    broker.close();
    db.drop();
  }
}
