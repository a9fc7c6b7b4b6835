package io.warrenmq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the engine asks a durable store to write for virtual hosts, users and permissions, and how a
 * failed write surfaces (541 INTERNAL_ERROR with the cause), with a hand-written store.
 */
@Timeout(30)
class UserStoreFailureTest {
  private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

  @Test
  void anEmptyStoreGetsTheDefaultVirtualHostGuestAndItsPermissionsWritten() {
    RecordingStore store = new RecordingStore();
    try (Broker b = new Broker(BrokerConfig.named("rec"), store)) {
      assertTrue(b.users().checkPassword("guest", "guest"));
    }
    assertEquals(
        List.of("vhost /", "user guest [administrator]", "permission guest@/"), store.calls);
  }

  @Test
  void everyChangeIsWrittenToTheStore() {
    RecordingStore store = new RecordingStore();
    try (Broker b = new Broker(BrokerConfig.named("rec"), store)) {
      store.calls.clear();
      b.virtualHost("/v");
      b.users().putUser("u", "p", List.of("t"));
      b.users().setTags("u", List.of("t2"));
      b.users().setPermissions(PermissionInfo.full("u", "/v"));
      b.users().clearPermissions("u", "/v");
      b.users().deleteUser("u");
      b.deleteVirtualHost("/v");
      assertTrue(!b.users().deleteUser("nobody"), "unknown user: nothing written");
    }
    assertEquals(
        List.of(
            "vhost /v",
            "user u [t]",
            "user u [t2]",
            "permission u@/v",
            "-permission u@/v",
            "-user u",
            "-vhost /v"),
        store.calls);
  }

  @Test
  void aFailedStoreWriteIsAnInternalErrorWithItsCause() {
    RecordingStore store = new RecordingStore();
    try (Broker b = new Broker(BrokerConfig.named("rec"), store)) {
      store.failing = true;
      AmqpException user =
          assertThrows(AmqpException.class, () -> b.users().putUser("u", "p", List.of()));
      assertEquals(ReplyCode.INTERNAL_ERROR, user.replyCode());
      assertSame(store.failure, user.getCause());
      assertTrue(user.getMessage().contains("user 'u' could not be stored"), user.getMessage());
      AmqpException vhost = assertThrows(AmqpException.class, () -> b.virtualHost("/v"));
      assertEquals(ReplyCode.INTERNAL_ERROR, vhost.replyCode());
      assertTrue(vhost.getMessage().contains("vhost '/v' could not be stored"), vhost.getMessage());
      AmqpException permission =
          assertThrows(
              AmqpException.class,
              () -> b.users().setPermissions(PermissionInfo.full("guest", "/v")));
      assertEquals(ReplyCode.INTERNAL_ERROR, permission.replyCode());
    }
  }
}
