package io.warrenmq.jms;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.UUID;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMS in-VM throughput with 1 KB {@code BytesMessage}s through the public JMS API (issue 5's
 * benchmark): one operation is one message sent; the consumers are {@code MessageListener}s in
 * AUTO_ACKNOWLEDGE mode. A producer more than {@link #WINDOW} messages ahead of its consumers waits
 * for them, so the score is the sustained delivery rate (times four for the topic case).
 *
 * <p>Persistent variants need the durable store (the persistence issue) and are added with it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class JmsThroughputBenchmark {
  static final int BODY_BYTES = 1024;
  static final int WINDOW = 4096;
  static final int BATCH = 100;

  /** A broker, one producer session, and consumers counting deliveries. */
  public abstract static class Flow {
    final byte[] body = new byte[BODY_BYTES];
    final AtomicLong sent = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    Broker broker;
    Connection connection;
    Session producerSession;
    MessageProducer producer;
    int copies = 1;

    java.nio.file.Path dataDir;

    void open(boolean transacted, boolean topic, int consumers) throws JMSException {
      open(transacted, topic, consumers, false);
    }

    /** @param persistent a broker on the JDBC store (H2 file in a temp dir), persistent sends */
    void open(boolean transacted, boolean topic, int consumers, boolean persistent)
        throws JMSException {
      String name = "jms-bench-" + UUID.randomUUID();
      if (persistent) {
        try {
          dataDir = java.nio.file.Files.createTempDirectory("warren-jms-bench");
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
        broker =
            Broker.withStore(
                BrokerConfig.named(name),
                io.warrenmq.store.jdbc.JdbcMessageStore.open(
                    io.warrenmq.store.jdbc.JdbcStoreConfig.h2(dataDir), name));
      } else {
        broker = new Broker(BrokerConfig.named(name));
      }
      connection = new WarrenConnectionFactory(broker).createConnection();
      producerSession =
          connection.createSession(transacted, transacted ? Session.SESSION_TRANSACTED : Session.AUTO_ACKNOWLEDGE);
      Destination d = topic ? producerSession.createTopic("bench.t") : producerSession.createQueue("bench.q");
      for (int i = 0; i < consumers; i++) {
        connection
            .createSession()
            .createConsumer(d)
            .setMessageListener(m -> delivered.getAndIncrement());
      }
      copies = topic ? consumers : 1;
      producer = producerSession.createProducer(d);
      producer.setDeliveryMode(persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
      producer.setDisableMessageID(true);
      producer.setDisableMessageTimestamp(true);
      connection.start();
    }

    void send() throws JMSException {
      BytesMessage m = producerSession.createBytesMessage();
      m.writeBytes(body);
      producer.send(m);
      long s = sent.incrementAndGet() * copies;
      while (s - delivered.get() > (long) WINDOW * copies) {
        LockSupport.parkNanos(1_000);
      }
    }

    @TearDown(Level.Iteration)
    public void drain() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (delivered.get() < sent.get() * copies && System.nanoTime() < deadline) {
        LockSupport.parkNanos(100_000);
      }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      connection.close();
      broker.close();
      if (dataDir != null) {
        try (var files = java.nio.file.Files.walk(dataDir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
  }

  /** Non-persistent queue, 1 producer → 1 MessageListener. */
  @State(Scope.Benchmark)
  public static class QueueOneToOne extends Flow {
    @Setup(Level.Trial)
    public void setUp() throws JMSException {
      open(false, false, 1);
    }
  }

  /** Non-persistent topic, 1 publisher → 4 subscribers (deliveries = 4 × score). */
  @State(Scope.Benchmark)
  public static class TopicOneToFour extends Flow {
    @Setup(Level.Trial)
    public void setUp() throws JMSException {
      open(false, true, 4);
    }
  }

  /** Transacted producer session committing every {@link #BATCH} messages. */
  @State(Scope.Benchmark)
  public static class Transacted extends Flow {
    @Setup(Level.Trial)
    public void setUp() throws JMSException {
      open(true, false, 1);
    }
  }

  /** Persistent queue, 1 producer with synchronous sends → 1 listener, H2 store. */
  @State(Scope.Benchmark)
  public static class PersistentOneToOne extends Flow {
    @Setup(Level.Trial)
    public void setUp() throws JMSException {
      open(false, false, 1, true);
    }
  }

  /** Persistent queue, transacted producer committing every {@link #BATCH}, H2 store. */
  @State(Scope.Benchmark)
  public static class PersistentTransacted extends Flow {
    @Setup(Level.Trial)
    public void setUp() throws JMSException {
      open(true, false, 1, true);
    }
  }

  /** Persistent queue shared by 8 producer threads (one session each), H2 store. */
  @State(Scope.Benchmark)
  public static class PersistentShared extends Flow {
    @Setup(Level.Trial)
    public void setUp() throws JMSException {
      open(false, false, 1, true);
    }
  }

  /** One producer session per benchmark thread on the shared broker. */
  @State(Scope.Thread)
  public static class ThreadProducer {
    Session session;
    MessageProducer producer;

    @Setup(Level.Trial)
    public void setUp(PersistentShared shared) throws JMSException {
      session = shared.connection.createSession();
      producer = session.createProducer(session.createQueue("bench.q"));
      producer.setDeliveryMode(DeliveryMode.PERSISTENT);
      producer.setDisableMessageID(true);
      producer.setDisableMessageTimestamp(true);
    }
  }

  /** Persistent queue, 1 producer with asynchronous sends (CompletionListener), H2 store. */
  @State(Scope.Benchmark)
  public static class PersistentAsync extends Flow {
    final AtomicLong completed = new AtomicLong();
    final jakarta.jms.CompletionListener listener =
        new jakarta.jms.CompletionListener() {
          @Override
          public void onCompletion(jakarta.jms.Message message) {
            completed.incrementAndGet();
          }

          @Override
          public void onException(jakarta.jms.Message message, Exception exception) {
            throw new IllegalStateException(exception);
          }
        };

    @Setup(Level.Trial)
    public void setUp() throws JMSException {
      open(false, false, 1, true);
    }
  }

  @Benchmark
  public void persistentQueueOneToOneAsyncSend(PersistentAsync f) throws JMSException {
    BytesMessage m = f.producerSession.createBytesMessage();
    m.writeBytes(f.body);
    f.producer.send(m, f.listener);
    long s = f.sent.incrementAndGet();
    while (s - f.completed.get() > WINDOW || s - f.delivered.get() > WINDOW) {
      LockSupport.parkNanos(1_000);
    }
  }

  @Benchmark
  public void persistentQueueOneToOneSynchronousSend(PersistentOneToOne f) throws JMSException {
    f.send();
  }

  @Benchmark
  @org.openjdk.jmh.annotations.Threads(8)
  public void persistentQueueEightProducers(PersistentShared f, ThreadProducer t)
      throws JMSException {
    BytesMessage m = t.session.createBytesMessage();
    m.writeBytes(f.body);
    t.producer.send(m);
    long s = f.sent.incrementAndGet();
    while (s - f.delivered.get() > WINDOW) {
      LockSupport.parkNanos(1_000);
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void persistentTransactedBatchesOf100(PersistentTransacted f) throws JMSException {
    for (int i = 0; i < BATCH; i++) {
      BytesMessage m = f.producerSession.createBytesMessage();
      m.writeBytes(f.body);
      f.producer.send(m);
    }
    f.producerSession.commit();
    long s = f.sent.addAndGet(BATCH);
    while (s - f.delivered.get() > WINDOW) {
      LockSupport.parkNanos(1_000);
    }
  }

  @Benchmark
  public void nonPersistentQueueOneToOneListener(QueueOneToOne f) throws JMSException {
    f.send();
  }

  @Benchmark
  public void nonPersistentTopicOneToFourSubscribers(TopicOneToFour f) throws JMSException {
    f.send();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void transactedBatchesOf100(Transacted f) throws JMSException {
    for (int i = 0; i < BATCH; i++) {
      BytesMessage m = f.producerSession.createBytesMessage();
      m.writeBytes(f.body);
      f.producer.send(m);
    }
    f.producerSession.commit();
    long s = f.sent.addAndGet(BATCH);
    while (s - f.delivered.get() > WINDOW) {
      LockSupport.parkNanos(1_000);
    }
  }
}
