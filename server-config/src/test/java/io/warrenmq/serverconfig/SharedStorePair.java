package io.warrenmq.serverconfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two WarrenMQ server processes on one fresh PostgreSQL database with {@code warrenmq.ha.mode =
 * shared-store} (README, "High availability"), run from broker-server's assembled distribution
 * ({@code bin/warrenmq-server}, directory named by the system property {@code
 * warren.it.broker.distribution}) as {@link StandaloneBroker} runs one: node {@code a} and node
 * {@code b}, each with its own AMQP port on 127.0.0.1, chosen free when the pair is made (a backup
 * binds its port only when it takes over, so clients list both from the start). The database is
 * created on the shared PostgreSQL server (127.0.0.1:5432, user {@code postgres} without a
 * password) by {@link #start} and dropped by {@link #close}.
 *
 * <p>The harness reads the nodes' standard output ({@code <dir>/<node>.out}) for the HA lines of
 * broker-server's {@code HaCoordinator}: {@code HA: node <name> is live (epoch <n>)} and {@code HA:
 * node <name> is backup; live is <name> (epoch <n>)} (broker-server's test harness {@code HaPair}
 * reads the same lines from nodes it runs on its own class path).
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it.
 */
public final class SharedStorePair implements AutoCloseable {
  /** The shared PostgreSQL server of the machine (never stopped by these tests). */
  public static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

  private static final Pattern LIVE = Pattern.compile("HA: node (\\S+) is live \\(epoch (\\d+)\\)");
  private static final Pattern BACKUP = Pattern.compile("HA: node (\\S+) is backup; live is ");
  private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

  private final Path distribution;
  private final Path dir;
  private final String database;
  private final Node a;
  private final Node b;
  private Node live;

  private SharedStorePair(Path distribution, Path dir, String database) {
    this.distribution = distribution;
    this.dir = dir;
    this.database = database;
    this.a = new Node("a", freePort());
    this.b = new Node("b", freePort());
  }

  /**
   * Whether the shared PostgreSQL server answers on 127.0.0.1:5432 (the HA tests skip without it).
   */
  public static boolean postgresReachable() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Creates a fresh database, starts node {@code a} and waits until it is live, then node {@code b}
   * and waits until it is backup. {@code dir} is deleted first if present.
   *
   * @throws IllegalStateException if the distribution is not built
   * @throws AssertionError if a node exits or does not get there within 120 s (its output in the
   *     message)
   */
  public static SharedStorePair start(Path dir) throws Exception {
    Path distribution =
        Path.of(
            System.getProperty(
                "warren.it.broker.distribution", "../broker-server/target/warrenmq-server"));
    if (!Files.isExecutable(distribution.resolve("bin/warrenmq-server"))) {
      throw new IllegalStateException(
          distribution.toAbsolutePath()
              + "/bin/warrenmq-server is missing: build broker-server first (mvn package)");
    }
    StandaloneBroker.deleteTree(dir);
    Files.createDirectories(dir);
    String database =
        "warren_ha_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    execute(POSTGRES + "postgres", "CREATE DATABASE " + database);
    SharedStorePair pair = new SharedStorePair(distribution, dir.toAbsolutePath(), database);
    try {
      pair.a.launch();
      pair.a.await(LIVE);
      pair.live = pair.a;
      pair.b.launch();
      pair.b.await(BACKUP);
      return pair;
    } catch (Exception | AssertionError e) {
      pair.close();
      throw e;
    }
  }

  /** The store's JDBC URL (user {@code postgres}, no password). */
  public String jdbcUrl() {
    return POSTGRES + database;
  }

  /**
   * The broker list for a client: {@code amqp://guest:guest@127.0.0.1:<a>,127.0.0.1:<b>} followed
   * by {@code query} ({@code ?...}, or empty).
   */
  public String url(String query) {
    return "amqp://guest:guest@127.0.0.1:" + a.port + ",127.0.0.1:" + b.port + query;
  }

  /** The node the harness last saw become live. */
  public Node live() {
    return live;
  }

  /** Both nodes. */
  public List<Node> nodes() {
    return List.of(a, b);
  }

