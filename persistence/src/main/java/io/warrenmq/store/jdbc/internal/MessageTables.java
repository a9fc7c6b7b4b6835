package io.warrenmq.store.jdbc.internal;

import io.warrenmq.engine.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a {@link BatchPlan} to the message tables with JDBC batch statements, inside the writer's
 * transaction (the caller commits). Schema version 8:
 *
 * <ul>
 *   <li>{@code warren_message}: one row per message. A message held by one queue with a queue-made
 *       id ({@link MessageIds}) carries that queue's id, its {@code seq} and {@code delivered} flag
 *       in its own row, and its id puts it in queue order in the primary key; any other (a global
 *       id, routed to one or several queues) is shared and has {@code queue_id} NULL.
 *   <li>{@code warren_queue_entry}: one row per queue holding a shared message.
 * </ul>
 *
 * <p>Every statement that finds a message by id wraps {@code queue_id} in {@code COALESCE}, so that
 * the only index it can use is the primary key (schema versions 3 to 7 also had a {@code (queue_id,
 * seq)} index on the table, and H2 planned {@code id = ? AND queue_id = ?} on it when the table was
 * small at planning time, then scanned a whole queue per row).
 *
 * <p>The order of the statements: range removals, deletes, inserts, delivered marks. A dequeue
 * first deletes the inline message row ({@code id} and {@code queue_id} match); only the keys that
 * deleted nothing delete a shared entry, and a shared message loses its row with its last entry
 * ({@code NOT EXISTS}, on the index of {@code warren_queue_entry.message_id}). So the writer needs
 * no memory of which message is shared.
 *
 * <p>Stateless; called by the writer thread.
 */
final class MessageTables {
  // parameters: message id, queue id
  static final String DELETE_INLINE =
      "DELETE FROM warren_message WHERE id = ? AND COALESCE(queue_id, 0) = ?";
  static final String DELETE_ENTRY =
      "DELETE FROM warren_queue_entry WHERE message_id = ? AND queue_id = ?";
  static final String MARK_INLINE =
      "UPDATE warren_message SET delivered = TRUE WHERE id = ? AND COALESCE(queue_id, 0) = ?";
  static final String MARK_ENTRY =
      "UPDATE warren_queue_entry SET delivered = TRUE WHERE message_id = ? AND queue_id = ?";
  // parameters: first message id, last message id, queue id
  static final String DELETE_INLINE_RUN =
      "DELETE FROM warren_message WHERE id >= ? AND id <= ? AND COALESCE(queue_id, 0) = ?";

  /** The shortest run of consecutive ids deleted by one range statement. */
  private static final int MIN_RUN = 4;

  // parameters: message id, message id
  static final String DELETE_UNREFERENCED_SHARED =
      "DELETE FROM warren_message WHERE id = ? AND COALESCE(queue_id, 0) = 0"
          + " AND NOT EXISTS (SELECT 1 FROM warren_queue_entry e WHERE e.message_id = ?)";

  private MessageTables() {}

  /**
   * {@code INSERT INTO table (columns) VALUES (?, ...)}, one parameter per column; with {@code
   * merge} H2's {@code MERGE INTO table (columns) KEY (key) VALUES ...} instead, which writes a row
   * whose key is there already over it (the journal's replay, see {@link #write(Connection,
   * BatchPlan, boolean)}).
   */
  static String insert(boolean merge, String table, String columns, String key) {
    int parameters = columns.split(",").length;
    return (merge ? "MERGE INTO " : "INSERT INTO ")
        + table
        + " ("
        + columns
        + ")"
        + (merge ? " KEY (" + key + ")" : "")
        + " VALUES (?"
        + ", ?".repeat(parameters - 1)
        + ")";
  }

  /** Writes {@code plan} (the writer's group commit). */
  static void write(Connection c, BatchPlan plan) throws SQLException {
    write(c, plan, false);
  }

