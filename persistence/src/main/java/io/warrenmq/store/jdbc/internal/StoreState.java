package io.warrenmq.store.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The clean-shutdown marker and the redelivered watermark (table {@code warren_store_state}, one
 * row).
 *
 * <p>Delivered marks are written lazily ({@link DeliveredMarks}), and a kill can come between a
 * consumer's ack and its commit. So at {@code open}, if the previous run did not record a clean
 * close, every message stored then is to be delivered again as {@code redelivered} (AMQP 0-9-1
 * {@code basic.deliver}; JMS 3.1 section 6.2.13 allows a spurious {@code JMSRedelivered}, never a
 * missing one). Message ids only grow, so one number says it: the watermark, the highest message id
 * stored at the last unclean start. An entry is delivered if its {@code delivered} column says so
 * or its message id is at most the watermark. The watermark survives clean restarts (the entries
 * below it are still the ones that were there) and drops to 0 once no message is stored; recovery
 * reports the highest message id as at least the watermark, so new ids stay above it.
 *
 * <p>Not thread-safe: called at open and close.
 */
public final class StoreState {
  private static final System.Logger LOG = System.getLogger(StoreState.class.getName());

  private StoreState() {}

  /**
   * At open: reads the marker, moves the watermark, and records that a run is under way (cleared by
   * {@link #closedCleanly}).
   *
   * @return the watermark: entries of messages with ids up to it count as delivered
   */
  public static long opened(Connection c, String where) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      boolean clean;
      long watermark;
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT clean_shutdown, redelivered_through FROM warren_store_state"
                      + " WHERE id = 1")) {
        if (!rs.next()) {
          throw new IllegalStateException(
              "the store database "
                  + where
                  + " has no row in warren_store_state: it is corrupt. Restore it from a backup,"
                  + " or point the store at an empty database.");
        }
        clean = rs.getBoolean(1);
        watermark = rs.getLong(2);
      }
      long highest;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT MAX(id) FROM warren_message")) {
        highest = rs.next() ? rs.getLong(1) : 0; // NULL (no message) reads as 0
      }
      long next;
      if (highest == 0) {
        next = 0;
      } else if (!clean) {
        next = Math.max(watermark, highest);
        LOG.log(
            System.Logger.Level.WARNING,
            "store database {0}: the previous run did not close cleanly; the messages stored"
                + " then (ids up to {1}) are delivered as redelivered",
            where,
            next);
      } else {
        next = watermark;
      }
      try (PreparedStatement p =
          c.prepareStatement(
              "UPDATE warren_store_state SET clean_shutdown = FALSE, redelivered_through = ?"
                  + " WHERE id = 1")) {
        p.setLong(1, next);
        p.executeUpdate();
      }
      c.commit();
      return next;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
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
}
