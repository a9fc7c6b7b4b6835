package io.warrenmq.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server that a test creates, owns and may stop and start at will ({@code initdb} and
 * {@code pg_ctl} of the installed PostgreSQL), never the machine's shared server: data directory
 * and Unix socket directory under a directory of the test's ({@code target/}), TCP on 127.0.0.1 on
 * a free ephemeral port, trust authentication for user {@code postgres}, {@code fsync=on}.
 *
 * <p>PostgreSQL refuses to run as root; when the tests run as root (as in CI containers) every
 * command runs as the OS user {@code postgres} through {@code runuser}, and the directories are
 * handed to that user. Binaries: {@code /usr/lib/postgresql/15/bin}, or the system property {@code
 * warren.test.pgBin}; {@link #unavailable()} says why a test must be skipped.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class PrivatePostgres implements AutoCloseable {
  private static final Path BIN =
      Path.of(System.getProperty("warren.test.pgBin", "/usr/lib/postgresql/15/bin"));
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final Path home;
  private final Path data;
  private final Path sockets;
  private final Path log;
  private final int port;
  private final int maxConnections;
  private boolean running;

  private PrivatePostgres(Path home, Path sockets, int port, int maxConnections) {
    this.maxConnections = maxConnections;
    this.home = home;
    this.data = home.resolve("data");
    this.sockets = sockets;
    this.log = home.resolve("postgres.log");
    this.port = port;
  }

  /**
   * Why no private server can be made here (a sentence for the skip message), or null when it can.
   */
  public static String unavailable() {
    for (String tool : List.of("initdb", "pg_ctl")) {
      if (!Files.isExecutable(BIN.resolve(tool))) {
        return "no PostgreSQL binaries at "
            + BIN
            + " ("
            + tool
            + " missing; set -Dwarren.test.pgBin=<dir>): skipped";
      }
    }
    if (ROOT) {
      if (!Files.isExecutable(Path.of("/usr/sbin/runuser"))
          && !Files.isExecutable(Path.of("/sbin/runuser"))) {
        return "running as root without runuser, and PostgreSQL refuses root: skipped";
      }
      try {
        if (new ProcessBuilder("id", "-u", "postgres").start().waitFor() != 0) {
          return "running as root and there is no OS user postgres to run PostgreSQL: skipped";
        }
      } catch (IOException e) {
        return "cannot check for the OS user postgres (" + e + "): skipped";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }
    return null;
  }

  /**
   * Creates a cluster in a new directory under {@code parent} and starts it.
   *
   * @throws IllegalStateException with the command's output if {@code initdb} or the start fails
   */
  public static PrivatePostgres start(Path parent) throws IOException, InterruptedException {
    return start(parent, 20);
  }

  /**
   * Like {@link #start(Path)}, with room for {@code maxConnections} connections (PostgreSQL's
   * {@code max_connections}): broker-server's HA tests run two brokers' pools on one server.
   */
  public static PrivatePostgres start(Path parent, int maxConnections)
      throws IOException, InterruptedException {
    Files.createDirectories(parent);
    Path home =
        parent.toAbsolutePath().resolve("pg-" + UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectories(home);
    // a Unix socket path is limited to 107 bytes; fall back to a short temporary directory
    Path sockets = home.resolve("sockets");
    if (sockets.resolve(".s.PGSQL.65535.lock").toString().length() > 100) {
      sockets = Files.createTempDirectory("warren-pg-");
    } else {
      Files.createDirectories(sockets);
    }
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      port = s.getLocalPort();
    }
    PrivatePostgres pg = new PrivatePostgres(home, sockets, port, maxConnections);
    if (ROOT) {
      run(List.of("chown", "-R", "postgres", home.toString(), sockets.toString()), home);
    }
    pg.runAsOwner(
        List.of(
            BIN.resolve("initdb").toString(),
            "-D",
            pg.data.toString(),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync"));
    pg.startServer();
    return pg;
  }

  /** JDBC URL of database {@code postgres} (user {@code postgres}, no password). */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** Starts the server (after {@link #stop}); returns once it accepts connections. */
  public void startServer() throws IOException, InterruptedException {
    pgCtl(
        "-l",
        log.toString(),
        "-w",
        "-t",
        "120",
        "-o",
        "-p "
            + port
            + " -k "
            + sockets
            + " -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections="
            + maxConnections,
        "start");
    running = true;
  }

  /**
   * Stops the server in {@code fast} mode (open sessions are terminated, as an administrator's
   * restart or a failover does); returns once it is down.
   */
  public void stop() throws IOException, InterruptedException {
    pgCtl("-m", "fast", "-w", "-t", "120", "stop");
    running = false;
  }

  /** Stops the server if it runs (immediate mode) and deletes its directories. */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (running) {
        pgCtl("-m", "immediate", "stop");
        running = false;
      }
    } finally {
      delete(home);
      if (!sockets.startsWith(home)) {
        delete(sockets);
      }
    }
  }

  /** Runs {@code pg_ctl -D <data directory> args...} as the directory's owner. */
  private void pgCtl(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString()));
    command.addAll(List.of(args));
    runAsOwner(command);
  }

  private void runAsOwner(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (ROOT) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    run(full, home);
  }

  private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
    Path out = Files.createTempFile("warren-pg-cmd", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + ": no end after 180 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + ": exit status "
                + p.exitValue()
                + "\n"
                + Files.readString(out));
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .sorted(Comparator.reverseOrder())
          .forEach(
              f -> {
                try {
                  Files.deleteIfExists(f);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  /** The server's log (for a failing test's message). */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
