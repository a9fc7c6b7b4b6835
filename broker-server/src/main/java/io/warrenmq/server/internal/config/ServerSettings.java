package io.warrenmq.server.internal.config;

import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.TlsConfig;
import io.warrenmq.store.jdbc.HaLeaseConfig;
import io.warrenmq.store.jdbc.JdbcStoreConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone server's configuration: every key of the configuration file, read and validated by
 * {@link SettingsReader}, with RabbitMQ's defaults where RabbitMQ has the setting (README.md, "The
 * standalone server").
 *
 * <p>Thread-safety: immutable.
 */
public final class ServerSettings {
  /** RabbitMQ's {@code vm_memory_high_watermark.relative} default (3.x): 0.4. */
  public static final double DEFAULT_MEMORY_WATERMARK = 0.4;

  /** RabbitMQ's {@code disk_free_limit.absolute} default: 50MB (50,000,000 bytes). */
  public static final long DEFAULT_DISK_FREE_LIMIT = 50_000_000L;

  /** RabbitMQ's {@code management.tcp.port} default, the port to set to turn the API on. */
  public static final int DEFAULT_MANAGEMENT_PORT = 15672;

  /** {@code management.tcp.ip} default: every interface, as RabbitMQ's management listener. */
  public static final String DEFAULT_MANAGEMENT_IP = "0.0.0.0";

  /** A {@link TlsConfig} or {@code ServerTls} error: {@code <ssl_options key>: <problem>}. */
  private static final Pattern TLS_ERROR = Pattern.compile("(ssl_options\\.[a-z_]+): (.*)");

  private final String source;
  private final Listener tcpListener;
  private final Listener sslListener;
  private final TlsConfig tls;
  private final ServerConfig serverConfig;
  private final DefaultUser defaultUser;
  private final ResourceLimit memoryWatermark;
  private final ResourceLimit diskFreeLimit;
  private final int managementPort;
  private final String managementIp;
  private final int prometheusPort;
  private final String prometheusIp;
  private final Path definitions;
  private final JdbcStoreConfig store;
  private final HaLeaseConfig ha;
  private final boolean jmx;
  private final long queueWindowBytes;
  private final Map<String, Integer> lines;
  private final Map<String, String> tlsListEntries;

  /**
   * @throws ConfigException when the {@code ssl_options} of a TLS listener do not fit together
   *     ({@link TlsConfig.Builder#build()}), naming the line and key as {@link #tlsError} does
   */
  ServerSettings(SettingsReader.Values v) {
    source = v.source;
    lines = Map.copyOf(v.lines);
    tlsListEntries = Map.copyOf(v.tlsListEntries);
    tcpListener = v.tcpListener;
    sslListener = v.sslListener;
    TlsConfig built = null;
    if (sslListener != null) {
      try {
        built = v.tls.build();
      } catch (IllegalArgumentException e) {
        throw tlsError(e);
      }
    }
    tls = built;
    ServerConfig c =
        new ServerConfig(
            "127.0.0.1",
            0,
            v.channelMax,
            v.frameMax,
            v.heartbeat,
            v.maxMessageSize,
            Set.copyOf(v.loopbackUsers));
    c =
        tcpListener != null
            ? c.withListener(tcpListener.host(), tcpListener.port())
            : c.withoutTcpListener();
    serverConfig =
        sslListener != null ? c.withTlsListener(sslListener.host(), sslListener.port(), tls) : c;
    defaultUser = v.defaultUser;
    memoryWatermark = v.memoryWatermark;
    diskFreeLimit = v.diskFreeLimit;
    managementPort = v.managementPort;
    managementIp = v.managementIp;
    prometheusPort = v.prometheusPort;
    prometheusIp = v.prometheusIp;
    definitions = v.definitions;
    store = v.store;
    ha = v.ha;
    jmx = v.jmx;
    queueWindowBytes = v.queueWindowBytes;
  }

  /** The configuration file, or null when every key has its default. */
  public String source() {
    return source;
  }

  /** {@code listeners.tcp.<name>}; empty after {@code listeners.tcp = none}. */
  public Optional<Listener> tcpListener() {
    return Optional.ofNullable(tcpListener);
  }

  /** {@code listeners.ssl.<name>}; empty by default. */
  public Optional<Listener> sslListener() {
    return Optional.ofNullable(sslListener);
  }

  /** The {@code ssl_options.*} of the TLS listener; empty without {@code listeners.ssl.<name>}. */
  public Optional<TlsConfig> tls() {
    return Optional.ofNullable(tls);
  }

  /**
   * The listeners' settings for {@link io.warrenmq.server.WarrenServer}: the TCP listener's address
   * (or none after {@code listeners.tcp = none}), the TLS listener's address and {@code
   * ssl_options}, {@code channel_max}, {@code frame_max}, {@code heartbeat}, {@code
   * max_message_size} and {@code loopback_users}.
   */
  public ServerConfig serverConfig() {
    return serverConfig;
  }

