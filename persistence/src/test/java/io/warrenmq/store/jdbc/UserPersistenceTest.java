package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.engine.UserInfo;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual hosts, users (hash, hashing algorithm, tags) and permissions survive a restart on the
 * same store, and deletions stay deleted. On the default H2 file store here; {@link
 * UserPersistenceOnPostgresTest} runs the same on PostgreSQL.
 */
@Timeout(60)
class UserPersistenceTest {
  @TempDir Path dataDir;

  /** The store every broker of a test opens. */
  JdbcStoreConfig store;

  @BeforeEach
  void useTheStore() {
    store = JdbcStoreConfig.h2(dataDir);
  }

  private Broker start() {
    BrokerConfig config = BrokerConfig.named("users");
    return new Broker(config, JdbcMessageStore.open(store, config.name()));
  }

  @Test
  void aFreshStoreGetsGuestAndTheDefaultVirtualHostWritten() throws Exception {
    try (Broker b = start()) {
      assertTrue(b.startedFresh());
      assertEquals(List.of("/"), b.virtualHostNames());
      assertTrue(b.users().checkPassword("guest", "guest"));
    }
    assertEquals(1, StoreProbe.countWhere(store, "warren_vhost", "name = '/'"));
    assertEquals(1, StoreProbe.countWhere(store, "warren_user", "name = 'guest'"));
    assertEquals(
        1,
        StoreProbe.countWhere(store, "warren_permission", "user_name = 'guest' AND vhost = '/'"));
    try (Broker b = start()) {
      assertFalse(b.startedFresh(), "a store that holds a virtual host is not fresh");
      assertEquals(List.of("guest"), b.users().list().stream().map(UserInfo::name).toList());
      assertEquals(List.of("administrator"), b.users().user("guest").orElseThrow().tags());
      assertEquals(
          Optional.of(PermissionInfo.full("guest", "/")), b.users().permission("guest", "/"));
    }
  }

  @Test
  void usersTagsPermissionsAndVirtualHostsComeBackAfterARestart() {
    UserInfo alice;
    try (Broker b = start()) {
      b.virtualHost("/orders");
      b.virtualHost("/billing");
      b.users().putUser("alice", "s3cret", List.of("monitoring", "management"));
      b.users().putUser("bob", "pw", null);
      b.users().setPermissions(new PermissionInfo("alice", "/orders", "^a\\..*", ".*", ""));
      b.users().setPermissions(PermissionInfo.full("bob", "/billing"));
      alice = b.users().user("alice").orElseThrow();
    }
    try (Broker b = start()) {
      assertEquals(List.of("/", "/billing", "/orders"), b.virtualHostNames());
      assertEquals(
          List.of("alice", "bob", "guest"), b.users().list().stream().map(UserInfo::name).toList());
      assertEquals(alice, b.users().user("alice").orElseThrow());
      assertEquals(List.of("monitoring", "management"), b.users().user("alice").get().tags());
      assertEquals(List.of(), b.users().user("bob").get().tags());
      assertEquals(
          Optional.of(new PermissionInfo("alice", "/orders", "^a\\..*", ".*", "")),
          b.users().permission("alice", "/orders"));
      assertEquals(
          Optional.of(PermissionInfo.full("bob", "/billing")),
          b.users().permission("bob", "/billing"));
      assertEquals(3, b.users().permissions().size());
    }
  }

  @Test
  void passwordsAreStoredOnlyAsRabbitMqHashes() throws Exception {
    try (Broker b = start()) {
      b.users().putUser("alice", "clear-text-secret", List.of());
    }
    try (java.sql.Connection c = StoreProbe.connect(store);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT password_hash, hashing_algorithm FROM warren_user WHERE name = 'alice'")) {
      assertTrue(rs.next());
      assertFalse(rs.getString(1).contains("clear-text-secret"));
      assertEquals(UserInfo.SHA256, rs.getString(2));
    }
  }

  @Test
  void aRecoveredUserLogsInWithItsPasswordAndNotWithAnother() {
    try (Broker b = start()) {
      b.virtualHost("/app");
      b.users().putUser("alice", "s3cret", List.of());
      b.users().setPermissions(PermissionInfo.full("alice", "/app"));
    }
    try (Broker b = start();
        Connection c = b.newConnection("/app", "alice", "s3cret")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(new QueueSpec("q", true, false, false, Map.of()));
      AmqpException wrong =
          assertThrows(AmqpException.class, () -> b.newConnection("/app", "alice", "other"));
      assertEquals(ReplyCode.ACCESS_REFUSED, wrong.replyCode());
      AmqpException noVhost =
          assertThrows(AmqpException.class, () -> b.newConnection("/", "alice", "s3cret"));
      assertEquals(ReplyCode.NOT_ALLOWED, noVhost.replyCode());
    }
  }

