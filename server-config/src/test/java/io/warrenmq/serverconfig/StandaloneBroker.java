package io.warrenmq.serverconfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone WarrenMQ server that the remote-mode ITs' application servers share, run as an
 * operating-system process from broker-server's assembled distribution ({@code
 * bin/warrenmq-server}, directory named by the system property {@code
 * warren.it.broker.distribution}), so that a test can kill it with SIGKILL and start it again on
 * the same port and data directory. It listens on a free port of 127.0.0.1, chosen by the first
 * start; its H2 store is in {@code <dir>/data}; its output goes to {@code <dir>/run-N.out} and
 * {@code .err}. The login is the server's default {@code guest}/{@code guest}, allowed from
 * loopback.
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it.
 */
public final class StandaloneBroker implements AutoCloseable {
  private static final Pattern LISTENER = Pattern.compile("listener: amqp 127\\.0\\.0\\.1:(\\d+) ");
  private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

  private final Path distribution;
  private final Path dir;
  private Process process;
  private int port;
  private int runs;

  private StandaloneBroker(Path distribution, Path dir) {
    this.distribution = distribution;
    this.dir = dir;
  }

  /**
   * Starts a broker with an empty store in {@code dir} (deleted first if present).
   *
   * @throws IllegalStateException if the distribution is not built
   * @throws AssertionError if the server exits or prints no start-up line within 120 s
   */
  public static StandaloneBroker start(Path dir) throws IOException, InterruptedException {
    Path distribution =
        Path.of(
            System.getProperty(
                "warren.it.broker.distribution", "../broker-server/target/warrenmq-server"));
    if (!Files.isExecutable(distribution.resolve("bin/warrenmq-server"))) {
      throw new IllegalStateException(
          distribution.toAbsolutePath()
              + "/bin/warrenmq-server is missing: build broker-server first (mvn package)");
    }
    deleteTree(dir);
    Files.createDirectories(dir);
    StandaloneBroker broker = new StandaloneBroker(distribution, dir.toAbsolutePath());
    broker.launch();
    return broker;
  }

  /** Deletes {@code dir} and everything in it, if present. */
  static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** The AMQP port on 127.0.0.1; the same after {@link #restart()}. */
  public int port() {
    return port;
  }

  /**
   * The URL of the broker with the default login, for a resource adapter's {@code connectionURL}.
   */
  public String url() {
    return "amqp://guest:guest@127.0.0.1:" + port;
  }

  /** Kills the server process with SIGKILL and waits until it has exited. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the broker did not exit within 60 s of SIGKILL");
    }
  }

  /** Starts the server again on the same port and data directory; waits for its start-up line. */
  public void restart() throws IOException, InterruptedException {
    if (process.isAlive()) {
      throw new IllegalStateException("the broker is still running");
    }
    launch();
  }

  /** The output of the current (or last) run, for failure messages. */
  public String output() throws IOException {
    return Files.readString(dir.resolve("run-" + runs + ".out"));
  }

  /** Stops the server with SIGTERM (a clean shutdown) and waits up to 60 s, then kills it. */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
      }
    }
  }

  private void launch() throws IOException, InterruptedException {
    runs++;
    Path conf =
        Files.write(
            dir.resolve("warrenmq.conf"),
            List.of(
                "listeners.tcp.default = 127.0.0.1:" + port,
                "warrenmq.data_dir = " + dir.resolve("data")));
    Path out = dir.resolve("run-" + runs + ".out");
    Path err = dir.resolve("run-" + runs + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(
                distribution.resolve("bin/warrenmq-server").toString(), "--config", conf.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().put("WARRENMQ_LOG_DIR", dir.resolve("log").toString());
    builder.environment().put("JAVA_OPTS", "-Xmx256m");
    process = builder.start();
    long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
    while (System.nanoTime() < deadline) {
      String text = Files.readString(out);
      if (text.contains("Server startup complete")) {
        Matcher m = LISTENER.matcher(text);
        if (!m.find()) {
          throw new AssertionError("no amqp listener on 127.0.0.1 in the banner: " + text);
        }
        port = Integer.parseInt(m.group(1));
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "the broker exited with " + process.exitValue() + ": " + text + Files.readString(err));
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new AssertionError("the broker printed no start-up line within 120 s: " + out);
  }
}
