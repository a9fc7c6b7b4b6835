package io.warrenmq.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Reads the H2 store of a test directly (the broker may be running: H2 allows it in-process). */
final class StoreProbe {
  private StoreProbe() {}

  static Connection connect(Path dataDir) throws SQLException {
    return DriverManager.getConnection(JdbcStoreConfig.h2(dataDir).effectiveUrl(), "sa", "");
  }

  static long count(Path dataDir, String table) {
    return countWhere(dataDir, table, "1 = 1");
  }

  static long countWhere(Path dataDir, String table, String where) {
    try (Connection c = connect(dataDir);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
