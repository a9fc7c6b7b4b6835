package io.warrenmq.store.jdbc;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.client.ConfirmListener;
import io.warrenmq.engine.Connection;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.QueueSpec;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
 * The durable store's throughput (issue 4, benchmarks a and b), one op = one 1 KB row or message,
 * on an H2 file database or PostgreSQL ({@code -p database=h2|postgresql}, see {@link
 * BenchDatabases}):
 *
 * <ul>
 *   <li>{@link #rawBatchInsert}: plain JDBC into a table of its own ({@code id BIGINT PRIMARY KEY,
 *       body} binary), 100 rows per commit: the ceiling.
 *   <li>{@link #persistentPublishWithConfirms}: persistent messages into a durable queue on the
 *       store, confirms awaited asynchronously with at most {@code windowSize} (default 1,000)
 *       unconfirmed per publisher. Run with {@code -t 1} and {@code -t 8} for 1 and 8 producers.
 *   <li>{@code persistent*PublishConsumeAck}: the same work as the JMS provider's persistent
 *       benchmarks ({@code JmsThroughputBenchmark.persistent*}) on the engine API alone: producers
 *       at most {@link Flow#WINDOW} messages ahead of one consumer with prefetch 100 (the JMS
 *       default) acking each delivery; asynchronous confirms (window {@link Flow#WINDOW}),
 *       synchronous confirms, or transactions of {@link #BATCH}. They are the "store alone at the
 *       same concurrency" references of issue 5's JMS goal.
 * </ul>
 *
 * <p>Durability {@code POWER_LOSS} (the store's default, fsync before confirm) unless {@code -p
 * durability=PROCESS_CRASH}. After each iteration the store's group commit counters for it are
 * printed ({@link StoreStatistics}: syncs per second, operations per batch, time per sync), the
 * figures of docs/performance.md "Group commit batch sizes".
 *
 * <p>The queue is purged after each iteration (and the purge committed before the next one) so
 * that the heap holds at most one iteration's messages (the engine does not page yet).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 5)
public class PersistentPublishBenchmark {
  static final int BODY_BYTES = 1024;
  static final int BATCH = 100;
  static final BasicProperties PERSISTENT =
      BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();

  /** One broker on a store in a fresh database. */
  @State(Scope.Benchmark)
  public static class Store {
    @Param({"POWER_LOSS"})
    public String durability;

    /** {@code h2} or {@code postgresql}. */
    @Param({"h2"})
    public String database;

    /** {@code true}: "q" is a priority queue ({@code x-max-priority} 9), as a JMS queue is. */
    @Param({"false"})
    public boolean priority;

    /**
     * {@code true}: the store is the live node of shared-store HA (PostgreSQL only), every group
     * commit fenced by the lease epoch: the cost of HA (issue 19).
     */
    @Param({"false"})
    public boolean ha;

    BenchDatabases db;
    HaLease lease;
    JdbcMessageStore store;
    Broker broker;
    StoreStatistics iterationStart;
    long iterationStartBarrierSyncs;
    long iterationStartNanos;

    @Setup(Level.Iteration)
    public void countFromHere() {
      iterationStart = store.statistics();
      iterationStartBarrierSyncs = store.barrierSyncs();
      iterationStartNanos = System.nanoTime();
    }

    /** Prints the store's counters of the iteration that ends. */
    void printCounters() {
      double seconds = (System.nanoTime() - iterationStartNanos) / 1e9;
      StoreStatistics s = store.statistics().since(iterationStart);
      int largest = 0;
      for (int i = 0; i < StoreStatistics.SIZE_CLASSES; i++) {
        largest = s.batchSizeCounts().get(i) > 0 ? i : largest;
      }
      System.out.printf(
          "%nstore (%s, %s, ha %s): %.0f ops/s, %.0f syncs/s, %.1f ops per batch (mean), largest batch"
              + " class [%d, %d), %.0f us per sync (mean), %d batches, %.0f barrier syncs/s%n",
          database,
          durability,
          ha,
          s.operations() / seconds,
          s.syncs() / seconds,
          s.meanBatchOperations(),
          1 << largest,
          1 << (largest + 1),
          s.meanSyncNanos() / 1000,
          s.batches(),
          (store.barrierSyncs() - iterationStartBarrierSyncs) / seconds);
    }

    @Setup(Level.Trial)
    public void open() {
      db = new BenchDatabases(database);
      BrokerConfig config = BrokerConfig.named("bench").withMemoryLimitBytes(0);
      JdbcStoreConfig storeConfig =
          db.config.withDurability(JdbcStoreConfig.Durability.valueOf(durability));
      if (ha) {
        lease = HaLease.open(storeConfig, HaLeaseConfig.of("bench"));
        try {
          if (!lease.acquire(lease.read())) {
            throw new IllegalStateException("the benchmark's fresh database has a live node");
          }
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      }
      store = JdbcMessageStore.open(storeConfig, config.name(), lease);
      broker = new Broker(config, store);
      try (Connection c = broker.newConnection("/", "setup")) {
        c.createChannel()
            .queueDeclare(
                new QueueSpec(
                    "q",
                    true,
                    false,
                    false,
                    priority ? java.util.Map.of("x-max-priority", 9) : java.util.Map.of()));
      }
    }

    @TearDown(Level.Iteration)
    public void purge() throws Exception {
      printCounters();
      try (Connection c = broker.newConnection("/", "purge")) {
        Channel ch = c.createChannel();
        ch.queuePurge("q");
        // the purge's deletes queue up in the store: let them commit outside the measurement
        ch.confirmSelect();
        ch.basicPublish("", "q", false, PERSISTENT, new byte[0]);
        ch.waitForConfirmsOrDie(120_000);
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      broker.close();
      if (lease != null) {
        lease.close();
      }
      db.drop();
    }
  }

  /** One producer: its own connection and confirm-mode channel. */
  @State(Scope.Thread)
  public static class Producer {
    final byte[] body = new byte[BODY_BYTES];

    /**
     * Unconfirmed publishes allowed per producer; {@code -p window=1} makes each producer wait for
     * every confirm, as a synchronous JMS persistent send does.
     */
    @Param({"1000"})
    public int windowSize;

    Semaphore window;
    Connection connection;
    Channel channel;

    @Setup(Level.Trial)
    public void open(Store s) {
      window = new Semaphore(windowSize);
      connection = s.broker.newConnection("/", "producer");
      channel = connection.createChannel();
      channel.confirmSelect();
      channel.addConfirmListener(
          new ConfirmListener() {
            @Override
            public void handleAck(long tag, boolean multiple) {
              window.release();
            }

            @Override
            public void handleNack(long tag, boolean multiple) {
              window.release();
            }
          });
    }

    @TearDown(Level.Iteration)
    public void drain() throws InterruptedException {
      window.acquire(windowSize); // every publish of the iteration confirmed
      window.release(windowSize);
    }

    @TearDown(Level.Trial)
    public void close() {
      connection.close();
    }
  }

  @Benchmark
  public void persistentPublishWithConfirms(Producer p) throws InterruptedException {
    p.window.acquire();
    p.channel.basicPublish("", "q", false, PERSISTENT, p.body);
  }

  /**
   * A broker of its own with one consumer acking each delivery (prefetch 100, the JMS default):
   * the consumer half of the JMS provider's persistent benchmarks, on the engine API alone.
   */
  @State(Scope.Benchmark)
  public static class Flow {
    /** Messages published but not yet delivered, at most; as {@code JmsThroughputBenchmark}. */
    static final int WINDOW = 4096;

    final AtomicLong sent = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();

    /** {@code h2} or {@code postgresql}. */
    @Param({"h2"})
    public String database;

    /** As {@link Store#durability}. */
    @Param({"POWER_LOSS"})
    public String durability;

    /** As {@link Store#priority}. */
    @Param({"false"})
    public boolean priority;

    // a broker of its own: Store's purge between iterations would race with this consumer
    final Store store = new Store();
    Connection connection;

    @Setup(Level.Trial)
    public void open() {
      store.durability = durability;
      store.priority = priority;
      store.database = database;
      store.open();
      connection = store.broker.newConnection("/", "flow");
      Channel consumer = connection.createChannel();
      consumer.basicQos(100, false);
      consumer.basicConsume(
          "q",
          false,
          "",
          false,
          null,
          (Delivery d) -> {
            consumer.basicAck(d.deliveryTag(), false);
            delivered.incrementAndGet();
          });
    }

    /** Waits while the producers are more than {@link #WINDOW} messages ahead of the consumer. */
    void pace(long sentSoFar) {
      while (sentSoFar - delivered.get() > WINDOW) {
        LockSupport.parkNanos(1_000);
      }
    }

    @Setup(Level.Iteration)
    public void countFromHere() {
      store.countFromHere();
    }

    @TearDown(Level.Iteration)
    public void drain() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (delivered.get() < sent.get() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(100_000);
      }
      store.printCounters();
    }

    @TearDown(Level.Trial)
    public void close() {
      connection.close();
      store.close();
    }
  }

  /** One producer channel per benchmark thread on the {@link Flow}'s broker. */
  @State(Scope.Thread)
  public static class FlowProducer {
    final byte[] body = new byte[BODY_BYTES];
    final AtomicLong confirmed = new AtomicLong();
    Channel channel;
    long published;
    boolean confirms;

    @Setup(Level.Trial)
    public void open(Flow f) {
      channel = f.connection.createChannel();
    }

    /** Confirm mode, the highest confirmed tag counted in {@link #confirmed}. */
    void confirming() {
      confirms = true;
      channel.confirmSelect();
      channel.addConfirmListener(
          new ConfirmListener() {
            @Override
            public void handleAck(long tag, boolean multiple) {
              confirmed.accumulateAndGet(tag, Math::max); // tags count publishes from 1
            }

            @Override
            public void handleNack(long tag, boolean multiple) {
              throw new IllegalStateException("publish " + tag + " nacked");
            }
          });
    }

    @TearDown(Level.Iteration)
    public void awaitConfirms() throws Exception {
      if (confirms && channel.isOpen()) {
        channel.waitForConfirms(60_000);
      }
    }
  }

  /**
   * JMS persistent 1 → 1 asynchronous send without JMS: publishes with confirms, at most {@link
   * Flow#WINDOW} unconfirmed. Run with {@code -t 1}.
   */
  @Benchmark
  public void persistentPublishConsumeAck(Flow f, FlowProducer p) {
    if (p.published == 0) {
      p.confirming();
    }
    p.channel.basicPublish("", "q", false, PERSISTENT, p.body);
    long mine = ++p.published;
    while (mine - p.confirmed.get() > Flow.WINDOW) {
      LockSupport.parkNanos(1_000);
    }
    f.pace(f.sent.incrementAndGet());
  }

  /**
   * JMS persistent synchronous send without JMS: each publish waits for its confirm (the store's
   * commit). {@code -t 1} and {@code -t 8} for the JMS 1 → 1 and 8-producer rows.
   */
  @Benchmark
  public void persistentSyncPublishConsumeAck(Flow f, FlowProducer p) throws Exception {
    if (p.published == 0) {
      p.confirming();
    }
    p.channel.basicPublish("", "q", false, PERSISTENT, p.body);
    p.published++;
    p.channel.waitForConfirmsOrDie(60_000);
    f.pace(f.sent.incrementAndGet());
  }

  /**
   * JMS persistent transacted batches of {@link #BATCH} without JMS: {@code tx.select}, 100
   * publishes, {@code tx.commit}. One op = one message.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void persistentTxBatchPublishConsumeAck(Flow f, FlowProducer p) {
    if (p.published == 0) {
      p.channel.txSelect();
    }
    for (int i = 0; i < BATCH; i++) {
      p.channel.basicPublish("", "q", false, PERSISTENT, p.body);
    }
    p.channel.txCommit();
    p.published += BATCH;
    f.pace(f.sent.addAndGet(BATCH));
  }

  /** A raw table in a fresh database (H2 file or PostgreSQL), 100 rows per commit. */
  @State(Scope.Thread)
  public static class Raw {
    /** {@code h2} or {@code postgresql}. */
    @Param({"h2"})
    public String database;

    BenchDatabases db;
    java.sql.Connection c;
    PreparedStatement insert;
    final byte[] body = new byte[BODY_BYTES];
    long id;
    int inBatch;

    @Setup(Level.Trial)
    public void open() throws Exception {
      db = new BenchDatabases(database);
      c = db.connect();
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE raw (id BIGINT PRIMARY KEY, body " + db.binaryType() + " NOT NULL)");
      }
      c.commit();
      insert = c.prepareStatement("INSERT INTO raw (id, body) VALUES (?, ?)");
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      c.close();
      db.drop();
    }
  }

  @Benchmark
  public void rawBatchInsert(Raw r) throws Exception {
    r.insert.setLong(1, ++r.id);
    r.insert.setBytes(2, r.body);
    r.insert.addBatch();
    if (++r.inBatch == 100) {
      r.insert.executeBatch();
      r.c.commit();
      r.inBatch = 0;
    }
  }
}
