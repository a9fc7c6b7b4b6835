package io.warrenmq.store.jdbc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.BindingInfo;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.engine.UserInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a RabbitMQ definitions document into engine value objects, checking every field first, and
 * then applies them to a broker (see {@code Definitions} for the semantics). Error texts name the
 * entry as RabbitMQ's own texts name objects: {@code queue 'q' in vhost '/'}, {@code user 'u'}; an
 * entry without a usable name is named by its position ({@code entry 3 of 'queues'}).
 *
 * <p>Thread-safety: one instance per import, confined to its thread.
 */
public final class DefinitionsReader {
  private static final System.Logger LOG = System.getLogger(DefinitionsReader.class.getName());

  private final JsonNode root;
  private final List<String> vhosts = new ArrayList<>();
  private final List<UserInfo> hashedUsers = new ArrayList<>();
  private final Map<String, String> clearPasswords = new HashMap<>();
  private final List<PermissionInfo> permissions = new ArrayList<>();
  private final List<Scoped<ExchangeSpec>> exchanges = new ArrayList<>();
  private final List<Scoped<QueueSpec>> queues = new ArrayList<>();
  private final List<Scoped<BindingInfo>> bindings = new ArrayList<>();

  /** A declaration with its virtual host and the name of the entry for error texts. */
  private record Scoped<T>(String vhost, String entry, T value) {}

  public DefinitionsReader(JsonNode root) {
    this.root = root;
  }

  /**
   * Parses and checks the whole document without touching a broker.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED naming the first bad entry
   */
  public DefinitionsReader read() {
    if (root == null || !root.isObject()) {
      throw bad("definitions must be a JSON object");
    }
    each("vhosts", (e, at) -> vhosts.add(name(e, at)));
    each("users", this::readUser);
    each("permissions", this::readPermission);
    each("exchanges", this::readExchange);
    each("queues", this::readQueue);
    each("bindings", this::readBinding);
    for (String ignored : List.of("policies", "parameters", "global_parameters")) {
      JsonNode n = root.get(ignored);
      if (n != null && n.isArray() && !n.isEmpty()) {
        LOG.log(
            System.Logger.Level.WARNING,
            "definitions: {0} {1} ignored; WarrenMQ does not support them",
            n.size(),
            ignored);
      }
    }
    return this;
  }

  private void readUser(JsonNode e, String at) {
    String name = name(e, at);
    String where = "user '" + name + "'";
    List<String> tags = tags(e.get("tags"), where);
    JsonNode hash = e.get("password_hash");
    if (hash == null && e.has("password")) {
      clearPasswords.put(name, text(e, "password", where, null));
      hashedUsers.add(new UserInfo(name, "", UserInfo.SHA256, tags));
      return;
    }
    String algorithm = text(e, "hashing_algorithm", where, UserInfo.MD5); // RabbitMQ's default
    hashedUsers.add(new UserInfo(name, text(e, "password_hash", where, ""), algorithm, tags));
  }

  private static List<String> tags(JsonNode n, String where) {
    Set<String> out = new LinkedHashSet<>();
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (n.isTextual()) { // RabbitMQ before 3.9: "administrator,management"
      for (String t : n.asText().split(",")) {
        if (!t.isBlank()) {
          out.add(t.trim());
        }
      }
    } else if (n.isArray()) {
      for (JsonNode t : n) {
        if (!t.isTextual()) {
          throw bad(where + ": 'tags' must be a list of strings");
        }
        out.add(t.asText());
      }
    } else {
      throw bad(where + ": 'tags' must be a list of strings");
    }
    return List.copyOf(out);
  }

  private void readPermission(JsonNode e, String at) {
    String user = text(e, "user", at, null);
    String vhost = text(e, "vhost", at, null);
    String where = "permissions of user '" + user + "' in vhost '" + vhost + "'";
    permissions.add(
        new PermissionInfo(
            user,
            vhost,
            text(e, "configure", where, null),
            text(e, "write", where, null),
            text(e, "read", where, null)));
  }

  private void readExchange(JsonNode e, String at) {
    String name = text(e, "name", at, null);
    String vhost = text(e, "vhost", "exchange '" + name + "'", null);
    String where = "exchange '" + name + "' in vhost '" + vhost + "'";
    ExchangeSpec spec =
        new ExchangeSpec(
            name,
            text(e, "type", where, null),
            bool(e, "durable", where, true),
            bool(e, "auto_delete", where, false),
            bool(e, "internal", where, false),
            JsonValues.arguments(e.get("arguments"), where));
    if (name.isEmpty() || name.startsWith("amq.")) {
      return; // predeclared in every virtual host; RabbitMQ's import skips them too
    }
    exchanges.add(new Scoped<>(vhost, where, spec));
  }

  private void readQueue(JsonNode e, String at) {
    String name = name(e, at);
    String vhost = text(e, "vhost", "queue '" + name + "'", null);
    String where = "queue '" + name + "' in vhost '" + vhost + "'";
    Map<String, Object> args = JsonValues.arguments(e.get("arguments"), where);
    String type = text(e, "type", where, "classic");
    Object argType = args.get("x-queue-type");
    if (!"classic".equals(type) || (argType != null && !"classic".equals(argType))) {
      throw bad(
          where
              + ": queue type '"
              + (argType != null && !"classic".equals(argType) ? argType : type)
              + "' is not supported; WarrenMQ has classic queues only (change the type to"
              + " 'classic' or remove the queue from the file)");
    }
    queues.add(
        new Scoped<>(
            vhost,
            where,
            new QueueSpec(
                name,
                bool(e, "durable", where, true),
                false,
                bool(e, "auto_delete", where, false),
                args)));
  }

