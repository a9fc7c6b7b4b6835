package io.warrenmq.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One broker of a shared-store HA group in its own JVM: the distribution's launcher ({@link Main})
 * with a configuration file ({@code warrenmq.ha.mode = shared-store} on a PostgreSQL database),
 * started from the test's class path. Its log (standard output and error) goes to {@code
 * target/<name>.log}, replaced at each start.
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it.
 */
final class HaNodeProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final int amqpPort;
  private final int managementPort;

  private HaNodeProcess(String name, Process process, Path log, int amqpPort, int managementPort) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.amqpPort = amqpPort;
    this.managementPort = managementPort;
  }

  /**
   * Starts a node; returns at once (a backup does not listen on its AMQP port).
   *
   * @param name the node name ({@code warrenmq.ha.node_name}) and the log file's
   * @param jdbcUrl the shared PostgreSQL database (user postgres, no password)
   * @param extraLines more lines of the configuration file, e.g. {@code warrenmq.ha.lease_timeout =
   *     3000}
   */
  static HaNodeProcess start(String name, String jdbcUrl, List<String> extraLines)
      throws IOException {
    Path target = Path.of("target").toAbsolutePath();
    Files.createDirectories(target);
    int amqp = freePort();
    int management = freePort();
    List<String> conf = new ArrayList<>();
    conf.add("listeners.tcp.default = 127.0.0.1:" + amqp);
    conf.add("management.tcp.ip = 127.0.0.1");
    conf.add("management.tcp.port = " + management);
    conf.add("warrenmq.store.jdbc_url = " + jdbcUrl);
    conf.add("warrenmq.store.jdbc_user = postgres");
    conf.add("warrenmq.ha.mode = shared-store");
    conf.add("warrenmq.ha.node_name = " + name);
    conf.add("warrenmq.jmx = false");
    conf.addAll(extraLines);
    Path confFile = target.resolve(name + ".conf");
    Files.write(confFile, conf, StandardCharsets.UTF_8);
    Path log = target.resolve(name + ".log");
    Files.deleteIfExists(log);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.addAll(SharedClassArchive.classPathOptions());
    cmd.add(Main.class.getName());
    cmd.add("--config");
    cmd.add(confFile.toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    return new HaNodeProcess(name, p, log, amqp, management);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  String name() {
    return name;
  }

  int amqpPort() {
    return amqpPort;
  }

  int managementPort() {
    return managementPort;
  }

  Process process() {
    return process;
  }

  /** The log so far. */
  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /**
   * Waits until the log holds {@code text}.
   *
   * @throws IllegalStateException if the process ends or the time runs out first (with the log)
   */
  void awaitLog(String text, long timeoutMs) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!log().contains(text)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with "
                + process.exitValue()
                + " before logging '"
                + text
                + "':\n"
                + log());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + " did not log '" + text + "' within " + timeoutMs + " ms:\n" + log());
      }
      Thread.sleep(20);
    }
  }

  /** Whether a TCP connection to its AMQP port is accepted now. */
  boolean acceptsAmqp() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", amqpPort), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** SIGKILL, then waits for the end. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
