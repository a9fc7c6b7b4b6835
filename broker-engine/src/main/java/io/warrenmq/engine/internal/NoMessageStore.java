package io.warrenmq.engine.internal;

import io.warrenmq.engine.ExchangeSpec;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.QueueSpec;
import io.warrenmq.engine.StoredBinding;
import io.warrenmq.engine.StoredMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link MessageStore#NONE}: keeps nothing, completes at once. Stateless and thread-safe. */
public final class NoMessageStore implements MessageStore {
  /** The one instance. */
  public static final NoMessageStore INSTANCE = new NoMessageStore();

  private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

  private NoMessageStore() {}

  @Override
  public boolean isDurable() {
    return false;
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
