package io.warrenmq.management.internal;

import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.engine.BindingInfo;
import io.warrenmq.engine.ChannelInfo;
import io.warrenmq.engine.ConnectionInfo;
import io.warrenmq.engine.ConsumerInfo;
import io.warrenmq.engine.MessageCounts;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.engine.QueueInfo;
import io.warrenmq.engine.TransportInfo;
import io.warrenmq.engine.UserInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders engine snapshots as the JSON objects of RabbitMQ's management API (field names of
 * RabbitMQ 3.10.8). Values RabbitMQ has and the engine does not track (Erlang process statistics,
 * byte counters of sockets) are left out rather than invented.
 */
final class Render {
  static final String NODE = "warrenmq@localhost";

  private final Rates rates;

  Render(Rates rates) {
    this.rates = rates;
  }

  /** {@code {"rate": r}}. */
  static Map<String, Object> rate(double r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rate", r);
    return m;
  }

  /** A count and its {@code _details}, with the rate sampled under {@code key}. */
  void counted(Map<String, Object> into, String field, long value, String key) {
    into.put(field, value);
    into.put(field + "_details", rate(rates.rate(key + "|" + field, value)));
  }

  Map<String, Object> messageStats(MessageCounts c, String key) {
    Map<String, Object> m = new LinkedHashMap<>();
    counted(m, "ack", c.acked(), key);
    counted(m, "deliver_get", c.delivered(), key);
    counted(m, "publish", c.published(), key);
    return m;
  }

  Map<String, Object> queue(QueueInfo q) {
    String key = "q|" + q.virtualHost() + "|" + q.name();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("arguments", q.arguments());
    m.put("auto_delete", q.autoDelete());
    m.put("consumers", q.consumers());
    m.put("durable", q.durable());
    m.put("exclusive", q.exclusive());
    m.put("exclusive_consumer_tag", null);
    m.put("memory", q.memory());
    m.put("message_bytes", q.messageBytesReady());
    m.put("message_bytes_ready", q.messageBytesReady());
    m.put("message_stats", messageStats(q.stats(), key));
    counted(m, "messages", q.messages(), key);
    counted(m, "messages_ready", q.messagesReady(), key);
    counted(m, "messages_unacknowledged", q.messagesUnacknowledged(), key);
    m.put("name", q.name());
    m.put("node", NODE);
    if (q.ownerConnection() != null) {
      m.put("owner_pid_details", Map.of("name", q.ownerConnection()));
    }
    m.put("policy", null);
    m.put("state", "running");
    m.put("type", "classic");
    m.put("vhost", q.virtualHost());
    return m;
  }

