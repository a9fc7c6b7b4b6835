package io.warrenmq.benchmarks;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * WarrenMQ against ActiveMQ Artemis through the Jakarta Messaging 3.1 API, in one JMH run (issue
 * 15, section 4): every scenario runs once per {@code broker} parameter ({@code warren}, then
 * {@code artemis}), each in a fresh forked JVM with the same flags and a fresh broker on an empty
 * data directory under {@code target/bench-data} (relative to the working directory; system
 * property {@code warren.bench.dataDir} overrides it), or with {@code -p store=postgres} on a fresh
 * PostgreSQL database per trial (see {@link BrokerUnderTest}). Bodies are 1,024-byte {@code
 * BytesMessage}s; the first 8 bytes carry {@link System#nanoTime()} at send, from which the
 * consumer records the end-to-end latency.
 *
 * <p>Flow scenarios (mode Throughput): producers and {@code MessageListener} consumers
 * (AUTO_ACKNOWLEDGE, one session each) run together; a producer more than {@value #MAX_UNCONSUMED}
 * messages ahead of its consumers waits. The result to read is the secondary result {@code
 * consumed}: deliveries that reached a listener per second, counted between the start and the end
 * of each iteration (for the topic, each of the four subscribers counts). The primary score is the
 * producer's send rate. End-to-end latency percentiles of the measurement iterations are printed at
 * the end of each trial as a {@code LATENCY} line.
 *
 * <p>Backlog scenario (mode SingleShotTime, µs per message): before each iteration {@value
 * #BACKLOG} persistent messages are sent with no consumer (asynchronous sends, at most {@value
 * #ASYNC_WINDOW} unconfirmed, until the last is confirmed), timed by the benchmark itself and
 * printed as a {@code BACKLOG SEND} line; {@code backlogDrain} then starts one listener on that
 * backlog and ends when it has received the last message.
 *
 * <p>Warm-up: 8 iterations of 5 s (the backlog scenario: 12 fills and drains) before anything is
 * measured. Each trial starts fresh JVMs (the fork and, with {@code transport=wire}, the broker's),
 * and on 2 cores shared by broker, client and both JIT compilers the broker was still compiling
 * after the 3 iterations used before (5 Dec 2026: its C2 threads took 5.2 of its 13.4 CPU seconds
 * during the third measured iteration, and the iterations climbed from 8,000 to 50,000 msg/s); 8
 * iterations bring both brokers to their plateau (docs/performance.md). The backlog scenario had 3
 * fills and drains until the server's C2 threads were seen at 0.5-0.9 of a core through its 4th
 * round over the wire (5 Dec 2026, per-thread CPU from {@code /proc}), then 6 until the server's C2
 * threads were seen at 0.1-0.25 of a core during the measured drains over the wire and WarrenMQ's
 * drain still fell from round to round (10.8, 9.9, 8.6, 8.8, 7.9 µs per message in rounds 5 to 9,
 * then 8.2-9.3), while Artemis's had been flat since its second round (15.9-20.7); 12 rounds
 * measure both at their plateau (7 Dec 2026, docs/performance.md).
 *
 * <p>Thread-safety: JMH's; each state is documented with its scope.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 8, time = 5)
@Measurement(iterations = 5, time = 5)
public class JmsBrokerComparison {

  /** Body size of every message, bytes. */
  static final int BODY_BYTES = 1024;

  /** Most messages (per subscriber) a producer may be ahead of its consumers. */
  static final int MAX_UNCONSUMED = 10_000;

  /** Most asynchronous sends not yet confirmed (JMS 2.0 {@code CompletionListener}). */
  static final int ASYNC_WINDOW = 1_000;

  /** Messages per transaction of the transacted scenario. */
  static final int BATCH = 100;

  /** Messages of the backlog scenarios. */
  static final int BACKLOG = 200_000;

  /** How long any wait of a benchmark may take before it fails the run, seconds. */
  static final long STALL_SECONDS = 600;

  static Path dataRoot() {
    return Path.of(System.getProperty("warren.bench.dataDir", "target/bench-data"));
  }

  /** The broker under test: the parameter every scenario is run with. */
  @State(Scope.Benchmark)
  public static class BrokerParam {
    @Param({BrokerUnderTest.WARREN, BrokerUnderTest.ARTEMIS})
    public String broker;

    /**
     * Where both brokers store: {@code file} (WarrenMQ's H2 file, Artemis's journal) or {@code
     * postgres} (both on the PostgreSQL server of {@code warren.bench.pgServer}, each trial in a
     * fresh database; {@code benchmarks/run.sh -p store=postgres}).
     */
    @Param({BrokerUnderTest.FILE})
    public String store;

    /**
     * How the client reaches the broker: {@code invm} (the broker in the benchmark's JVM) or {@code
     * wire} (the broker in a JVM of its own on 127.0.0.1, WarrenMQ over {@code amqp://}, Artemis
     * over its core protocol; {@code benchmarks/run.sh -p transport=wire}, issue 17).
     */
    @Param({BrokerUnderTest.IN_VM})
    public String transport;
  }

  /** A 1 KB body whose first 8 bytes are the send time ({@link System#nanoTime()}). */
  static BytesMessage stamped(Session session) throws JMSException {
    BytesMessage m = session.createBytesMessage();
    byte[] body = new byte[BODY_BYTES];
    ByteBuffer.wrap(body).putLong(0, System.nanoTime());
    m.writeBytes(body);
    return m;
  }

  static void awaitUntil(java.util.function.BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STALL_SECONDS);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("stalled for " + STALL_SECONDS + " s: " + what);
      }
      LockSupport.parkNanos(20_000);
    }
  }

  /**
   * A broker, one connection, listeners counting deliveries and recording their latency, and one
   * producer session. Scope: benchmark (shared by all producer threads of a trial).
   */
  public abstract static class Flow {
    /** The flow of the running trial (one trial per forked JVM), for {@link Consumed}. */
    static volatile Flow current;

    final LongAdder consumed = new LongAdder();
    final AtomicLong sent = new AtomicLong();
    final Recorder latency = new Recorder(3);
    final Histogram measured = new Histogram(3);
    final LongAdder failures = new LongAdder();
    BrokerUnderTest server;
    String broker;
    String benchmark;
    Connection connection;
    Destination destination;
    Session producerSession;
    MessageProducer producer;
    int copies = 1;

    final MessageListener listener =
        m -> {
          try {
            long t = ((BytesMessage) m).readLong();
            latency.recordValue(Math.max(0, System.nanoTime() - t));
          } catch (JMSException | RuntimeException e) {
            failures.increment();
          }
          consumed.increment();
        };

    /**
     * @param topic a topic with {@code consumers} subscribers, else a queue with that many
     *     consumers
     * @param transacted a transacted producer session
     * @param persistent the producer's delivery mode
     * @param asyncConfirms see {@link BrokerUnderTest#start}
     */
    void open(
        BrokerParam param,
        BenchmarkParams bench,
        boolean topic,
        int consumers,
        boolean transacted,
        boolean persistent,
        boolean asyncConfirms)
        throws JMSException {
      broker = param.broker;
      benchmark = bench.getBenchmark().substring(bench.getBenchmark().lastIndexOf('.') + 1);
      server =
          BrokerUnderTest.start(broker, param.store, param.transport, dataRoot(), asyncConfirms);
      connection = server.factory().createConnection();
      producerSession =
          connection.createSession(
              transacted, transacted ? Session.SESSION_TRANSACTED : Session.AUTO_ACKNOWLEDGE);
      destination =
          topic ? producerSession.createTopic("bench.t") : producerSession.createQueue("bench.q");
      for (int i = 0; i < consumers; i++) {
        connection.createSession().createConsumer(destination).setMessageListener(listener);
      }
      copies = topic ? consumers : 1;
      producer = producerSession.createProducer(destination);
      producer.setDeliveryMode(persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
      connection.start();
      current = this;
    }

    /** Waits while the producers are more than {@link #MAX_UNCONSUMED} ahead of the consumers. */
    void pace(long sentSoFar) {
      long limit = (sentSoFar - MAX_UNCONSUMED) * copies;
      if (consumed.sum() < limit) {
        awaitUntil(() -> consumed.sum() >= limit, "consumers of " + benchmark);
      }
    }

    void sendOne() throws JMSException {
      producer.send(stamped(producerSession));
      pace(sent.incrementAndGet());
    }

    @Setup(Level.Iteration)
    public void startIteration() {
      latency.reset();
    }

    @TearDown(Level.Iteration)
    public void endIteration(IterationParams iteration) {
      Histogram interval = latency.getIntervalHistogram();
      if (iteration.getType() == IterationType.MEASUREMENT) {
        measured.add(interval);
      }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      current = null;
      System.out.printf(
          "%nLATENCY %s broker=%s end-to-end µs: p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f"
              + " samples=%d%n",
          benchmark,
          broker,
          measured.getValueAtPercentile(50) / 1e3,
          measured.getValueAtPercentile(90) / 1e3,
          measured.getValueAtPercentile(99) / 1e3,
          measured.getValueAtPercentile(99.9) / 1e3,
          measured.getMaxValue() / 1e3,
          measured.getTotalCount());
      try {
        connection.close();
      } finally {
        server.close();
      }
      if (failures.sum() > 0) {
        throw new IllegalStateException(failures.sum() + " failed deliveries or sends");
      }
    }
  }

  /**
   * Deliveries per second that reached a listener during the iteration (JMH secondary result {@code
   * consumed}). Scope: thread; only the first thread reports, so that the sum over threads is the
   * count once.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Consumed {
    private Flow flow;
    private long atStart;
    private long atEnd = -1;

    @Setup(Level.Iteration)
    public void start(ThreadParams thread) {
      Flow f = Flow.current;
      flow = thread.getThreadIndex() == 0 ? f : null;
      atStart = f == null ? 0 : f.consumed.sum();
      atEnd = -1;
    }

    /**
     * Takes the count when the thread leaves the measurement loop: JMH reads the counter only after
     * the iteration's (and the last iteration's trial) tear-down.
     */
    @TearDown(Level.Iteration)
    public void end() {
      Flow f = flow;
      atEnd = f == null ? 0 : f.consumed.sum();
    }

    /** Deliveries during the iteration (0 on every thread but the first). */
    public long consumed() {
      Flow f = flow;
      if (f == null) {
        return 0;
      }
      return (atEnd >= 0 ? atEnd : f.consumed.sum()) - atStart;
    }
  }

  /** Non-persistent queue, 1 producer → 1 listener. */
  @State(Scope.Benchmark)
  public static class NonPersistentQueue extends Flow {
    @Setup(Level.Trial)
    public void setUp(BrokerParam p, BenchmarkParams b) throws JMSException {
      open(p, b, false, 1, false, false, false);
    }
  }

  /** Persistent queue, 1 producer with synchronous sends → 1 listener. */
  @State(Scope.Benchmark)
  public static class PersistentQueue extends Flow {
    @Setup(Level.Trial)
    public void setUp(BrokerParam p, BenchmarkParams b) throws JMSException {
      open(p, b, false, 1, false, true, false);
    }
  }

  /** Persistent queue shared by 8 producer threads (a session each on one connection). */
  @State(Scope.Benchmark)
  public static class SharedPersistentQueue extends Flow {
    @Setup(Level.Trial)
    public void setUp(BrokerParam p, BenchmarkParams b) throws JMSException {
      open(p, b, false, 1, false, true, false);
    }
  }

  /** One producer session per benchmark thread on {@link SharedPersistentQueue}. Scope: thread. */
  @State(Scope.Thread)
  public static class ThreadProducer {
    Session session;
    MessageProducer producer;

    @Setup(Level.Trial)
    public void setUp(SharedPersistentQueue shared) throws JMSException {
      session = shared.connection.createSession();
      producer = session.createProducer(shared.destination);
      producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    }
  }

  /** Persistent queue, 1 producer with asynchronous sends (at most 1,000 unconfirmed). */
  @State(Scope.Benchmark)
  public static class AsyncPersistentQueue extends Flow {
    final AtomicLong completed = new AtomicLong();
    final CompletionListener confirms =
        new CompletionListener() {
          @Override
          public void onCompletion(Message message) {
            completed.incrementAndGet();
          }

          @Override
          public void onException(Message message, Exception exception) {
            failures.increment();
            completed.incrementAndGet();
          }
        };

    @Setup(Level.Trial)
    public void setUp(BrokerParam p, BenchmarkParams b) throws JMSException {
      open(p, b, false, 1, false, true, true);
    }
  }

  /** Persistent queue, transacted producer committing every {@value #BATCH} messages. */
  @State(Scope.Benchmark)
  public static class TransactedPersistentQueue extends Flow {
    @Setup(Level.Trial)
    public void setUp(BrokerParam p, BenchmarkParams b) throws JMSException {
      open(p, b, false, 1, true, true, false);
    }
  }

  /** Non-persistent topic, 1 publisher → 4 non-durable subscribers. */
  @State(Scope.Benchmark)
  public static class NonPersistentTopic extends Flow {
    @Setup(Level.Trial)
    public void setUp(BrokerParam p, BenchmarkParams b) throws JMSException {
      open(p, b, true, 4, false, false, false);
    }
  }

  @Benchmark
  public void nonPersistentOneToOne(NonPersistentQueue f, Consumed c) throws JMSException {
    f.sendOne();
  }

  @Benchmark
  public void persistentSyncOneToOne(PersistentQueue f, Consumed c) throws JMSException {
    f.sendOne();
  }

  @Benchmark
  @Threads(8)
  public void persistentSyncEightProducers(SharedPersistentQueue f, ThreadProducer t, Consumed c)
      throws JMSException {
    t.producer.send(stamped(t.session));
    f.pace(f.sent.incrementAndGet());
  }

  @Benchmark
  public void persistentAsyncWindow1000(AsyncPersistentQueue f, Consumed c) throws JMSException {
    f.producer.send(stamped(f.producerSession), f.confirms);
    long s = f.sent.incrementAndGet();
    if (s - f.completed.get() >= ASYNC_WINDOW) {
      awaitUntil(() -> s - f.completed.get() < ASYNC_WINDOW, "confirms of async sends");
    }
    f.pace(s);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void persistentTransactedBatchesOf100(TransactedPersistentQueue f, Consumed c)
      throws JMSException {
    for (int i = 0; i < BATCH; i++) {
      f.producer.send(stamped(f.producerSession));
    }
    f.producerSession.commit();
    f.pace(f.sent.addAndGet(BATCH));
  }

  @Benchmark
  public void nonPersistentTopicOneToFour(NonPersistentTopic f, Consumed c) throws JMSException {
    f.sendOne();
  }

  /**
   * A broker with a durable queue for the backlog scenarios: a producer session sending persistent
   * messages asynchronously, and a listener session made for each drain. Scope: benchmark.
   */
  public abstract static class Backlog {
    BrokerUnderTest server;
    Connection connection;
    Session producerSession;
    MessageProducer producer;
    Destination queue;
    final AtomicLong completed = new AtomicLong();
    final LongAdder failures = new LongAdder();
    final CompletionListener confirms =
        new CompletionListener() {
          @Override
          public void onCompletion(Message message) {
            completed.incrementAndGet();
          }

          @Override
          public void onException(Message message, Exception exception) {
            failures.increment();
            completed.incrementAndGet();
          }
        };

    @Setup(Level.Trial)
    public void open(BrokerParam p) throws JMSException {
      server = BrokerUnderTest.start(p.broker, p.store, p.transport, dataRoot(), true);
      connection = server.factory().createConnection();
      producerSession = connection.createSession();
      queue = producerSession.createQueue("bench.backlog");
      producer = producerSession.createProducer(queue);
      producer.setDeliveryMode(DeliveryMode.PERSISTENT);
      connection.start();
    }

    /** Sends {@link #BACKLOG} messages and returns when the broker confirmed the last. */
    void sendBacklog() throws JMSException {
      long base = completed.get();
      for (int i = 1; i <= BACKLOG; i++) {
        producer.send(stamped(producerSession), confirms);
        long target = base + i - ASYNC_WINDOW + 1;
        if (completed.get() < target) {
          awaitUntil(() -> completed.get() >= target, "confirms of the backlog");
        }
      }
      long all = base + BACKLOG;
      awaitUntil(() -> completed.get() >= all, "last confirm of the backlog");
      if (failures.sum() > 0) {
        throw new IllegalStateException(failures.sum() + " sends of the backlog failed");
      }
    }

    /** Receives {@link #BACKLOG} messages with one listener, then closes its session. */
    void drainBacklog() throws JMSException, InterruptedException {
      CountDownLatch drained = new CountDownLatch(1);
      AtomicLong received = new AtomicLong();
      Session session = connection.createSession();
      session
          .createConsumer(queue)
          .setMessageListener(
              m -> {
                if (received.incrementAndGet() == BACKLOG) {
                  drained.countDown();
                }
              });
      if (!drained.await(STALL_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("drain stalled at " + received.get() + " messages");
      }
      session.close();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      try {
        connection.close();
      } finally {
        server.close();
      }
    }
  }

  /**
   * {@link Backlog} filled before each measured drain. The fill is the send scenario: JMH does not
   * time it, so it is timed here and printed at the end of the trial as a {@code BACKLOG SEND} line
   * (messages per second of each measurement iteration's fill), which halves the run time against a
   * benchmark of its own.
   */
  @State(Scope.Benchmark)
  public static class BacklogToDrain extends Backlog {
    final java.util.List<Double> sendRates = new java.util.ArrayList<>();
    String broker;

    @Setup(Level.Iteration)
    public void fill(IterationParams iteration, BrokerParam p) throws JMSException {
      broker = p.broker;
      long start = System.nanoTime();
      sendBacklog();
      double rate = BACKLOG * 1e9 / (System.nanoTime() - start);
      if (iteration.getType() == IterationType.MEASUREMENT) {
        sendRates.add(rate);
      }
    }

    @TearDown(Level.Trial)
    public void report() {
      System.out.printf(
          "%nBACKLOG SEND broker=%s msg/s mean=%.0f iterations=%s%n",
          broker,
          sendRates.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
          sendRates.stream().map(r -> String.format(java.util.Locale.ROOT, "%.0f", r)).toList());
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(BACKLOG)
  @Warmup(iterations = 12)
  @Measurement(iterations = 3)
  public void backlogDrain(BacklogToDrain b) throws JMSException, InterruptedException {
    b.drainBacklog();
  }
}
