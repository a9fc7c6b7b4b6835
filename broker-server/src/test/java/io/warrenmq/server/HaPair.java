package io.warrenmq.server;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two standalone WarrenMQ servers ({@link Main} with a configuration file, each in its own JVM) on
 * one PostgreSQL database with {@code warrenmq.ha.mode = shared-store} (issue 19): node {@code a}
 * and node {@code b}, each with its own AMQP port and management port on 127.0.0.1, chosen free
 * once and kept across restarts (clients list both addresses). The test-support class of the HA
 * tests: it writes the configuration, starts, kills ({@code SIGKILL}), freezes ({@code SIGSTOP})
 * and thaws ({@code SIGCONT}) the nodes, and reads their logs for the HA lines:
 *
 * <ul>
 *   <li>{@code HA: node <name> is live (epoch <n>)}: the node took the lease and listens;
 *   <li>{@code HA: node <name> is backup; live is <name> (epoch <n>)}: the node waits, unbound.
 * </ul>
 *
 * <p>{@link Mode#SINGLE_SERVER} runs the same workload against one ordinary server (no {@code
 * warrenmq.ha.*} keys): node {@code a} only, restarted on its own port after each kill, and "live"
 * when it logs {@code Server startup complete}; its "epoch" counts its starts. The tests run in
 * {@link Mode#SHARED_STORE} unless {@code -Dwarren.test.haMode=single}.
 *
 * <p>Logs: {@code target/ha/<pair>-<node>.log} (standard output and error of every start of the
 * node, appended; the lines a start wrote are those after its offset). The server JVM's class path
 * is this JVM's, or the one {@code warren.test.serverClasspathFile} names (for tests of other
 * modules, whose class path lacks the server's launcher and logging; see {@code
 * serverClasspathOptions}).
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it ({@link Node#acceptsConnections()}
 * and the log reads may be called from other threads).
 */
public final class HaPair implements AutoCloseable {
  /** How the pair runs. */
  public enum Mode {
    /** Two nodes with {@code warrenmq.ha.mode = shared-store}. */
    SHARED_STORE,
    /** One ordinary server restarted in place: the harness's own check without HA. */
    SINGLE_SERVER;

    /**
     * {@link #SHARED_STORE}, or {@link #SINGLE_SERVER} with {@code -Dwarren.test.haMode=single}.
     */
    public static Mode fromSystemProperty() {
      return "single".equals(System.getProperty("warren.test.haMode"))
          ? SINGLE_SERVER
          : SHARED_STORE;
    }
  }

  /** The exit status of a live broker that lost its lease or was fenced (the HA contract). */
  public static final int HALT_EXIT = 3;

  /** Exit value the JDK reports for a process ended by SIGKILL (128 + 9). */
  public static final int SIGKILL_EXIT = 137;

  /** The shared PostgreSQL server of the machine (never stopped by these tests). */
  public static final String SHARED_POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

  static final Pattern LIVE = Pattern.compile("HA: node (\\S+) is live \\(epoch (\\d+)\\)");
  static final Pattern BACKUP =
      Pattern.compile("HA: node (\\S+) is backup; live is (\\S+) \\(epoch (\\d+)\\)");
  static final Pattern STARTED = Pattern.compile("Server startup complete in \\d+ ms");

  private static final List<String> JVM =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final Mode mode;
  private final Node a;
  private final Node b;
  private Node live;
  private long epoch;

  /**
   * A takeover as the harness saw it.
   *
   * @param killed the node that was killed (or frozen)
   * @param live the node that is live now
   * @param killedAtNanos {@link System#nanoTime()} just before the signal
   * @param deadAtNanos when the killed JVM was seen gone ({@code killedAtNanos} for a freeze)
   * @param liveAtNanos when the harness read the new live node's line
   * @param epoch the new live node's epoch
   */
  public record Takeover(
      Node killed, Node live, long killedAtNanos, long deadAtNanos, long liveAtNanos, long epoch) {
    /** Milliseconds from the kill to the new live node's log line (as polled, 20 ms steps). */
    public long toLiveMillis() {
      return TimeUnit.NANOSECONDS.toMillis(liveAtNanos - killedAtNanos);
    }
  }

  private HaPair(Mode mode, Node a, Node b) {
    this.mode = mode;
    this.a = a;
    this.b = b;
  }

  /**
   * A pair (not started) on the database of {@code jdbcUrl}, as user {@code postgres} without a
   * password.
   *
   * @param name names the log files ({@code target/ha/<name>-a.log})
   * @param extraConf more lines for both nodes' configuration files ({@code key = value}), e.g. the
   *     lease settings
   */
  public static HaPair create(String name, Mode mode, String jdbcUrl, List<String> extraConf)
      throws IOException {
    Path dir = Path.of("target", "ha").toAbsolutePath();
    Files.createDirectories(dir);
    Path logback = dir.resolve("logback-ha.xml");
    Files.writeString(
        logback,
        """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <target>System.err</target>
            <encoder>
              <pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern>
            </encoder>
          </appender>
          <logger name="io.warrenmq" level="INFO"/>
          <root level="WARN"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
    Node a = new Node(name, "a", mode, jdbcUrl, extraConf, dir, logback);
    Node b = new Node(name, "b", mode, jdbcUrl, extraConf, dir, logback);
    return new HaPair(mode, a, b);
  }

  public Mode mode() {
    return mode;
  }

  /** Replaces the extra configuration lines of both nodes, for their next starts. */
  public void setExtraConf(List<String> lines) {
    a.extraConf = List.copyOf(lines);
    b.extraConf = List.copyOf(lines);
  }

  public Node a() {
    return a;
  }

  public Node b() {
    return b;
  }

  /** Both nodes, {@code a} first. */
  public List<Node> nodes() {
    return List.of(a, b);
  }

  /** The node the harness last saw become live. */
  public Node live() {
    return live;
  }

  /** The other node. */
  public Node backup() {
    return live == a ? b : a;
  }

  /** The live node's epoch as last read from its log. */
  public long epoch() {
    return epoch;
  }

  /** {@code 127.0.0.1:<port of a>,127.0.0.1:<port of b>}: a client's broker list. */
  public String hostPorts() {
    return "127.0.0.1:" + a.port + ",127.0.0.1:" + b.port;
  }

  /**
   * Starts node {@code a} and waits until it is live, then (shared store) node {@code b} and waits
   * until it is backup.
   *
   * @throws TimeoutException if a node does not get there within 90 s (its log is in the message)
   */
  public void start() throws IOException, InterruptedException, TimeoutException {
    a.start();
    Matcher m = a.awaitLive(Duration.ofSeconds(90));
    live = a;
    epoch = epochOf(m, a);
    if (mode == Mode.SHARED_STORE) {
      b.start();
      b.awaitLog(BACKUP, Duration.ofSeconds(90));
    }
  }

  /**
   * Kills the live node with SIGKILL, starts it again at once (it comes back as the backup, or wins
   * the lease itself), and waits until a node is live with a newer epoch and the other is backup.
   * In {@link Mode#SINGLE_SERVER}: kills and restarts the server.
   *
   * @param timeout for the new live node, and again for the backup
   */
  public Takeover killLiveAndTakeOver(Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    Node killed = live;
    long killedAt = System.nanoTime();
    int exit = killed.kill();
    if (exit != SIGKILL_EXIT) {
      throw new IllegalStateException(
          "node " + killed.name + " ended with " + exit + " before the kill; see " + killed.log);
    }
    long deadAt = System.nanoTime();
    killed.start();
    Takeover t = awaitNewLive(killed, killedAt, deadAt, timeout);
    awaitBackup(timeout);
    return t;
  }

  /**
   * Waits until a node logs {@code is live} with an epoch above the last one seen, and records it
   * as the live node.
   *
   * @param killed the node that was killed or frozen, for the record
   */
  public Takeover awaitNewLive(Node killed, long killedAt, long deadAt, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Node n : nodes()) {
        if (!n.running()) {
          continue;
        }
        for (Matcher m : n.logMatches(n.mode == Mode.SHARED_STORE ? LIVE : STARTED)) {
          long e = epochOf(m, n);
          if (e > epoch) {
            long at = System.nanoTime();
            epoch = e;
            live = n;
            return new Takeover(killed, n, killedAt, deadAt, at, e);
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "no node became live with an epoch above "
                + epoch
                + " within "
                + timeout
                + "\n"
                + a.describe()
                + "\n"
                + b.describe());
      }
      Thread.sleep(20);
    }
  }

  /** Waits until the node that is not live says it is backup (shared store; else returns). */
  public void awaitBackup(Duration timeout) throws InterruptedException, TimeoutException {
    if (mode == Mode.SHARED_STORE) {
      backup().awaitLog(BACKUP, timeout);
    }
  }

  private long epochOf(Matcher m, Node n) {
    return n.mode == Mode.SHARED_STORE ? Long.parseLong(m.group(2)) : n.starts;
  }

  /** Kills whatever still runs. */
  @Override
  public void close() throws InterruptedException {
    for (Node n : nodes()) {
      if (n.running()) {
        n.signal("CONT"); // a frozen JVM would not die
        n.kill();
      }
    }
  }

  /** One broker process of the pair, started again and again on the same ports. */
  public static final class Node {
    private final String name;
    private final Mode mode;
    private final int port;
    private final int managementPort;
    private final Path conf;
    private final Path log;
    private final Path logback;
    private final String jdbcUrl;
    private List<String> extraConf;
    private Process process;
    private long logOffset;
    private int starts;

    private Node(
        String pair,
        String name,
        Mode mode,
        String jdbcUrl,
        List<String> extraConf,
        Path dir,
        Path logback) {
      this.name = name;
      this.mode = mode;
      this.port = freePort();
      this.managementPort = freePort();
      this.conf = dir.resolve(pair + "-" + name + ".conf");
      this.log = dir.resolve(pair + "-" + name + ".log");
      this.logback = logback;
      this.jdbcUrl = jdbcUrl;
      this.extraConf = extraConf;
    }

    /** {@code a} or {@code b}. */
    public String name() {
      return name;
    }

    /** Its AMQP port on 127.0.0.1. */
    public int port() {
      return port;
    }

    /** Its management HTTP port on 127.0.0.1. */
    public int managementPort() {
      return managementPort;
    }

    /** The PostgreSQL {@code application_name} of its store's connections (set in its URL). */
    public String applicationName() {
      return "warrenmq-ha-" + name;
    }

    /**
     * Every {@code application_name} its sessions use: the store's (from the URL) and the lease
     * connection's ({@code warrenmq-ha <node>}, set by the server itself).
     */
    public List<String> applicationNames() {
      return List.of(applicationName(), "warrenmq-ha " + name);
    }

    /** Its log file. */
    public Path log() {
      return log;
    }

    /** The OS process id of its current JVM. */
    public long pid() {
      return process.pid();
    }

    /** Whether its current JVM runs (frozen counts as running). */
    public boolean running() {
      return process != null && process.isAlive();
    }

    /** Writes its configuration and starts its JVM (does not wait). */
    public void start() throws IOException {
      if (running()) {
        throw new IllegalStateException("node " + name + " runs already");
      }
      String url =
          jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "ApplicationName=" + applicationName();
      List<String> lines = new ArrayList<>();
      lines.add("listeners.tcp.default = 127.0.0.1:" + port);
      lines.add("management.tcp.ip = 127.0.0.1");
      lines.add("management.tcp.port = " + managementPort);
      lines.add("warrenmq.store.jdbc_url = " + url);
      lines.add("warrenmq.store.jdbc_user = postgres");
      if (mode == Mode.SHARED_STORE) {
        lines.add("warrenmq.ha.mode = shared-store");
        lines.add("warrenmq.ha.node_name = " + name);
        lines.addAll(extraConf);
      }
      Files.write(conf, lines);
      logOffset = Files.exists(log) ? Files.size(log) : 0;
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(JVM);
      cmd.add("-Dlogback.configurationFile=" + logback);
      cmd.addAll(serverClasspathOptions());
      cmd.add(Main.class.getName());
      cmd.add("--config");
      cmd.add(conf.toString());
      Files.writeString(
          log,
          "==== start " + (starts + 1) + " of node " + name + " ====\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      starts++;
    }

    /** Waits until this start logs that it is live (shared store) or started (single server). */
    public Matcher awaitLive(Duration timeout) throws InterruptedException, TimeoutException {
      return awaitLog(mode == Mode.SHARED_STORE ? LIVE : STARTED, timeout);
    }

    /**
     * Waits until the current start's log has a line matching {@code pattern}.
     *
     * @throws TimeoutException after {@code timeout}, or at once when the JVM ended without it
     */
    public Matcher awaitLog(Pattern pattern, Duration timeout)
        throws InterruptedException, TimeoutException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        List<Matcher> found = logMatches(pattern);
        if (!found.isEmpty()) {
          return found.get(0);
        }
        if (!running()) {
          throw new TimeoutException(
              "node " + name + " ended without logging '" + pattern + "'\n" + describe());
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              "node "
                  + name
                  + " did not log '"
                  + pattern
                  + "' within "
                  + timeout
                  + "\n"
                  + describe());
        }
        Thread.sleep(20);
      }
    }

    /** Every match of {@code pattern} in what the current start logged, in order. */
    public List<Matcher> logMatches(Pattern pattern) {
      List<Matcher> found = new ArrayList<>();
      for (String line : logSinceStart().split("\n")) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          found.add(m);
        }
      }
      return found;
    }

    /** What the current start logged so far. */
    public String logSinceStart() {
      try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
        long length = f.length();
        if (length <= logOffset) {
          return "";
        }
        byte[] bytes = new byte[(int) (length - logOffset)];
        f.seek(logOffset);
        f.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }

    /** Sends SIGKILL and waits for the JVM to end; returns its exit value (137 for the kill). */
    public int kill() throws InterruptedException {
      process.destroyForcibly();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("node " + name + " survived SIGKILL");
      }
      return process.exitValue();
    }

    /** Sends a signal with {@code kill -<signal> <pid>}: {@code STOP}, {@code CONT}, ... */
    public void signal(String signal) throws InterruptedException {
      try {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
        }
      } catch (IOException e) {
        throw new IllegalStateException("kill -" + signal + " " + pid() + ": " + e, e);
      }
    }

    /**
     * Waits for the JVM to end by itself.
     *
     * @return its exit value, or empty if it still runs after {@code timeout}
     */
    public Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return Optional.of(process.exitValue());
      }
      return Optional.empty();
    }

    /** Whether a TCP connection to its AMQP port succeeds now (within 250 ms). */
    public boolean acceptsConnections() {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 250);
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    /**
     * GET of a management API path ({@code /api/nodes}, {@code /metrics}) as {@code guest}.
     *
     * @return the body
     * @throws IOException if it does not answer 200
     */
    public String httpGet(String path) throws IOException, InterruptedException {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpRequest req =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
              .header(
                  "Authorization",
                  "Basic "
                      + Base64.getEncoder()
                          .encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
              .timeout(Duration.ofSeconds(10))
              .build();
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("GET " + path + " of node " + name + ": " + r.statusCode());
      }
      return r.body();
    }

    /** For failure messages: state and the last 40 lines of the current start's log. */
    public String describe() {
      String[] lines = logSinceStart().split("\n");
      StringBuilder s =
          new StringBuilder("--- node ")
              .append(name)
              .append(" (port ")
              .append(port)
              .append(", ")
              .append(
                  process == null
                      ? "never started"
                      : process.isAlive() ? "running" : "exited " + process.exitValue())
              .append(", log ")
              .append(log)
              .append("), last lines:\n");
      for (int i = Math.max(0, lines.length - 40); i < lines.length; i++) {
        s.append(lines[i]).append('\n');
      }
      return s.toString();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * The server JVM's class path options: this JVM's class path with its class-data sharing archive
   * ({@link SharedClassArchive}), or (tests of other modules) {@code warren.test.serverClasses}
   * followed by the content of {@code warren.test.serverClasspathFile} (broker-server's {@code
   * target/server-runtime.classpath}).
   */
  private static List<String> serverClasspathOptions() throws IOException {
    String file = System.getProperty("warren.test.serverClasspathFile");
    if (file == null) {
      return SharedClassArchive.classPathOptions();
    }
    return List.of(
        "-cp",
        System.getProperty("warren.test.serverClasses")
            + java.io.File.pathSeparator
            + Files.readString(Path.of(file)).trim());
  }

  /** Lowest port {@link #freePort} picks: above the well-known and registered services we run. */
  private static final int FIRST_NODE_PORT = 20_000;

  /** RabbitMQ's listeners on this machine's loopback (management, Prometheus, distribution). */
  private static final Set<Integer> RESERVED = Set.of(25672, 15672, 15692);

  /**
   * A free TCP port on 127.0.0.1 for a node, below the kernel's ephemeral range ({@code
   * /proc/sys/net/ipv4/ip_local_port_range}, 32768 by default). A node keeps its ports across a
   * kill and restart, and while it is down its port is free: a port from the ephemeral range could
   * meanwhile be handed to any other test's port-0 bind (other test JVMs run at the same time), and
   * a client reconnecting to the node's address would reach that other broker, and the node's
   * restart would fail with "Address already in use". Ports below the range are never handed out
   * for port 0. Picked at random and bound once to check that it is free.
   */
  static int freePort() {
    int below = ephemeralRangeStart();
    Random random = new Random();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = FIRST_NODE_PORT + random.nextInt(below - FIRST_NODE_PORT);
      if (RESERVED.contains(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException inUse) {
        // taken: try another
      }
    }
    throw new IllegalStateException(
        "no free port between " + FIRST_NODE_PORT + " and " + below + " after 200 tries");
  }

  /** The first port of the kernel's ephemeral range; 32768 where it cannot be read. */
  private static int ephemeralRangeStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int start = Integer.parseInt(range.split("\\s+")[0]);
      return start > FIRST_NODE_PORT + 1_000 ? start : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  /** Whether the shared PostgreSQL server answers on 127.0.0.1:5432. */
  public static boolean sharedPostgresReachable() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Creates a fresh database on the shared PostgreSQL server.
   *
   * @return its JDBC URL
   */
  public static String createDatabase(String prefix) throws SQLException {
    String db =
        prefix.toLowerCase(Locale.ROOT)
            + "_"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    execute(SHARED_POSTGRES + "postgres", "CREATE DATABASE " + db);
    return SHARED_POSTGRES + db;
  }

  /** Drops a database {@link #createDatabase} made (its sessions terminated). */
  public static void dropDatabase(String jdbcUrl) throws SQLException {
    String db = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
    execute(SHARED_POSTGRES + "postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
  }

  /** Runs one statement as {@code postgres}. */
  public static void execute(String jdbcUrl, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", null);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /**
   * Terminates ({@code pg_terminate_backend}) every session of a node on its store's database,
   * found by their {@code application_name}s ({@link Node#applicationNames()}) in that database
   * only: every pair names its nodes {@code a} and {@code b}, and another test class's pair may run
   * beside this one on the same server.
   *
   * @param serverUrl the store's database
   * @return the number of sessions terminated
   */
  public static int terminateBackends(String serverUrl, List<String> applicationNames)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(serverUrl, "postgres", null);
        PreparedStatement st =
            c.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = ANY (?) AND datname = current_database()"
                    + " AND pid <> pg_backend_pid()")) {
      st.setArray(1, c.createArrayOf("text", applicationNames.toArray()));
      try (ResultSet r = st.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  /** The sessions of the server by {@code application_name} (for messages). */
  public static Map<String, Integer> sessionsByApplication(String serverUrl) throws SQLException {
    Map<String, Integer> out = new java.util.TreeMap<>();
    try (Connection c = DriverManager.getConnection(serverUrl, "postgres", null);
        Statement st = c.createStatement();
        ResultSet r =
            st.executeQuery(
                "SELECT application_name, count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() GROUP BY application_name")) {
      while (r.next()) {
        out.put(r.getString(1), r.getInt(2));
      }
    }
    return out;
  }
}