  /**
   * Writes {@code plan}; with {@code replay} (a journal record replayed at start-up, H2 only) the
   * rows are merged on their keys instead of inserted, so that a record whose rows the database
   * already holds in part is applied again without a key violation. Seen: after a SIGKILL, H2
   * 2.3.232 ({@code WRITE_DELAY}, the writer's transaction of 757 inserts and the journal mark
   * under way) reopened with 430 of those rows and without the mark (ServerKillTest); the rows are
   * the record's own, with the same values, so merging them is the same as inserting them. Deletes,
   * range removals and delivered marks are idempotent already.
   */
  static void write(Connection c, BatchPlan plan, boolean replay) throws SQLException {
    Set<Long> sharedCandidates = new LinkedHashSet<>();
    for (BatchPlan.Range r : plan.ranges) {
      removeRange(c, r, sharedCandidates);
    }
    if (!plan.deletes.isEmpty()) {
      List<EntryKey> keys = deleteRuns(c, plan.deletes);
      List<EntryKey> notInline = keys.isEmpty() ? keys : keyed(c, DELETE_INLINE, keys, false);
      if (!notInline.isEmpty()) {
        for (EntryKey k : keyed(c, DELETE_ENTRY, notInline, true)) {
          sharedCandidates.add(k.messageId());
        }
      }
    }
    if (!sharedCandidates.isEmpty()) {
      try (PreparedStatement p = c.prepareStatement(DELETE_UNREFERENCED_SHARED)) {
        for (long id : sharedCandidates) {
          p.setLong(1, id);
          p.setLong(2, id);
          p.addBatch();
        }
        p.executeBatch();
      }
    }
    List<Op.Enqueue> messages = plan.messageRows();
    if (!messages.isEmpty()) {
      try (PreparedStatement p =
          c.prepareStatement(
              insert(
                  replay,
                  "warren_message",
                  "id, queue_id, seq, delivered, exchange, routing_key, properties, body",
                  "id"))) {
        for (Op.Enqueue e : messages) {
          StoredMessage m = e.message;
          p.setLong(1, m.messageId());
          if (e.shared) {
            p.setNull(2, Types.BIGINT);
            p.setNull(3, Types.BIGINT);
            p.setBoolean(4, false);
          } else {
            p.setLong(2, e.queueId);
            p.setLong(3, e.seq);
            p.setBoolean(4, e.delivered);
          }
          p.setString(5, m.exchange());
          p.setString(6, m.routingKey());
          p.setBytes(7, e.encodedProperties);
          p.setBytes(8, m.body());
          p.addBatch();
        }
        p.executeBatch();
      }
    }
    List<Op.Enqueue> entries = plan.entryRows();
    if (!entries.isEmpty()) {
      try (PreparedStatement p =
          c.prepareStatement(
              insert(
                  replay,
                  "warren_queue_entry",
                  "queue_id, message_id, seq, delivered",
                  "queue_id, message_id"))) {
        for (Op.Enqueue e : entries) {
          p.setLong(1, e.queueId);
          p.setLong(2, e.message.messageId());
          p.setLong(3, e.seq);
          p.setBoolean(4, e.delivered);
          p.addBatch();
        }
        p.executeBatch();
      }
    }
    if (!plan.delivered.isEmpty()) {
      List<EntryKey> notInline = keyed(c, MARK_INLINE, plan.delivered, false);
      if (!notInline.isEmpty()) {
        keyed(c, MARK_ENTRY, notInline, true);
      }
    }
    XaBranchTable.write(c, plan.branches);
    if (!plan.delayed.isEmpty()) {
      DelayedMessageTable.write(c, plan.delayed, replay);
    }
  }