  /**
   * The configuration error for a TLS problem that {@link TlsConfig} or the TLS listener's start
   * reported ({@code <ssl_options key>: <problem>}), pointing at the line that set the key: {@code
   * ssl_options.versions.2} for a version or cipher that entry named, the key itself otherwise. A
   * key the file does not set (a missing {@code ssl_options.certfile}) is reported on the TLS
   * listener's line with the whole message; so is a message about the listener itself. The message
   * is made one line (a JDK exception's text may span several).
   */
  public ConfigException tlsError(IllegalArgumentException e) {
    String listenerKey = sslListener != null ? sslListener.key() : "listeners.ssl";
    String message =
        (e.getMessage() == null ? e.toString() : e.getMessage()).replaceAll("\\s*\\R\\s*", " ");
    Matcher m = TLS_ERROR.matcher(message);
    if (m.matches()) {
      String key = m.group(1);
      String problem = m.group(2);
      if (lines.containsKey(key)) {
        return new ConfigException(where(key), key, problem);
      }
      for (Map.Entry<String, String> entry : tlsListEntries.entrySet()) {
        if (entry.getKey().startsWith(key + ".")
            && problem.startsWith("'" + entry.getValue() + "'")) {
          return new ConfigException(where(entry.getKey()), entry.getKey(), problem);
        }
      }
    }
    return new ConfigException(where(listenerKey), listenerKey, message);
  }

  /** {@code default_user}, {@code default_pass}, {@code default_vhost} and their tags, rights. */
  public DefaultUser defaultUser() {
    return defaultUser;
  }

  /** {@code vm_memory_high_watermark.relative} (of the JVM's max heap) or {@code .absolute}. */
  public ResourceLimit memoryWatermark() {
    return memoryWatermark;
  }

  /** {@code disk_free_limit.absolute} or {@code .relative}; read and checked, not enforced yet. */
  public ResourceLimit diskFreeLimit() {
    return diskFreeLimit;
  }

  /**
   * {@code management.tcp.port}: the management HTTP API's port, 0 for any free port, or empty when
   * the key is not set (the API is then off; RabbitMQ serves it on 15672 once its plugin is
   * enabled, which here is setting this key).
   */
  public java.util.OptionalInt managementPort() {
    return managementPort < 0
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(managementPort);
  }

  /**
   * {@code prometheus.tcp.port}: the port of the Prometheus endpoint's own listener (RabbitMQ's
   * {@code rabbitmq_prometheus} uses 15692), 0 for any free port, or empty when unset: then {@code
   * /metrics} is served on the management listener only.
   */
  public java.util.OptionalInt prometheusPort() {
    return prometheusPort < 0
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(prometheusPort);
  }

  /** {@code prometheus.tcp.ip}: the Prometheus listener's address, default {@code 0.0.0.0}. */
  public String prometheusIp() {
    return prometheusIp;
  }

  /** {@code management.tcp.ip}: the management API's address, default {@code 0.0.0.0}. */
  public String managementIp() {
    return managementIp;
  }

  /** {@code load_definitions}: a definitions file or a directory of them, or empty. */
  public Optional<Path> definitions() {
    return Optional.ofNullable(definitions);
  }

  /** The store: {@code warrenmq.data_dir} or {@code warrenmq.store.*}. */
  public JdbcStoreConfig store() {
    return store;
  }

  /**
   * Shared-store high availability: present for {@code warrenmq.ha.mode = shared-store}, with
   * {@code warrenmq.ha.node_name}, {@code warrenmq.ha.lease_timeout}, {@code
   * warrenmq.ha.renew_interval} and {@code warrenmq.ha.store_outage_timeout}; empty for the default
   * {@code none}. When present, {@link #store()} is PostgreSQL (checked by the reader).
   */
  public Optional<HaLeaseConfig> ha() {
    return Optional.ofNullable(ha);
  }

  /**
   * {@code warrenmq.jmx}: whether the broker registers its JMX MBeans in the platform MBean server
   * ({@link io.warrenmq.engine.BrokerConfig#jmx()}); default true.
   */
  public boolean jmx() {
    return jmx;
  }

  /**
   * {@code warrenmq.queue_window}: the ready body bytes a durable queue keeps in heap before it
   * pages ({@link io.warrenmq.engine.BrokerConfig#queueWindowBytes()}), in bytes, at least 1;
   * RabbitMQ's information units ({@code 16MiB}, {@code 20MB}, a plain number of bytes). Default
   * {@link io.warrenmq.engine.BrokerConfig#DEFAULT_QUEUE_WINDOW_BYTES} (16 MiB).
   */
  public long queueWindowBytes() {
    return queueWindowBytes;
  }

  /** Whether the file set this key (its last occurrence). */
  public boolean isSet(String key) {
    return lines.containsKey(key);
  }

  /**
   * Where a key was set, for messages: {@code <file>:<line>}, or {@code "default"} when the file
   * does not set it.
   */
  public String where(String key) {
    Integer line = lines.get(key);
    return line == null ? "default" : source + ":" + line;
  }
}
