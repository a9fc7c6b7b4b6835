package io.warrenmq.store.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The clean-shutdown marker (table {@code warren_store_state}, one row) and the redelivered
 * watermarks (table {@code warren_redelivered}, one row per queue that has one).
 *
 * <p>Delivered marks are written lazily ({@link DeliveredMarks}), and a kill can come between a
 * consumer's ack and its commit. So at {@code open}, if the previous run did not record a clean
 * close, every entry stored then is to be delivered again as {@code redelivered} (AMQP 0-9-1 {@code
 * basic.deliver}; JMS 3.1 section 6.2.13 allows a spurious {@code JMSRedelivered}, never a missing
 * one). A queue's entries only get higher positions, so one number per queue says it: the
 * watermark, the highest {@code seq} of the queue at the last unclean start. An entry is delivered
 * if its {@code delivered} column says so or its {@code seq} is at most its queue's watermark.
 *
 * <p>A watermark survives clean restarts, lowered to the queue's highest stored {@code seq} (the
 * entries below it are still the ones that were there), and goes when its queue holds no entry.
 * Recovery continues a queue's positions after its highest stored {@code seq}, so new entries stay
 * above its watermark. (Schema version 7 and earlier kept one watermark of message ids; version 8
 * converts it, since queue-made message ids, {@link MessageIds}, are not in publish order across
 * queues.)
 *
 * <p>Not thread-safe: called at open and close.
 */
public final class StoreState {
  private static final System.Logger LOG = System.getLogger(StoreState.class.getName());

  private StoreState() {}

  /**
   * At open: reads the marker, moves the watermarks, and records that a run is under way (cleared
   * by {@link #closedCleanly}).
   *
   * @return the watermarks by queue id ({@code warren_queue.id}): entries of the queue with a
   *     {@code seq} up to it count as delivered; queues without one are absent. Immutable.
   */
  public static Map<Long, Long> opened(Connection c, String where) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      boolean clean;
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT clean_shutdown FROM warren_store_state WHERE id = 1")) {
        if (!rs.next()) {
          throw new IllegalStateException(
              "the store database "
                  + where
                  + " has no row in warren_store_state: it is corrupt. Restore it from a backup,"
                  + " or point the store at an empty database.");
        }
        clean = rs.getBoolean(1);
      }
      Map<Long, Long> stored = new HashMap<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT queue_id, through_seq FROM warren_redelivered")) {
        while (rs.next()) {
          stored.put(rs.getLong(1), rs.getLong(2));
        }
      }
      Map<Long, Long> next = new TreeMap<>();
      for (long queueId : clean ? stored.keySet() : QueueIds.stored(c)) {
        long last = lastSeq(c, queueId);
        if (last >= 0) {
          next.put(queueId, clean ? Math.min(stored.get(queueId), last) : last);
        }
      }
      if (!clean && !next.isEmpty()) {
        LOG.log(
            System.Logger.Level.WARNING,
            "store database {0}: the previous run did not close cleanly; the {1} queues that hold"
                + " messages deliver the ones stored then as redelivered",
            where,
            next.size());
      }
      if (!next.equals(stored)) {
        try (Statement s = c.createStatement()) {
          s.executeUpdate("DELETE FROM warren_redelivered");
        }
        try (PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO warren_redelivered (queue_id, through_seq) VALUES (?, ?)")) {
          for (Map.Entry<Long, Long> e : next.entrySet()) {
            p.setLong(1, e.getKey());
            p.setLong(2, e.getValue());
            p.addBatch();
          }
          p.executeBatch();
        }
      }
      try (Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE warren_store_state SET clean_shutdown = FALSE WHERE id = 1");
      }
      c.commit();
      return Map.copyOf(next);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /**
   * The highest {@code seq} a queue holds, -1 if none: the last of its queue-made ids (a range of
   * the primary key) and the last of its shared entries (the {@code (queue_id, seq)} index).
   */
  static long lastSeq(Connection c, long queueId) throws SQLException {
    long last = -1;
    if (MessageIds.madeFor(queueId)) {
      try (PreparedStatement p =
          c.prepareStatement(
              "SELECT id FROM warren_message WHERE id >= ? AND id < ? ORDER BY id DESC"
                  + " FETCH FIRST 1 ROWS ONLY")) {
        p.setLong(1, MessageIds.from(queueId, Long.MIN_VALUE));
        p.setLong(2, MessageIds.below(queueId, Long.MAX_VALUE));
        try (ResultSet rs = p.executeQuery()) {
          if (rs.next()) {
            last = rs.getLong(1) - MessageIds.from(queueId, Long.MIN_VALUE);
          }
        }
      }
    }
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT seq FROM warren_queue_entry WHERE queue_id = ? ORDER BY queue_id DESC, seq DESC"
                + " FETCH FIRST 1 ROWS ONLY")) {
      p.setLong(1, queueId);
      try (ResultSet rs = p.executeQuery()) {
        if (rs.next()) {
          last = Math.max(last, rs.getLong(1));
        }
      }
    }
    return last;
  }

  /**
   * At close, after the writer wrote everything: the next open is a clean one.
   *
   * @param fence the HA fencing, or null
   */
  public static void closedCleanly(DataSource ds, EpochFence fence) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(fence == null);
      if (fence != null) {
        fence.check(c); // a deposed live node must not mark the new one's run clean
      }
      s.executeUpdate("UPDATE warren_store_state SET clean_shutdown = TRUE WHERE id = 1");
      if (fence != null) {
        c.commit();
      }
    } catch (SQLException | IllegalStateException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "message store: cannot record the clean shutdown; at the next start every stored message"
              + " will be delivered as redelivered",
          e);
    }
  }

  /**
   * The number of the last {@link Journal} record whose writes the database holds ({@code
   * warren_store_state.journal_seq}, schema version 9); 0 if none ever was.
   */
  public static long journalSeq(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT journal_seq FROM warren_store_state WHERE id = 1")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * Records, in the caller's transaction, that the database holds the writes of journal record
   * {@code seq}.
   */
  static void journalSeq(Connection c, long seq) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("UPDATE warren_store_state SET journal_seq = ? WHERE id = 1")) {
      p.setLong(1, seq);
      p.executeUpdate();
    }
  }
}
