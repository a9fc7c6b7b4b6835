package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.GetResponse;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.store.jdbc.internal.Codec;
import io.warrenmq.store.jdbc.internal.MessageIds;
import io.warrenmq.store.jdbc.internal.Schema;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Older databases are upgraded in place when the store opens them. Version 1 (before virtual hosts,
 * users and permissions were stored): its topology is kept and the broker writes the defaults of a
 * fresh broker. Version 2 (queue entries keyed by names, one row per entry): its messages are kept,
 * in order, a message held by one queue moved into its message row and a shared one kept once with
 * an entry per queue.
 */
@Timeout(60)
class SchemaUpgradeTest {
  @TempDir Path dataDir;

  /** Runs the scripts V1 to {@code upTo} as an older WarrenMQ did, and records that version. */
  private static void createVersion(JdbcStoreConfig config, int upTo) throws Exception {
    try (Connection c = StoreProbe.connect(config);
        Statement s = c.createStatement()) {
      for (int v = 1; v <= upTo; v++) {
        String text;
        try (InputStream in =
            SchemaUpgradeTest.class.getResourceAsStream(
                "/io/warrenmq/store/jdbc/schema/V" + v + ".sql")) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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
      }
      s.execute(
          "INSERT INTO warren_schema_version (id, version, description) VALUES (1, "
              + upTo
              + ", 'WarrenMQ store schema')");
    }
  }