  @Test
  void changedPasswordsAndTagsAreTheOnesThatComeBack() {
    try (Broker b = start()) {
      b.users().putUser("alice", "old", List.of("management"));
      b.users().setPermissions(PermissionInfo.full("alice", "/"));
      b.users().changePassword("alice", "new");
      b.users().setTags("alice", List.of("administrator"));
    }
    try (Broker b = start()) {
      assertTrue(b.users().checkPassword("alice", "new"));
      assertFalse(b.users().checkPassword("alice", "old"));
      assertEquals(List.of("administrator"), b.users().user("alice").get().tags());
      assertTrue(b.users().permission("alice", "/").isPresent(), "permissions kept");
      b.newConnection("/", "alice", "new").close();
    }
  }

  @Test
  void deletedUsersPermissionsAndVirtualHostsStayDeleted() {
    try (Broker b = start()) {
      b.virtualHost("/gone");
      b.virtualHost("/kept");
      b.users().putUser("alice", "a", List.of());
      b.users().putUser("bob", "b", List.of());
      b.users().setPermissions(PermissionInfo.full("alice", "/kept"));
      b.users().setPermissions(PermissionInfo.full("alice", "/gone"));
      b.users().setPermissions(PermissionInfo.full("bob", "/kept"));
      b.users().setPermissions(PermissionInfo.full("bob", "/"));
      try (Connection c = b.newConnection("/gone", "t")) {
        c.createChannel().queueDeclare(new QueueSpec("q-gone", true, false, false, Map.of()));
      }
      assertTrue(b.deleteVirtualHost("/gone"));
      assertTrue(b.users().deleteUser("alice"));
      assertTrue(b.users().clearPermissions("bob", "/"));
    }
    assertEquals(0, StoreProbe.countWhere(store, "warren_queue", "vhost = '/gone'"));
    try (Broker b = start()) {
      assertEquals(List.of("/", "/kept"), b.virtualHostNames());
      assertTrue(b.users().user("alice").isEmpty());
      assertEquals(
          List.of(PermissionInfo.full("bob", "/kept"), PermissionInfo.full("guest", "/")),
          b.users().permissions());
    }
  }

  @Test
  void aDeletedGuestStaysDeleted() {
    try (Broker b = start()) {
      b.users().putUser("admin", "pw", List.of("administrator"));
      b.users().setPermissions(PermissionInfo.full("admin", "/"));
      assertTrue(b.users().deleteUser("guest"));
    }
    try (Broker b = start()) {
      assertTrue(b.users().user("guest").isEmpty());
      AmqpException e =
          assertThrows(AmqpException.class, () -> b.newConnection("/", "guest", "guest"));
      assertEquals(ReplyCode.ACCESS_REFUSED, e.replyCode());
      b.newConnection("/", "admin", "pw").close();
    }
  }

  @Test
  void definitionsImportedIntoABrokerWithAStoreSurviveARestart() {
    String definitions;
    try (Broker source = new Broker(BrokerConfig.named("source"))) {
      source.virtualHost("/imported");
      source.users().putUser("carol", "pw", List.of("policymaker"));
      source.users().setPermissions(new PermissionInfo("carol", "/imported", "", "x", "y"));
      try (Connection c = source.newConnection("/imported", "t")) {
        c.createChannel().queueDeclare(new QueueSpec("work", true, false, false, Map.of()));
      }
      definitions = Definitions.export(source);
    }
    try (Broker b = start()) {
      Definitions.importInto(b, definitions);
    }
    try (Broker b = start()) {
      assertTrue(b.virtualHostExists("/imported"));
      assertEquals(List.of("policymaker"), b.users().user("carol").get().tags());
      assertEquals(
          Optional.of(new PermissionInfo("carol", "/imported", "", "x", "y")),
          b.users().permission("carol", "/imported"));
      assertTrue(b.users().checkPassword("carol", "pw"));
      try (Connection c = b.newConnection("/imported", "carol", "pw")) {
        assertEquals(0, c.createChannel().queueDeclarePassive("work").messageCount());
      }
    }
  }
}
