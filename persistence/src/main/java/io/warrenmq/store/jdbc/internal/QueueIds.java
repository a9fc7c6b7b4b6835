package io.warrenmq.store.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writer's cache of queue ids ({@code warren_queue.id}, by virtual host and name): messages are
 * keyed by these numbers, not by names.
 *
 * <p>Loaded whole at start-up and after a failed commit; a queue stored later is looked up when
 * first used; a deleted one is evicted. So a queue that is not cached has no message rows, which
 * lets a queue deletion find the id of the rows to remove after Hibernate deleted the queue row.
 * Absent queues are cached as 0 until a {@code storeQueue} evicts them.
 *
 * <p>Thread-safety: written by the writer thread only; {@link #cached} may be called by any thread
 * (the publishing threads ask it for queue-made message ids, {@link MessageIds}) and sees each
 * queue either as the writer last cached it or as absent.
 */
final class QueueIds {
  private final Map<String, Map<String, Long>> ids = new ConcurrentHashMap<>();

  /** The ids of every stored queue ({@code warren_queue.id}), read on {@code c}. */
  static Set<Long> stored(Connection c) throws SQLException {
    Set<Long> ids = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM warren_queue")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  /** Replaces the cache by every stored queue. */
  void load(Connection c) throws SQLException {
    ids.clear();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, vhost, name FROM warren_queue")) {
      while (rs.next()) {
        ids.computeIfAbsent(rs.getString(2), v -> new ConcurrentHashMap<>())
            .put(rs.getString(3), rs.getLong(1));
      }
    }
  }

  /**
   * The id of a stored queue, looked up in the database if not cached.
   *
   * @return 0 if no such queue is stored
   */
  long id(Connection c, String vhost, String queue) throws SQLException {
    Map<String, Long> byName = ids.computeIfAbsent(vhost, v -> new ConcurrentHashMap<>());
    Long id = byName.get(queue);
    if (id == null) {
      try (PreparedStatement p =
          c.prepareStatement("SELECT id FROM warren_queue WHERE vhost = ? AND name = ?")) {
        p.setString(1, vhost);
        p.setString(2, queue);
        try (ResultSet rs = p.executeQuery()) {
          id = rs.next() ? rs.getLong(1) : 0L;
        }
      }
      byName.put(queue, id);
    }
    return id;
  }

  /**
   * The cached id of a queue, without a database lookup. Any thread.
   *
   * @return 0 if the writer has not looked the queue up since it was stored, or it is not stored
   */
  long cached(String vhost, String queue) {
    Map<String, Long> byName = ids.get(vhost);
    Long id = byName == null ? null : byName.get(queue);
    return id == null ? 0 : id;
  }

  /** Forgets a queue (stored again or deleted). @return its cached id, 0 if none */
  long evict(String vhost, String queue) {
    Map<String, Long> byName = ids.get(vhost);
    Long id = byName == null ? null : byName.remove(queue);
    return id == null ? 0 : id;
  }

  /** Forgets every queue of a virtual host. @return their cached ids */
  List<Long> evictVirtualHost(String vhost) {
    Map<String, Long> byName = ids.remove(vhost);
    List<Long> out = new ArrayList<>();
    if (byName != null) {
      for (long id : byName.values()) {
        if (id != 0) {
          out.add(id);
        }
      }
    }
    return out;
  }
}
