package io.warrenmq.engine;

import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hand-written durable store for engine tests: records the user-related calls (failing them while
 * {@code failing}) and the topology removals (completing them when the test completes {@code
 * removals}, if set); while {@code keepsBranches}, records the XA branches prepared (otherwise it
 * cannot keep them, as the SPI's default).
 */
final class RecordingStore implements MessageStore {
  final List<String> calls = new CopyOnWriteArrayList<>();
  final IllegalStateException failure = new IllegalStateException("disk full");
  volatile boolean failing;
  final List<String> removalCalls = new CopyOnWriteArrayList<>();
  volatile CompletableFuture<Void> removals;
  volatile boolean keepsBranches;
  final List<PreparedBranch> prepared = new CopyOnWriteArrayList<>();

  private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

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
    return removal("-exchange " + exchange);
  }

  @Override
  public CompletionStage<Void> storeQueue(String virtualHost, QueueSpec spec) {
    return DONE;
  }

  @Override
  public CompletionStage<Void> deleteQueue(String virtualHost, String queue) {
    return removal("-queue " + queue);
  }

  @Override
  public CompletionStage<Void> storeBinding(StoredBinding binding) {
    return DONE;
  }

  @Override
  public CompletionStage<Void> deleteBinding(StoredBinding binding) {
    return removal("-binding " + binding.source() + "->" + binding.destination());
  }

  /** Topology removals complete when {@link #removals} does (at once while it is null). */
  private CompletionStage<Void> removal(String call) {
    removalCalls.add(call);
    CompletableFuture<Void> gate = removals;
    return gate == null ? DONE : gate;
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

  /** Delayed messages stored; their stage completes when {@link #delayedGate} does. */
  final List<StoredDelayedMessage> delayed = new CopyOnWriteArrayList<>();

  final CompletableFuture<Void> delayedGate = new CompletableFuture<>();

  @Override
  public CompletionStage<Void> storeDelayedMessage(StoredDelayedMessage message) {
    delayed.add(message);
    return delayedGate;
  }

  @Override
  public UnitOfWork beginUnitOfWork() {
    return new io.warrenmq.engine.internal.NoMessageStore.KeptNothing();
  }

  @Override
  public CompletionStage<Void> prepareBranch(PreparedBranch branch) {
    if (!keepsBranches) {
      return MessageStore.super.prepareBranch(branch);
    }
    prepared.add(branch);
    return DONE;
  }

  @Override
  public CompletionStage<Void> forgetBranch(
      int formatId, byte[] globalTransactionId, byte[] branchQualifier) {
    if (!keepsBranches) {
      return MessageStore.super.forgetBranch(formatId, globalTransactionId, branchQualifier);
    }
    return DONE;
  }

  @Override
  public void recover(RecoveryHandler handler) {}

  @Override
  public void close() {}
}
