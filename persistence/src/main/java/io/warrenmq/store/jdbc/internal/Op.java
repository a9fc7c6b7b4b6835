package io.warrenmq.store.jdbc.internal;

import io.warrenmq.engine.StoredMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One operation queued for the store's writer thread, with the future completed after the commit
 * that holds it (or failed).
 */
public abstract sealed class Op {
  final CompletableFuture<Void> done;

  Op() {
    this(new CompletableFuture<>());
  }

  Op(CompletableFuture<Void> done) {
    this.done = done;
  }

  /** The caller's view of {@link #done}. */
  public CompletableFuture<Void> future() {
    return done;
  }

  /** Body bytes this operation writes, for the batch limit. */
  long bytes() {
    return 0;
  }

  /** What a topology change means for the stored messages. */
  public enum Effect {
    /** Nothing (exchanges, bindings, users, permissions). */
    NONE,
    /** A queue was stored: its id is looked up again. */
    QUEUE_STORED,
    /** A queue was deleted: its messages go. */
    QUEUE_DELETED,
    /** A virtual host was deleted: the messages of all its queues go. */
    VHOST_DELETED
  }

  /** A change of the durable topology (Hibernate), and what it means for the stored messages. */
  public static final class TopologyOp extends Op {
    final Topology.Change change;
    final Effect effect;
    final String vhost;
    final String queue;

    /**
     * @param vhost the virtual host of a queue or virtual host effect, else null
     * @param queue the queue of a queue effect, else null
     */
    public TopologyOp(Topology.Change change, Effect effect, String vhost, String queue) {
      this.change = change;
      this.effect = effect;
      this.vhost = vhost;
      this.queue = queue;
    }

    /** A change without effect on messages. */
    public TopologyOp(Topology.Change change) {
      this(change, Effect.NONE, null, null);
    }
  }

  /** A message appended to a queue. */
  public static final class Enqueue extends Op {
    final String vhost;
    final String queue;
    final long seq;
    final StoredMessage message;
    // encoded by the publishing thread, so the one writer thread does not spend its time on it
    final byte[] encodedProperties;
    // set by the caller before it is queued
    boolean inUnit; // issued inside a unit of work: tracked by OpenUnits until the writer sees it
    // set and read by the writer thread only
    boolean shared; // one of several enqueues of its message in one unit: stored as entries
    boolean delivered;
    long queueId;

    /**
     * @param encodedProperties {@code message}'s properties as {@link Codec#encode(
     *     io.warrenmq.client.BasicProperties)} wrote them
     */
    public Enqueue(
        String vhost, String queue, long seq, StoredMessage message, byte[] encodedProperties) {
      this.vhost = vhost;
      this.queue = queue;
      this.seq = seq;
      this.message = message;
      this.encodedProperties = encodedProperties;
    }

    /** This op's encoded properties if it enqueues {@code m} itself (same instance), else null. */
    public byte[] encodedPropertiesOf(StoredMessage m) {
      return message == m ? encodedProperties : null;
    }

    @Override
    long bytes() {
      return message.body().length;
    }
  }

  /** A message removed from a queue, or marked delivered there. */
  public static final class Settle extends Op {
    final String vhost;
    final String queue;
    final long messageId;
    final boolean deliveredOnly;

    public Settle(String vhost, String queue, long messageId, boolean deliveredOnly) {
      this.vhost = vhost;
      this.queue = queue;
      this.messageId = messageId;
      this.deliveredOnly = deliveredOnly;
    }
  }

  /** Every entry of a queue above a sequence number removed ({@code MessageStore.dequeueAfter}). */
  public static final class DequeueAfter extends Op {
    final String vhost;
    final String queue;
    final long afterSeq;

    /** Exclusive upper bound; {@code Long.MAX_VALUE}: none ({@code dequeueRange}). */
    final long beforeSeq;

    public DequeueAfter(String vhost, String queue, long afterSeq, long beforeSeq) {
      this.vhost = vhost;
      this.queue = queue;
      this.afterSeq = afterSeq;
      this.beforeSeq = beforeSeq;
    }
  }

  /** A prepared XA branch written ({@code MessageStore.prepareBranch}). */
  public static final class PrepareBranch extends Op {
    final io.warrenmq.engine.PreparedBranch branch;

    public PrepareBranch(io.warrenmq.engine.PreparedBranch branch) {
      this.branch = branch;
    }

    @Override
    long bytes() {
      long b = 0;
      for (io.warrenmq.engine.PreparedBranch.Publish p : branch.publishes()) {
        b += p.body().length;
      }
      return b;
    }
  }

  /** A message held by a delayed exchange stored ({@code MessageStore.storeDelayedMessage}). */
  public static final class StoreDelayed extends Op {
    final io.warrenmq.engine.StoredDelayedMessage message;
    final byte[] encodedProperties; // encoded by the caller's thread

    public StoreDelayed(io.warrenmq.engine.StoredDelayedMessage message, byte[] encodedProperties) {
      this.message = message;
      this.encodedProperties = encodedProperties;
    }

    @Override
    long bytes() {
      return message.message().body().length;
    }
  }

  /** A stored delayed message forgotten: routed when due, or its exchange gone. */
  public static final class DeleteDelayed extends Op {
    final long messageId;

    public DeleteDelayed(long messageId) {
      this.messageId = messageId;
    }
  }

  /** A prepared XA branch forgotten ({@code MessageStore.forgetBranch}). */
  public static final class ForgetBranch extends Op {
    final int formatId;
    final byte[] globalTransactionId;
    final byte[] branchQualifier;

    public ForgetBranch(int formatId, byte[] globalTransactionId, byte[] branchQualifier) {
      this.formatId = formatId;
      this.globalTransactionId = globalTransactionId.clone();
      this.branchQualifier = branchQualifier.clone();
    }
  }

  /**
   * Operations written in one transaction ({@code MessageStore.UnitOfWork}): the writer completes
   * only {@code done}, the unit's stage; the futures of its operations are not used.
   */
  public static final class Unit extends Op {
    final List<Op> ops;
    private final long bytes;

    /**
     * @param done the unit's stage, completed after the commit (or failed)
     */
    public Unit(List<Op> ops, CompletableFuture<Void> done) {
      super(done);
      this.ops = ops;
      long b = 0;
      for (Op o : ops) {
        b += o.bytes();
      }
      this.bytes = b;
    }

    @Override
    long bytes() {
      return bytes;
    }
  }

  /** Tells the writer to write the delivered marks it holds, finish and end. */
  public static final class Close extends Op {}
}
