package io.warrenmq.server;

import java.util.Set;

/**
 * The settings of an AMQP 0-9-1 listener ({@link WarrenServer}). Every setting has a default that
 * works ({@link #defaults()}); {@link #validate()} names the one that is wrong.
 *
 * @param host the address to listen on, e.g. {@code 127.0.0.1}; {@code 0.0.0.0} for all
 * @param port the TCP port, 0-65535; 0 picks a free one (tests). RabbitMQ's default is 5672
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
 *     loopback_users}, default {@code guest})
 */
public record ServerConfig(
    String host,
    int port,
    int channelMax,
    int frameMax,
    int heartbeatSeconds,
    long maxMessageSize,
    Set<String> loopbackUsers) {

  public ServerConfig {
    loopbackUsers = loopbackUsers == null ? Set.of() : Set.copyOf(loopbackUsers);
  }

  /** RabbitMQ's defaults, on 127.0.0.1 and a free port. */
  public static ServerConfig defaults() {
    return new ServerConfig("127.0.0.1", 0, 2047, 131072, 60, 134_217_728L, Set.of("guest"));
  }

  /** A copy listening on {@code host:port}. */
  public ServerConfig withListener(String host, int port) {
    return new ServerConfig(
        host, port, channelMax, frameMax, heartbeatSeconds, maxMessageSize, loopbackUsers);
  }

  /** A copy offering another heartbeat interval (seconds, 0 = none). */
  public ServerConfig withHeartbeat(int seconds) {
    return new ServerConfig(
        host, port, channelMax, frameMax, seconds, maxMessageSize, loopbackUsers);
  }

  /**
   * Checks every setting.
   *
   * @throws IllegalArgumentException naming the first wrong setting and what it accepts
   */
  public void validate() {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("listener host is empty");
    }
    check(port, 0, 65535, "listener port");
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
