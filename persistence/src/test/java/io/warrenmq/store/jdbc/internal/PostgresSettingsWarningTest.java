package io.warrenmq.store.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.store.jdbc.JdbcMessageStore;
import io.warrenmq.store.jdbc.JdbcStoreConfig;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store warns at start when PostgreSQL runs without the maintenance its queue entry tables need
 * ({@link PostgresSettings}, issue 20). Against the PostgreSQL server of 127.0.0.1:5432 (this
 * machine's runs with {@code autovacuum} off); skipped with a message without it. {@code
 * track_counts} can be turned off per session by a superuser, which makes the warning of the open
 * path certain whatever the server's own settings.
 */
@Timeout(60)
class PostgresSettingsWarningTest {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

  @BeforeEach
  void needsPostgresql() {
    Assumptions.assumeTrue(
        postgresReachable(), "PostgreSQL not reachable on 127.0.0.1:5432: skipped");
  }

  @Test
  void aWarningNamesEachMaintenanceSettingThatIsOffWithItsCostAndRemedy() throws Exception {
    try (Connection c = DriverManager.getConnection(PG, "postgres", null);
        Statement s = c.createStatement()) {
      boolean autovacuum = "on".equals(show(s, "autovacuum"));
      List<String> before = PostgresSettings.warnings(c, "pg");
      assertEquals(
          autovacuum ? 0 : 1, count(before, "setting autovacuum is off"), before.toString());
      if (!autovacuum) {
        String w = before.get(0);
        assertTrue(w.startsWith("store database pg: "), w);
        assertTrue(w.contains("warren_message, warren_queue_entry"), w);
        assertTrue(w.contains("bloat") && w.contains("statistics go stale"), w);
        assertTrue(w.contains("Set autovacuum = on") && w.contains("VACUUM (ANALYZE)"), w);
      }
      assertEquals(0, count(before, "track_counts"), before.toString());

      s.execute("SET track_counts = off");
      List<String> off = PostgresSettings.warnings(c, "pg");
      assertEquals(1, count(off, "setting track_counts is off"), off.toString());
      String w = off.get(off.size() - 1);
      assertTrue(w.contains("bloat") && w.contains("Set track_counts = on"), w);

      s.execute("RESET track_counts");
      assertEquals(before, PostgresSettings.warnings(c, "pg"));
    }
  }

  @Test
  void openingAStoreOnPostgresqlWithTrackCountsOffLogsTheWarning() throws Exception {
    String schema = "warren_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Logger logger = Logger.getLogger(PostgresSettings.class.getName());
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(capture);
    try (Connection c = DriverManager.getConnection(PG, "postgres", null);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      try {
        // the store's sessions start with track_counts off (postgres is a superuser)
        String url = PG + "?currentSchema=" + schema + "&options=-c%20track_counts%3Doff";
        JdbcMessageStore.open(JdbcStoreConfig.jdbc(url, "postgres", null), "settings").close();
      } finally {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    } finally {
      logger.removeHandler(capture);
    }
    List<LogRecord> warnings =
        records.stream()
            .filter(r -> r.getLevel() == Level.WARNING)
            .filter(r -> r.getMessage().contains("setting track_counts is off"))
            .toList();
    assertEquals(
        1, warnings.size(), records.stream().map(LogRecord::getMessage).toList().toString());
    assertTrue(warnings.get(0).getMessage().contains(schema), warnings.get(0).getMessage());
  }

  private static long count(List<String> warnings, String text) {
    return warnings.stream().filter(w -> w.contains(text)).count();
  }

  private static String show(Statement s, String setting) throws Exception {
    try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static boolean postgresReachable() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