  /**
   * Deletes the inline rows of runs of consecutive queue-made ids of one queue with one range
   * statement each ({@link #DELETE_INLINE_RUN}): a queue drained in order is acknowledged in such
   * runs, and one descent of the primary key per run costs less than one per row. A run whose count
   * of deleted rows is not its length (one of its messages was stored shared, or is gone) is left
   * to the per-key statements, which then find its inline rows deleted and look for entry rows.
   *
   * @return the keys still to delete one by one: those with other ids, and those of short runs
   */
  private static List<EntryKey> deleteRuns(Connection c, List<EntryKey> keys) throws SQLException {
    List<EntryKey> made = null;
    List<EntryKey> rest = new ArrayList<>();
    for (EntryKey k : keys) {
      if (MessageIds.isOf(k.messageId(), k.queueId())) {
        if (made == null) {
          made = new ArrayList<>();
        }
        made.add(k);
      } else {
        rest.add(k);
      }
    }
    if (made == null || made.size() < MIN_RUN) {
      return keys;
    }
    made.sort(Comparator.comparingLong(EntryKey::messageId)); // a queue's ids are one range
    List<List<EntryKey>> runs = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= made.size(); i++) {
      if (i == made.size()
          || made.get(i).messageId() != made.get(i - 1).messageId() + 1
          || made.get(i).queueId() != made.get(i - 1).queueId()) {
        List<EntryKey> run = made.subList(start, i);
        if (run.size() >= MIN_RUN) {
          runs.add(run);
        } else {
          rest.addAll(run);
        }
        start = i;
      }
    }
    if (runs.isEmpty()) {
      return keys;
    }
    int[] counts;
    try (PreparedStatement p = c.prepareStatement(DELETE_INLINE_RUN)) {
      for (List<EntryKey> run : runs) {
        p.setLong(1, run.get(0).messageId());
        p.setLong(2, run.get(run.size() - 1).messageId());
        p.setLong(3, run.get(0).queueId());
        p.addBatch();
      }
      counts = p.executeBatch();
    }
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != runs.get(i).size()) {
        rest.addAll(runs.get(i)); // incl. SUCCESS_NO_INFO: a driver that does not count
      }
    }
    return rest;
  }

  /**
   * Runs {@code sql} (parameters: message id, queue id) for each key.
   *
   * @param hit whether to return the keys that changed a row (true) or those that did not
   */
  private static List<EntryKey> keyed(Connection c, String sql, List<EntryKey> keys, boolean hit)
      throws SQLException {
    int[] counts;
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (EntryKey k : keys) {
        p.setLong(1, k.messageId());
        p.setLong(2, k.queueId());
        p.addBatch();
      }
      counts = p.executeBatch();
    }
    List<EntryKey> out = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      // SUCCESS_NO_INFO: a driver that does not count; both kinds of row are then tried
      boolean unknown = counts[i] == Statement.SUCCESS_NO_INFO;
      if (unknown || (counts[i] > 0) == hit) {
        out.add(keys.get(i));
      }
    }
    return out;
  }

  private static void removeRange(Connection c, BatchPlan.Range r, Set<Long> sharedCandidates)
      throws SQLException {
    String where =
        r.wholeQueue()
            ? "queue_id = ?"
            : r.bounded() ? "queue_id = ? AND seq > ? AND seq < ?" : "queue_id = ? AND seq > ?";
    try (PreparedStatement p =
        c.prepareStatement("SELECT message_id FROM warren_queue_entry WHERE " + where)) {
      bind(p, r);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          sharedCandidates.add(rs.getLong(1));
        }
      }
    }
    try (PreparedStatement p =
        c.prepareStatement("DELETE FROM warren_queue_entry WHERE " + where)) {
      bind(p, r);
      p.executeUpdate();
    }
    if (MessageIds.madeFor(r.queueId())) {
      // the queue's own message rows: a range of queue-made ids
      try (PreparedStatement p =
          c.prepareStatement("DELETE FROM warren_message WHERE id >= ? AND id < ?")) {
        p.setLong(1, MessageIds.from(r.queueId(), r.afterSeq()));
        p.setLong(2, MessageIds.below(r.queueId(), r.beforeSeq()));
        p.executeUpdate();
      }
    }
  }

  private static void bind(PreparedStatement p, BatchPlan.Range r) throws SQLException {
    p.setLong(1, r.queueId());
    if (!r.wholeQueue()) {
      p.setLong(2, r.afterSeq());
      if (r.bounded()) {
        p.setLong(3, r.beforeSeq());
      }
    }
  }
}
