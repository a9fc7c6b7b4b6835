package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.store.jdbc.internal.Schema;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database created by the version 1 script (before virtual hosts, users and permissions were
 * stored) is upgraded to version 2 in place when the store opens it, keeping its topology, and the
 * broker then writes the defaults of a fresh broker.
 */
@Timeout(60)
class SchemaUpgradeTest {
  @TempDir Path dataDir;

  /** Creates the version 1 schema with the V1 script, and a durable queue in vhost "/app". */
  private static void createVersion1(JdbcStoreConfig config) throws Exception {
    String text;
    try (InputStream in =
        SchemaUpgradeTest.class.getResourceAsStream("/io/warrenmq/store/jdbc/schema/V1.sql")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = StoreProbe.connect(config);
        Statement s = c.createStatement()) {
      StringBuilder current = new StringBuilder();
      for (String line : text.split("\n")) {
        String trimmed = line.strip();
        if (trimmed.startsWith("--") || trimmed.isEmpty()) {
          continue;
        }
        current.append(line).append('\n');
        if (trimmed.endsWith(";")) {
          String sql = current.toString().strip();
          s.execute(
              sql.substring(0, sql.length() - 1)
                  .replace("${binary}", config.isH2() ? "VARBINARY" : "BYTEA"));
          current.setLength(0);
        }
      }
      s.execute(
          "INSERT INTO warren_schema_version (id, version, description) VALUES (1, 1,"
              + " 'WarrenMQ store schema')");
      s.execute(
          "INSERT INTO warren_queue (vhost, name, auto_delete, arguments) VALUES ('/app', 'q',"
              + " FALSE, "
              + (config.isH2() ? "X'0100000000'" : "'\\x0100000000'::bytea")
              + ")");
    }
  }

  private static int version(JdbcStoreConfig config) throws Exception {
    try (Connection c = StoreProbe.connect(config);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM warren_schema_version WHERE id = 1")) {
      assertTrue(rs.next());
      return rs.getInt(1);
    }
  }

  private static void upgradesInPlace(JdbcStoreConfig config) throws Exception {
    createVersion1(config);
    assertEquals(1, version(config));
    BrokerConfig brokerConfig = BrokerConfig.named("upgrade");
    try (Broker b = new Broker(brokerConfig, JdbcMessageStore.open(config, brokerConfig.name()))) {
      assertEquals(List.of("/", "/app"), b.virtualHostNames());
      try (io.warrenmq.engine.Connection c = b.newConnection("/app", "t")) {
        assertEquals(0, c.createChannel().queueDeclarePassive("q").messageCount());
      }
      assertTrue(b.users().checkPassword("guest", "guest"));
      assertEquals(
          Optional.of(PermissionInfo.full("guest", "/")), b.users().permission("guest", "/"));
      b.users().putUser("alice", "pw", List.of());
    }
    assertEquals(2, Schema.CURRENT_VERSION);
    assertEquals(Schema.CURRENT_VERSION, version(config));
    assertEquals(2, StoreProbe.count(config, "warren_vhost"));
    assertEquals(1, StoreProbe.countWhere(config, "warren_queue", "vhost = '/app'"));
    BrokerConfig again = BrokerConfig.named("upgrade-again");
    try (Broker b = new Broker(again, JdbcMessageStore.open(config, again.name()))) {
      assertTrue(b.users().checkPassword("alice", "pw"));
      assertEquals(List.of("/", "/app"), b.virtualHostNames());
    }
    assertEquals(Schema.CURRENT_VERSION, version(config));
  }

  @Test
  void aVersion1H2DatabaseIsUpgradedToVersion2InPlaceKeepingItsTopology() throws Exception {
    upgradesInPlace(JdbcStoreConfig.h2(dataDir));
  }

  @Test
  void aVersion1PostgresDatabaseIsUpgradedToVersion2InPlace() throws Exception {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    String schema = Databases.createSchema();
    try {
      upgradesInPlace(Databases.postgres(schema));
    } finally {
      Databases.dropSchema(schema);
    }
  }
}
