package io.warrenmq.server.clients;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a client script (Python, Node) as a child process and collects what it printed. Its stdout
 * and stderr go to files under {@code target/client-runs/} (kept for reading after a failure), so
 * neither pipe can fill up and block the child.
 *
 * <p>Also decides what happens when a client is not installed: its tests are skipped with a message
 * on stderr, or fails when the environment variable {@value #REQUIRED} is {@code true} (set by
 * {@code .ci/run}, where every client must run).
 */
final class ClientScript {
  /** Environment variable: {@code true} turns a missing client from a skip into a failure. */
  static final String REQUIRED = "WARRENMQ_REQUIRE_CLIENTS";

  private ClientScript() {}

  /**
   * What a finished (or killed) run left behind.
   *
   * @param name what ran, e.g. {@code pika work_queues}
   * @param exitCode the exit status; -1 when it was killed at the deadline
   * @param stdout the lines it printed on stdout
   * @param stderr everything it printed on stderr
   */
  record Run(String name, int exitCode, List<String> stdout, String stderr) {
    /** For assertion messages: the whole output and the exit status. */
    String describe() {
      return name
          + " exited with "
          + exitCode
          + "\n--- stdout\n"
          + String.join("\n", stdout)
          + "\n--- stderr\n"
          + stderr;
    }
  }

  /** The module's build directory ({@code broker-server/target}). */
  static Path buildDirectory() {
    try {
      Path testClasses =
          Path.of(ClientScript.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return testClasses.getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A directory of the module's test sources, e.g. {@code src/test/python}. */
  static Path testSources(String language) {
    return buildDirectory().getParent().resolve("src").resolve("test").resolve(language);
  }

  /**
   * Runs {@code command} and waits for it, killing it (and its children) after {@code timeout}.
   *
   * @param name names the run in messages and in the output files' names
   * @param environment variables added to this JVM's environment
   */
  static Run run(
      String name, List<String> command, Map<String, String> environment, Duration timeout)
      throws IOException, InterruptedException {
    Path dir = Files.createDirectories(buildDirectory().resolve("client-runs"));
    String file = name.replace(' ', '-');
    Path out = dir.resolve(file + ".out");
    Path err = dir.resolve(file + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close(); // nothing to read on stdin
    boolean finished = false;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      if (!finished) { // the deadline, or this thread was interrupted (the test's @Timeout)
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    if (!finished) {
      stderr += "\n(killed after " + timeout.toSeconds() + " s)";
    }
    return new Run(
        name,
        finished ? process.exitValue() : -1,
        Files.readAllLines(out, StandardCharsets.UTF_8),
        stderr);
  }

  /**
   * Skips the calling test when {@code problem} is not null (a client is missing), with that
   * reason; fails it instead when {@value #REQUIRED} is {@code true}.
   */
  static void requireClient(String client, String problem) {
    if (problem == null) {
      return;
    }
    String message = unavailableMessage(client, problem);
    if (Boolean.parseBoolean(System.getenv(REQUIRED))) {
      fail(message + " (" + REQUIRED + "=true: every client must run)");
    }
    Assumptions.abort(message);
  }

  /** Says once, on stderr, that a client's tests will be skipped and why. */
  static void reportUnavailable(String client, String problem) {
    if (problem != null) {
      System.err.println("SKIPPED: " + unavailableMessage(client, problem));
    }
  }

  private static String unavailableMessage(String client, String problem) {
    return client + " is not available, its tutorial tests do not run: " + problem;
  }
}
