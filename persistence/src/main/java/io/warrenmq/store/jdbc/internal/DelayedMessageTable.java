package io.warrenmq.store.jdbc.internal;

import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.StoredDelayedMessage;
import io.warrenmq.engine.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * {@code warren_delayed_message} (schema version 6): the persistent messages held by durable
 * delayed exchanges ({@code MessageStore.storeDelayedMessage}), written in the writer's transaction
 * and read at recovery.
 *
 * <p>Stateless; {@link #write} is called by the writer thread, the readers at start-up.
 */
final class DelayedMessageTable {
  private DelayedMessageTable() {}

  /**
   * Applies the stores and deletes of a batch: every insert, then every delete (a message is
   * deleted only after its store completed, so never before its insert).
   */
  static void write(Connection c, List<Op> ops) throws SQLException {
    write(c, ops, false);
  }

  /**
   * As {@link #write(Connection, List)}; with {@code replay} (a journal record replayed, H2 only)
   * the rows are merged on their id, as {@code MessageTables.write} explains.
   */
  static void write(Connection c, List<Op> ops, boolean replay) throws SQLException {
    boolean deletes = false;
    try (PreparedStatement p =
        c.prepareStatement(
            MessageTables.insert(
                replay,
                "warren_delayed_message",
                "id, vhost, exchange, routing_key, properties, body, due_at",
                "id"))) {
      int n = 0;
      for (Op op : ops) {
        if (op instanceof Op.StoreDelayed s) {
          StoredMessage m = s.message.message();
          p.setLong(1, m.messageId());
          p.setString(2, s.message.virtualHost());
          p.setString(3, m.exchange());
          p.setString(4, m.routingKey());
          p.setBytes(5, s.encodedProperties);
          p.setBytes(6, m.body());
          p.setLong(7, s.message.dueAtMillis());
          p.addBatch();
          n++;
        } else {
          deletes = true;
        }
      }
      if (n > 0) {
        p.executeBatch();
      }
    }
    if (deletes) {
      try (PreparedStatement p =
          c.prepareStatement("DELETE FROM warren_delayed_message WHERE id = ?")) {
        for (Op op : ops) {
          if (op instanceof Op.DeleteDelayed d) {
            p.setLong(1, d.messageId);
            p.addBatch();
          }
        }
        p.executeBatch();
      }
    }
  }

  /** Passes every stored delayed message to {@code handler}, the earliest due first. */
  static long recover(Connection c, MessageStore.RecoveryHandler handler) throws SQLException {
    long n = 0;
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, vhost, exchange, routing_key, properties, body, due_at"
                    + " FROM warren_delayed_message ORDER BY due_at, id")) {
      while (rs.next()) {
        StoredMessage m =
            new StoredMessage(
                rs.getLong(1),
                rs.getString(3),
                rs.getString(4),
                Codec.decodeProperties(rs.getBytes(5)),
                rs.getBytes(6));
        handler.delayedMessage(new StoredDelayedMessage(rs.getString(2), m, rs.getLong(7)));
        n++;
      }
    }
    return n;
  }

  /** The highest id of a stored delayed message, 0 if none. */
  static long lastId(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(id) FROM warren_delayed_message")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