  /**
   * Kills the live node with SIGKILL and waits until the other one logs {@code is live} with a
   * newer epoch.
   *
   * @return milliseconds from just before the signal to the harness reading the new live line
   *     (polled every 20 ms)
   * @throws AssertionError if no takeover within 60 s (the backup's output in the message)
   */
  public long killLiveAndAwaitTakeover() throws Exception {
    Node killed = live;
    Node backup = killed == a ? b : a;
    long epoch = killed.epoch();
    long before = System.nanoTime();
    killed.process.destroyForcibly();
    if (!killed.process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("node " + killed.name + " survived SIGKILL");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (backup.epoch() > epoch) {
        live = backup;
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
      }
      if (!backup.process.isAlive()) {
        throw new AssertionError("the backup exited: " + backup.output());
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no takeover within 60 s of the kill: " + backup.output());
  }

  /**
   * Rows of the broker store's prepared XA branches ({@code warren_xa_branch}) plus PostgreSQL's
   * own prepared transactions in the store's database ({@code pg_prepared_xacts}): 0 when nothing
   * is in doubt.
   */
  public int preparedInStore() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(), "postgres", null);
        Statement st = c.createStatement();
        ResultSet r =
            st.executeQuery(
                "SELECT (SELECT count(*) FROM warren_xa_branch)"
                    + " + (SELECT count(*) FROM pg_prepared_xacts"
                    + " WHERE database = current_database())")) {
      r.next();
      return r.getInt(1);
    }
  }

  /** Kills whatever still runs and drops the database. */
  @Override
  public void close() throws Exception {
    for (Node n : nodes()) {
      if (n.process != null && n.process.isAlive()) {
        n.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
    execute(POSTGRES + "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  private static void execute(String jdbcUrl, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", null);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port: " + e, e);
    }
  }

  /** One server process of the pair. */
  public final class Node {
    private final String name;
    private final int port;
    private Process process;

    private Node(String name, int port) {
      this.name = name;
      this.port = port;
    }

    /** {@code a} or {@code b}. */
    public String name() {
      return name;
    }

    /** Its AMQP port on 127.0.0.1. */
    public int port() {
      return port;
    }

    /** The node's standard output and error so far (for failure messages). */
    public String output() {
      try {
        return Files.readString(dir.resolve(name + ".out"))
            + Files.readString(dir.resolve(name + ".err"));
      } catch (IOException e) {
        return "(no output: " + e + ")";
      }
    }

    /** The highest epoch this node logged itself live with, 0 if none. */
    long epoch() {
      long epoch = 0;
      Matcher m = LIVE.matcher(output());
      while (m.find()) {
        epoch = Math.max(epoch, Long.parseLong(m.group(2)));
      }
      return epoch;
    }

    private void launch() throws IOException {
      Path conf =
          Files.write(
              dir.resolve(name + ".conf"),
              List.of(
                  "listeners.tcp.default = 127.0.0.1:" + port,
                  "warrenmq.store.jdbc_url = "
                      + jdbcUrl()
                      + "?ApplicationName=warrenmq-ha-"
                      + name.toLowerCase(Locale.ROOT),
                  "warrenmq.store.jdbc_user = postgres",
                  "warrenmq.ha.mode = shared-store",
                  "warrenmq.ha.node_name = " + name));
      ProcessBuilder builder =
          new ProcessBuilder(
                  distribution.resolve("bin/warrenmq-server").toString(),
                  "--config",
                  conf.toString())
              .redirectOutput(dir.resolve(name + ".out").toFile())
              .redirectError(dir.resolve(name + ".err").toFile());
      builder.environment().put("WARRENMQ_LOG_DIR", dir.resolve(name + "-log").toString());
      builder.environment().put("JAVA_OPTS", "-Xmx256m");
      process = builder.start();
    }

    private void await(Pattern line) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
      while (System.nanoTime() < deadline) {
        if (line.matcher(output()).find()) {
          return;
        }
        if (!process.isAlive()) {
          throw new AssertionError(
              "node " + name + " exited with " + process.exitValue() + ": " + output());
        }
        Thread.sleep(100);
      }
      throw new AssertionError(
          "node " + name + " did not log '" + line + "' in 120 s: " + output());
    }
  }
}
