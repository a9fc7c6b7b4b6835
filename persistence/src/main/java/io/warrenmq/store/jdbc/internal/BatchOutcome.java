package io.warrenmq.store.jdbc.internal;

import java.util.List;

/**
 * What one group commit came to before its sync, and how its operations' futures complete once the
 * sync is done ({@link GroupCommitWriter}, {@link SyncStage}): a topology operation with its
 * topology transaction's failure if that failed, every other operation with the message
 * transaction's failure; a failed sync fails each part that had committed.
 *
 * @param batch the operations as the writer took them (a unit is one operation)
 * @param topologyFailure why the topology transaction failed, or null
 * @param messageFailure why the message transaction failed, or null
 * @param topologyCommitted whether the topology transaction committed
 * @param messagesCommitted whether the message transaction committed
 */
record BatchOutcome(
    List<Op> batch,
    Throwable topologyFailure,
    Throwable messageFailure,
    boolean topologyCommitted,
    boolean messagesCommitted) {

  /** Copies the batch: the writer reuses its list for the next one. */
  BatchOutcome {
    batch = List.copyOf(batch);
  }

  /** Whether anything of the batch committed, i.e. whether there is anything to sync. */
  boolean committedAny() {
    return topologyCommitted || messagesCommitted;
  }

  /**
   * Completes every operation's future. Called once, on the thread that made the batch durable.
   *
   * @param syncFailure why the sync failed, or null (synced, or no sync was needed)
   * @return whether every part of the batch committed and, if synced, is durable
   */
  boolean complete(Throwable syncFailure) {
    Throwable topology = topologyCommitted && syncFailure != null ? syncFailure : topologyFailure;
    Throwable messages = messagesCommitted && syncFailure != null ? syncFailure : messageFailure;
    for (Op op : batch) {
      // a unit holds message operations only: its stage is the message commit's
      Throwable failure = op instanceof Op.TopologyOp && topology != null ? topology : messages;
      if (failure == null) {
        op.done.complete(null);
      } else {
        op.done.completeExceptionally(failure);
      }
    }
    return topology == null && messages == null;
  }
}
