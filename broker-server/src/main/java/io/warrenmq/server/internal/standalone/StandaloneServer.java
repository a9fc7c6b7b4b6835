package io.warrenmq.server.internal.standalone;

import io.warrenmq.client.Passwords;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.management.HaStatus;
import io.warrenmq.management.ManagementConfig;
import io.warrenmq.management.ManagementServer;
import io.warrenmq.management.MetricsServer;
import io.warrenmq.management.PrometheusMetrics;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.TlsConfig;
import io.warrenmq.server.WarrenServer;
import io.warrenmq.server.internal.ListenerBindException;
import io.warrenmq.server.internal.ServerTls;
import io.warrenmq.server.internal.config.ConfigException;
import io.warrenmq.server.internal.config.Listener;
import io.warrenmq.server.internal.config.ResourceLimit;
import io.warrenmq.server.internal.config.ServerSettings;
import io.warrenmq.server.internal.ha.HaCoordinator;
import io.warrenmq.store.jdbc.Definitions;
import io.warrenmq.store.jdbc.HaLease;
import io.warrenmq.store.jdbc.JdbcMessageStore;
import io.warrenmq.store.jdbc.JdbcStoreConfig;
import io.warrenmq.store.jdbc.StoredUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The standalone server: the durable JDBC store, the engine's {@link Broker} on it, and a {@link
 * WarrenServer} in front with its listeners (plain TCP, TLS, or both), started from {@link
 * ServerSettings} and stopped in the reverse order. The launcher ({@code io.warrenmq.server.Main})
 * starts one and stops it from a JVM shutdown hook.
 *
 * <p>Thread-safety: {@link #close()} may be called from any thread, once or more.
 */
public final class StandaloneServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(StandaloneServer.class.getName());

  /** The engine broker's name: threads are {@code warren-dispatch-warren-N} etc. */
  public static final String BROKER_NAME = "warren";

  private final Broker broker;
  private final WarrenServer server;
  private final ManagementServer management;
  private final String banner;
  private final DiskMonitor disk; // null: the store is not on a local directory

  private final HaCoordinator ha; // null: warrenmq.ha.mode = none

  private StandaloneServer(
      Broker broker,
      WarrenServer server,
      ManagementServer management,
      String banner,
      DiskMonitor disk,
      HaCoordinator ha) {
    this.ha = ha;
    this.broker = broker;
    this.server = server;
    this.management = management;
    this.banner = banner;
    this.disk = disk;
  }

  private MetricsServer prometheus; // set once by start, before the server is handed out

  /** The Prometheus listener ({@code prometheus.tcp.port}), if it is on. */
  public java.util.Optional<MetricsServer> prometheus() {
    return java.util.Optional.ofNullable(prometheus);
  }

  /**
   * Reads the TLS listener's files, opens the store, starts the broker on it, applies the default
   * user and {@code load_definitions} ({@link BootDefinitions}), opens the listeners and logs the
   * banner.
   *
   * @param settings the configuration
   * @param version what the banner calls this build
   * @throws ConfigException naming the key (and its line) when a setting cannot be used: a TLS file
   *     that cannot be read or used ({@code ssl_options.*}, checked before the store is opened), a
   *     data directory that cannot be created, a store that cannot be opened (unreachable database,
   *     directory in use), a definitions file the broker refuses, an address that cannot be bound
   *     ({@code listeners.tcp.*} or {@code listeners.ssl.*}). Whatever was started is stopped
   *     again.
   */
  public static StandaloneServer start(ServerSettings settings, String version) {
    return start(settings, version, status -> Runtime.getRuntime().halt(status));
  }

  /**
   * As {@link #start(ServerSettings, String)}; with {@code warrenmq.ha.mode = shared-store} this
   * node first waits as a backup until it holds the store's lease ({@link HaCoordinator}): no
   * store, no AMQP listener meanwhile. Returns once it is live.
   *
   * @param halt ends the process when this node, live, loses its lease (status {@value
   *     HaCoordinator#EXIT_DEPOSED})
   * @throws IllegalStateException if the thread is interrupted while it waits as a backup
   */
  static StandaloneServer start(ServerSettings settings, String version, IntConsumer halt) {
    long started = System.nanoTime();
    ServerConfig listenerConfig = settings.serverConfig();
    checkTlsFiles(settings);
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
    BrokerConfig brokerConfig =
        BrokerConfig.named(BROKER_NAME)
            .withMemoryLimitBytes(memoryLimit)
            .withQueueWindowBytes(settings.queueWindowBytes())
            .withJmx(settings.jmx());
    HaCoordinator ha = null;
    ManagementServer backupManagement = null;
    JdbcMessageStore.Standby standby = null;
    if (settings.ha().isPresent()) {
      ha = openLease(settings, storeKey, halt);
      try {
        backupManagement = backupManagement(ha, settings, version);
        // the pool and Hibernate are built while waiting, so that a takeover does not pay for them
        standby = JdbcMessageStore.standby(storeConfig, BROKER_NAME, ha.lease());
        warmUp();
        ha.awaitLive();
      } catch (InterruptedException | RuntimeException e) {
        if (standby != null) {
          standby.close();
        }
        closeHa(ha, backupManagement);
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("stopped while waiting as an HA backup", e);
        }
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
          throw new ConfigException(settings.where(storeKey), storeKey, oneLine(e.getMessage()));
        }
        throw (RuntimeException) e;
      }
    }
    Supplier<HaStatus> haStatus = haStatus(ha);
    JdbcMessageStore store;
    try {
      store = standby != null ? standby.open() : JdbcMessageStore.open(storeConfig, BROKER_NAME);
    } catch (IllegalArgumentException | IllegalStateException e) {
      closeHa(ha, backupManagement);
      throw new ConfigException(settings.where(storeKey), storeKey, oneLine(e.getMessage()));
    }
    Broker broker;
    try {
      broker = new Broker(brokerConfig, store); // closes the store if recovery fails
    } catch (RuntimeException e) {
      closeHa(ha, backupManagement);
      throw e;
    }
    if (ha != null) {
      ha.watchStore(broker::setStoreAlarm); // publishers wait while the lease cannot be renewed
    }
    WarrenServer server = null;
    DiskMonitor disk = null;
    ManagementServer management = null;
    MetricsServer prometheus = null;
    try {
      List<String> boot = BootDefinitions.apply(broker, settings);
      long diskLimit = settings.diskFreeLimit().bytes(totalMemory());
      if (storeConfig.dataDir() != null) {
        // before the listener opens, so that no publish gets in while the disk is already full
        disk =
            new DiskMonitor(
                    broker,
                    storeConfig.dataDir().toAbsolutePath().toString(),
                    diskLimit,
                    settings.diskFreeLimit().toString(),
                    DiskMonitor.usableSpace(storeConfig.dataDir()))
                .start();
      }
      server = listen(broker, listenerConfig, settings);
      PrometheusMetrics metrics = new PrometheusMetrics(broker, version, haStatus);
      if (backupManagement != null) {
        backupManagement.close(); // its port is the live listener's now
        backupManagement = null;
      }
      management = management(broker, settings, metrics, haStatus);
      prometheus = prometheus(metrics, settings);
      String banner =
          banner(settings, version, server)
              + limits(settings, memoryLimit, maxHeap, diskLimit, storeConfig.dataDir() != null)
              + "\n  management API: "
              + (management == null
                  ? "off (set management.tcp.port to serve it)"
                  : "http://" + settings.managementIp() + ":" + management.port() + "/api/")
              + (prometheus == null
                  ? ""
                  : "\n  Prometheus: http://"
                      + settings.prometheusIp()
                      + ":"
                      + prometheus.port()
                      + "/metrics")
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
      StandaloneServer running = new StandaloneServer(broker, server, management, banner, disk, ha);
      running.prometheus = prometheus;
      if (ha != null) {
        ha.announceLive();
      }
      return running;
    } catch (RuntimeException e) {
      if (prometheus != null) {
        prometheus.close();
      }
      if (management != null) {
        management.close();
      }
      if (server != null) {
        server.close();
      }
      if (disk != null) {
        disk.close();
      }
      broker.close();
      closeHa(ha, backupManagement);
      throw e;
    }
  }

  /**
   * An HA backup starts and closes an in-memory broker (no store, no JMX) with a listener on a free
   * port of 127.0.0.1 (closed at once) while it waits, so that the engine's and Netty's classes are
   * loaded and initialized before a takeover rather than during it (measured: seconds on a busy
   * machine). Best effort: a failure is logged and ignored.
   */
  private static void warmUp() {
    try (Broker warm =
        new Broker(
            BrokerConfig.named(BROKER_NAME + "-warm-up").withJmx(false), MessageStore.NONE)) {
      WarrenServer.start(warm, ServerConfig.defaults()).close();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "HA: the backup's warm-up failed", e);
    }
  }

  private static void closeHa(HaCoordinator ha, ManagementServer backupManagement) {
    if (backupManagement != null) {
      backupManagement.close();
    }
    if (ha != null) {
      ha.close();
    }
  }

  /** What {@code /api/nodes} and the metrics show: the coordinator's state, or no HA. */
  private static Supplier<HaStatus> haStatus(HaCoordinator ha) {
    if (ha == null) {
      return () -> HaStatus.NONE;
    }
    return () -> {
      HaCoordinator.Status s = ha.status();
      return new HaStatus(
          "shared-store",
          s.role().name().toLowerCase(Locale.ROOT),
          s.epoch(),
          s.leaseAgeMs(),
          s.takeovers());
    };
  }

  /**
   * The management listener of a backup (when {@code management.tcp.port} is set): {@code
   * /api/nodes} shows it as backup, with users read from the store; {@code /metrics} the {@code
   * warrenmq_ha_*} metrics.
   */
  private static ManagementServer backupManagement(
      HaCoordinator ha, ServerSettings settings, String version) {
    if (settings.managementPort().isEmpty()) {
      return null;
    }
    Supplier<HaStatus> status = haStatus(ha);
    ManagementConfig config =
        ManagementConfig.of(settings.managementIp(), settings.managementPort().getAsInt())
            .withEndpoint("/metrics", PrometheusMetrics.ofBackup(version, status).endpoint())
            .withHaStatus(status);
    JdbcStoreConfig store = settings.store();
    try {
      return ManagementServer.startBackup(config, name -> StoredUsers.find(store, name));
    } catch (IllegalStateException e) {
      throw new ConfigException(
          settings.where("management.tcp.port"), "management.tcp.port", oneLine(e.getMessage()));
    }
  }

  /**
   * Shared-store HA: opens the store's lease (acquiring nothing yet) and its coordinator.
   *
   * @throws ConfigException naming the store's key when the lease cannot be opened (database
   *     unreachable, schema refused)
   */
  private static HaCoordinator openLease(
      ServerSettings settings, String storeKey, IntConsumer halt) {
    HaLease lease;
    try {
      lease = HaLease.open(settings.store(), settings.ha().orElseThrow());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ConfigException(settings.where(storeKey), storeKey, oneLine(e.getMessage()));
    }
    return new HaCoordinator(lease, halt);
  }

  /**
   * Reads the TLS listener's certificate, key and CA files as the listener will, so that a wrong
   * file is reported before the store is opened (a fresh store would otherwise get its default user
   * from a start that fails). The listener reads them again when it starts.
   */
  private static void checkTlsFiles(ServerSettings settings) {
    if (settings.tls().isPresent()) {
      try {
        ServerTls.of(settings.tls().get());
      } catch (IllegalArgumentException e) {
        throw settings.tlsError(e);
      }
    }
  }

  /**
   * The management HTTP API ({@link ManagementServer}) when {@code management.tcp.port} is set,
   * with definitions export and import by the store module's {@link Definitions}. An extra endpoint
   * such as Prometheus' {@code /metrics} is added here with {@link ManagementConfig#withEndpoint}.
   */
  private static ManagementServer management(
      Broker broker,
      ServerSettings settings,
      PrometheusMetrics metrics,
      Supplier<HaStatus> haStatus) {
    if (settings.managementPort().isEmpty()) {
      return null;
    }
    ManagementConfig config =
        ManagementConfig.of(settings.managementIp(), settings.managementPort().getAsInt())
            .withDefinitions(Definitions::export, Definitions::importInto)
            .withEndpoint("/metrics", metrics.endpoint())
            .withEndpoint("/metrics/per-object", metrics.perObjectEndpoint())
            .withHaStatus(haStatus);
    try {
      return ManagementServer.start(broker, config);
    } catch (IllegalStateException e) {
      throw new ConfigException(
          settings.where("management.tcp.port"), "management.tcp.port", oneLine(e.getMessage()));
    }
  }

  /**
   * The Prometheus endpoint on its own listener when {@code prometheus.tcp.port} is set, as
   * RabbitMQ's {@code rabbitmq_prometheus} plugin serves it.
   */
  private static MetricsServer prometheus(PrometheusMetrics metrics, ServerSettings settings) {
    if (settings.prometheusPort().isEmpty()) {
      return null;
    }
    try {
      return MetricsServer.start(
          metrics, settings.prometheusIp(), settings.prometheusPort().getAsInt());
    } catch (IllegalStateException e) {
      throw new ConfigException(
          settings.where("prometheus.tcp.port"), "prometheus.tcp.port", oneLine(e.getMessage()));
    }
  }

  /** Starts the listeners; errors name the key of the listener or {@code ssl_options} at fault. */
  private static WarrenServer listen(Broker broker, ServerConfig config, ServerSettings settings) {
    try {
      return WarrenServer.start(broker, config);
    } catch (IllegalArgumentException e) {
      throw settings.tlsError(e); // the TLS settings, or the two listeners on one address
    } catch (ListenerBindException e) {
      Listener listener =
          (e.tls() ? settings.sslListener() : settings.tcpListener()).orElseThrow(() -> e);
      throw new ConfigException(
          settings.where(listener.key()), listener.key(), oneLine(e.getMessage()));
    }
  }

  private static String banner(ServerSettings settings, String version, WarrenServer server) {
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
        + listenerLines(settings, server)
        + "\n  store: "
        + storeLine
        + settings
            .ha()
            .map(
                h ->
                    "\n  HA: shared-store, node "
                        + h.nodeName()
                        + ", lease_timeout "
                        + h.leaseTimeoutMs()
                        + " ms, renew_interval "
                        + h.renewIntervalMs()
                        + " ms, store_outage_timeout "
                        + h.storeOutageTimeoutMs()
                        + " ms")
            .orElse("");
  }

  /** One line per listener, with the port actually bound and, for TLS, the client certificates. */
  private static String listenerLines(ServerSettings settings, WarrenServer server) {
    StringBuilder b = new StringBuilder();
    settings
        .tcpListener()
        .ifPresentOrElse(
            l -> b.append("\n  listener: amqp ").append(bound(l, server.port())),
            () -> b.append("\n  listener: amqp none (listeners.tcp = none)"));
    settings
        .sslListener()
        .ifPresent(
            l -> {
              TlsConfig tls = settings.tls().orElseThrow();
              b.append("\n  listener: amqps ")
                  .append(bound(l, server.tlsPort()))
                  .append(", certfile ")
                  .append(tls.certFile().toAbsolutePath())
                  .append(", client certificates ")
                  .append(tls.clientCertificates());
            });
    return b.toString();
  }

  /** {@code host:port (key)}, with the port bound (the one picked when the file said 0). */
  private static String bound(Listener configured, int port) {
    Listener bound = new Listener(configured.key(), configured.host(), port);
    return bound + " (" + bound.key() + ")";
  }

  /**
   * The machine's physical memory in bytes, the base of {@code disk_free_limit.relative} as in
   * RabbitMQ; the JVM's max heap if the platform does not tell.
   */
  private static long totalMemory() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }

  private static String limits(
      ServerSettings settings,
      long memoryLimit,
      long maxHeap,
      long diskLimit,
      boolean diskWatched) {
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
        + "\n  disk free limit: "
        + diskLimit
        + " bytes ("
        + settings.diskFreeLimit()
        + (settings.diskFreeLimit().relative() != null ? " of the machine's memory" : "")
        + (diskWatched
            ? ") on the store's file system, checked every " + DiskMonitor.CHECK_INTERVAL_MS + " ms"
            : "), not checked: the store is in PostgreSQL, whose disk its server watches");
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * The port the plain TCP listener is bound to (the one picked when the configuration said 0).
   *
   * @throws IllegalStateException after {@code listeners.tcp = none}
   */
  public int port() {
    return server.port();
  }

  /**
   * The port the TLS listener is bound to (the one picked when the configuration said 0).
   *
   * @throws IllegalStateException without {@code listeners.ssl.<name>}
   */
  public int tlsPort() {
    return server.tlsPort();
  }

  /**
   * The port the management HTTP API is bound to (the one picked when {@code management.tcp.port}
   * said 0).
   *
   * @throws IllegalStateException when {@code management.tcp.port} is not set
   */
  public int managementPort() {
    if (management == null) {
      throw new IllegalStateException("the management API is off (management.tcp.port not set)");
    }
    return management.port();
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
    if (prometheus != null) {
      prometheus.close();
    }
    if (management != null) {
      management.close();
    }
    server.close();
    if (disk != null) {
      disk.close();
    }
    broker.close();
    if (ha != null) {
      ha.close(); // after the store: releases the lease, a backup takes over at once
    }
    LOG.log(System.Logger.Level.INFO, "WarrenMQ stopped");
  }
}
