package io.warrenmq.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads the store of a test directly, next to a running broker (H2 allows a second connection in
 * the same process).
 */
final class StoreProbe {
  private StoreProbe() {}

  static Connection connect(Path dataDir) throws SQLException {
    return connect(JdbcStoreConfig.h2(dataDir));
  }

  static Connection connect(JdbcStoreConfig config) throws SQLException {
    return config.isH2()
        ? DriverManager.getConnection(config.effectiveUrl(), "sa", "")
        : DriverManager.getConnection(config.effectiveUrl(), config.user(), config.password());
  }

  static long count(Path dataDir, String table) {
    return count(JdbcStoreConfig.h2(dataDir), table);
  }

  static long count(JdbcStoreConfig config, String table) {
    return countWhere(config, table, "1 = 1");
  }

  /**
   * The queue entries stored (schema version 3): messages held by one queue carry their entry in
   * their own row, shared ones have a row in {@code warren_queue_entry} per queue.
   */
  static long entries(JdbcStoreConfig config) {
    return countWhere(config, "warren_message", "queue_id IS NOT NULL")
        + count(config, "warren_queue_entry");
  }

  static long entries(Path dataDir) {
    return entries(JdbcStoreConfig.h2(dataDir));
  }

  static long countWhere(JdbcStoreConfig config, String table, String where) {
    try (Connection c = connect(config);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
