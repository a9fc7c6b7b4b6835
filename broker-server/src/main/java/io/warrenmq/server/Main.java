package io.warrenmq.server;

import io.warrenmq.server.internal.config.ConfFile;
import io.warrenmq.server.internal.config.ConfigException;
import io.warrenmq.server.internal.config.ServerSettings;
import io.warrenmq.server.internal.config.SettingsReader;
import io.warrenmq.server.internal.standalone.StandaloneServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The standalone WarrenMQ server's launcher, {@code bin/warrenmq-server}: reads one configuration
 * file in RabbitMQ's {@code rabbitmq.conf} format, starts the durable store, the broker and the
 * AMQP 0-9-1 listener ({@link StandaloneServer}), and stops them on SIGTERM or SIGINT. A thin
 * shell: applications that embed the broker use {@link WarrenServer} and {@link ServerConfig}.
 *
 * <p>Command line: {@code --config FILE} (default {@code conf/warrenmq.conf} of the distribution,
 * found through the system property {@code warrenmq.home} that the script sets; without it every
 * key has its default), {@code --help}, {@code --version}.
 *
 * <p>Exit status: 0 after a stop by SIGTERM or SIGINT (connections closed with 320
 * CONNECTION_FORCED, the store's last group commit done), and for {@code --help}/{@code --version};
 * 78 for a configuration the server refuses (the one-line message on standard error names the file,
 * line and key; 78 is {@code EX_CONFIG} of sysexits.h, as RabbitMQ uses it); 2 for a wrong command
 * line; 1 for any other failure to start; 3 when a live broker of a shared-store HA group ({@code
 * warrenmq.ha.mode = shared-store}) lost its lease and halted (an ERROR in the log names the new
 * epoch and owner). An HA backup that waits for the lease stops on SIGTERM with status 0.
 *
 * <p>Logging: SLF4J 2 with Logback ({@code conf/logback.xml}); the engine's {@code System.Logger}
 * reaches SLF4J through {@code slf4j-jdk-platform-logging}, {@code java.util.logging} through
 * {@code jul-to-slf4j}, installed here first.
 */
@Command(
    name = "warrenmq-server",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description =
        "Starts the WarrenMQ server: an AMQP 0-9-1 broker for RabbitMQ's clients, with its"
            + " durable store. SIGTERM or SIGINT stops it: connections are closed with 320"
            + " CONNECTION_FORCED, the store finishes its last group commit, and the exit status"
            + " is 0.",
    footer =
        "%nThe configuration keys (RabbitMQ's names where RabbitMQ has the setting) are in"
            + " README.md, \"The standalone server\", and in conf/warrenmq.conf.%nExit status: 0"
            + " after a stop, 78 for a configuration error, 2 for a wrong command line, 1 for"
            + " another failure to start, 3 when an HA live broker lost its lease.")
public final class Main implements Callable<Integer> {
  /** {@code EX_CONFIG} of sysexits.h: the configuration is wrong. */
  static final int EXIT_CONFIG = 78;

  /** Any other failure to start. */
  static final int EXIT_FAILED = 1;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The configuration file (rabbitmq.conf format). Default: conf/warrenmq.conf of the"
              + " distribution.")
  private Path config;

  @Spec private CommandLine.Model.CommandSpec spec;

  private Main() {}

  /**
   * Runs the server until SIGTERM or SIGINT; returns only through {@link System#exit} (see the
   * class comment for the exit status).
   */
  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    int status = new CommandLine(new Main()).execute(args);
    System.exit(status);
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    ServerSettings settings;
    try {
      settings = SettingsReader.read(configFile(), home());
    } catch (ConfigException e) {
      err.println("warrenmq-server: configuration error: " + e.getMessage());
      err.flush();
      return EXIT_CONFIG;
    }
    java.util.concurrent.atomic.AtomicReference<StandaloneServer> started =
        new java.util.concurrent.atomic.AtomicReference<>();
    if (settings.ha().isPresent()) {
      // an HA backup waits inside start for minutes or days: SIGTERM must stop it cleanly (it
      // has opened nothing but its lease connection) with status 0
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    if (started.get() == null) {
                      System.getLogger(Main.class.getName())
                          .log(System.Logger.Level.INFO, "HA: backup stopped");
                      Runtime.getRuntime().halt(0);
                    }
                  },
                  "warrenmq-shutdown-backup"));
    }
    StandaloneServer server;
    try {
      server = StandaloneServer.start(settings, Version.current());
      started.set(server);
    } catch (ConfigException e) {
      err.println("warrenmq-server: configuration error: " + e.getMessage());
      err.flush();
      return EXIT_CONFIG;
    } catch (RuntimeException e) {
      System.getLogger(Main.class.getName())
          .log(System.Logger.Level.ERROR, "WarrenMQ failed to start", e);
      err.println("warrenmq-server: cannot start: " + e);
      err.flush();
      return EXIT_FAILED;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  int status = EXIT_FAILED;
                  try {
                    server.close();
                    status = 0;
                  } catch (RuntimeException e) {
                    System.getLogger(Main.class.getName())
                        .log(System.Logger.Level.ERROR, "WarrenMQ did not stop cleanly", e);
                  } finally {
                    // after SIGTERM the JVM's status would be 143; a clean stop is a success
                    Runtime.getRuntime().halt(status);
                  }
                },
                "warrenmq-shutdown"));
    new CountDownLatch(1).await(); // until the shutdown hook halts the JVM
    return 0;
  }

  /** The file to read: {@code --config}, else the distribution's, else none (all defaults). */
  private ConfFile configFile() {
    if (config != null) {
      return ConfFile.read(config);
    }
    Path home = home();
    if (home != null && Files.exists(home.resolve("conf/warrenmq.conf"))) {
      return ConfFile.read(home.resolve("conf/warrenmq.conf"));
    }
    return null;
  }

  private static Path home() {
    String home = System.getProperty("warrenmq.home");
    return home == null || home.isBlank() ? null : Path.of(home);
  }

  /** The version from the jar's manifest ({@code Implementation-Version}). */
  static final class Version implements CommandLine.IVersionProvider {
    static String current() {
      String v = Main.class.getPackage().getImplementationVersion();
      return v != null ? v : "(development build)";
    }

    @Override
    public String[] getVersion() {
      return new String[] {"warrenmq-server " + current()};
    }
  }
}
