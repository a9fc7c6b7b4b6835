package io.warrenmq.engine.internal;

import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.StoredBinding;
import io.warrenmq.engine.StoredDelayedMessage;
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
  public UnitOfWork beginUnitOfWork() {
    return new KeptNothing();
  }

  /**
   * A unit of work that keeps nothing, with the contract's checks (committed once, not used after).
   * Not thread-safe (a unit is used by one thread at a time).
   */
  public static final class KeptNothing implements UnitOfWork {
    private boolean committed;

    private void ensureOpen() {
      if (committed) {
        throw new IllegalStateException("the unit of work was committed");
      }
    }

    @Override
    public CompletionStage<Void> enqueue(
        String virtualHost, String queue, long seq, StoredMessage message) {
      ensureOpen();
      return DONE;
    }

    @Override
    public void dequeue(String virtualHost, String queue, long messageId) {
      ensureOpen();
    }

    @Override
    public void dequeueRange(String virtualHost, String queue, long afterSeq, long beforeSeq) {
      ensureOpen();
    }

    @Override
    public CompletionStage<Void> storeDelayedMessage(StoredDelayedMessage message) {
      ensureOpen();
      return DONE;
    }

    @Override
    public void deleteDelayedMessage(String virtualHost, long messageId) {
      ensureOpen();
    }

    @Override
    public void forgetBranch(int formatId, byte[] globalTransactionId, byte[] branchQualifier) {
      ensureOpen();
    }

    @Override
    public CompletionStage<Void> commit() {
      ensureOpen();
      committed = true;
      return DONE;
    }
  }

  @Override
  public void recover(RecoveryHandler handler) {}

  @Override
  public void close() {}
}
