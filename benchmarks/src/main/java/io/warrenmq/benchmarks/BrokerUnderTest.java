package io.warrenmq.benchmarks;

import io.warrenmq.jms.WarrenConnectionFactory;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnector;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * One broker of a benchmark trial, started fresh on an empty data directory and reached through its
 * Jakarta Messaging connection factory: WarrenMQ in-VM ({@code vm://} URL, JDBC store on H2,
 * durability {@code POWER_LOSS}: every group commit fsynced before a persistent send returns) or an
 * embedded ActiveMQ Artemis with its default journal settings (persistence on, journal sync on for
 * transactional and non-transactional records, default journal type, in-VM acceptor).
 *
 * <p>Thread-safety: {@link #factory()} may be used by any thread; {@link #close()} once, by the
 * thread that ends the trial.
 */
final class BrokerUnderTest implements AutoCloseable {

  /** {@code @Param} value of WarrenMQ. */
  static final String WARREN = "warren";

  /** {@code @Param} value of ActiveMQ Artemis. */
  static final String ARTEMIS = "artemis";

  private final ConnectionFactory factory;
  private final Path dataDir;
  private final EmbeddedActiveMQ artemis;

  private BrokerUnderTest(ConnectionFactory factory, Path dataDir, EmbeddedActiveMQ artemis) {
    this.factory = factory;
    this.dataDir = dataDir;
    this.artemis = artemis;
  }

  /**
   * Starts a broker on a new, empty directory under {@code root}.
   *
   * @param kind {@link #WARREN} or {@link #ARTEMIS}
   * @param root parent of the data directory (created if absent)
   * @param asyncConfirms for Artemis: give the client a confirmation window (1 MiB) so that a
   *     {@code CompletionListener} is called when the broker confirms the send; without it the
   *     Artemis client calls the listener as soon as the message is handed to the connection.
   *     WarrenMQ always confirms after the store's commit.
   * @throws IllegalArgumentException for an unknown kind
   * @throws IllegalStateException if the broker does not start
   */
  static BrokerUnderTest start(String kind, Path root, boolean asyncConfirms) {
    Path dir;
    try {
      Files.createDirectories(root);
      dir = Files.createTempDirectory(root, kind + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return switch (kind) {
        case WARREN ->
            new BrokerUnderTest(
                WarrenConnectionFactory.forUrl(
                    "vm://bench-"
                        + UUID.randomUUID()
                        + "?dataDir="
                        + dir.toAbsolutePath()
                        + "&durability=POWER_LOSS"),
                dir,
                null);
        case ARTEMIS -> startArtemis(dir, asyncConfirms);
        default ->
            throw new IllegalArgumentException(
                "broker must be " + WARREN + " or " + ARTEMIS + ", was " + kind);
      };
    } catch (JMSException e) {
      throw new IllegalStateException("WarrenMQ did not start: " + e.getMessage(), e);
    }
  }

  private static BrokerUnderTest startArtemis(Path dir, boolean asyncConfirms) {
    // Only what an embedded broker needs: directories, an in-VM acceptor, no security. Journal
    // type, sync, buffer timeout and pool sizes stay at Artemis's defaults.
    Configuration config = new ConfigurationImpl();
    config
        .setPersistenceEnabled(true)
        .setSecurityEnabled(false)
        .setJournalDirectory(dir.resolve("journal").toString())
        .setBindingsDirectory(dir.resolve("bindings").toString())
        .setPagingDirectory(dir.resolve("paging").toString())
        .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
        .setNodeManagerLockDirectory(dir.toString());
    EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    server.setConfiguration(config);
    try {
      config.addAcceptorConfiguration("in-vm", "vm://0");
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("Artemis did not start: " + e, e);
    }
    Configuration running = server.getActiveMQServer().getConfiguration();
    System.out.println(
        "ARTEMIS CONFIG journal-type="
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
    ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("vm://0");
    if (asyncConfirms) {
      cf.setConfirmationWindowSize(1024 * 1024);
    }
    return new BrokerUnderTest(cf, dir, server);
  }

  /** The broker's connection factory; the caller closes the connections it makes. */
  ConnectionFactory factory() {
    return factory;
  }

  /**
   * Stops Artemis, and deletes the data directory. A WarrenMQ {@code vm://} broker has no public
   * stop yet; it ends with the trial's forked JVM (its files are deleted here already, which Linux
   * allows while they are open).
   *
   * @throws IOException if the data directory cannot be listed
   * @throws IllegalStateException if Artemis fails to stop
   */
  @Override
  public void close() throws IOException {
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
  }
}
