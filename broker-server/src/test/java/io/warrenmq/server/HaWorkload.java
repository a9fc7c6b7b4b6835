package io.warrenmq.server;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The HA tests' client workload, RabbitMQ's Java client only: producers publishing persistent
 * messages (a unique id as body) with publisher confirms to one durable queue, and consumers acking
 * every delivery, each on its own connection made from a list of addresses with automatic recovery
 * and topology recovery on, so that they follow whichever broker listens.
 *
 * <p>What it records: every id published, the ids the broker confirmed, every delivery (with its
 * {@code redelivered} flag). {@link #finish} drains the queue and returns a {@link Report} against
 * the rules of publisher confirms (https://www.rabbitmq.com/docs/confirms) and of redelivery: every
 * confirmed message is consumed at least once; a message consumed a second time carries {@code
 * redelivered}; nothing is consumed that was never published. A published, unconfirmed message may
 * or may not arrive.
 *
 * <p>Confirms across automatic recovery: a recovered channel starts its publish sequence numbers
 * again at 1 and never answers for the old channel's, so the producer forgets (counts as
 * unconfirmed) everything outstanding when its channel shuts down, and a publish whose sequence
 * number it could not pin to one channel.
 *
 * <p>Thread-safety: the methods are for one test thread; the clients run on their own threads.
 */
final class HaWorkload implements AutoCloseable {
  /**
   * What runs.
   *
   * @param producers producer connections (one channel each)
   * @param consumers consumer connections (one consumer each, prefetch 100)
   * @param ratePerProducer publishes per second per producer
   * @param window most unconfirmed publishes per producer
   * @param queue the durable queue's name
   */
  record Settings(int producers, int consumers, int ratePerProducer, int window, String queue) {}

  /**
   * The outcome after {@link #finish}.
   *
   * @param published ids published (attempted)
   * @param confirmed ids the broker confirmed
   * @param nacked publishes the broker nacked
   * @param consumed distinct ids consumed
   * @param redeliveredAgain deliveries of an id consumed before, flagged redelivered
   * @param lost confirmed and never consumed (sorted; must be empty)
   * @param duplicatesNotRedelivered consumed again without the redelivered flag (must be empty)
   * @param unknown consumed and never published (must be empty)
   * @param blockedNotices {@code connection.blocked} notices the clients received
   */
  record Report(
      long published,
      long confirmed,
      long nacked,
      long consumed,
      long redeliveredAgain,
      List<String> lost,
      List<String> duplicatesNotRedelivered,
      List<String> unknown,
      long blockedNotices) {
    String summary() {
      return String.format(
          "published %d, confirmed %d, nacked %d, consumed %d distinct (%d unconfirmed ones among"
              + " them), %d redelivered again, lost %d, duplicates without redelivered %d,"
              + " unknown %d, connection.blocked %d",
          published,
          confirmed,
          nacked,
          consumed,
          consumed - (confirmed - lost.size()),
          redeliveredAgain,
          lost.size(),
          duplicatesNotRedelivered.size(),
          unknown.size(),
          blockedNotices);
    }
  }

  /** Connection errors the clients' exception handler swallowed (they are expected here). */
  static final AtomicLong quietErrors = new AtomicLong();

  private static final AMQP.BasicProperties PERSISTENT =
      new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("text/plain").build();

  private final Settings settings;
  private final Address[] addresses;
  private final Set<String> published = ConcurrentHashMap.newKeySet();

  /** Confirmed ids, by when ({@link System#nanoTime()}) the confirm arrived. */
  private final Map<String, Long> confirmed = new ConcurrentHashMap<>();

  /** Sent ids by {@link System#nanoTime()} of their publish, for "confirmed while". */
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();

  private final Map<String, Integer> consumed = new ConcurrentHashMap<>();

  /** When (nanoTime) each id was first delivered to a consumer. */
  private final Map<String, Long> firstConsumedAt = new ConcurrentHashMap<>();

  private final List<String> duplicatesNotRedelivered = new ArrayList<>();
  private final AtomicLong redeliveredAgain = new AtomicLong();
  private final AtomicLong nacked = new AtomicLong();
  private final AtomicLong blocked = new AtomicLong();
  private final List<Connection> connections = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stop;

  /** Confirms of messages published after this {@link System#nanoTime()} are watched. */
  private volatile long watchFrom = Long.MAX_VALUE;

  private final AtomicLong firstConfirmAfterWatch = new AtomicLong();

  HaWorkload(String hostPorts, Settings settings) {
    this.settings = settings;
    this.addresses = Address.parseAddresses(hostPorts);
  }

  /** A connection factory for the HA clients: recovery every 100 ms, heartbeat 2 s. */
  static ConnectionFactory factory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setAutomaticRecoveryEnabled(true);
    f.setTopologyRecoveryEnabled(true);
    f.setNetworkRecoveryInterval(100);
    f.setConnectionTimeout(2_000);
    f.setRequestedHeartbeat(2);
    f.setHandshakeTimeout(5_000);
    // a killed broker makes every client log a stack trace per connection: keep the test log short
    f.setExceptionHandler(
        new ForgivingExceptionHandler() {
          @Override
          protected void log(String message, Throwable e) {
            quietErrors.incrementAndGet();
          }
        });
    return f;
  }

  /** Opens the connections, declares the queue and starts the producers and consumers. */
  void start() throws IOException, TimeoutException {
    ConnectionFactory f = factory();
    for (int k = 0; k < settings.consumers(); k++) {
      Connection c = connect(f, "ha-consumer-" + k);
      Channel ch = c.createChannel();
      ch.queueDeclare(settings.queue(), true, false, false, null);
      ch.basicQos(100);
      ch.basicConsume(settings.queue(), false, "ha-consumer-" + k, new Consumer(ch));
    }
    for (int k = 0; k < settings.producers(); k++) {
      Connection c = connect(f, "ha-producer-" + k);
      Producer p = new Producer(k, c.createChannel());
      Thread t = new Thread(p::run, "ha-producer-" + k);
      threads.add(t);
      t.start();
    }
  }

  private Connection connect(ConnectionFactory f, String name)
      throws IOException, TimeoutException {
    Connection c = f.newConnection(addresses, name);
    c.addBlockedListener(reason -> blocked.incrementAndGet(), () -> {});
    connections.add(c);
    return c;
  }

  /** How many publishes the broker confirmed so far. */
  long confirmedCount() {
    return confirmed.size();
  }

  /** The ids confirmed so far (a copy). */
  Set<String> confirmedIds() {
    return new HashSet<>(confirmed.keySet());
  }

  /** When (nanoTime) each id was sent, for ids sent so far (a copy). */
  Map<String, Long> sentTimes() {
    return Map.copyOf(sentAt);
  }

  /** When (nanoTime) each confirmed id was confirmed (a copy). */
  Map<String, Long> confirmTimes() {
    return Map.copyOf(confirmed);
  }

  /** When (nanoTime) each id consumed so far was first delivered (a copy). */
  Map<String, Long> firstConsumedTimes() {
    return Map.copyOf(firstConsumedAt);
  }

  /** Publishes the broker nacked so far. */
  long nackedCount() {
    return nacked.get();
  }

  /** {@code connection.blocked} notices received so far. */
  long blockedNotices() {
    return blocked.get();
  }

  /** Waits until at least {@code n} publishes are confirmed in all. */
  void awaitConfirmed(long n, Duration timeout) throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (confirmed.size() < n) {
      checkHealthy();
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "only " + confirmed.size() + " of " + n + " publishes confirmed within " + timeout);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  /**
   * Waits for the first confirm of a message published after {@code since} (nanoTime): the first
   * publish a broker that became live after {@code since} stored.
   *
   * @return when that confirm arrived (nanoTime)
   */
  long awaitFirstConfirmOfPublishAfter(long since, Duration timeout) throws TimeoutException {
    firstConfirmAfterWatch.set(0);
    watchFrom = since; // from here on handleAck notes such a confirm
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      // and one that arrived before: look through what is confirmed (once, then every 100 ms)
      long nextScan = System.nanoTime();
      while (true) {
        long watched = firstConfirmAfterWatch.get();
        if (watched != 0) {
          return Math.min(watched, earliestConfirmOfPublishAfter(since));
        }
        if (System.nanoTime() - nextScan > 0) {
          long scanned = earliestConfirmOfPublishAfter(since);
          if (scanned != Long.MAX_VALUE) {
            return scanned;
          }
          nextScan = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        }
        checkHealthy();
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("no publish after the kill was confirmed within " + timeout);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
      }
    } finally {
      watchFrom = Long.MAX_VALUE;
    }
  }

  private long earliestConfirmOfPublishAfter(long since) {
    long earliest = Long.MAX_VALUE;
    for (Map.Entry<String, Long> e : confirmed.entrySet()) {
      Long sent = sentAt.get(e.getKey());
      if (sent != null
          && sent - since > 0
          && (earliest == Long.MAX_VALUE || e.getValue() - earliest < 0)) {
        earliest = e.getValue();
      }
    }
    return earliest;
  }

  private void checkHealthy() {
    if (failure.get() != null) {
      throw new AssertionError("a client thread failed", failure.get());
    }
  }

  /**
   * Stops publishing, then waits until every confirmed message was consumed and the queue is empty
   * (after a last look), closes the connections and reports.
   *
   * @param drainTimeout how long the consumers may take
   */
  Report finish(Duration drainTimeout) throws Exception {
    stop = true;
    for (Thread t : threads) {
      t.join(30_000);
      if (t.isAlive()) {
        throw new AssertionError(t.getName() + " did not stop");
      }
    }
    checkHealthy();
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    try (Connection check = factory().newConnection(addresses, "ha-check")) {
      Channel ch = check.createChannel();
      while (true) {
        boolean allConsumed = consumed.keySet().containsAll(confirmed.keySet());
        int ready = ch.queueDeclarePassive(settings.queue()).getMessageCount();
        if (allConsumed && ready == 0) {
          break;
        }
        if (System.nanoTime() > deadline) {
          break; // the report says what is missing
        }
        Thread.sleep(50);
      }
    }
    for (Connection c : connections) {
      try {
        c.abort(5_000);
      } catch (RuntimeException e) {
        // best effort
      }
    }
    List<String> lost = new ArrayList<>();
    for (String id : confirmed.keySet()) {
      if (!consumed.containsKey(id)) {
        lost.add(id);
      }
    }
    lost.sort(null);
    List<String> unknown = new ArrayList<>();
    for (String id : consumed.keySet()) {
      if (!published.contains(id)) {
        unknown.add(id);
      }
    }
    List<String> dups;
    synchronized (duplicatesNotRedelivered) {
      dups = List.copyOf(duplicatesNotRedelivered);
    }
    return new Report(
        published.size(),
        confirmed.size(),
        nacked.get(),
        consumed.size(),
        redeliveredAgain.get(),
        lost,
        dups,
        unknown,
        blocked.get());
  }

  @Override
  public void close() {
    stop = true;
    for (Connection c : connections) {
      try {
        c.abort(1_000);
      } catch (RuntimeException e) {
        // best effort
      }
    }
  }

  /** Acks every delivery after recording it. */
  private final class Consumer extends DefaultConsumer {
    Consumer(Channel channel) {
      super(channel);
    }

    @Override
    public void handleDelivery(
        String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
      String id = new String(body, StandardCharsets.UTF_8);
      firstConsumedAt.putIfAbsent(id, System.nanoTime());
      int times = consumed.merge(id, 1, Integer::sum);
      if (times > 1) {
        if (envelope.isRedeliver()) {
          redeliveredAgain.incrementAndGet();
        } else {
          synchronized (duplicatesNotRedelivered) {
            duplicatesNotRedelivered.add(id);
          }
        }
      }
      try {
        getChannel().basicAck(envelope.getDeliveryTag(), false);
      } catch (IOException | AlreadyClosedException e) {
        // the connection died under the ack: the next live broker redelivers the message
      }
    }
  }

  /** One producer: a rate-limited loop of persistent publishes with confirms. */
  private final class Producer implements ConfirmListener {
    private final int number;
    private final Channel channel;
    private final Object lock = new Object();
    private final ConcurrentSkipListMap<Long, String> unconfirmed = new ConcurrentSkipListMap<>();
    private final Semaphore window;

    Producer(int number, Channel channel) throws IOException {
      this.number = number;
      this.channel = channel;
      this.window = new Semaphore(settings.window());
      channel.queueDeclare(settings.queue(), true, false, false, null);
      channel.confirmSelect();
      channel.addConfirmListener(this);
      // the old channel's outstanding publishes will never be answered (recovery opens a new one)
      channel.addShutdownListener(
          cause -> {
            synchronized (lock) {
              int n = unconfirmed.size();
              unconfirmed.clear();
              window.release(n);
            }
          });
    }

    void run() {
      long interval = TimeUnit.SECONDS.toNanos(1) / settings.ratePerProducer();
      long next = System.nanoTime();
      long n = 0;
      try {
        while (!stop) {
          long wait = next - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
          next = Math.max(next + interval, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(100));
          if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            continue;
          }
          String id = "p" + number + "-" + (++n);
          long seq;
          synchronized (lock) {
            seq = channel.getNextPublishSeqNo();
            unconfirmed.put(seq, id);
          }
          published.add(id);
          sentAt.put(id, System.nanoTime());
          try {
            channel.basicPublish(
                "", settings.queue(), PERSISTENT, id.getBytes(StandardCharsets.UTF_8));
            if (channel.getNextPublishSeqNo() != seq + 1) {
              forget(seq); // a recovery swapped the channel under this publish
            }
          } catch (IOException | ShutdownSignalException e) {
            forget(seq);
            Thread.sleep(20); // recovering: try again shortly
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException | Error e) {
        failure.compareAndSet(null, e);
      }
    }

    private void forget(long seq) {
      synchronized (lock) {
        if (unconfirmed.remove(seq) != null) {
          window.release();
        }
      }
    }

    @Override
    public void handleAck(long seqNo, boolean multiple) {
      long now = System.nanoTime();
      int n = 0;
      synchronized (lock) {
        Map<Long, String> settled =
            multiple
                ? unconfirmed.headMap(seqNo, true)
                : unconfirmed.subMap(seqNo, true, seqNo, true);
        for (String id : settled.values()) {
          confirmed.put(id, now);
          Long sent = sentAt.get(id);
          long from = watchFrom;
          if (sent != null && from != Long.MAX_VALUE && sent - from > 0) {
            firstConfirmAfterWatch.compareAndSet(0, now);
          }
          n++;
        }
        settled.clear();
      }
      window.release(n);
    }

    @Override
    public void handleNack(long seqNo, boolean multiple) {
      int n;
      synchronized (lock) {
        Map<Long, String> settled =
            multiple
                ? unconfirmed.headMap(seqNo, true)
                : unconfirmed.subMap(seqNo, true, seqNo, true);
        n = settled.size();
        settled.clear();
      }
      nacked.addAndGet(n);
      window.release(n);
    }
  }
}
