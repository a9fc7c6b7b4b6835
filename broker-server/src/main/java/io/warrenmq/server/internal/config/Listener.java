package io.warrenmq.server.internal.config;

/**
 * A listener address from {@code listeners.tcp.<name>} or {@code listeners.ssl.<name>}.
 *
 * @param key the key that set it, e.g. {@code listeners.tcp.default}
 * @param host the address to bind: an IP literal or a host name; {@code 0.0.0.0} (every IPv4
 *     interface) when the value was a port alone
 * @param port 0-65535; 0 binds a free port (the banner prints the one bound)
 */
public record Listener(String key, String host, int port) {
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
