package io.warrenmq.server.internal.standalone;

import io.warrenmq.client.Passwords;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import io.warrenmq.server.internal.config.ConfigException;
import io.warrenmq.server.internal.config.Listener;
import io.warrenmq.server.internal.config.ResourceLimit;
import io.warrenmq.server.internal.config.ServerSettings;
import io.warrenmq.store.jdbc.JdbcMessageStore;
import io.warrenmq.store.jdbc.JdbcStoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The standalone server: the durable JDBC store, the engine's {@link Broker} on it, and a {@link
 * WarrenServer} listener in front, started from {@link ServerSettings} and stopped in the reverse
 * order. The launcher ({@code io.warrenmq.server.Main}) starts one and stops it from a JVM shutdown
 * hook.
 *
 * <p>Thread-safety: {@link #close()} may be called from any thread, once or more.
 */
public final class StandaloneServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(StandaloneServer.class.getName());

  /** The engine broker's name: threads are {@code warren-dispatch-warren-N} etc. */
  public static final String BROKER_NAME = "warren";

  private final Broker broker;
  private final WarrenServer server;
  private final String banner;

  private StandaloneServer(Broker broker, WarrenServer server, String banner) {
    this.broker = broker;
    this.server = server;
    this.banner = banner;
  }

  /**
   * Opens the store, starts the broker on it, applies the default user and {@code load_definitions}
   * ({@link BootDefinitions}), opens the listener and logs the banner.
   *
   * @param settings the configuration
   * @param version what the banner calls this build
   * @throws ConfigException naming the key when a setting cannot be used: a TLS listener (not
   *     supported yet), no listener, a data directory that cannot be created, a store that cannot
   *     be opened (unreachable database, directory in use), a definitions file the broker refuses,
   *     an address that cannot be bound. Whatever was started is stopped again.
   */
  public static StandaloneServer start(ServerSettings settings, String version) {
    long started = System.nanoTime();
    ServerConfig listenerConfig = listenerConfig(settings);
    JdbcStoreConfig storeConfig = settings.store();
    String storeKey =
        storeConfig.jdbcUrl() != null ? "warrenmq.store.jdbc_url" : "warrenmq.data_dir";
    if (storeConfig.dataDir() != null) {
      try {
        Files.createDirectories(storeConfig.dataDir());
      } catch (IOException e) {
        throw new ConfigException(
            settings.where(storeKey),
            storeKey,
            "directory " + storeConfig.dataDir() + " cannot be created: " + e);
      }
    }
    long maxHeap = Runtime.getRuntime().maxMemory();
    long memoryLimit = settings.memoryWatermark().bytes(maxHeap);
    BrokerConfig brokerConfig = BrokerConfig.named(BROKER_NAME).withMemoryLimitBytes(memoryLimit);
    JdbcMessageStore store;
    try {
      store = JdbcMessageStore.open(storeConfig, BROKER_NAME);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ConfigException(settings.where(storeKey), storeKey, oneLine(e.getMessage()));
    }
    Broker broker = new Broker(brokerConfig, store); // closes the store if recovery fails
    WarrenServer server = null;
    try {
      List<String> boot = BootDefinitions.apply(broker, settings);
      Listener listener = settings.tcpListener().orElseThrow();
      try {
        server = WarrenServer.start(broker, listenerConfig);
      } catch (IllegalStateException e) {
        throw new ConfigException(
            settings.where(listener.key()), listener.key(), oneLine(e.getMessage()));
      }
      String banner =
          banner(settings, version, new Listener(listener.key(), listener.host(), server.port()))
              + limits(settings, memoryLimit, maxHeap)
              + String.join("", boot.stream().map(s -> "\n  " + s).toList())
              + "\n  users: "
              + broker.users().list().size()
              + ", virtual hosts: "
              + broker.virtualHostNames().size()
              + "\nServer startup complete in "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
              + " ms";
      LOG.log(System.Logger.Level.INFO, banner);
      if (settings.memoryWatermark().absoluteBytes() != null && memoryLimit > maxHeap) {
        LOG.log(
            System.Logger.Level.WARNING,
            "{0} is {1} bytes, above the JVM''s max heap ({2} bytes): the heap runs out before the"
                + " memory alarm blocks publishers; raise -Xmx (JAVA_OPTS) or lower the watermark",
            settings.memoryWatermark().key(),
            memoryLimit,
            maxHeap);
      }
      return new StandaloneServer(broker, server, banner);
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      broker.close();
      throw e;
    }
  }

  private static ServerConfig listenerConfig(ServerSettings settings) {
    if (settings.sslListener().isPresent()) {
      String key = settings.sslListener().get().key();
      throw new ConfigException(
          settings.where(key),
          key,
          "TLS listeners (amqps) are not supported yet: remove this key and connect through"
              + " listeners.tcp.* (ssl_options.* are read and checked already)");
    }
    if (settings.tcpListener().isEmpty()) {
      throw new ConfigException(
          settings.where("listeners.tcp"),
          "listeners.tcp",
          "is none, which leaves the server without a listener (TLS is not supported yet); set"
              + " listeners.tcp.default");
    }
    return settings.serverConfig();
  }

  private static String banner(ServerSettings settings, String version, Listener bound) {
    JdbcStoreConfig store = settings.store();
    String durability = store.durability().name().toLowerCase(Locale.ROOT);
    String storeLine =
        store.dataDir() != null
            ? "H2 in " + store.dataDir().toAbsolutePath() + ", durability " + durability
            : Passwords.mask(store.jdbcUrl())
                + (store.user() != null ? " as user " + store.user() : "")
                + ", durability "
                + durability;
    return "WarrenMQ "
        + version
        + " (AMQP 0-9-1)"
        + "\n  config: "
        + (settings.source() != null ? settings.source() : "none, every key at its default")
        + "\n  listener: amqp "
        + bound
        + " ("
        + bound.key()
        + ")"
        + "\n  store: "
        + storeLine;
  }

  private static String limits(ServerSettings settings, long memoryLimit, long maxHeap) {
    ServerConfig c = settings.serverConfig();
    ResourceLimit memory = settings.memoryWatermark();
    return "\n  limits: frame_max "
        + c.frameMax()
        + " bytes, channel_max "
        + c.channelMax()
        + ", heartbeat "
        + c.heartbeatSeconds()
        + " s, max_message_size "
        + c.maxMessageSize()
        + " bytes, loopback_users "
        + (c.loopbackUsers().isEmpty() ? "none" : c.loopbackUsers().stream().sorted().toList())
        + "\n  memory high watermark: "
        + memoryLimit
        + " bytes of queued message bodies ("
        + memory
        + (memory.relative() != null ? " of the " + maxHeap + "-byte max heap" : "")
        + ")"
        + "\n  "
        + settings.diskFreeLimit()
        + ": read, not enforced yet (no disk alarm)"
        + "\n  management.tcp.port = "
        + settings.managementPort()
        + ": read, not served yet (the management API is planned)";
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ");
  }

  /** The port the listener is bound to (the one picked when the configuration said 0). */
  public int port() {
    return server.port();
  }

  /** The start-up banner, as logged. */
  public String banner() {
    return banner;
  }

  /** The broker, for tests and the launcher. */
  public Broker broker() {
    return broker;
  }

  /**
   * Stops as RabbitMQ does on SIGTERM: stops accepting, closes every client connection with 320
   * CONNECTION_FORCED and waits up to 5 s for their {@code close-ok} ({@link WarrenServer#close}),
   * then closes the broker, whose store finishes its last group commit and records a clean
   * shutdown. Idempotent.
   */
  @Override
  public void close() {
    if (!broker.isOpen()) {
      return;
    }
    LOG.log(
        System.Logger.Level.INFO,
        "stopping: closing {0} client connection(s) with 320 CONNECTION_FORCED",
        server.connectionCount());
    server.close();
    broker.close();
    LOG.log(System.Logger.Level.INFO, "WarrenMQ stopped");
  }
}
