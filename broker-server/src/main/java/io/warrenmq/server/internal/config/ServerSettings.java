package io.warrenmq.server.internal.config;

import io.warrenmq.server.ServerConfig;
import io.warrenmq.store.jdbc.JdbcStoreConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

  /** RabbitMQ's {@code management.tcp.port} default. */
  public static final int DEFAULT_MANAGEMENT_PORT = 15672;

  private final String source;
  private final Listener tcpListener;
  private final Listener sslListener;
  private final TlsOptions tls;
  private final ServerConfig limits;
  private final DefaultUser defaultUser;
  private final ResourceLimit memoryWatermark;
  private final ResourceLimit diskFreeLimit;
  private final int managementPort;
  private final Path definitions;
  private final JdbcStoreConfig store;
  private final Map<String, Integer> lines;

  ServerSettings(SettingsReader.Values v) {
    source = v.source;
    tcpListener = v.tcpListener;
    sslListener = v.sslListener;
    tls = v.tls.build();
    limits =
        new ServerConfig(
            "127.0.0.1",
            0,
            v.channelMax,
            v.frameMax,
            v.heartbeat,
            v.maxMessageSize,
            Set.copyOf(v.loopbackUsers));
    defaultUser = v.defaultUser;
    memoryWatermark = v.memoryWatermark;
    diskFreeLimit = v.diskFreeLimit;
    managementPort = v.managementPort;
    definitions = v.definitions;
    store = v.store;
    lines = Map.copyOf(v.lines);
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

  /** {@code ssl_options.*}. */
  public TlsOptions tls() {
    return tls;
  }

  /**
   * The listener's settings for {@link io.warrenmq.server.WarrenServer}: {@code channel_max},
   * {@code frame_max}, {@code heartbeat}, {@code max_message_size}, {@code loopback_users}, on the
   * TCP listener's address.
   *
   * @throws IllegalStateException after {@code listeners.tcp = none}
   */
  public ServerConfig serverConfig() {
    Listener l = tcpListener().orElseThrow(() -> new IllegalStateException("no TCP listener"));
    return limits.withListener(l.host(), l.port());
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

  /** {@code management.tcp.port}; read and checked, nothing listens on it yet. */
  public int managementPort() {
    return managementPort;
  }

  /** {@code load_definitions}: a definitions file or a directory of them, or empty. */
  public Optional<Path> definitions() {
    return Optional.ofNullable(definitions);
  }

  /** The store: {@code warrenmq.data_dir} or {@code warrenmq.store.*}. */
  public JdbcStoreConfig store() {
    return store;
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
