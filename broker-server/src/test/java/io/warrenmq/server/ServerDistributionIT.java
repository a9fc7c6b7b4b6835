package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled distribution ({@code target/warrenmq-server}, built by {@code mvn package}) run as
 * a real process through {@code bin/warrenmq-server}, as an operator runs it: it starts from a
 * configuration file, serves RabbitMQ's Java client, stops on SIGTERM ({@link Process#destroy()}
 * sends it on Linux) by closing clients with 320 CONNECTION_FORCED and exits 0, keeps a confirmed
 * persistent message across the restart, and refuses a bad configuration with exit status 78 and
 * one line naming the key. Its logging goes through SLF4J and Logback without NOP-logger warnings.
 */
@Timeout(300)
class ServerDistributionIT {
  private static final Path DISTRIBUTION =
      Path.of(System.getProperty("warrenmq.distribution", "target/warrenmq-server"));
  private static final Pattern LISTENER = Pattern.compile("listener: amqp 127\\.0\\.0\\.1:(\\d+) ");
  private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  /** A started server process with its output files. */
  private record Server(Process process, Path out, Path err, int port) {
    String output() throws IOException {
      return Files.readString(out);
    }
  }

  private Path conf(String name, String... lines) throws IOException {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
  }

  private Process launch(String run, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(DISTRIBUTION.resolve("bin/warrenmq-server").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve(run + ".out").toFile())
            .redirectError(dir.resolve(run + ".err").toFile());
    pb.environment().put("WARRENMQ_LOG_DIR", dir.resolve("log").toString());
    pb.environment().put("JAVA_OPTS", "-Xmx256m");
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** Starts the server and waits for its banner's last line. */
  private Server start(String run, Path conf) throws Exception {
    Process p = launch(run, "--config", conf.toString());
    Path out = dir.resolve(run + ".out");
    long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
    while (System.nanoTime() < deadline) {
      String text = Files.readString(out);
      if (text.contains("Server startup complete")) {
        Matcher m = LISTENER.matcher(text);
        assertTrue(m.find(), text);
        return new Server(p, out, dir.resolve(run + ".err"), Integer.parseInt(m.group(1)));
      }
      if (!p.isAlive()) {
        throw new AssertionError(
            "server exited with "
                + p.exitValue()
                + ": "
                + text
                + Files.readString(dir.resolve(run + ".err")));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no banner within 120 s: " + Files.readString(out));
  }

  private static Connection connect(Server s) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(s.port());
    f.setUsername("guest");
    f.setPassword("guest");
    f.setAutomaticRecoveryEnabled(false);
    return f.newConnection();
  }

  private static int stop(Server s) throws InterruptedException {
    s.process().destroy(); // SIGTERM
    assertTrue(s.process().waitFor(60, TimeUnit.SECONDS), "stopped within 60 s");
    return s.process().exitValue();
  }

  @Test
  void sigtermClosesClientsWith320ExitsZeroAndARestartDeliversTheConfirmedMessage()
      throws Exception {
    Path conf =
        conf(
            "warrenmq.conf",
            "# the test's server",
            "listeners.tcp.default = 127.0.0.1:0",
            "warrenmq.data_dir = " + dir.resolve("data"));
    Server first = start("first", conf);

    Connection c = connect(first);
    CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
    c.addShutdownListener(closed::complete);
    Channel ch = c.createChannel();
    ch.queueDeclare("orders", true, false, false, null);
    ch.confirmSelect();
    ch.basicPublish(
        "",
        "orders",
        MessageProperties.PERSISTENT_TEXT_PLAIN,
        "order-1".getBytes(StandardCharsets.UTF_8));
    ch.waitForConfirmsOrDie(30_000);

    assertEquals(0, stop(first), "exit status after SIGTERM");
    ShutdownSignalException signal = closed.get(10, TimeUnit.SECONDS);
    AMQP.Connection.Close close = (AMQP.Connection.Close) signal.getReason();
    assertEquals(320, close.getReplyCode());
    assertEquals(
        "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'",
        close.getReplyText());
    String output = first.output();
    assertTrue(output.contains("stopping: closing 1 client connection(s)"), output);
    assertTrue(output.contains("WarrenMQ stopped"), output);
    assertNoLoggingSetupWarnings(output + Files.readString(first.err()));
    assertTrue(
        Files.readString(dir.resolve("log/warrenmq.log")).contains("Server startup complete"),
        "the log file has the banner too");

    Server second = start("second", conf);
    try (Connection c2 = connect(second)) {
      GetResponse got = c2.createChannel().basicGet("orders", true);
      assertEquals("order-1", new String(got.getBody(), StandardCharsets.UTF_8));
      assertFalse(got.getEnvelope().isRedeliver(), "never delivered, and the stop was clean");
    }
    assertFalse(
        second.output().contains("did not close cleanly"),
        "the first stop finished the store: " + second.output());
    assertEquals(0, stop(second));
  }

  @Test
  void aBadValueStopsTheStartWithStatus78AndOneLineNamingFileLineAndKey() throws Exception {
    Path conf =
        conf(
            "bad.conf",
            "listeners.tcp.default = 127.0.0.1:0",
            "warrenmq.data_dir = " + dir.resolve("data"),
            "heartbeat = often");
    Process p = launch("bad", "--config", conf.toString());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(78, p.exitValue());
    List<String> err = Files.readAllLines(dir.resolve("bad.err"));
    assertEquals(
        List.of(
            "warrenmq-server: configuration error: "
                + conf
                + ":3: heartbeat: expected an integer from 0 to 65535 (seconds, 0 for none), was"
                + " 'often'"),
        err);
    assertFalse(Files.exists(dir.resolve("data")), "nothing was started");
  }

  @Test
  void anUnknownKeyStopsTheStartNamingIt() throws Exception {
    Path conf = conf("unknown.conf", "cluster_name = rabbit@prod");
    Process p = launch("unknown", "--config", conf.toString());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(78, p.exitValue());
    String err = Files.readString(dir.resolve("unknown.err"));
    assertTrue(
        err.startsWith(
            "warrenmq-server: configuration error: " + conf + ":1: cluster_name:" + " unknown key"),
        err);
  }

  @Test
  void versionHelpAndAWrongOption() throws Exception {
    Process version = launch("version", "--version");
    assertTrue(version.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, version.exitValue());
    assertEquals(
        "warrenmq-server " + System.getProperty("warrenmq.version"),
        Files.readString(dir.resolve("version.out")).strip());

    Process help = launch("help", "--help");
    assertTrue(help.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, help.exitValue());
    assertTrue(Files.readString(dir.resolve("help.out")).contains("--config=FILE"));

    Process wrong = launch("wrong", "--conifg", "x");
    assertTrue(wrong.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, wrong.exitValue());
    assertTrue(
        Files.readString(dir.resolve("wrong.err")).contains("Unknown options: '--conifg', 'x'"));
  }

  private static void assertNoLoggingSetupWarnings(String output) {
    assertFalse(output.contains("SLF4J"), "no SLF4J provider warnings: " + output);
    assertFalse(output.contains("NOP"), output);
    assertFalse(output.contains("|-WARN"), "no Logback status warnings: " + output);
    assertFalse(output.contains("|-ERROR"), "no Logback status errors: " + output);
  }
}
