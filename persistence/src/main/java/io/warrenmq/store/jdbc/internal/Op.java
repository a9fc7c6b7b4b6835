package io.warrenmq.store.jdbc.internal;

import io.warrenmq.engine.StoredMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One operation queued for the store's writer thread, with the future completed after the commit
 * that holds it (or failed).
 */
public abstract sealed class Op {
  final CompletableFuture<Void> done = new CompletableFuture<>();

  /** The caller's view of {@link #done}. */
  public CompletableFuture<Void> future() {
    return done;
  }

  /** Body bytes this operation writes, for the batch limit. */
  long bytes() {
    return 0;
  }

  /** A change of the durable topology (Hibernate), and for a queue deletion its entry purge. */
  public static final class TopologyOp extends Op {
    final Topology.Change change;
    final String purgeVhost;
    final String purgeQueue;

    public TopologyOp(Topology.Change change, String purgeVhost, String purgeQueue) {
      this.change = change;
      this.purgeVhost = purgeVhost;
      this.purgeQueue = purgeQueue;
    }
  }

  /** A message appended to a queue. */
  public static final class Enqueue extends Op {
    final String vhost;
    final String queue;
    final long seq;
    final StoredMessage message;
    byte[] encodedProperties; // set by the writer thread

    public Enqueue(String vhost, String queue, long seq, StoredMessage message) {
      this.vhost = vhost;
      this.queue = queue;
      this.seq = seq;
      this.message = message;
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

  /** Operations written in one transaction ({@code MessageStore.unitOfWork}). */
  public static final class Unit extends Op {
    final List<Op> ops;
    private final long bytes;

    public Unit(List<Op> ops) {
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

  /** Tells the writer to finish and end. */
  public static final class Close extends Op {}
}