  private void readBinding(JsonNode e, String at) {
    String vhost = text(e, "vhost", at, null);
    String source = text(e, "source", at, null);
    String destination = text(e, "destination", at, null);
    String type = text(e, "destination_type", at, null);
    String key = text(e, "routing_key", at, "");
    String where =
        "binding of "
            + type
            + " '"
            + destination
            + "' to exchange '"
            + source
            + "' with key '"
            + key
            + "' in vhost '"
            + vhost
            + "'";
    if (!BindingInfo.QUEUE.equals(type) && !BindingInfo.EXCHANGE.equals(type)) {
      throw bad(where + ": 'destination_type' must be 'queue' or 'exchange'");
    }
    bindings.add(
        new Scoped<>(
            vhost,
            where,
            new BindingInfo(
                source, destination, type, key, JsonValues.arguments(e.get("arguments"), where))));
  }

  // ---- apply ----------------------------------------------------------------------------

  /**
   * Applies the definitions read, in RabbitMQ's order.
   *
   * @throws AmqpException the engine's error, its text prefixed with the entry
   */
  public void applyTo(Broker broker) {
    for (UserInfo u : hashedUsers) {
      String clear = clearPasswords.get(u.name());
      if (clear != null) {
        broker.users().putUser(u.name(), clear, u.tags());
      } else {
        broker.users().putUser(u);
      }
    }
    for (String vhost : vhosts) {
      broker.virtualHost(vhost);
    }
    for (PermissionInfo p : permissions) {
      try {
        broker.users().setPermissions(p);
      } catch (AmqpException e) {
        throw new AmqpException(
            e.replyCode(),
            "permissions of user '"
                + p.user()
                + "' in vhost '"
                + p.virtualHost()
                + "': "
                + e.replyText());
      }
    }
    Map<String, Connection> connections = new HashMap<>();
    Map<String, Channel> channels = new HashMap<>();
    try {
      for (Scoped<ExchangeSpec> x : exchanges) {
        apply(broker, connections, channels, x, ch -> ch.exchangeDeclare(x.value()));
      }
      for (Scoped<QueueSpec> q : queues) {
        apply(broker, connections, channels, q, ch -> ch.queueDeclare(q.value()));
      }
      for (Scoped<BindingInfo> b : bindings) {
        BindingInfo v = b.value();
        apply(
            broker,
            connections,
            channels,
            b,
            ch -> {
              if (v.isQueueDestination()) {
                ch.queueBind(v.destination(), v.source(), v.routingKey(), v.arguments());
              } else {
                ch.exchangeBind(v.destination(), v.source(), v.routingKey(), v.arguments());
              }
            });
      }
    } finally {
      connections.values().forEach(Connection::close);
    }
  }

  private static void apply(
      Broker broker,
      Map<String, Connection> connections,
      Map<String, Channel> channels,
      Scoped<?> entry,
      Consumer<Channel> call) {
    try {
      Channel ch = channels.get(entry.vhost());
      if (ch == null) {
        Connection c = broker.newConnection(entry.vhost(), "definitions-import");
        connections.put(entry.vhost(), c);
        ch = c.createChannel();
        channels.put(entry.vhost(), ch);
      }
      call.accept(ch);
    } catch (AmqpException e) {
      throw new AmqpException(e.replyCode(), entry.entry() + ": " + e.replyText());
    }
  }

  // ---- field access ---------------------------------------------------------------------

  private void each(String section, EntryReader reader) {
    JsonNode list = root.get(section);
    if (list == null || list.isNull()) {
      return;
    }
    if (!list.isArray()) {
      throw bad("'" + section + "' must be a list");
    }
    int i = 0;
    for (JsonNode e : list) {
      i++;
      String at = "entry " + i + " of '" + section + "'";
      if (!e.isObject()) {
        throw bad(at + " must be an object");
      }
      reader.read(e, at);
    }
  }

  @FunctionalInterface
  private interface EntryReader {
    void read(JsonNode entry, String at);
  }

  /** A non-empty {@code name} field. */
  private static String name(JsonNode e, String at) {
    String name = text(e, "name", at, null);
    if (name.isEmpty()) {
      throw bad(at + ": 'name' must not be empty");
    }
    return name;
  }

  /** A string field; {@code fallback} when absent, or an error when the fallback is null. */
  private static String text(JsonNode e, String field, String where, String fallback) {
    JsonNode n = e.get(field);
    if (n == null || n.isNull()) {
      if (fallback == null) {
        throw bad(where + ": '" + field + "' is missing");
      }
      return fallback;
    }
    if (!n.isTextual()) {
      throw bad(where + ": '" + field + "' must be a string");
    }
    return n.asText();
  }

  private static boolean bool(JsonNode e, String field, String where, boolean fallback) {
    JsonNode n = e.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw bad(where + ": '" + field + "' must be true or false");
    }
    return n.asBoolean();
  }

  static AmqpException bad(String text) {
    return new AmqpException(ReplyCode.PRECONDITION_FAILED, text);
  }
}
