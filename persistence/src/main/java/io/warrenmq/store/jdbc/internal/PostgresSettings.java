package io.warrenmq.store.jdbc.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL server settings the store's tables rely on, checked when the store opens: {@code
 * autovacuum} and {@code track_counts} (the counters autovacuum reads to choose its tables). With
 * either off nothing vacuums or analyzes the queue entry tables ({@code warren_message}, {@code
 * warren_queue_entry}): every acked message leaves a dead row behind, so they and their indexes
 * grow without bound, and their statistics go stale, which leads the planner to wrong plans (issue
 * 20: the page reads sorted the whole rest of a queue for every page, until they were pinned to
 * their index; see {@link MessageReader}). The store still works; it logs a WARNING per setting
 * that is off, saying what to do. See <a
 * href="https://www.postgresql.org/docs/15/routine-vacuuming.html">PostgreSQL: Routine
 * Vacuuming</a>.
 *
 * <p>Stateless; thread-safe.
 */
public final class PostgresSettings {
  private static final System.Logger LOG = System.getLogger(PostgresSettings.class.getName());

  private PostgresSettings() {}

  /**
   * The warnings for the maintenance settings that are off for the connection's session (which has
   * the server's values unless the connection changed them), in the order {@code autovacuum},
   * {@code track_counts}; empty if both are on.
   *
   * @param where the database, for the message (a URL with its password masked)
   */
  public static List<String> warnings(Connection c, String where) throws SQLException {
    List<String> out = new ArrayList<>();
    if (!on(c, "autovacuum")) {
      out.add(
          "store database "
              + where
              + ": PostgreSQL setting autovacuum is off. Nothing vacuums or analyzes WarrenMQ's"
              + " tables then: the queue entry tables (warren_message, warren_queue_entry) and"
              + " their indexes bloat with a dead row for every acked message, and their"
              + " statistics go stale, which leads PostgreSQL to slow plans. Set autovacuum = on"
              + " in postgresql.conf (then SELECT pg_reload_conf()), or run VACUUM (ANALYZE)"
              + " warren_message, warren_queue_entry regularly (e.g. every few minutes under"
              + " load).");
    }
    if (!on(c, "track_counts")) {
      out.add(
          "store database "
              + where
              + ": PostgreSQL setting track_counts is off. Autovacuum chooses the tables to"
              + " vacuum and analyze from these counters, so it never maintains WarrenMQ's"
              + " tables: the queue entry tables (warren_message, warren_queue_entry) and their"
              + " indexes bloat with a dead row for every acked message, and their statistics"
              + " go stale, which leads PostgreSQL to slow plans. Set track_counts = on in"
              + " postgresql.conf (then SELECT pg_reload_conf()), or run VACUUM (ANALYZE)"
              + " warren_message, warren_queue_entry regularly.");
    }
    return out;
  }

  /**
   * Logs each of {@link #warnings} at WARNING; a failure to read the settings is logged at DEBUG
   * and otherwise ignored (the check must not stop a store that works).
   */
  public static void warnIfUnmaintained(Connection c, String where) {
    try {
      for (String w : warnings(c, where)) {
        LOG.log(System.Logger.Level.WARNING, w);
      }
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.DEBUG, "cannot read the PostgreSQL maintenance settings", e);
    }
  }

  private static boolean on(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('" + setting + "')")) {
      return !rs.next() || "on".equalsIgnoreCase(rs.getString(1));
    }
  }
}
