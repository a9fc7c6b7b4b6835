package io.warrenmq.jms.internal;

import io.warrenmq.engine.Broker;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The client IDs in use by open connections, per broker (Jakarta Messaging 3.1, 6.1.2: a client ID
 * may be used by one connection at a time). Thread-safe.
 */
final class ClientIds {

  private static final Map<Broker, Set<String>> IN_USE = new WeakHashMap<>();

  private ClientIds() {}

  /** Claims an ID; returns false if another open connection of the broker holds it. */
  static synchronized boolean claim(Broker broker, String clientId) {
    return IN_USE.computeIfAbsent(broker, b -> new HashSet<>()).add(clientId);
  }

  static synchronized void release(Broker broker, String clientId) {
    Set<String> ids = IN_USE.get(broker);
    if (ids != null) {
      ids.remove(clientId);
    }
  }
}
