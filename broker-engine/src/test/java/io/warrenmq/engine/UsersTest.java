package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.newBroker;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UsersTest {
  /** guest/guest as exported by RabbitMQ 3.10.8 ({@code rabbitmqctl export_definitions}). */
  private static final String RABBITMQ_GUEST_HASH =
      "NK5Gh9kPPxz+7xPJsb9KXLxn4YDCWpW3JcYSv5xBYtOSNS+v";

  private final Broker broker = newBroker();
  private final Users users = broker.users();

  @AfterEach
  void close() {
    broker.close();
  }

  @Test
  void aFreshBrokerHasGuestAsAdministratorWithFullPermissionsOnTheDefaultHost() {
    UserInfo guest = users.user("guest").orElseThrow();
    assertEquals(List.of("administrator"), guest.tags());
    assertEquals(UserInfo.SHA256, guest.hashingAlgorithm());
    assertTrue(users.checkPassword("guest", "guest"));
    assertEquals(List.of(PermissionInfo.full("guest", "/")), users.permissions());
    assertTrue(broker.startedFresh(), "a broker without a store always starts fresh");
  }

  @Test
  void passwordsAreStoredAsSaltedSha256InRabbitMqFormat() throws Exception {
    users.putUser("alice", "s3cret-ü", List.of("management"));
    String hash = users.user("alice").orElseThrow().passwordHash();
    byte[] raw = Base64.getDecoder().decode(hash);
    assertEquals(36, raw.length, "4-byte salt + 32-byte SHA-256");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(Arrays.copyOf(raw, 4));
    sha.update("s3cret-ü".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(sha.digest(), Arrays.copyOfRange(raw, 4, 36));
    assertFalse(hash.contains("s3cret"));
  }

  @Test
  void theSamePasswordGetsADifferentSaltEachTime() {
    users.putUser("a", "pw", null);
    users.putUser("b", "pw", null);
    assertNotEquals(
        users.user("a").orElseThrow().passwordHash(), users.user("b").orElseThrow().passwordHash());
  }

  @Test
  void aHashExportedByRabbitMqChecksTheRightPasswordOnly() {
    users.putUser(new UserInfo("guest", RABBITMQ_GUEST_HASH, UserInfo.SHA256, List.of()));
    assertTrue(users.checkPassword("guest", "guest"));
    assertFalse(users.checkPassword("guest", "Guest"));
    assertFalse(users.checkPassword("nobody", "guest"));
    assertFalse(users.checkPassword("guest", null));
  }

  @Test
  void sha512AndMd5HashesFromOlderDefinitionsAreAccepted() throws Exception {
    for (String[] alg : new String[][] {{UserInfo.SHA512, "SHA-512"}, {UserInfo.MD5, "MD5"}}) {
      byte[] salt = {1, 2, 3, 4};
      MessageDigest md = MessageDigest.getInstance(alg[1]);
      md.update(salt);
      byte[] digest = md.digest("pw".getBytes(StandardCharsets.UTF_8));
      byte[] raw = new byte[4 + digest.length];
      System.arraycopy(salt, 0, raw, 0, 4);
      System.arraycopy(digest, 0, raw, 4, digest.length);
      users.putUser(
          new UserInfo("old", Base64.getEncoder().encodeToString(raw), alg[0], List.of()));
      assertTrue(users.checkPassword("old", "pw"), alg[0]);
      assertFalse(users.checkPassword("old", "px"), alg[0]);
    }
  }

  @Test
  void aUserWithAnEmptyHashCannotLogInWithAnyPassword() {
    users.putUser(new UserInfo("svc", "", UserInfo.SHA256, List.of()));
    assertFalse(users.checkPassword("svc", ""));
    assertFalse(users.checkPassword("svc", "x"));
  }

  @Test
  void malformedHashesAndUnknownAlgorithmsAreRefusedNamingTheUser() {
    AmqpException e =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () -> users.putUser(new UserInfo("u", "not base64!", UserInfo.SHA256, List.of())));
    assertEquals("user 'u': password hash is not base64", e.replyText());
    e =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () -> users.putUser(new UserInfo("u", "AAAA", UserInfo.SHA256, List.of())));
    assertEquals(
        "user 'u': password hash has 3 bytes, rabbit_password_hashing_sha256 needs 36",
        e.replyText());
    e =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () -> users.putUser(new UserInfo("u", RABBITMQ_GUEST_HASH, "bcrypt", List.of())));
    assertEquals("user 'u': unsupported hashing algorithm 'bcrypt'", e.replyText());
    assertTrue(users.user("u").isEmpty());
  }

  @Test
  void updatingAUserReplacesPasswordAndTagsAndKeepsPermissions() {
    users.putUser("bob", "one", List.of("management", "management", "monitoring"));
    assertEquals(List.of("management", "monitoring"), users.user("bob").orElseThrow().tags());
    users.setPermissions(new PermissionInfo("bob", "/", "^bob\\..*", ".*", ""));
    users.putUser("bob", "two", List.of("policymaker"));
    assertFalse(users.checkPassword("bob", "one"));
    assertTrue(users.checkPassword("bob", "two"));
    users.changePassword("bob", "three");
    assertTrue(users.checkPassword("bob", "three"));
    users.setTags("bob", List.of());
    assertEquals(List.of(), users.user("bob").orElseThrow().tags());
    assertEquals(
        new PermissionInfo("bob", "/", "^bob\\..*", ".*", ""),
        users.permission("bob", "/").orElseThrow());
  }

  @Test
  void deletingAUserDeletesItsPermissions() {
    users.putUser("bob", "pw", null);
    users.setPermissions(PermissionInfo.full("bob", "/"));
    assertTrue(users.deleteUser("bob"));
    assertFalse(users.deleteUser("bob"));
    assertTrue(users.user("bob").isEmpty());
    assertTrue(users.permission("bob", "/").isEmpty());
    users.putUser("bob", "pw", null);
    assertTrue(users.permission("bob", "/").isEmpty(), "a re-created user starts without rights");
  }

  @Test
  void listsAreSortedByUserThenVirtualHost() {
    broker.virtualHost("v");
    users.putUser("zed", "pw", null);
    users.putUser("amy", "pw", null);
    users.setPermissions(PermissionInfo.full("zed", "v"));
    users.setPermissions(PermissionInfo.full("amy", "v"));
    users.setPermissions(PermissionInfo.full("amy", "/"));
    assertEquals(
        List.of("amy", "guest", "zed"), users.list().stream().map(UserInfo::name).toList());
    assertEquals(
        List.of(
            PermissionInfo.full("amy", "/"),
            PermissionInfo.full("amy", "v"),
            PermissionInfo.full("guest", "/"),
            PermissionInfo.full("zed", "v")),
        users.permissions());
    assertTrue(users.clearPermissions("amy", "v"));
    assertFalse(users.clearPermissions("amy", "v"));
    assertEquals(3, users.permissions().size());
  }

  @Test
  void permissionsNeedAnExistingUserAnExistingVirtualHostAndValidRegexps() {
    AmqpException e =
        assertAmqpError(
            ReplyCode.NOT_FOUND, () -> users.setPermissions(PermissionInfo.full("nobody", "/")));
    assertEquals("no user 'nobody'", e.replyText());
    e =
        assertAmqpError(
            ReplyCode.NOT_FOUND, () -> users.setPermissions(PermissionInfo.full("guest", "/x")));
    assertEquals("vhost '/x' not found", e.replyText());
    e =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () -> users.setPermissions(new PermissionInfo("guest", "/", ".*", "[", ".*")));
    assertTrue(
        e.replyText().startsWith("invalid write regexp '[' for user 'guest' in vhost '/': "),
        e.replyText());
    assertEquals(PermissionInfo.full("guest", "/"), users.permission("guest", "/").orElseThrow());
  }

  @Test
  void emptyUserNamesAreRefused() {
    assertAmqpError(ReplyCode.PRECONDITION_FAILED, () -> users.putUser("", "pw", null));
    assertThrows(IllegalArgumentException.class, () -> new UserInfo("", "", UserInfo.SHA256, null));
  }
}
