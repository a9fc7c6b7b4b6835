package io.warrenmq.benchmarks;

import io.warrenmq.client.Passwords;
import io.warrenmq.jms.WarrenConnectionFactory;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.storage.DatabaseStorageConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnector;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * One broker of a benchmark trial, started fresh on an empty store and reached through its Jakarta
 * Messaging connection factory: WarrenMQ in-VM ({@code vm://} URL, JDBC store, durability {@code
 * POWER_LOSS}: every group commit fsynced, or on PostgreSQL committed with {@code
 * synchronous_commit=on}, before a persistent send returns) or an embedded ActiveMQ Artemis with
 * its default journal settings (persistence on, journal sync on for transactional and
 * non-transactional records, default journal type, in-VM acceptor).
 *
 * <p>Store {@link #FILE}: WarrenMQ on H2 in an empty data directory, Artemis's file journal in one.
 * Store {@link #POSTGRES}: both on the PostgreSQL server of system property {@code
 * warren.bench.pgServer} (a JDBC URL without a database, default {@code
 * jdbc:postgresql://127.0.0.1:5432/}; user {@code warren.bench.pgUser}, default {@code postgres};
 * password {@code warren.bench.pgPassword}, default none), each trial in a database of its own,
 * {@code warren_bench_<broker>_<random>}, created here (from the {@code postgres} database) and
 * dropped by {@link #close()}; {@code benchmarks/run.sh} drops any a killed trial left behind.
 * WarrenMQ uses its JDBC store on it; Artemis its JDBC store ({@code DatabaseStorageConfiguration},
 * default table names, journal sync period and pool), as documented in Artemis's "Persistence"
 * page.
 *
 * <p>Thread-safety: {@link #factory()} may be used by any thread; {@link #close()} once, by the
 * thread that ends the trial.
 */
final class BrokerUnderTest implements AutoCloseable {

  /** {@code @Param} value of WarrenMQ. */
  static final String WARREN = "warren";

  /** {@code @Param} value of ActiveMQ Artemis. */
  static final String ARTEMIS = "artemis";

  /** {@code store} value: each broker's own files (WarrenMQ's H2, Artemis's journal). */
  static final String FILE = "file";

  /** {@code store} value: both brokers' JDBC stores on PostgreSQL, a database per trial. */
  static final String POSTGRES = "postgres";

  /** {@code transport} value: the broker in the benchmark's JVM, reached in-VM. */
  static final String IN_VM = "invm";

  /**
   * {@code transport} value: the broker in a JVM of its own ({@link BrokerProcess}), reached over
   * TCP on 127.0.0.1: WarrenMQ's server over AMQP 0-9-1 ({@code amqp://}), Artemis over its core
   * protocol ({@code tcp://}, Netty).
   */
  static final String WIRE = "wire";

  private final ConnectionFactory factory;
  private final Path dataDir;
  private final EmbeddedActiveMQ artemis;
  private BrokerProcess remote;
  private String warrenName;
  private String database;

  private BrokerUnderTest(ConnectionFactory factory, Path dataDir, EmbeddedActiveMQ artemis) {
    this.factory = factory;
    this.dataDir = dataDir;
    this.artemis = artemis;
  }

  /**
   * Query options appended to WarrenMQ's {@code amqp://} URL in wire trials: system property {@code
   * warren.bench.wireOptions}, e.g. {@code ?prefetch=1000} (default none: the factory's defaults).
   */
  static String wireOptions() {
    return System.getProperty("warren.bench.wireOptions", "");
  }

  static String pgServer() {
    String url = System.getProperty("warren.bench.pgServer", "jdbc:postgresql://127.0.0.1:5432/");
    return url.endsWith("/") ? url : url + "/";
  }

  static String pgUser() {
    return System.getProperty("warren.bench.pgUser", "postgres");
  }

  static String pgPassword() {
    return System.getProperty("warren.bench.pgPassword");
  }

  /** Runs one statement on the server's {@code postgres} database (auto-commit). */
  private static void onServer(String sql) {
    try (Connection c =
            DriverManager.getConnection(pgServer() + "postgres", pgUser(), pgPassword());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL at "
              + Passwords.mask(pgServer())
              + " (warren.bench.pgServer): "
              + sql
              + ": "
              + Passwords.mask(e.toString()),
          e);
    }
  }

  /**
   * Starts a broker on a new, empty directory under {@code root}.
   *
   * @param kind {@link #WARREN} or {@link #ARTEMIS}
   * @param store {@link #FILE} or {@link #POSTGRES} (a new database on the server of {@code
   *     warren.bench.pgServer}, dropped by {@link #close()})
   * @param transport {@link #IN_VM} or {@link #WIRE}
   * @param root parent of the data directory (created if absent; with {@link #POSTGRES} it holds
   *     only Artemis's lock file and WarrenMQ's nothing)
   * @param asyncConfirms for Artemis: give the client a confirmation window (1 MiB) so that a
   *     {@code CompletionListener} is called when the broker confirms the send; without it the
   *     Artemis client calls the listener as soon as the message is handed to the connection.
   *     WarrenMQ always confirms after the store's commit.
   * @throws IllegalArgumentException for an unknown kind, store or transport
   * @throws IllegalStateException if the broker does not start, or the database cannot be created
   */
  static BrokerUnderTest start(
      String kind, String store, String transport, Path root, boolean asyncConfirms) {
    if (!IN_VM.equals(transport) && !WIRE.equals(transport)) {
      throw new IllegalArgumentException(
          "transport must be " + IN_VM + " or " + WIRE + ", was " + transport);
    }
    if (!WARREN.equals(kind) && !ARTEMIS.equals(kind)) {
      throw new IllegalArgumentException(
          "broker must be " + WARREN + " or " + ARTEMIS + ", was " + kind);
    }
    if (!FILE.equals(store) && !POSTGRES.equals(store)) {
      throw new IllegalArgumentException(
          "store must be " + FILE + " or " + POSTGRES + ", was " + store);
    }
    String database = null;
    if (POSTGRES.equals(store)) {
      database =
          "warren_bench_"
              + kind
              + "_"
              + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
      onServer("CREATE DATABASE " + database);
    }
    try {
      BrokerUnderTest b =
          WIRE.equals(transport)
              ? startRemote(kind, database, root, asyncConfirms)
              : startOn(kind, database, root, asyncConfirms);
      b.database = database;
      return b;
    } catch (RuntimeException e) {
      if (database != null) {
        onServer("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
      throw e;
    }
  }

  private static BrokerUnderTest startOn(
      String kind, String database, Path root, boolean asyncConfirms) {
    Path dir;
    try {
      Files.createDirectories(root);
      dir = Files.createTempDirectory(root, kind + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return switch (kind) {
        case WARREN -> {
          String name = "bench-" + UUID.randomUUID();
          String store =
              database == null
                  ? "dataDir=" + dir.toAbsolutePath()
                  : "jdbcUrl="
                      + URLEncoder.encode(pgServer() + database, StandardCharsets.UTF_8)
                      + "&jdbcUser="
                      + URLEncoder.encode(pgUser(), StandardCharsets.UTF_8)
                      + (pgPassword() == null
                          ? ""
                          : "&jdbcPassword="
                              + URLEncoder.encode(pgPassword(), StandardCharsets.UTF_8));
          BrokerUnderTest b =
              new BrokerUnderTest(
                  WarrenConnectionFactory.forUrl(
                      "vm://" + name + "?" + store + "&durability=POWER_LOSS"),
                  dir,
                  null);
          b.warrenName = name;
          yield b;
        }
        case ARTEMIS -> startArtemis(dir, database, asyncConfirms);
        default ->
            throw new IllegalArgumentException(
                "broker must be " + WARREN + " or " + ARTEMIS + ", was " + kind);
      };
    } catch (JMSException e) {
      throw new IllegalStateException("WarrenMQ did not start: " + e.getMessage(), e);
    }
  }

  private static BrokerUnderTest startRemote(
      String kind, String database, Path root, boolean asyncConfirms) {
    Path dir;
    try {
      Files.createDirectories(root);
      dir = Files.createTempDirectory(root, kind + "-wire-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BrokerProcess process = BrokerProcess.start(kind, dir, database);
    try {
      ConnectionFactory cf;
      if (WARREN.equals(kind)) {
        cf =
            WarrenConnectionFactory.forUrl(
                "amqp://guest:guest@127.0.0.1:" + process.port() + wireOptions());
      } else {
        ActiveMQConnectionFactory artemisCf =
            new ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + process.port() + "?" + BrokerProcess.ARTEMIS_NETTY);
        if (asyncConfirms) {
          artemisCf.setConfirmationWindowSize(ARTEMIS_CONFIRMATION_WINDOW_BYTES);
        }
        cf = artemisCf;
      }
      BrokerUnderTest b = new BrokerUnderTest(cf, dir, null);
      b.remote = process;
      return b;
    } catch (JMSException | RuntimeException e) {
      process.close();
      throw new IllegalStateException(kind + " over the wire: " + e.getMessage(), e);
    }
  }

  private static BrokerUnderTest startArtemis(Path dir, String database, boolean asyncConfirms) {
    Configuration config = artemisConfiguration(dir, database);
    EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    server.setConfiguration(config);
    try {
      config.addAcceptorConfiguration("in-vm", "vm://0");
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("Artemis did not start: " + e, e);
    }
    printArtemisConfig(server.getActiveMQServer().getConfiguration(), database);
    ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("vm://0");
    if (asyncConfirms) {
      cf.setConfirmationWindowSize(ARTEMIS_CONFIRMATION_WINDOW_BYTES);
    }
    return new BrokerUnderTest(cf, dir, server);
  }

  /** The confirmation window Artemis's client gets for asynchronous sends, bytes. */
  static final int ARTEMIS_CONFIRMATION_WINDOW_BYTES = 1024 * 1024;

  /**
   * Artemis's configuration for a trial, without acceptors: only what an embedded broker needs
   * (directories, no security) and, with a database, its JDBC store. Journal type, sync, buffer
   * timeout and pool sizes stay at Artemis's defaults. Shared by the in-VM broker and {@link
   * ArtemisServerMain}'s, so that the two transports compare the same store.
   *
   * @param dir the trial's data directory
   * @param database the trial's PostgreSQL database on {@link #pgServer()}, or null for the file
   *     journal
   */
  static Configuration artemisConfiguration(Path dir, String database) {
    Configuration config = new ConfigurationImpl();
    config
        .setPersistenceEnabled(true)
        .setSecurityEnabled(false)
        .setJournalDirectory(dir.resolve("journal").toString())
        .setBindingsDirectory(dir.resolve("bindings").toString())
        .setPagingDirectory(dir.resolve("paging").toString())
        .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
        .setNodeManagerLockDirectory(dir.toString());
    if (database != null) {
      DatabaseStorageConfiguration jdbc = new DatabaseStorageConfiguration();
      jdbc.setJdbcConnectionUrl(pgServer() + database);
      jdbc.setJdbcDriverClassName("org.postgresql.Driver");
      jdbc.setJdbcUser(pgUser());
      jdbc.setJdbcPassword(pgPassword());
      config.setStoreConfiguration(jdbc);
    }
    return config;
  }

  /** Prints the running Artemis's durability settings as an {@code ARTEMIS CONFIG} line. */
  static void printArtemisConfig(Configuration running, String database) {
    System.out.println(
        "ARTEMIS CONFIG store="
            + (database == null ? "file journal" : "JDBC " + Passwords.mask(pgServer() + database))
            + " journal-type="
            + running.getJournalType()
            + " persistence-enabled="
            + running.isPersistenceEnabled()
            + " journal-sync-transactional="
            + running.isJournalSyncTransactional()
            + " journal-sync-non-transactional="
            + running.isJournalSyncNonTransactional()
            + " journal-datasync="
            + running.isJournalDatasync()
            + " journal-buffer-timeout-ns(AIO/NIO)="
            + running.getJournalBufferTimeout_AIO()
            + "/"
            + running.getJournalBufferTimeout_NIO());
  }

  /** The broker's connection factory; the caller closes the connections it makes. */
  ConnectionFactory factory() {
    return factory;
  }

  /**
   * Stops the broker (Artemis, WarrenMQ's {@code vm://} broker through {@link
   * WarrenConnectionFactory#stopBroker}, or the broker's own JVM with {@link #WIRE}), deletes the
   * data directory and drops the trial's PostgreSQL database if it has one.
   *
   * @throws IOException if the data directory cannot be listed
   * @throws IllegalStateException if Artemis fails to stop, or the database cannot be dropped
   */
  @Override
  public void close() throws IOException {
    if (factory instanceof ActiveMQConnectionFactory cf && remote != null) {
      cf.close();
    }
    if (remote != null) {
      remote.close();
    }
    if (warrenName != null) {
      WarrenConnectionFactory.stopBroker(warrenName);
    }
    if (artemis != null) {
      if (factory instanceof ActiveMQConnectionFactory cf) {
        cf.close();
      }
      try {
        artemis.stop();
      } catch (Exception e) {
        throw new IllegalStateException("Artemis did not stop: " + e, e);
      }
      // The in-VM transport's static thread pool is not ended by stop(); JMH would wait for it.
      InVMConnector.resetThreadPool();
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    if (database != null) {
      onServer("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }
}
