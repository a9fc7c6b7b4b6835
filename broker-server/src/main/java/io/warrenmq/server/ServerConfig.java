package io.warrenmq.server;

import java.util.Objects;
import java.util.Set;

/**
 * The settings of the AMQP 0-9-1 listeners of a {@link WarrenServer}: a plain TCP listener (on by
 * default) and an optional TLS one ({@code amqps}), which share the protocol limits below. Every
 * setting has a default that works ({@link #defaults()}); {@link #validate()} names the one that is
 * wrong. RabbitMQ's keys: {@code listeners.tcp.default} ({@link #withListener}, {@code
 * listeners.tcp = none}: {@link #withoutTcpListener}), {@code listeners.ssl.default} and {@code
 * ssl_options.*} ({@link #withTlsListener}).
 *
 * @param host the address the TCP listener binds, e.g. {@code 127.0.0.1}; {@code 0.0.0.0} for all
 * @param port the TCP listener's port, 0-65535; 0 picks a free one (tests); {@link #NO_LISTENER}
 *     for no plain TCP listener. RabbitMQ's default is 5672
 * @param channelMax the highest channel number a connection may open, 1-65535 (RabbitMQ's {@code
 *     channel_max}, default 2047), offered in {@code connection.tune}
 * @param frameMax the largest frame in bytes, 4096-1048576, offered in {@code connection.tune}
 *     (RabbitMQ's {@code frame_max}, default 131072)
 * @param heartbeatSeconds the heartbeat interval offered in {@code connection.tune}, 0-65535 s, 0
 *     for none (RabbitMQ's {@code heartbeat}, default 60); a peer silent for two intervals is
 *     disconnected
 * @param maxMessageSize the largest message body in bytes, 1-536870912 (RabbitMQ's {@code
 *     max_message_size}, default 134217728); a larger publish closes its channel with 406
 * @param loopbackUsers users who may log in only from a loopback address (RabbitMQ's {@code
 *     loopback_users}, default {@code guest}); applies to both listeners
 * @param tlsListener the TLS listener, or null for none (the default)
 */
public record ServerConfig(
    String host,
    int port,
    int channelMax,
    int frameMax,
    int heartbeatSeconds,
    long maxMessageSize,
    Set<String> loopbackUsers,
    TlsListener tlsListener) {

  /** {@link #port} of a server without a plain TCP listener (RabbitMQ's listeners.tcp = none). */
  public static final int NO_LISTENER = -1;

  /** RabbitMQ's default port for AMQP over TLS ({@code listeners.ssl.default}). */
  public static final int DEFAULT_TLS_PORT = 5671;

  public ServerConfig {
    loopbackUsers = loopbackUsers == null ? Set.of() : Set.copyOf(loopbackUsers);
  }

  /** The settings without a TLS listener (the form before TLS existed). */
  public ServerConfig(
      String host,
      int port,
      int channelMax,
      int frameMax,
      int heartbeatSeconds,
      long maxMessageSize,
      Set<String> loopbackUsers) {
    this(host, port, channelMax, frameMax, heartbeatSeconds, maxMessageSize, loopbackUsers, null);
  }

  /**
   * The {@code amqps} listener: where it binds and its TLS settings.
   *
   * @param host the address to bind, e.g. {@code 0.0.0.0}
   * @param port 0-65535, 0 picks a free one; RabbitMQ's default is {@value #DEFAULT_TLS_PORT}
   * @param tls the {@code ssl_options}
   */
  public record TlsListener(String host, int port, TlsConfig tls) {
    public TlsListener {
      Objects.requireNonNull(tls, "tls");
    }
  }

  /** RabbitMQ's defaults, on 127.0.0.1 and a free port. */
  public static ServerConfig defaults() {
    return new ServerConfig("127.0.0.1", 0, 2047, 131072, 60, 134_217_728L, Set.of("guest"));
  }

  /** A copy whose TCP listener binds {@code host:port} ({@code listeners.tcp.default}). */
  public ServerConfig withListener(String host, int port) {
    return new ServerConfig(
        host,
        port,
        channelMax,
        frameMax,
        heartbeatSeconds,
        maxMessageSize,
        loopbackUsers,
        tlsListener);
  }

  /** A copy without the plain TCP listener ({@code listeners.tcp = none}); needs a TLS one. */
  public ServerConfig withoutTcpListener() {
    return withListener(host, NO_LISTENER);
  }

  /**
   * A copy with a TLS listener on {@code host:port} ({@code listeners.ssl.default} and {@code
   * ssl_options.*}).
   */
  public ServerConfig withTlsListener(String host, int port, TlsConfig tls) {
    return new ServerConfig(
        this.host,
        this.port,
        channelMax,
        frameMax,
        heartbeatSeconds,
        maxMessageSize,
        loopbackUsers,
        new TlsListener(host, port, tls));
  }

  /** A copy offering another heartbeat interval (seconds, 0 = none). */
  public ServerConfig withHeartbeat(int seconds) {
    return new ServerConfig(
        host, port, channelMax, frameMax, seconds, maxMessageSize, loopbackUsers, tlsListener);
  }

  /** Whether the plain TCP listener is on. */
  public boolean hasTcpListener() {
    return port != NO_LISTENER;
  }

  /**
   * Checks every setting.
   *
   * @throws IllegalArgumentException naming the first wrong setting and what it accepts
   */
  public void validate() {
    if (hasTcpListener()) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("listener host is empty");
      }
      check(port, 0, 65535, "listener port");
    } else if (tlsListener == null) {
      throw new IllegalArgumentException(
          "no listener: without the TCP listener (listeners.tcp = none) a TLS listener"
              + " (listeners.ssl.default) is needed");
    }
    if (tlsListener != null) {
      if (tlsListener.host() == null || tlsListener.host().isBlank()) {
        throw new IllegalArgumentException("TLS listener host is empty");
      }
      check(tlsListener.port(), 0, 65535, "TLS listener port");
      if (hasTcpListener()
          && tlsListener.port() != 0
          && tlsListener.port() == port
          && tlsListener.host().equals(host)) {
        throw new IllegalArgumentException(
            "the TLS listener and the TCP listener are both on " + host + ":" + port);
      }
    }
    check(channelMax, 1, 65535, "channel_max");
    check(frameMax, 4096, 1 << 20, "frame_max");
    check(heartbeatSeconds, 0, 65535, "heartbeat");
    if (maxMessageSize < 1 || maxMessageSize > 536_870_912L) {
      throw new IllegalArgumentException(
          "max_message_size must be between 1 and 536870912 bytes, was " + maxMessageSize);
    }
  }

  private static void check(long value, long min, long max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", was " + value);
    }
  }
}