  /** Creates the version 1 schema with the V1 script, and a durable queue in vhost "/app". */
  private static void createVersion1(JdbcStoreConfig config) throws Exception {
    createVersion(config, 1);
    try (Connection c = StoreProbe.connect(config);
        Statement s = c.createStatement()) {
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
  void aVersion1H2DatabaseIsUpgradedToTheCurrentVersionInPlaceKeepingItsTopology()
      throws Exception {
    upgradesInPlace(JdbcStoreConfig.h2(dataDir));
  }

  @Test
  void aVersion1PostgresDatabaseIsUpgradedToTheCurrentVersionInPlace() throws Exception {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    String schema = Databases.createSchema();
    try {
      upgradesInPlace(Databases.postgres(schema));
    } finally {
      Databases.dropSchema(schema);
    }
  }

  private static final BasicProperties PERSISTENT =
      BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();

  /**
   * A version 2 database: queue a holds messages 1 (delivered), 2 and 3; queue b holds 3 (shared
   * with a) and 4; message 5 belongs to a queue that was deleted.
   */
  private static void createVersion2WithMessages(JdbcStoreConfig config) throws Exception {
    createVersion(config, 2);
    try (Connection c = StoreProbe.connect(config)) {
      try (PreparedStatement q =
          c.prepareStatement(
              "INSERT INTO warren_queue (vhost, name, auto_delete, arguments) VALUES ('/', ?,"
                  + " FALSE, ?)")) {
        for (String name : List.of("a", "b")) {
          q.setString(1, name);
          q.setBytes(2, Codec.encode(java.util.Map.of()));
          q.executeUpdate();
        }
      }
      try (PreparedStatement m =
          c.prepareStatement(
              "INSERT INTO warren_message (id, exchange, routing_key, properties, body)"
                  + " VALUES (?, '', 'k', ?, ?)")) {
        for (long id = 1; id <= 5; id++) {
          m.setLong(1, id);
          m.setBytes(2, Codec.encode(PERSISTENT));
          m.setBytes(3, ("m" + id).getBytes(StandardCharsets.UTF_8));
          m.executeUpdate();
        }
      }
      try (PreparedStatement e =
          c.prepareStatement(
              "INSERT INTO warren_queue_entry (vhost, queue, message_id, seq, delivered)"
                  + " VALUES ('/', ?, ?, ?, ?)")) {
        Object[][] rows = {
          {"a", 1L, 0L, true}, {"a", 2L, 1L, false}, {"a", 3L, 2L, false},
          {"b", 3L, 0L, false}, {"b", 4L, 1L, false}, {"gone", 5L, 0L, false}
        };
        for (Object[] r : rows) {
          e.setString(1, (String) r[0]);
          e.setLong(2, (Long) r[1]);
          e.setLong(3, (Long) r[2]);
          e.setBoolean(4, (Boolean) r[3]);
          e.executeUpdate();
        }
      }
    }
  }

  private static List<String> drain(Channel ch, String queue, List<Boolean> redelivered) {
    List<String> bodies = new ArrayList<>();
    GetResponse r;
    while ((r = ch.basicGet(queue, true)) != null) {
      bodies.add(new String(r.delivery().body(), StandardCharsets.UTF_8));
      redelivered.add(r.delivery().redelivered());
    }
    return bodies;
  }

  private static void upgradesMessagesInPlace(JdbcStoreConfig config) throws Exception {
    createVersion2WithMessages(config);
    assertEquals(2, version(config));
    JdbcMessageStore.open(config, "upgrade").close();
    assertEquals(Schema.CURRENT_VERSION, version(config));
    assertEquals(4, StoreProbe.count(config, "warren_message"), "message 5 had no queue");
    // version 3 moved messages of one queue into their rows; version 8 made them shared again,
    // their ids being global ones
    assertEquals(0, StoreProbe.countWhere(config, "warren_message", "queue_id IS NOT NULL"));
    assertEquals(
        1,
        StoreProbe.countWhere(
            config, "warren_queue_entry", "message_id = 1 AND delivered = TRUE AND seq = 0"));
    assertEquals(2, StoreProbe.countWhere(config, "warren_queue_entry", "message_id = 3"));
    assertEquals(5, StoreProbe.entries(config));

    BrokerConfig brokerConfig = BrokerConfig.named("upgrade");
    try (Broker b = new Broker(brokerConfig, JdbcMessageStore.open(config, brokerConfig.name()));
        io.warrenmq.engine.Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      List<Boolean> redelivered = new ArrayList<>();
      assertEquals(List.of("m1", "m2", "m3"), drain(ch, "a", redelivered));
      assertEquals(List.of("m3", "m4"), drain(ch, "b", redelivered));
      // a version 2 store recorded no clean shutdown: every message counts as delivered
      assertEquals(List.of(true, true, true, true, true), redelivered);
    }
    assertEquals(0, StoreProbe.count(config, "warren_message"));
    assertEquals(0, StoreProbe.count(config, "warren_queue_entry"));

    // the watermark of the upgrade does not reach messages published afterwards
    try (Broker b = new Broker(brokerConfig, JdbcMessageStore.open(config, brokerConfig.name()));
        io.warrenmq.engine.Connection c = b.newConnection("/", "t")) {
      c.createChannel().basicPublish("", "a", false, PERSISTENT, new byte[] {1});
    }
    try (Broker b = new Broker(brokerConfig, JdbcMessageStore.open(config, brokerConfig.name()));
        io.warrenmq.engine.Connection c = b.newConnection("/", "t")) {
      GetResponse r = c.createChannel().basicGet("a", true);
      assertFalse(r.delivery().redelivered());
    }
  }

  @Test
  void aVersion2H2DatabaseIsUpgradedToVersion3KeepingItsMessagesInOrder() throws Exception {
    upgradesMessagesInPlace(JdbcStoreConfig.h2(dataDir));
  }

  @Test
  void aVersion2PostgresDatabaseIsUpgradedToVersion3KeepingItsMessagesInOrder() throws Exception {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    String schema = Databases.createSchema();
    try {
      upgradesMessagesInPlace(Databases.postgres(schema));
    } finally {
      Databases.dropSchema(schema);
    }
  }

  /**
   * A version 3 database gains the payload of prepared XA publishes (version 4): a prepared branch
   * written to it comes back at recovery with its publishes and acks.
   */
  private static void upgradesToPreparedBranches(JdbcStoreConfig config) throws Exception {
    createVersion(config, 3);
    io.warrenmq.client.BasicProperties props =
        io.warrenmq.client.BasicProperties.builder()
            .deliveryMode(io.warrenmq.client.BasicProperties.PERSISTENT)
            .header("k", "v")
            .build();
    io.warrenmq.engine.PreparedBranch branch =
        new io.warrenmq.engine.PreparedBranch(
            7,
            new byte[] {1, 2, 3},
            new byte[] {4},
            List.of(
                new io.warrenmq.engine.PreparedBranch.Publish(
                    "/", "x", "rk", props, new byte[] {9, 8}, List.of("q1", "q2"))),
            List.of(
                new io.warrenmq.engine.PreparedBranch.Ack(
                    "/", "q1", 42, io.warrenmq.engine.PreparedBranch.AckKind.ACK)));
    try (JdbcMessageStore store = JdbcMessageStore.open(config, "upgrade-4")) {
      assertEquals(Schema.CURRENT_VERSION, version(config));
      store.prepareBranch(branch).toCompletableFuture().get();
    }
    List<io.warrenmq.engine.PreparedBranch> read = preparedBranches(config);
    assertEquals(1, read.size());
    io.warrenmq.engine.PreparedBranch b = read.get(0);
    assertEquals(7, b.formatId());
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        new byte[] {1, 2, 3}, b.globalTransactionId());
    org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {4}, b.branchQualifier());
    assertEquals(branch.acks(), b.acks());
    io.warrenmq.engine.PreparedBranch.Publish p = b.publishes().get(0);
    assertEquals(
        List.of("x", "rk", List.of("q1", "q2")), List.of(p.exchange(), p.routingKey(), p.queues()));
    assertEquals(props, p.properties());
    org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {9, 8}, p.body());
  }

  @Test
  void aVersion3H2DatabaseIsUpgradedToVersion4AndKeepsPreparedBranches() throws Exception {
    upgradesToPreparedBranches(JdbcStoreConfig.h2(dataDir));
  }

  @Test
  void aVersion3PostgresDatabaseIsUpgradedToVersion4AndKeepsPreparedBranches() throws Exception {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    String schema = Databases.createSchema();
    try {
      upgradesToPreparedBranches(Databases.postgres(schema));
    } finally {
      Databases.dropSchema(schema);
    }
  }

  /** The prepared branches a store recovers. */
  private static List<io.warrenmq.engine.PreparedBranch> preparedBranches(JdbcStoreConfig config) {
    List<io.warrenmq.engine.PreparedBranch> read = new ArrayList<>();
    try (JdbcMessageStore store = JdbcMessageStore.open(config, "upgrade")) {
      store.recover(
          new io.warrenmq.engine.MessageStore.RecoveryHandler() {
            @Override
            public void exchange(String virtualHost, io.warrenmq.client.ExchangeSpec spec) {}

            @Override
            public void queue(String virtualHost, io.warrenmq.client.QueueSpec spec) {}

            @Override
            public void binding(io.warrenmq.engine.StoredBinding binding) {}

            @Override
            public void queueEntries(
                String virtualHost, String queue, long entries, long bodyBytes, long lastSeq) {}

            @Override
            public void preparedBranch(io.warrenmq.engine.PreparedBranch b) {
              read.add(b);
            }

            @Override
            public void lastMessageId(long messageId) {}
          });
    }
    return read;
  }

  /**
   * A version 4 database (acks and rejects both written as kind 'ack') is upgraded to version 5:
   * its prepared branch keeps its ack, a branch written afterwards keeps the kind of each of its
   * settlements, and the database refuses an action kind it does not know.
   */
  private static void upgradesToRejectKind(JdbcStoreConfig config) throws Exception {
    createVersion(config, 4);
    long branchId;
    try (Connection c = StoreProbe.connect(config)) {
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO warren_xa_branch (format_id, global_id, branch_id, state)"
                  + " VALUES (7, ?, ?, 'prepared')")) {
        p.setBytes(1, new byte[] {1});
        p.setBytes(2, new byte[] {2});
        p.executeUpdate();
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM warren_xa_branch")) {
        assertTrue(rs.next());
        branchId = rs.getLong(1);
      }
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO warren_xa_action (branch_id, seq, kind, vhost, queue, message_id)"
                  + " VALUES (?, 0, 'ack', '/', 'q1', 42)")) {
        p.setLong(1, branchId);
        p.executeUpdate();
      }
    }
    List<io.warrenmq.engine.PreparedBranch> read = preparedBranches(config);
    assertEquals(Schema.CURRENT_VERSION, version(config));
    assertEquals(1, read.size());
    assertEquals(
        List.of(
            new io.warrenmq.engine.PreparedBranch.Ack(
                "/", "q1", 42, io.warrenmq.engine.PreparedBranch.AckKind.ACK)),
        read.get(0).acks());

    List<io.warrenmq.engine.PreparedBranch.Ack> acks =
        List.of(
            new io.warrenmq.engine.PreparedBranch.Ack(
                "/", "q1", 43, io.warrenmq.engine.PreparedBranch.AckKind.REJECT),
            new io.warrenmq.engine.PreparedBranch.Ack(
                "/", "q2", 44, io.warrenmq.engine.PreparedBranch.AckKind.ACK));
    try (JdbcMessageStore store = JdbcMessageStore.open(config, "upgrade-5")) {
      store
          .prepareBranch(
              new io.warrenmq.engine.PreparedBranch(
                  8, new byte[] {3}, new byte[] {4}, List.of(), acks))
          .toCompletableFuture()
          .get();
    }
    read = preparedBranches(config);
    assertEquals(2, read.size());
    assertEquals(8, read.get(1).formatId());
    assertEquals(acks, read.get(1).acks());
    assertEquals(1, StoreProbe.countWhere(config, "warren_xa_action", "kind = 'reject'"));

    try (Connection c = StoreProbe.connect(config);
        Statement s = c.createStatement()) {
      java.sql.SQLException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              java.sql.SQLException.class,
              () ->
                  s.execute(
                      "INSERT INTO warren_xa_action (branch_id, seq, kind, vhost, queue,"
                          + " message_id) VALUES ("
                          + branchId
                          + ", 1, 'nack', '/', 'q1', 45)"));
      assertTrue(
          refused.getMessage().toLowerCase(java.util.Locale.ROOT).contains("warren_xa_action_kind"),
          refused.getMessage());
    }
  }

  @Test
  void aVersion4H2DatabaseIsUpgradedToVersion5AndKeepsTheKindOfEachSettlement() throws Exception {
    upgradesToRejectKind(JdbcStoreConfig.h2(dataDir));
  }

  @Test
  void aVersion4PostgresDatabaseIsUpgradedToVersion5AndKeepsTheKindOfEachSettlement()
      throws Exception {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    String schema = Databases.createSchema();
    try {
      upgradesToRejectKind(Databases.postgres(schema));
    } finally {
      Databases.dropSchema(schema);
    }
  }

  /**
   * A version 5 database gets the table of delayed messages (version 6) and keeps what it held; a
   * delayed message stored afterwards is recovered.
   */
  private static void upgradesToDelayedMessages(JdbcStoreConfig config) throws Exception {
    createVersion(config, 5);
    try (Connection c = StoreProbe.connect(config);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO warren_queue (vhost, name, auto_delete, arguments) VALUES ('/', 'q',"
              + " FALSE, "
              + (config.isH2() ? "X'0100000000'" : "'\\x0100000000'::bytea")
              + ")");
    }
    io.warrenmq.engine.StoredDelayedMessage stored =
        new io.warrenmq.engine.StoredDelayedMessage(
            "/",
            new io.warrenmq.engine.StoredMessage(
                7,
                "d",
                "k",
                io.warrenmq.client.BasicProperties.builder().deliveryMode(2).build(),
                new byte[] {1, 2}),
            1234);
    try (JdbcMessageStore store = JdbcMessageStore.open(config, "upgrade-6")) {
      assertEquals(Schema.CURRENT_VERSION, version(config));
      store.storeDelayedMessage(stored).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    List<io.warrenmq.engine.StoredDelayedMessage> recovered = new ArrayList<>();
    long[] lastId = {0};
    List<String> queues = new ArrayList<>();
    try (JdbcMessageStore store = JdbcMessageStore.open(config, "upgraded-6")) {
      store.recover(
          new io.warrenmq.engine.MessageStore.RecoveryHandler() {
            @Override
            public void exchange(String virtualHost, io.warrenmq.client.ExchangeSpec spec) {}

            @Override
            public void queue(String virtualHost, io.warrenmq.client.QueueSpec spec) {
              queues.add(spec.name());
            }

            @Override
            public void binding(io.warrenmq.engine.StoredBinding binding) {}

            @Override
            public void queueEntries(
                String virtualHost, String queue, long entries, long bodyBytes, long lastSeq) {}

            @Override
            public void delayedMessage(io.warrenmq.engine.StoredDelayedMessage m) {
              recovered.add(m);
            }

            @Override
            public void lastMessageId(long messageId) {
              lastId[0] = messageId;
            }
          });
    }
    assertEquals(List.of("q"), queues, "what version 5 held is kept");
    assertEquals(1, recovered.size());
    assertEquals(7, recovered.get(0).message().messageId());
    assertEquals("d", recovered.get(0).message().exchange());
    assertEquals(1234, recovered.get(0).dueAtMillis());
    assertEquals(2, recovered.get(0).message().properties().deliveryMode());
    assertEquals("[1, 2]", java.util.Arrays.toString(recovered.get(0).message().body()));
    assertTrue(lastId[0] >= 7, "ids stay above the delayed message's: " + lastId[0]);
  }

  @Test
  void aVersion5H2DatabaseIsUpgradedToVersion6AndStoresDelayedMessages() throws Exception {
    upgradesToDelayedMessages(JdbcStoreConfig.h2(dataDir));
  }

  @Test
  void aVersion5PostgresDatabaseIsUpgradedToVersion6AndStoresDelayedMessages() throws Exception {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    String schema = Databases.createSchema();
    try {
      upgradesToDelayedMessages(Databases.postgres(schema));
    } finally {
      Databases.dropSchema(schema);
    }
  }

  /**
   * A version 6 database gets the empty HA lease table (version 7) and keeps what it held; on
   * PostgreSQL an HA lease can then be acquired on it.
   */
  private static void upgradesToTheHaLease(JdbcStoreConfig config) throws Exception {
    createVersion(config, 6);
    try (Connection c = StoreProbe.connect(config);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO warren_queue (vhost, name, auto_delete, arguments) VALUES ('/', 'q',"
              + " FALSE, "
              + (config.isH2() ? "X'0100000000'" : "'\\x0100000000'::bytea")
              + ")");
    }
    try (JdbcMessageStore store = JdbcMessageStore.open(config, "upgrade-7")) {
      assertEquals(Schema.CURRENT_VERSION, version(config));
    }
    assertEquals(0, StoreProbe.count(config, "warren_ha_lease"), "no lease before an HA broker");
    assertEquals(1, StoreProbe.count(config, "warren_queue"), "what version 6 held is kept");
    if (!config.isH2()) {
      try (HaLease lease = HaLease.open(config, HaLeaseConfig.of("upgraded"))) {
        assertTrue(lease.acquire(lease.read()));
        assertEquals(1, lease.epoch());
      }
    }
  }

  @Test
  void aVersion6H2DatabaseIsUpgradedWithAnEmptyLeaseTable() throws Exception {
    upgradesToTheHaLease(JdbcStoreConfig.h2(dataDir));
  }

  @Test
  void aVersion6PostgresDatabaseIsUpgradedToVersion7AndTakesAnHaLease() throws Exception {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    String schema = Databases.createSchema();
    try {
      upgradesToTheHaLease(Databases.postgres(schema));
    } finally {
      Databases.dropSchema(schema);
    }
  }

  /**
   * A version 7 database: queue a holds messages 1 (seq 0, delivered), 2 (seq 1) and 3 (seq 2) in
   * their own rows, and message 4 shared with queue b (seq 3 in a, 0 in b); the watermark, a
   * message id in version 7, is 2, and the last run closed cleanly. Version 8 keeps the messages
   * (now shared ones, their ids being global), turns the watermark into a position per queue, and
   * new publishes take queue-made ids.
   */
  private static void upgradesToQueueMadeIds(JdbcStoreConfig config) throws Exception {
    createVersion(config, 7);
    try (Connection c = StoreProbe.connect(config)) {
      try (PreparedStatement q =
          c.prepareStatement(
              "INSERT INTO warren_queue (vhost, name, auto_delete, arguments) VALUES ('/', ?,"
                  + " FALSE, ?)")) {
        for (String name : List.of("a", "b")) { // ids 1 and 2
          q.setString(1, name);
          q.setBytes(2, Codec.encode(java.util.Map.of()));
          q.executeUpdate();
        }
      }
      try (PreparedStatement m =
          c.prepareStatement(
              "INSERT INTO warren_message (id, queue_id, seq, delivered, exchange, routing_key,"
                  + " properties, body) VALUES (?, ?, ?, ?, '', 'k', ?, ?)")) {
        Object[][] rows = {{1L, 1L, 0L, true}, {2L, 1L, 1L, false}, {3L, 1L, 2L, false}};
        for (Object[] r : rows) {
          m.setLong(1, (Long) r[0]);
          m.setLong(2, (Long) r[1]);
          m.setLong(3, (Long) r[2]);
          m.setBoolean(4, (Boolean) r[3]);
          m.setBytes(5, Codec.encode(PERSISTENT));
          m.setBytes(6, ("m" + r[0]).getBytes(StandardCharsets.UTF_8));
          m.executeUpdate();
        }
        m.setLong(1, 4);
        m.setNull(2, java.sql.Types.BIGINT);
        m.setNull(3, java.sql.Types.BIGINT);
        m.setBoolean(4, false);
        m.setBytes(5, Codec.encode(PERSISTENT));
        m.setBytes(6, "m4".getBytes(StandardCharsets.UTF_8));
        m.executeUpdate();
      }
      try (Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO warren_queue_entry (queue_id, message_id, seq, delivered) VALUES"
                + " (1, 4, 3, FALSE), (2, 4, 0, FALSE)");
        s.execute(
            "UPDATE warren_store_state SET clean_shutdown = TRUE, redelivered_through = 2"
                + " WHERE id = 1");
      }
    }
    BrokerConfig brokerConfig = BrokerConfig.named("upgrade-8");
    try (Broker b = new Broker(brokerConfig, JdbcMessageStore.open(config, brokerConfig.name()));
        io.warrenmq.engine.Connection c = b.newConnection("/", "t")) {
      assertEquals(Schema.CURRENT_VERSION, version(config)); // through version 8
      assertEquals(0, StoreProbe.countWhere(config, "warren_message", "queue_id IS NOT NULL"));
      assertEquals(5, StoreProbe.count(config, "warren_queue_entry"));
      assertEquals(
          1,
          StoreProbe.countWhere(config, "warren_redelivered", "queue_id = 1 AND through_seq = 1"));
      Channel ch = c.createChannel();
      List<Boolean> redelivered = new ArrayList<>();
      assertEquals(List.of("m1", "m2", "m3", "m4"), drain(ch, "a", redelivered));
      assertEquals(List.of("m4"), drain(ch, "b", redelivered));
      // m1 was marked, m2 is under the converted watermark; m3 and m4 were stored after it
      assertEquals(List.of(true, true, false, false, false), redelivered);
      ch.confirmSelect();
      for (int i = 0; i < 3; i++) {
        ch.basicPublish("", "a", false, PERSISTENT, new byte[] {(byte) i});
        ch.waitForConfirmsOrDie(10_000);
      }
    }
    assertTrue(
        StoreProbe.countWhere(
                config, "warren_message", "id >= " + MessageIds.QUEUE_MADE + " AND queue_id = 1")
            >= 2,
        "publishes after the upgrade take queue-made ids");
    assertEquals(
        1,
        StoreProbe.countWhere(config, "warren_redelivered", "queue_id = 1 AND through_seq = 1"),
        "kept at a clean restart: queue a holds entries");
    try (Broker b = new Broker(brokerConfig, JdbcMessageStore.open(config, brokerConfig.name()));
        io.warrenmq.engine.Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      for (int i = 0; i < 3; i++) {
        GetResponse r = ch.basicGet("a", true);
        assertEquals(i, r.delivery().body()[0]);
        assertFalse(r.delivery().redelivered(), "published after the watermark");
      }
    }
    JdbcMessageStore.open(config, "upgrade-8").close();
    assertEquals(0, StoreProbe.count(config, "warren_redelivered"), "queue a emptied: no mark");
  }

  @Test
  void aVersion7H2DatabaseIsUpgradedToVersion8KeepingMessagesAndRedeliveredFlags()
      throws Exception {
    upgradesToQueueMadeIds(JdbcStoreConfig.h2(dataDir));
  }

  @Test
  void aVersion7PostgresDatabaseIsUpgradedToVersion8KeepingMessagesAndRedeliveredFlags()
      throws Exception {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    String schema = Databases.createSchema();
    try {
      upgradesToQueueMadeIds(Databases.postgres(schema));
    } finally {
      Databases.dropSchema(schema);
    }
  }
}
