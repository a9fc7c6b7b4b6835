package io.warrenmq.management.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warrenmq.engine.Broker;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * One API request after authentication: its method, its decoded path segments after {@code /api/},
 * the user, the raw body, the query parameters and the {@code X-Reason} header (the reason RabbitMQ
 * gives a connection closed through the API), or null.
 */
record Call(
    Broker broker,
    String method,
    List<String> path,
    Principal who,
    byte[] body,
    Map<String, Deque<String>> query,
    String reasonHeader) {

  String seg(int i) {
    return path.get(i);
  }

  int size() {
    return path.size();
  }

  boolean is(String method) {
    return this.method.equals(method);
  }

  ObjectNode json() {
    return Json.object(body);
  }

  String query(String name) {
    Deque<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  /** The virtual host named by a path segment: 404 if it does not exist. */
  String vhost(int i) {
    String v = seg(i);
    if (!broker.virtualHostExists(v)) {
      throw ApiException.notFound();
    }
    return v;
  }

  /**
   * The virtual host named by a path segment, checked to exist and to be accessible to the user:
   * 401 "User not authorised to access virtual host" as RabbitMQ otherwise.
   */
  String accessibleVhost(int i) {
    String v = vhost(i);
    if (!who.canAccess(broker, v)) {
      throw ApiException.notAuthorised("User not authorised to access virtual host");
    }
    return v;
  }
}
