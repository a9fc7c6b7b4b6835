package io.warrenmq.jms.internal.wire;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A parsed wire connection URL {@code amqp://[user[:password]@]host[:port][/vhost][?options]} or
 * {@code amqps://...} (the RabbitMQ URI spec, https://www.rabbitmq.com/docs/uri-spec, plus the JMS
 * options of {@code vm://} URLs and TLS options).
 *
 * <ul>
 *   <li>Port: default 5672 for {@code amqp}, 5671 for {@code amqps}.
 *   <li>Virtual host: the path without its leading {@code /}, percent-decoded ({@code %2F} for
 *       {@code /}); no path or an empty one means {@code /}.
 *   <li>User and password: percent-decoded; none means RabbitMQ's default {@code guest}/{@code
 *       guest} for {@code createConnection()}.
 *   <li>Options: {@code clientID}, {@code prefetch}, {@code deserializationAllowList} (as for
 *       {@code vm://}); {@code connectTimeout} (ms, default 10000: TCP, TLS and AMQP handshake
 *       together), {@code requestTimeout} (ms, default 30000: how long a synchronous AMQP method
 *       waits for its {@code -ok}), {@code heartbeat} (s, default 60, 0 for none); for {@code
 *       amqps} {@code trustStore}, {@code trustStorePassword}, {@code trustStoreType} (default
 *       PKCS12), {@code keyStore}, {@code keyStorePassword}, {@code keyStoreType}, {@code
 *       verifyHost} (default true); {@code reconnectAttempts}, {@code reconnectDelay}, {@code
 *       maxReconnectDelay} (automatic reconnection, read by {@code
 *       io.warrenmq.jms.internal.failover.ReconnectPolicy}).
 * </ul>
 *
 * <p>One URL names one broker; a list of brokers ({@code host1:port1,host2:port2}) is split into
 * one URL per broker first ({@code io.warrenmq.jms.internal.failover.BrokerList}).
 *
 * <p>{@link #toString()} shows the URL without its password, so it may be logged.
 *
 * <p>Thread-safety: immutable.
 *
 * @param tls true for {@code amqps}
 * @param host host name or IP literal (without brackets)
 * @param port TCP port
 * @param virtualHost the virtual host
 * @param user the user, or null when the URL names none
 * @param password the password, or null
 * @param options the query options, decoded
 */
public record AmqpUrl(
    boolean tls,
    String host,
    int port,
    String virtualHost,
    String user,
    String password,
    Map<String, String> options) {

  /** Options a URL may carry. */
  public static final Set<String> OPTIONS =
      Set.of(
          "clientID",
          "prefetch",
          "prefetchSize",
          "deserializationAllowList",
          "connectTimeout",
          "requestTimeout",
          "heartbeat",
          "trustStore",
          "trustStorePassword",
          "trustStoreType",
          "keyStore",
          "keyStorePassword",
          "keyStoreType",
          "verifyHost",
          // automatic reconnection, io.warrenmq.jms.internal.failover.ReconnectPolicy
          "reconnectAttempts",
          "reconnectDelay",
          "maxReconnectDelay");

  private static final Set<String> TLS_OPTIONS =
      Set.of(
          "trustStore",
          "trustStorePassword",
          "trustStoreType",
          "keyStore",
          "keyStorePassword",
          "keyStoreType",
          "verifyHost");

  /** Whether the string is an {@code amqp://} or {@code amqps://} URL (by its scheme). */
  public static boolean isWireUrl(String url) {
    return url != null && (url.startsWith("amqp://") || url.startsWith("amqps://"));
  }

  /**
   * Parses a URL.
   *
   * @throws IllegalArgumentException naming what is wrong; the message shows the URL with its
   *     password masked
   */
  public static AmqpUrl parse(String url) {
    if (!isWireUrl(url)) {
      throw new IllegalArgumentException(
          "connection URL '" + masked(url) + "' is not amqp://... or amqps://...");
    }
    boolean tls = url.startsWith("amqps://");
    String rest = url.substring(tls ? "amqps://".length() : "amqp://".length());
    String query = null;
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    String path = null;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      path = rest.substring(slash + 1);
      rest = rest.substring(0, slash);
    }
    String user = null;
    String password = null;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), url, "user");
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1), url, "password");
    }
    String host;
    String portText = null;
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw bad(url, "an IPv6 host needs a closing ']'");
      }
      host = rest.substring(1, close);
      String after = rest.substring(close + 1);
      if (after.startsWith(":")) {
        portText = after.substring(1);
      } else if (!after.isEmpty()) {
        throw bad(url, "unexpected '" + after + "' after the host");
      }
    } else {
      int colon = rest.indexOf(':');
      host = colon < 0 ? rest : rest.substring(0, colon);
      portText = colon < 0 ? null : rest.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw bad(url, "no host");
    }
    int port = tls ? 5671 : 5672;
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw bad(url, "port '" + portText + "' is not a number from 1 to 65535");
      }
    }
    String vhost = path == null || path.isEmpty() ? "/" : decode(path, url, "virtual host");
    Map<String, String> options = new LinkedHashMap<>();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1), url, "option " + key);
        if (!OPTIONS.contains(key)) {
          throw bad(url, "unknown option '" + key + "'; known: " + OPTIONS);
        }
        if (!tls && TLS_OPTIONS.contains(key)) {
          throw bad(url, "option '" + key + "' needs amqps://");
        }
        options.put(key, value);
      }
    }
    AmqpUrl parsed = new AmqpUrl(tls, host, port, vhost, user, password, Map.copyOf(options));
    parsed.connectTimeoutMs(); // validate the numbers now, naming the option
    parsed.requestTimeoutMs();
    parsed.heartbeatSeconds();
    parsed.verifyHost();
    return parsed;
  }

  /** Option {@code connectTimeout} in ms, default 10000. */
  public int connectTimeoutMs() {
    return intOption("connectTimeout", 10_000, 1);
  }

  /** Option {@code requestTimeout} in ms, default 30000. */
  public int requestTimeoutMs() {
    return intOption("requestTimeout", 30_000, 1);
  }

  /** Option {@code heartbeat} in s, default 60; 0 asks for none. */
  public int heartbeatSeconds() {
    return intOption("heartbeat", 60, 0);
  }

  /** Option {@code verifyHost} (amqps): check the server certificate's host name, default true. */
  public boolean verifyHost() {
    String v = options.get("verifyHost");
    if (v == null) {
      return true;
    }
    if (!v.equals("true") && !v.equals("false")) {
      throw bad(toString(), "option verifyHost must be true or false, was '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  private int intOption(String key, int defaultValue, int min) {
    String v = options.get(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(
        toString(), "option " + key + " must be a whole number >= " + min + ", was '" + v + "'");
  }

  /** {@code amqp://host:port} (no user, no path): where the socket goes, for messages. */
  public String address() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return (tls ? "amqps://" : "amqp://") + h + ":" + port;
  }

  /** The URL without password and options: {@code amqp://user@host:port/vhost}. */
  @Override
  public String toString() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return (tls ? "amqps://" : "amqp://")
        + (user == null ? "" : user + "@")
        + h
        + ":"
        + port
        + "/"
        + java.net.URLEncoder.encode(virtualHost, StandardCharsets.UTF_8);
  }

  private static String decode(String s, String url, String what) {
    try {
      // '+' is a literal plus in a URI's path and user-info, not a space
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw bad(url, "the " + what + " has a malformed %-escape");
    }
  }

  private static IllegalArgumentException bad(String url, String problem) {
    return new IllegalArgumentException("connection URL '" + masked(url) + "': " + problem);
  }

  private static String masked(String url) {
    return io.warrenmq.client.Passwords.mask(url);
  }
}
