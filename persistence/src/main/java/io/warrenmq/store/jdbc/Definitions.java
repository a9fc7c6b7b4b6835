package io.warrenmq.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.BindingInfo;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.engine.UserInfo;
import io.warrenmq.engine.VirtualHost;
import io.warrenmq.store.jdbc.internal.DefinitionsReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Export and import of a broker's definitions (virtual hosts, users with their password hashes,
 * permissions, exchanges, queues, bindings) as JSON in RabbitMQ's definitions format, the format of
 * {@code rabbitmqctl export_definitions} / {@code import_definitions} and of the management API's
 * {@code /api/definitions} (https://www.rabbitmq.com/docs/definitions), so that definitions move
 * between RabbitMQ and WarrenMQ in both directions. Checked against RabbitMQ 3.10.8's export.
 *
 * <p>What is exported, as RabbitMQ does: every virtual host; every user with {@code password_hash}
 * and {@code hashing_algorithm} (never a password); permissions; the exchanges declared by clients
 * (not the default exchange nor {@code amq.*}); the queues, durable or not, except exclusive ones
 * (they belong to a connection and cannot be restored); all bindings except those of the default
 * exchange and those to exclusive queues. {@code parameters}, {@code global_parameters}, {@code
 * policies} and {@code topic_permissions} are exported as empty lists: the engine has none.
 *
 * <p>Import applies the file on top of the broker's current definitions, in the order virtual
 * users, virtual hosts, permissions, exchanges, queues, bindings (RabbitMQ's order); existing users
 * are replaced (so a definitions file's {@code guest} hash replaces the fresh broker's), existing
 * exchanges and queues must be equivalent. The whole file is parsed and checked first (a malformed
 * file changes nothing); an engine error then aborts the import and leaves the entries applied
 * before it in place, as RabbitMQ's import does. Users may carry {@code password} (clear text)
 * instead of {@code password_hash}, and a missing {@code hashing_algorithm} means MD5, both as in
 * RabbitMQ. Queues of type {@code quorum} or {@code stream} are refused (the engine has classic
 * queues only). Policies and parameters are ignored with a WARNING log.
 *
 * <p>Export followed by import into a fresh broker followed by export gives the same JSON.
 *
 * <p>Concurrency: thread-safe (no state). An export is consistent per virtual host's bindings, not
 * across the broker: changes made while it runs may or may not be in it.
 */
public final class Definitions {
  /** The RabbitMQ version whose export format this follows, written as {@code rabbit_version}. */
  public static final String RABBIT_VERSION = "3.10.8";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private Definitions() {}

  /**
   * The broker's definitions as a JSON document in RabbitMQ's format, keys sorted, indented.
   *
   * @param broker an open or closed broker, not null
   * @return the JSON text
   */
  public static String export(Broker broker) {
    try {
      return JSON.writeValueAsString(exportMap(broker));
    } catch (JsonProcessingException e) {
      // only an argument value Jackson cannot serialize could do this
      throw new AmqpException(
          ReplyCode.INTERNAL_ERROR, "definitions could not be written as JSON: " + e.getMessage());
    }
  }

  /**
   * The broker's definitions as a Jackson tree, for callers that embed them in a larger document.
   */
  public static JsonNode exportTree(Broker broker) {
    return JSON.valueToTree(exportMap(broker));
  }

  /**
   * Imports definitions in RabbitMQ's format into a broker (see the class comment for order and
   * semantics).
   *
   * @param broker an open broker, not null
   * @param json the definitions document, not null
   * @throws AmqpException 406 PRECONDITION_FAILED if the text is not JSON, a section is not a list,
   *     or an entry lacks a field or has a field of the wrong type, with a text naming the entry
   *     ({@code "queue 'q' in vhost '/': 'durable' must be true or false"}); for an entry the
   *     engine refuses, the engine's reply code with its text prefixed by the entry (e.g. 406
   *     {@code "queue 'q' in vhost '/': inequivalent arg 'durable' for queue 'q' in vhost '/':
   *     received 'true' but current is 'false'"}); 320 CONNECTION_FORCED if the broker is closed
   */
  public static void importInto(Broker broker, String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED,
          "definitions are not valid JSON: " + e.getOriginalMessage());
    }
    new DefinitionsReader(root).read().applyTo(broker);
  }

  /**
   * The definitions files a path names, in the order they are imported at boot (RabbitMQ's {@code
   * load_definitions}, https://www.rabbitmq.com/docs/definitions, "Importing Definitions at Node
   * Boot Time"): a file is itself; a directory gives its {@code *.json} files (not its
   * sub-directories) sorted by name.
   *
   * @param fileOrDirectory not null
   * @return the files, possibly empty for a directory without {@code *.json}
   * @throws IOException if the path does not exist or the directory cannot be listed
   */
  public static List<Path> files(Path fileOrDirectory) throws IOException {
    if (!Files.isDirectory(fileOrDirectory)) {
      if (!Files.isRegularFile(fileOrDirectory)) {
        throw new NoSuchFileException(fileOrDirectory.toString(), null, "no such file");
      }
      return List.of(fileOrDirectory);
    }
    try (Stream<Path> list = Files.list(fileOrDirectory)) {
      return list.filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    }
  }

  /**
   * Imports one definitions file (UTF-8) as {@link #importInto} does.
   *
   * @throws IOException if the file cannot be read
   * @throws AmqpException as {@link #importInto}
   */
  public static void importFile(Broker broker, Path file) throws IOException {
    importInto(broker, Files.readString(file, StandardCharsets.UTF_8));
  }

  // ---- export ---------------------------------------------------------------------------

  private static Map<String, Object> exportMap(Broker broker) {
    List<Object> vhosts = new ArrayList<>();
    List<Object> queues = new ArrayList<>();
    List<Object> exchanges = new ArrayList<>();
    List<Object> bindings = new ArrayList<>();
    for (String name : broker.virtualHostNames()) {
      if (!broker.virtualHostExists(name)) {
        continue; // deleted meanwhile
      }
      VirtualHost vhost = broker.virtualHost(name);
      vhosts.add(vhost(name));
      Set<String> exclusive = new HashSet<>();
      for (QueueSpec q : vhost.queues()) {
        if (q.exclusive()) {
          exclusive.add(q.name());
        } else {
          queues.add(queue(name, q));
        }
      }
      for (ExchangeSpec x : vhost.exchanges()) {
        exchanges.add(exchange(name, x));
      }
      for (BindingInfo b : vhost.bindings()) {
        if (!(b.isQueueDestination() && exclusive.contains(b.destination()))) {
          bindings.add(binding(name, b));
        }
      }
    }
    List<Object> users = new ArrayList<>();
    for (UserInfo u : broker.users().list()) {
      users.add(user(u));
    }
    List<Object> permissions = new ArrayList<>();
    for (PermissionInfo p : broker.users().permissions()) {
      permissions.add(permission(p));
    }
    Map<String, Object> out = new TreeMap<>();
    out.put("rabbit_version", RABBIT_VERSION);
    out.put("rabbitmq_version", RABBIT_VERSION);
    out.put("users", users);
    out.put("vhosts", vhosts);
    out.put("permissions", permissions);
    out.put("topic_permissions", List.of());
    out.put("parameters", List.of());
    out.put("global_parameters", List.of());
    out.put("policies", List.of());
    out.put("queues", queues);
    out.put("exchanges", exchanges);
    out.put("bindings", bindings);
    return out;
  }

  private static Map<String, Object> vhost(String name) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("description", "/".equals(name) ? "Default virtual host" : "");
    metadata.put("tags", List.of());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("limits", List.of());
    m.put("metadata", metadata);
    return m;
  }

  private static Map<String, Object> user(UserInfo u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", u.name());
    m.put("password_hash", u.passwordHash());
    m.put("hashing_algorithm", u.hashingAlgorithm());
    m.put("tags", u.tags());
    m.put("limits", Map.of());
    return m;
  }

  private static Map<String, Object> permission(PermissionInfo p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user", p.user());
    m.put("vhost", p.virtualHost());
    m.put("configure", p.configure());
    m.put("write", p.write());
    m.put("read", p.read());
    return m;
  }

  private static Map<String, Object> queue(String vhost, QueueSpec q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", q.name());
    m.put("vhost", vhost);
    m.put("durable", q.durable());
    m.put("auto_delete", q.autoDelete());
    m.put("arguments", q.arguments());
    m.put("type", "classic");
    return m;
  }

  private static Map<String, Object> exchange(String vhost, ExchangeSpec x) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", x.name());
    m.put("vhost", vhost);
    m.put("type", x.type());
    m.put("durable", x.durable());
    m.put("auto_delete", x.autoDelete());
    m.put("internal", x.internal());
    m.put("arguments", x.arguments());
    return m;
  }

  private static Map<String, Object> binding(String vhost, BindingInfo b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", b.source());
    m.put("vhost", vhost);
    m.put("destination", b.destination());
    m.put("destination_type", b.destinationType());
    m.put("routing_key", b.routingKey());
    m.put("arguments", b.arguments());
    return m;
  }
}
