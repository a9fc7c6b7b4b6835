package io.warrenmq.management.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.engine.UserInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/whoami}, {@code /api/vhosts}, {@code /api/users} and {@code /api/permissions}:
 * virtual hosts and access control. Everything but {@code whoami} and the vhost list needs the
 * {@code administrator} tag, as in RabbitMQ.
 */
final class AccessApi {
  private final Broker broker;
  private final Render render;
  private final RuntimeApi runtime;

  AccessApi(Broker broker, Render render, RuntimeApi runtime) {
    this.broker = broker;
    this.render = render;
    this.runtime = runtime;
  }

  Reply whoami(Call c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c.who().name());
    m.put("tags", c.who().tags());
    return Reply.ok(m);
  }

  Reply vhosts(Call c) {
    if (c.size() == 1) {
      requireGet(c);
      List<Object> out = new ArrayList<>();
      for (String v : broker.virtualHostNames()) {
        if (c.who().sees(broker, v)) {
          out.add(vhost(v));
        }
      }
      return Reply.ok(out);
    }
    if (c.size() == 3 && (c.seg(2).equals("connections") || c.seg(2).equals("channels"))) {
      return runtime.ofVhost(c, c.accessibleVhost(1), c.seg(2));
    }
    if (c.size() == 3 && c.seg(2).equals("permissions") && c.is("GET")) {
      c.who().requireAdministrator();
      String v = c.vhost(1);
      return Reply.ok(
          broker.users().permissions().stream()
              .filter(p -> p.virtualHost().equals(v))
              .map(Render::permission)
              .toList());
    }
    if (c.size() != 2) {
      throw ApiException.notFound();
    }
    c.who().requireAdministrator();
    String name = c.seg(1);
    switch (c.method()) {
      case "GET" -> {
        c.vhost(1);
        return Reply.ok(vhost(name));
      }
      case "PUT" -> {
        c.json(); // description, tags, tracing: accepted, not kept
        boolean created = !broker.virtualHostExists(name);
        broker.virtualHost(name);
        if (created) {
          // RabbitMQ grants the creating user full permissions on a vhost created over HTTP
          broker.users().setPermissions(PermissionInfo.full(c.who().name(), name));
        }
        return Reply.createdOr(created);
      }
      case "DELETE" -> {
        c.vhost(1);
        broker.deleteVirtualHost(name);
        return Reply.noContent();
      }
      default -> throw ApiException.methodNotAllowed();
    }
  }

  private Map<String, Object> vhost(String name) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cluster_state", Map.of(Render.NODE, "running"));
    m.put("default_queue_type", "classic");
    m.put("description", name.equals("/") ? "Default virtual host" : "");
    long ready = 0;
    long unacked = 0;
    for (var q : broker.queues(name)) {
      ready += q.messagesReady();
      unacked += q.messagesUnacknowledged();
    }
    m.put("message_stats", render.messageStats(broker.messageCounts(name), "vhost|" + name));
    m.put("messages", ready + unacked);
    m.put("messages_details", Render.rate(0.0));
    m.put("messages_ready", ready);
    m.put("messages_ready_details", Render.rate(0.0));
    m.put("messages_unacknowledged", unacked);
    m.put("messages_unacknowledged_details", Render.rate(0.0));
    m.put("metadata", Map.of("description", m.get("description"), "tags", List.of()));
    m.put("name", name);
    m.put("tags", List.of());
    m.put("tracing", false);
    return m;
  }

  Reply users(Call c) {
    c.who().requireAdministrator();
    if (c.size() == 1) {
      requireGet(c);
      return Reply.ok(broker.users().list().stream().map(Render::user).toList());
    }
    String name = c.seg(1);
    if (c.size() == 3 && c.seg(2).equals("permissions")) {
      requireGet(c);
      broker.users().user(name).orElseThrow(ApiException::notFound);
      return Reply.ok(
          broker.users().permissions().stream()
              .filter(p -> p.user().equals(name))
              .map(Render::permission)
              .toList());
    }
    if (c.size() != 2) {
      throw ApiException.notFound();
    }
    switch (c.method()) {
      case "GET" -> {
        return Reply.ok(Render.user(broker.users().user(name).orElseThrow(ApiException::notFound)));
      }
      case "PUT" -> {
        return putUser(c, name);
      }
      case "DELETE" -> {
        if (!broker.users().deleteUser(name)) {
          throw ApiException.notFound();
        }
        return Reply.noContent();
      }
      default -> throw ApiException.methodNotAllowed();
    }
  }

  private Reply putUser(Call c, String name) {
    ObjectNode body = c.json();
    List<String> tags = tags(body.get("tags"));
    String password = Json.text(body, "password", null);
    String hash = Json.text(body, "password_hash", null);
    String algorithm = Json.text(body, "hashing_algorithm", UserInfo.SHA256);
    boolean created = broker.users().user(name).isEmpty();
    if (password != null) {
      broker.users().putUser(name, password, tags);
    } else if (hash != null) {
      broker.users().putUser(new UserInfo(name, hash, algorithm, tags));
    } else {
      // as RabbitMQ 3.10: without password or password_hash the user (new or not) is left without
      // a password and cannot log in with one
      broker.users().putUser(new UserInfo(name, "", UserInfo.SHA256, tags));
    }
    return Reply.createdOr(created);
  }

  /** {@code tags}: a comma-separated string (RabbitMQ's form) or a list of strings. */
  private static List<String> tags(JsonNode n) {
    if (n == null || n.isNull()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      Arrays.stream(n.textValue().split(","))
          .map(String::trim)
          .filter(t -> !t.isEmpty())
          .forEach(out::add);
      return out;
    }
    if (n.isArray()) {
      for (JsonNode t : n) {
        if (!t.isTextual()) {
          throw ApiException.badRequest(List.of("not_string", t.toString()));
        }
        out.add(t.textValue());
      }
      return out;
    }
    throw ApiException.badRequest(List.of("not_string", n.toString()));
  }

  Reply permissions(Call c) {
    c.who().requireAdministrator();
    if (c.size() == 1) {
      requireGet(c);
      return Reply.ok(broker.users().permissions().stream().map(Render::permission).toList());
    }
    if (c.size() != 3) {
      throw ApiException.notFound();
    }
    String vhost = c.vhost(1);
    String user = c.seg(2);
    if (broker.users().user(user).isEmpty()) {
      throw ApiException.notFound();
    }
    switch (c.method()) {
      case "GET" -> {
        return Reply.ok(
            Render.permission(
                broker.users().permission(user, vhost).orElseThrow(ApiException::notFound)));
      }
      case "PUT" -> {
        ObjectNode body = c.json();
        Json.requireKeys(body, "configure", "write", "read");
        PermissionInfo p =
            new PermissionInfo(
                user,
                vhost,
                Json.requiredText(body, "configure"),
                Json.requiredText(body, "write"),
                Json.requiredText(body, "read"));
        boolean created = broker.users().permission(user, vhost).isEmpty();
        broker.users().setPermissions(p);
        return Reply.createdOr(created);
      }
      case "DELETE" -> {
        if (!broker.users().clearPermissions(user, vhost)) {
          throw ApiException.notFound();
        }
        return Reply.noContent();
      }
      default -> throw ApiException.methodNotAllowed();
    }
  }

  static void requireGet(Call c) {
    if (!c.is("GET")) {
      throw ApiException.methodNotAllowed();
    }
  }
}
