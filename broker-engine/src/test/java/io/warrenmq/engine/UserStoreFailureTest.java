package io.warrenmq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the engine asks a durable store to write for virtual hosts, users and permissions, and how a
 * failed write surfaces (541 INTERNAL_ERROR with the cause), with a hand-written store.
 */
@Timeout(30)
class UserStoreFailureTest {
  private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

  /** A durable store that records the user-related calls and fails them while {@code failing}. */
  private static final class RecordingStore implements MessageStore {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final IllegalStateException failure = new IllegalStateException("disk full");
    volatile boolean failing;

    private CompletionStage<Void> record(String call) {
      calls.add(call);
      return failing ? CompletableFuture.failedStage(failure) : DONE;
    }

    @Override
    public boolean isDurable() {
      return true;
    }

    @Override
    public CompletionStage<Void> storeVirtualHost(String virtualHost) {
      return record("vhost " + virtualHost);
    }

    @Override
    public CompletionStage<Void> deleteVirtualHost(String virtualHost) {
      return record("-vhost " + virtualHost);
    }

    @Override
    public CompletionStage<Void> storeUser(UserInfo user) {
      return record("user " + user.name() + " " + user.tags());
    }

    @Override
    public CompletionStage<Void> deleteUser(String user) {
      return record("-user " + user);
    }

    @Override
    public CompletionStage<Void> storePermission(PermissionInfo p) {
      return record("permission " + p.user() + "@" + p.virtualHost());
    }

    @Override
    public CompletionStage<Void> deletePermission(String user, String virtualHost) {
      return record("-permission " + user + "@" + virtualHost);
    }

    @Override
    public CompletionStage<Void> storeExchange(String virtualHost, ExchangeSpec spec) {
      return DONE;
    }

    @Override
    public CompletionStage<Void> deleteExchange(String virtualHost, String exchange) {
      return DONE;
    }

    @Override
    public CompletionStage<Void> storeQueue(String virtualHost, QueueSpec spec) {
      return DONE;
    }

    @Override
    public CompletionStage<Void> deleteQueue(String virtualHost, String queue) {
      return DONE;
    }

    @Override
    public CompletionStage<Void> storeBinding(StoredBinding binding) {
      return DONE;
    }

    @Override
    public CompletionStage<Void> deleteBinding(StoredBinding binding) {
      return DONE;
    }

    @Override
    public CompletionStage<Void> enqueue(
        String virtualHost, String queue, long seq, StoredMessage message) {
      return DONE;
    }

    @Override
    public CompletionStage<Void> dequeue(String virtualHost, String queue, long messageId) {
      return DONE;
    }

    @Override
    public CompletionStage<Void> markDelivered(String virtualHost, String queue, long messageId) {
      return DONE;
    }

    @Override
    public CompletionStage<Void> unitOfWork(Runnable work) {
      work.run();
      return DONE;
    }

    @Override
    public void recover(RecoveryHandler handler) {}

    @Override
    public void close() {}
  }

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
