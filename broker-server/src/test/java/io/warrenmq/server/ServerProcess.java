package io.warrenmq.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A WarrenMQ server in a separate JVM ({@link TestServerMain}), started from the test's own class
 * path, for tests that kill it or measure it from outside. Its log (standard error) goes to {@code
 * target/<name>.log}, appended.
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it.
 */
final class ServerProcess implements AutoCloseable {
  /** Exit value the JDK reports for a process ended by SIGKILL (128 + signal 9). */
  static final int SIGKILL_EXIT = 137;

  private static final long START_TIMEOUT_MS = 60_000;

  private final Process process;
  private final int port;
  private final Writer commands;
  private final BufferedReader replies;

  /**
   * What the server reports about itself.
   *
   * @param threads live threads of the server's JVM
   * @param heapBytes heap used after a full GC
   * @param directBytes the JDK's direct buffers
   * @param residentBytes the process's resident set, -1 if unknown
   * @param connections open AMQP connections
   * @param threadsByName live threads by name without the trailing number
   */
  record Stats(
      int threads,
      long heapBytes,
      long directBytes,
      long residentBytes,
      int connections,
      Map<String, Integer> threadsByName) {}

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.replies =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Starts a server and waits until it listens.
   *
   * @param name names the log file and the port file under {@code target/}
   * @param dataDir the H2 store's directory, or null for a broker without a store
   * @param jvmOptions extra options of the server's JVM, e.g. {@code -Xmx256m}
   * @throws IllegalStateException if it exits or does not listen within a minute (see its log)
   */
  static ServerProcess start(String name, Path dataDir, List<String> jvmOptions)
      throws IOException, InterruptedException {
    return start(name, dataDir == null ? null : dataDir.toString(), jvmOptions);
  }

  /**
   * Starts a server whose store is the database of a JDBC URL (user {@code postgres}, no password,
   * unless {@code jvmOptions} set {@code -Dwarren.test.jdbcUser} and {@code
   * -Dwarren.test.jdbcPassword}) and waits until it listens.
   *
   * @throws IllegalStateException as {@link #start(String, Path, List)}
   */
  static ServerProcess startOnDatabase(String name, String jdbcUrl, List<String> jvmOptions)
      throws IOException, InterruptedException {
    return start(name, jdbcUrl, jvmOptions);
  }

  private static ServerProcess start(String name, String store, List<String> jvmOptions)
      throws IOException, InterruptedException {
    Path target = Path.of("target").toAbsolutePath();
    Files.createDirectories(target);
    Path portFile = target.resolve(name + ".port");
    Files.deleteIfExists(portFile);
    Path log = target.resolve(name + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(SharedClassArchive.classPathOptions());
    cmd.add(TestServerMain.class.getName());
    cmd.add(portFile.toString());
    if (store != null) {
      cmd.add(store);
    }
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
    while (!Files.exists(portFile)) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "server JVM exited with " + p.exitValue() + " before listening; see " + log);
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("server JVM did not listen within a minute; see " + log);
      }
      Thread.sleep(10);
    }
    return new ServerProcess(p, Integer.parseInt(Files.readString(portFile).trim()));
  }

  /** The port the server listens on, on 127.0.0.1. */
  int port() {
    return port;
  }

  /** The operating system's process id. */
  long pid() {
    return process.pid();
  }

  /** Asks the server for its threads, memory (heap after a full GC) and connections. */
  Stats stats() throws IOException {
    commands.write("stats\n");
    commands.flush();
    String line = replies.readLine();
    if (line == null || !line.startsWith("STATS ")) {
      throw new IllegalStateException("server answered '" + line + "' to stats");
    }
    int threads = 0;
    long heap = 0;
    long direct = 0;
    long rss = 0;
    int connections = 0;
    Map<String, Integer> names = new LinkedHashMap<>();
    for (String field : line.substring(6).split(" ")) {
      String value = field.substring(field.indexOf('=') + 1);
      if (field.startsWith("threads=")) {
        threads = Integer.parseInt(value);
      } else if (field.startsWith("heap=")) {
        heap = Long.parseLong(value);
      } else if (field.startsWith("direct=")) {
        direct = Long.parseLong(value);
      } else if (field.startsWith("rss=")) {
        rss = Long.parseLong(value);
      } else if (field.startsWith("connections=")) {
        connections = Integer.parseInt(value);
      } else if (field.startsWith("names=")) {
        for (String entry : value.split(",")) {
          if (!entry.isEmpty()) {
            int colon = entry.lastIndexOf(':');
            names.put(entry.substring(0, colon), Integer.parseInt(entry.substring(colon + 1)));
          }
        }
      }
    }
    return new Stats(threads, heap, direct, rss, connections, names);
  }

  /**
   * Kills the server with SIGKILL ({@link Process#destroyForcibly()}: on Linux the JDK sends signal
   * 9, no shutdown hook runs) and waits for it to end.
   *
   * @return the exit value, {@link #SIGKILL_EXIT} when the signal ended it
   */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("server JVM " + process.pid() + " survived SIGKILL");
    }
    return process.exitValue();
  }

  /**
   * Stops the server cleanly: ends its standard input, on which it closes its listener and its
   * broker (the store finishes its last group commit and records a clean shutdown), and waits up to
   * 30 s for it to exit; kills it if it does not.
   *
   * @return whether it exited by itself
   */
  boolean stop() throws IOException, InterruptedException {
    commands.close();
    if (process.waitFor(30, TimeUnit.SECONDS)) {
      return true;
    }
    kill();
    return false;
  }

  /** Kills the server if it still runs. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
