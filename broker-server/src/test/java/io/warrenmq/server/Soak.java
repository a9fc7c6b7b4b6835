package io.warrenmq.server;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import io.warrenmq.client.Passwords;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A soak of the server on PostgreSQL (issue 20): a durable queue holding a backlog of {@code
 * backlog} persistent messages of 1 KB, one producer publishing at {@code rate} messages a second
 * with publisher confirms (at most 1,000 unconfirmed) and one consumer (prefetch 200, an ack per
 * message) taking them at the same rate from the head, so that the backlog stays where it was and
 * the queue keeps paging its tail through the store. Every {@code sliceSeconds} it reports what was
 * published and consumed per second, the publish-to-confirm latency (p50, p99, max), the backlog,
 * the server's heap after a full GC and the size of the store's queue entry tables (PostgreSQL's
 * {@code pg_total_relation_size}, with indexes and TOAST).
 *
 * <p>Used by {@code benchmarks/soak.sh} ({@link #main}: its own server JVM on a fresh database, 30
 * minutes by default) and by {@code PostgresSoakTest} (2 minutes, through {@link #run}).
 *
 * <p>Thread-safety: one {@link #run} at a time per instance; the producer runs on the calling
 * thread, the consumer on the client library's thread.
 */
final class Soak {
  /** Body size of every message, bytes. */
  static final int BODY_BYTES = 1024;

  /** Most published messages not yet confirmed. */
  static final int CONFIRM_WINDOW = 1_000;

  /** What a soak does. */
  record Settings(
      int port, long durationSeconds, long sliceSeconds, int backlog, int rate, String queue) {}

  /**
   * One slice of the soak.
   *
   * @param endSecond seconds since the steady phase started, at the end of the slice
   * @param publishedPerSecond messages published (and later confirmed) per second
   * @param consumedPerSecond messages delivered and acked per second
   * @param confirmP50Ms median publish-to-confirm latency, ms (NaN if none was confirmed)
   * @param backlog messages in the queue at the end of the slice, from the counts
   * @param heapBytes the server's heap after a full GC, bytes
   * @param tableBytes {@code warren_message} and {@code warren_queue_entry} with their indexes
   */
  record Slice(
      long endSecond,
      double publishedPerSecond,
      double consumedPerSecond,
      double confirmP50Ms,
      double confirmP99Ms,
      double confirmMaxMs,
      long backlog,
      long heapBytes,
      long tableBytes) {}

  /**
   * The outcome.
   *
   * @param expectedBacklog the prefill plus every confirmed publish minus every ack
   * @param finalBacklog the queue's message count after the consumer closed ({@code
   *     queue.declare-ok})
   * @param nacks publishes the server refused ({@code basic.nack})
   */
  record Report(
      List<Slice> slices,
      long confirmed,
      long consumed,
      long nacks,
      long expectedBacklog,
      long finalBacklog,
      long heapBytesAtStart,
      long heapBytesAtEnd,
      long tableBytesAtStart,
      long tableBytesAtEnd) {}

  private final ServerProcess server;
  private final String storeUrl;
  private final String storeUser;
  private final String storePassword;
  private final PrintStream out;

  /**
   * @param server the server under soak, for its heap
   * @param storeUrl its store's database, for the table sizes
   * @param out where each slice is printed as it ends
   */
  Soak(
      ServerProcess server,
      String storeUrl,
      String storeUser,
      String storePassword,
      PrintStream out) {
    this.server = server;
    this.storeUrl = storeUrl;
    this.storeUser = storeUser;
    this.storePassword = storePassword;
    this.out = out;
  }

  /** Runs the soak and returns its report. */
  Report run(Settings s) throws Exception {
    ConnectionFactory cf = new ConnectionFactory();
    cf.setHost("127.0.0.1");
    cf.setPort(s.port());
    try (Connection producerConnection = cf.newConnection("soak-producer");
        Connection consumerConnection = cf.newConnection("soak-consumer")) {
      Channel pub = producerConnection.createChannel();
      pub.queueDeclare(s.queue(), true, false, false, null);
      Publisher publisher = new Publisher(pub, s.queue());
      long prefillStart = System.nanoTime();
      for (int i = 0; i < s.backlog(); i++) {
        publisher.publish();
      }
      publisher.awaitAllConfirmed();
      out.printf(
          Locale.ROOT,
          "soak: backlog of %,d filled in %.1f s%n",
          s.backlog(),
          (System.nanoTime() - prefillStart) / 1e9);
      long heapAtStart = server.stats().heapBytes();
      long tablesAtStart = tableBytes();
      long confirmedBefore = publisher.confirmed.get();
      publisher.latencies.clear();

      Channel sub = consumerConnection.createChannel();
      sub.basicQos(200);
      // unpaced (rate 0), the consumer follows the producer: it takes no more than was confirmed
      // since the steady phase began, so the backlog stays and its tail is still paged
      PacedConsumer consumer =
          new PacedConsumer(sub, s.rate(), () -> publisher.confirmed.get() - confirmedBefore);
      String tag = sub.basicConsume(s.queue(), false, consumer);

      List<Slice> slices = new ArrayList<>();
      long start = System.nanoTime();
      long sliceNanos = TimeUnit.SECONDS.toNanos(s.sliceSeconds());
      long end = start + TimeUnit.SECONDS.toNanos(s.durationSeconds());
      long sliceEnd = start + sliceNanos;
      long sent = 0;
      long sliceConfirmed = publisher.confirmed.get();
      long sliceConsumed = 0;
      while (true) {
        long now = System.nanoTime();
        if (now - sliceEnd >= 0) {
          long c = publisher.confirmed.get();
          long k = consumer.acked.get();
          double secs = s.sliceSeconds();
          long[] lat = publisher.drainLatencies();
          long heap = server.stats().heapBytes();
          Slice slice =
              new Slice(
                  TimeUnit.NANOSECONDS.toSeconds(sliceEnd - start),
                  (c - sliceConfirmed) / secs,
                  (k - sliceConsumed) / secs,
                  percentileMs(lat, 50),
                  percentileMs(lat, 99),
                  percentileMs(lat, 100),
                  s.backlog() + (c - confirmedBefore) - k,
                  heap,
                  tableBytes());
          slices.add(slice);
          print(slice);
          sliceConfirmed = c;
          sliceConsumed = k;
          sliceEnd += sliceNanos;
          if (now - end >= 0) {
            break;
          }
          continue;
        }
        // the producer, paced: message n goes at start + n / rate (unpaced at rate 0: as fast as
        // the confirm window lets it, to measure the maximum)
        long due = s.rate() > 0 ? start + sent * 1_000_000_000L / s.rate() : now;
        if (now - due < 0) {
          LockSupport.parkNanos(Math.min(due - now, sliceEnd - now));
          continue;
        }
        publisher.publish();
        sent++;
      }
      publisher.awaitAllConfirmed();
      consumer.stopping = true; // deliveries still buffered by the client stay unacked
      sub.basicCancel(tag);
      sub.close(); // unacked deliveries go back to the queue
      long finalBacklog = pub.queueDeclarePassive(s.queue()).getMessageCount();
      long confirmed = publisher.confirmed.get() - confirmedBefore;
      long consumed = consumer.acked.get();
      Report r =
          new Report(
              slices,
              confirmed,
              consumed,
              publisher.nacks.get(),
              s.backlog() + confirmed - consumed,
              finalBacklog,
              heapAtStart,
              server.stats().heapBytes(),
              tablesAtStart,
              tableBytes());
      out.printf(
          Locale.ROOT,
          "soak: %,d published and confirmed, %,d consumed, %d nacked; final backlog %,d"
              + " (expected %,d); server heap after GC %.1f MiB at the start, %.1f MiB at the end;"
              + " queue entry tables %.1f MiB at the start, %.1f MiB at the end%n",
          r.confirmed(),
          r.consumed(),
          r.nacks(),
          r.finalBacklog(),
          r.expectedBacklog(),
          r.heapBytesAtStart() / 1048576.0,
          r.heapBytesAtEnd() / 1048576.0,
          r.tableBytesAtStart() / 1048576.0,
          r.tableBytesAtEnd() / 1048576.0);
      return r;
    }
  }

  private void print(Slice s) {
    out.printf(
        Locale.ROOT,
        "soak: %5d s  published %8.1f msg/s  consumed %8.1f msg/s  confirm ms p50 %7.2f p99 %8.2f"
            + " max %8.2f  backlog %,9d  heap %7.1f MiB  tables %8.1f MiB%n",
        s.endSecond(),
        s.publishedPerSecond(),
        s.consumedPerSecond(),
        s.confirmP50Ms(),
        s.confirmP99Ms(),
        s.confirmMaxMs(),
        s.backlog(),
        s.heapBytes() / 1048576.0,
        s.tableBytes() / 1048576.0);
  }

  private static double percentileMs(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  /** The store's queue entry tables with their indexes and TOAST, bytes (-1 if unknown). */
  long tableBytes() {
    try (java.sql.Connection c = DriverManager.getConnection(storeUrl, storeUser, storePassword);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT pg_total_relation_size('warren_message')"
                    + " + pg_total_relation_size('warren_queue_entry')")) {
      return rs.next() ? rs.getLong(1) : -1;
    } catch (SQLException e) {
      return -1;
    }
  }

  /** Publishes persistent 1 KB messages with confirms, at most {@link #CONFIRM_WINDOW} open. */
  private static final class Publisher {
    final Channel channel;
    final String queue;
    final ConcurrentNavigableMap<Long, Long> open = new ConcurrentSkipListMap<>();
    final AtomicLong confirmed = new AtomicLong();
    final AtomicLong nacks = new AtomicLong();
    final java.util.concurrent.ConcurrentLinkedQueue<Long> latencies =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    final byte[] body = new byte[BODY_BYTES];

    Publisher(Channel channel, String queue) throws IOException {
      this.channel = channel;
      this.queue = queue;
      channel.confirmSelect();
      channel.addConfirmListener((seq, multiple) -> done(seq, multiple, false), this::nacked);
    }

    private void nacked(long seq, boolean multiple) {
      done(seq, multiple, true);
    }

    private void done(long seq, boolean multiple, boolean nack) {
      long now = System.nanoTime();
      ConcurrentNavigableMap<Long, Long> acked =
          multiple ? open.headMap(seq, true) : open.subMap(seq, true, seq, true);
      for (var e : acked.entrySet()) {
        if (open.remove(e.getKey()) != null) {
          if (nack) {
            nacks.incrementAndGet();
          } else {
            latencies.add(now - e.getValue());
          }
          confirmed.incrementAndGet();
        }
      }
    }

    void publish() throws IOException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (open.size() >= CONFIRM_WINDOW) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("no confirm for 60 s, " + open.size() + " open");
        }
        LockSupport.parkNanos(50_000);
      }
      long seq = channel.getNextPublishSeqNo();
      open.put(seq, System.nanoTime());
      channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body);
    }

    void awaitAllConfirmed() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!open.isEmpty()) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(open.size() + " publishes unconfirmed after 120 s");
        }
        LockSupport.parkNanos(1_000_000);
      }
    }

    long[] drainLatencies() {
      List<Long> taken = new ArrayList<>();
      for (Long l = latencies.poll(); l != null; l = latencies.poll()) {
        taken.add(l);
      }
      long[] a = taken.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(a);
      return a;
    }
  }

  /**
   * Acks each delivery, no faster than {@code rate} a second since its first; at rate 0 as fast as
   * they come, but never more than {@code allowed} (the publishes confirmed since the steady phase
   * began), so that the backlog is kept.
   */
  private static final class PacedConsumer extends DefaultConsumer {
    final AtomicLong acked = new AtomicLong();
    final int rate;
    final LongSupplier allowed;
    long first;
    volatile boolean stopping;

    PacedConsumer(Channel channel, int rate, LongSupplier allowed) {
      super(channel);
      this.rate = rate;
      this.allowed = allowed;
    }

    @Override
    public void handleDelivery(
        String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
        throws IOException {
      if (stopping) {
        return;
      }
      long n = acked.get();
      if (n == 0) {
        first = System.nanoTime();
      }
      if (rate > 0) {
        long due = first + n * 1_000_000_000L / rate;
        for (long now = System.nanoTime(); now - due < 0; now = System.nanoTime()) {
          LockSupport.parkNanos(due - now); // pacing, not waiting for an outcome
        }
      } else {
        while (n >= allowed.getAsLong() && !stopping) {
          LockSupport.parkNanos(100_000); // pacing behind the producer, not awaiting an outcome
        }
      }
      if (stopping) {
        return;
      }
      try {
        getChannel().basicAck(envelope.getDeliveryTag(), false);
      } catch (AlreadyClosedException e) {
        return; // the soak ended: the message goes back to the queue, not counted
      }
      acked.incrementAndGet();
    }
  }

  /**
   * {@code benchmarks/soak.sh}: creates a database {@code warren_soak_<random>} on the server,
   * starts a WarrenMQ server JVM on it, soaks it and prints each slice and the report, then stops
   * the server and drops the database.
   *
   * <p>Options: {@code --minutes N} (30; or {@code --seconds N}), {@code --rate N} msg/s (1000; the
   * issue asks for half the measured maximum; {@code --rate max} runs the producer unpaced and the
   * consumer behind it, keeping the backlog, to measure that maximum), {@code --backlog N}
   * (100000), {@code --slice-seconds N} (60), {@code --heap SIZE} (-Xmx of the server, 1g), {@code
   * --pg-server URL} ({@code jdbc:postgresql://127.0.0.1:5432/}), {@code --pg-user NAME}
   * (postgres); password: environment variable {@code PG_PASSWORD}.
   */
  public static void main(String[] args) throws Exception {
    long seconds = 30 * 60;
    int rate = 1000;
    int backlog = 100_000;
    long slice = 60;
    String heap = "1g";
    String pgServer = "jdbc:postgresql://127.0.0.1:5432/";
    String pgUser = "postgres";
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 == args.length) {
        usage(args[i]);
      }
      String v = args[i + 1];
      switch (args[i]) {
        case "--minutes" -> seconds = Long.parseLong(v) * 60;
        case "--seconds" -> seconds = Long.parseLong(v);
        case "--rate" -> rate = "max".equals(v) ? 0 : Integer.parseInt(v);
        case "--backlog" -> backlog = Integer.parseInt(v);
        case "--slice-seconds" -> slice = Long.parseLong(v);
        case "--heap" -> heap = v;
        case "--pg-server" -> pgServer = v.endsWith("/") ? v : v + "/";
        case "--pg-user" -> pgUser = v;
        default -> usage(args[i]);
      }
    }
    String pgPassword = System.getenv("PG_PASSWORD");
    String db = "warren_soak_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String admin = pgServer + "postgres";
    execute(admin, pgUser, pgPassword, "CREATE DATABASE " + db);
    PrintStream out = System.out;
    out.printf(
        Locale.ROOT,
        "soak: %d s at %s msg/s, backlog %,d, server -Xmx%s, store %s%n",
        seconds,
        rate > 0 ? Integer.toString(rate) : "the maximum (unpaced)",
        backlog,
        heap,
        Passwords.mask(pgServer + db));
    try {
      List<String> jvm =
          new ArrayList<>(List.of("-Xmx" + heap, "-Dwarren.test.jdbcUser=" + pgUser));
      if (pgPassword != null) {
        jvm.add("-Dwarren.test.jdbcPassword=" + pgPassword);
      }
      try (ServerProcess server =
          ServerProcess.startOnDatabase("soak-server", pgServer + db, jvm)) {
        new Soak(server, pgServer + db, pgUser, pgPassword, out)
            .run(new Settings(server.port(), seconds, slice, backlog, rate, "soak.q"));
        server.stop();
      }
    } finally {
      execute(admin, pgUser, pgPassword, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
    System.exit(0); // the client library's threads are not daemons
  }

  private static void usage(String arg) {
    System.err.println(
        "unknown or incomplete option "
            + arg
            + "; options: --minutes N | --seconds N, --rate N --backlog N --slice-seconds N --heap SIZE"
            + " --pg-server URL --pg-user NAME (password: PG_PASSWORD)");
    System.exit(2);
  }

  static void execute(String url, String user, String password, String sql) throws SQLException {
    try (java.sql.Connection c = DriverManager.getConnection(url, user, password);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
