package io.warrenmq.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A broker of a {@link BrokerUnderTest#WIRE} trial in a JVM of its own, listening on 127.0.0.1, so
 * that the benchmark's client reaches it over TCP as a remote application would: WarrenMQ's
 * standalone server distribution ({@code bin/warrenmq-server} of {@link #serverHome()}, with a
 * configuration file written here: the listener, the trial's H2 directory or PostgreSQL database,
 * durability {@code power_loss}) or ActiveMQ Artemis ({@link ArtemisServerMain} on the benchmark's
 * class path: the same configuration as the in-VM trial's plus a Netty acceptor). Both JVMs get the
 * benchmark fork's heap flags ({@value #HEAP}).
 *
 * <p>The broker's standard output and error go to {@code <warren.bench.logDir, default
 * target/bench-logs>/<kind>-<port>.log}, kept after the trial.
 *
 * <p>Thread-safety: confined to the thread that runs a trial's set-up and tear-down.
 */
final class BrokerProcess implements AutoCloseable {

  /**
   * The options of Artemis's Netty acceptor and connector: NIO, as WarrenMQ's server and client
   * use, instead of Artemis's default native epoll, whose JNI library (Netty 4.1, Artemis's) does
   * not load next to the Netty 4.2 classes of the benchmark's class path.
   */
  static final String ARTEMIS_NETTY = "useEpoll=false";

  /** The broker JVM's heap flags, as the benchmark forks'. */
  static final String HEAP = "-Xms2g -Xmx2g";

  /**
   * The broker JVM's options: {@link #HEAP}, then those of system property {@code
   * warren.bench.brokerJvmArgs} (space separated; default none), e.g. a JFR recording: {@code
   * -Dwarren.bench.brokerJvmArgs=-XX:StartFlightRecording=filename=/tmp/broker.jfr,settings=profile}.
   * Each broker JVM gets the same options, as the forks do.
   */
  static List<String> jvmOptions() {
    String all = HEAP + " " + System.getProperty("warren.bench.brokerJvmArgs", "");
    return List.of(all.trim().split(" +"));
  }

  /**
   * Settings appended to each WarrenMQ server's {@code warrenmq.conf}, for an experiment: those of
   * system property {@code warren.bench.brokerConf}, separated by {@code ;} (default none), e.g.
   * {@code -Dwarren.bench.brokerConf=warrenmq.queue_window=512MiB}. A later setting of a key
   * overrides the benchmark's own; a setting the server refuses stops the trial with the server's
   * configuration error.
   */
  static List<String> extraSettings() {
    return Arrays.stream(System.getProperty("warren.bench.brokerConf", "").split(";"))
        .map(String::strip)
        .filter(line -> !line.isEmpty())
        .toList();
  }

  /** How long a broker may take to accept connections, seconds. */
  static final long START_SECONDS = 120;

  /** How long a broker may take to stop after SIGTERM before it is killed, seconds. */
  static final long STOP_SECONDS = 30;

  private final Process process;
  private final int port;
  private final Path log;

  private BrokerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a broker and returns once it accepts TCP connections.
   *
   * @param kind {@link BrokerUnderTest#WARREN} or {@link BrokerUnderTest#ARTEMIS}
   * @param dir the trial's data directory (exists)
   * @param database the trial's database on {@link BrokerUnderTest#pgServer()}, or null for each
   *     broker's file store
   * @throws IllegalStateException if the broker exits or does not accept connections within {@value
   *     #START_SECONDS} s (the message holds the end of its log)
   */
  static BrokerProcess start(String kind, Path dir, String database) {
    int port = freePort();
    List<String> command = new ArrayList<>();
    Map<String, String> env = new HashMap<>();
    if (BrokerUnderTest.WARREN.equals(kind)) {
      // the distribution as an operator runs it: its script, jars, conf/logback.xml
      Path script = serverHome().resolve("bin").resolve("warrenmq-server");
      if (!Files.isExecutable(script)) {
        throw new IllegalStateException(
            "no WarrenMQ server distribution at "
                + serverHome().toAbsolutePath()
                + " (warren.bench.serverHome; build it with mvn -pl broker-server -am package"
                + " -DskipTests, as benchmarks/run.sh does)");
      }
      command.add(script.toString());
      command.add("--config");
      command.add(warrenConfig(dir, database, port).toString());
      env.put("JAVA_HOME", System.getProperty("java.home"));
      env.put("JAVA_OPTS", String.join(" ", jvmOptions()));
      env.put("WARRENMQ_LOG_DIR", dir.resolve("logs").toAbsolutePath().toString());
    } else {
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions());
      command.add("-Dwarren.bench.pgServer=" + BrokerUnderTest.pgServer());
      command.add("-Dwarren.bench.pgUser=" + BrokerUnderTest.pgUser());
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(ArtemisServerMain.class.getName());
      command.add(dir.toAbsolutePath().toString());
      command.add(String.valueOf(port));
      if (database != null) {
        command.add(database);
      }
      if (BrokerUnderTest.pgPassword() != null) {
        // in the environment, not on a command line that ps shows
        env.put(ArtemisServerMain.PG_PASSWORD_ENV, BrokerUnderTest.pgPassword());
      }
    }
    Path logDir = Path.of(System.getProperty("warren.bench.logDir", "target/bench-logs"));
    Path log = logDir.resolve(kind + "-" + port + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process;
    try {
      Files.createDirectories(logDir);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + kind + ": " + e.getMessage(), e);
    }
    BrokerProcess broker = new BrokerProcess(process, port, log);
    broker.awaitListening(kind);
    return broker;
  }

  /**
   * The WarrenMQ server distribution: system property {@code warren.bench.serverHome}, default
   * {@code ../broker-server/target/warrenmq-server} (from the benchmarks module's directory, where
   * {@code run.sh} runs).
   */
  static Path serverHome() {
    return Path.of(
        System.getProperty("warren.bench.serverHome", "../broker-server/target/warrenmq-server"));
  }

  /** The port the broker listens on, on 127.0.0.1. */
  int port() {
    return port;
  }

  private void awaitListening(String kind) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            kind + " exited with " + process.exitValue() + " before listening: " + tail());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() - deadline > 0) {
          close();
          throw new IllegalStateException(
              kind
                  + " not listening on 127.0.0.1:"
                  + port
                  + " after "
                  + START_SECONDS
                  + " s: "
                  + tail());
        }
        sleep(100);
      }
    }
  }

  private static Path warrenConfig(Path dir, String database, int port) {
    StringBuilder conf = new StringBuilder();
    conf.append("listeners.tcp.default = 127.0.0.1:").append(port).append('\n');
    conf.append("warrenmq.store.durability = power_loss\n");
    if (database == null) {
      conf.append("warrenmq.data_dir = ")
          .append(dir.resolve("warren").toAbsolutePath())
          .append('\n');
    } else {
      conf.append("warrenmq.store.jdbc_url = ")
          .append(BrokerUnderTest.pgServer())
          .append(database)
          .append('\n');
      conf.append("warrenmq.store.jdbc_user = ").append(BrokerUnderTest.pgUser()).append('\n');
      if (BrokerUnderTest.pgPassword() != null) {
        conf.append("warrenmq.store.jdbc_password = '")
            .append(BrokerUnderTest.pgPassword())
            .append("'\n");
      }
    }
    for (String line : extraSettings()) {
      conf.append(line).append('\n');
    }
    Path file = dir.resolve("warrenmq.conf");
    try {
      Files.writeString(file, conf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()))
          + "\n(log: "
          + log.toAbsolutePath()
          + ")";
    } catch (IOException | UncheckedIOException e) {
      return "(no log at " + log.toAbsolutePath() + ": " + e.getMessage() + ")";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops the broker: SIGTERM, then SIGKILL after {@value #STOP_SECONDS} s. Idempotent. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
