package io.warrenmq.store.jdbc;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server of the test machines (127.0.0.1:5432, database {@code test}, user {@code
 * postgres}, trust auth): each test gets its own schema, dropped afterwards.
 */
final class Databases {
  static final String PG_SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String PG_SKIPPED = "PostgreSQL not reachable on 127.0.0.1:5432: skipped";

  private Databases() {}

  static boolean postgresReachable() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
    } catch (Exception e) {
      return false;
    }
    try (Connection c = DriverManager.getConnection(PG_SERVER, "postgres", null)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Creates a fresh schema and returns its name. */
  static String createSchema() {
    String schema = "warren_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute("CREATE SCHEMA " + schema);
    return schema;
  }

  static void dropSchema(String schema) {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  static JdbcStoreConfig postgres(String schema) {
    return JdbcStoreConfig.jdbc(PG_SERVER + "?currentSchema=" + schema, "postgres", null);
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(PG_SERVER, "postgres", null);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e, e);
    }
  }
}