  static Map<String, Object> exchange(String vhost, ExchangeSpec x) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("arguments", x.arguments());
    m.put("auto_delete", x.autoDelete());
    m.put("durable", x.durable());
    m.put("internal", x.internal());
    m.put("name", x.name());
    m.put("type", x.type());
    m.put("user_who_performed_action", "rmq-internal");
    m.put("vhost", vhost);
    return m;
  }

  static Map<String, Object> binding(String vhost, BindingInfo b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", b.source());
    m.put("vhost", vhost);
    m.put("destination", b.destination());
    m.put("destination_type", b.destinationType());
    m.put("routing_key", b.routingKey());
    m.put("arguments", b.arguments());
    m.put("properties_key", propertiesKey(b.routingKey(), b.arguments()));
    return m;
  }

  /** The implicit binding of the default exchange to a queue, as RabbitMQ lists it. */
  static Map<String, Object> defaultBinding(String vhost, String queue) {
    return binding(vhost, new BindingInfo("", queue, BindingInfo.QUEUE, queue, Map.of()));
  }

  /**
   * RabbitMQ's {@code properties_key} of a binding ({@code rabbit_mgmt_format:pack_binding_props}):
   * the routing key percent-encoded as Erlang's {@code http_uri:encode} does (RFC 2396 unreserved
   * characters kept) with {@code ~} encoded too, {@code "~"} for an empty key; with arguments, the
   * key, {@code "~"} and a hash of the arguments.
   */
  static String propertiesKey(String routingKey, Map<String, Object> arguments) {
    String quoted = quote(routingKey);
    if (arguments.isEmpty()) {
      return routingKey.isEmpty() ? "~" : quoted;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(new TreeMap<>(arguments).toString().getBytes(StandardCharsets.UTF_8));
      String hash = Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
      return quoted + "~" + hash;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-_.!*'()".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  /** Whether a decoded path segment names the binding's {@code properties_key}. */
  static boolean matchesPropertiesKey(String segment, String routingKey, Map<String, Object> args) {
    String key = propertiesKey(routingKey, args);
    return key.equals(segment)
        || java.net.URLDecoder.decode(key.replace("+", "%2B"), StandardCharsets.UTF_8)
            .equals(segment);
  }

  static Map<String, Object> user(UserInfo u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", u.name());
    m.put("password_hash", u.passwordHash());
    m.put("hashing_algorithm", u.hashingAlgorithm());
    m.put("tags", u.tags());
    m.put("limits", Map.of());
    return m;
  }

  static Map<String, Object> permission(PermissionInfo p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user", p.user());
    m.put("vhost", p.virtualHost());
    m.put("configure", p.configure());
    m.put("write", p.write());
    m.put("read", p.read());
    return m;
  }

  Map<String, Object> connection(ConnectionInfo c) {
    TransportInfo t = c.transport();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("auth_mechanism", t == null ? "direct" : "PLAIN");
    m.put("channel_max", t == null ? 0 : t.channelMax());
    m.put("channels", c.channels());
    m.put("client_properties", t == null ? Map.of() : Json.plain(t.clientProperties()));
    m.put("connected_at", c.connectedAt());
    m.put("frame_max", t == null ? 0 : t.frameMax());
    m.put("host", t == null ? null : t.host());
    m.put("name", c.name());
    m.put("node", NODE);
    m.put("peer_host", t == null ? null : t.peerHost());
    m.put("peer_port", t == null ? null : t.peerPort());
    m.put("port", t == null ? null : t.port());
    m.put("protocol", t == null ? "Direct 0-9-1" : t.protocol());
    m.put("ssl", t != null && t.tls());
    m.put("state", "running");
    m.put("timeout", t == null ? 0 : t.heartbeat());
    m.put("type", t == null ? "direct" : "network");
    m.put("user", c.user());
    m.put("user_who_performed_action", c.user());
    m.put("vhost", c.virtualHost());
    return m;
  }

  static Map<String, Object> channelName(ChannelInfo ch) {
    return Map.of("name", ch.connection() + " (" + ch.number() + ")");
  }

  Map<String, Object> channel(ChannelInfo ch, ConnectionInfo conn) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("confirm", ch.confirm());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("name", ch.connection());
    details.put(
        "peer_host", conn == null || conn.transport() == null ? null : conn.transport().peerHost());
    details.put(
        "peer_port", conn == null || conn.transport() == null ? null : conn.transport().peerPort());
    m.put("connection_details", details);
    m.put("consumer_count", ch.consumers());
    m.put("global_prefetch_count", 0);
    m.put("messages_unacknowledged", ch.messagesUnacknowledged());
    m.put("messages_uncommitted", 0);
    m.put("messages_unconfirmed", 0);
    m.put("name", ch.connection() + " (" + ch.number() + ")");
    m.put("node", NODE);
    m.put("number", ch.number());
    m.put("prefetch_count", ch.prefetchCount());
    m.put("state", "running");
    m.put("transactional", ch.transactional());
    m.put("user", ch.user());
    m.put("user_who_performed_action", ch.user());
    m.put("vhost", ch.virtualHost());
    return m;
  }

  static Map<String, Object> consumer(ConsumerInfo c, ConnectionInfo conn, String user) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("arguments", Map.of());
    m.put("ack_required", c.ackRequired());
    m.put("active", true);
    m.put("activity_status", "up");
    Map<String, Object> ch = new LinkedHashMap<>();
    ch.put("connection_name", c.connection());
    ch.put("name", c.connection() + " (" + c.channel() + ")");
    ch.put("node", NODE);
    ch.put("number", c.channel());
    ch.put(
        "peer_host", conn == null || conn.transport() == null ? null : conn.transport().peerHost());
    ch.put(
        "peer_port", conn == null || conn.transport() == null ? null : conn.transport().peerPort());
    ch.put("user", user);
    m.put("channel_details", ch);
    m.put("consumer_tag", c.consumerTag());
    m.put("exclusive", false);
    m.put("prefetch_count", c.prefetchCount());
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("name", c.queue());
    q.put("vhost", c.virtualHost());
    m.put("queue", q);
    return m;
  }
}
