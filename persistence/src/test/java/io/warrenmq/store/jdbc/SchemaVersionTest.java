package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.store.jdbc.internal.Schema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SchemaVersionTest {
  @TempDir Path dataDir;

  @Test
  void anEmptyDatabaseGetsTheCurrentSchemaAndItsVersionRow() throws Exception {
    JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir)).close();
    try (Connection c = StoreProbe.connect(dataDir);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, version FROM warren_schema_version")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1));
      assertEquals(Schema.CURRENT_VERSION, rs.getInt(2));
      assertTrue(!rs.next(), "exactly one version row");
    }
  }

  @Test
  void reopeningKeepsTheSchemaAndItsData() throws Exception {
    JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir)).close();
    try (Connection c = StoreProbe.connect(dataDir);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO warren_queue (vhost, name, auto_delete, arguments) VALUES ('/', 'q',"
              + " FALSE, X'0100000000')");
    }
    JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir)).close();
    assertEquals(1, StoreProbe.count(dataDir, "warren_queue"));
    assertEquals(1, StoreProbe.count(dataDir, "warren_schema_version"));
  }

  @Test
  void aNewerSchemaIsRefusedWithAMessageThatSaysWhatToDo() throws Exception {
    JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir)).close();
    try (Connection c = StoreProbe.connect(dataDir);
        Statement s = c.createStatement()) {
      s.execute("UPDATE warren_schema_version SET version = 99");
    }
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir)));
    assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("newer than this WarrenMQ supports (" + Schema.CURRENT_VERSION + ")"),
        e.getMessage());
    assertTrue(e.getMessage().contains("point the store at another database"), e.getMessage());
  }

  @Test
  void tablesWithoutAVersionTableAreRefusedAsCorrupt() throws Exception {
    JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir)).close();
    try (Connection c = StoreProbe.connect(dataDir);
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE warren_schema_version");
    }
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir)));
    assertTrue(e.getMessage().contains("no warren_schema_version table"), e.getMessage());
    assertTrue(e.getMessage().contains("Restore it from a backup"), e.getMessage());
  }

  @Test
  void aMissingVersionRowIsRefusedAsCorrupt() throws Exception {
    JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir)).close();
    try (Connection c = StoreProbe.connect(dataDir);
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM warren_schema_version");
    }
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir)));
    assertTrue(e.getMessage().contains("no row in warren_schema_version"), e.getMessage());
  }

  @Test
  void postgresGetsTheSameVersionedSchemaInItsOwnSchema() throws Exception {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    String schema = Databases.createSchema();
    try {
      JdbcStoreConfig config = Databases.postgres(schema);
      JdbcMessageStore.open(config).close();
      JdbcMessageStore.open(config).close(); // idempotent
      try (Connection c = java.sql.DriverManager.getConnection(config.jdbcUrl(), "postgres", null);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT version FROM warren_schema_version")) {
        assertTrue(rs.next());
        assertEquals(Schema.CURRENT_VERSION, rs.getInt(1));
      }
    } finally {
      Databases.dropSchema(schema);
    }
  }
}
