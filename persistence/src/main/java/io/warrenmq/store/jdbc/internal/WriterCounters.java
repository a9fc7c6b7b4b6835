package io.warrenmq.store.jdbc.internal;

import io.warrenmq.store.jdbc.StoreStatistics;
import java.util.ArrayList;
import java.util.List;

/**
 * The group-commit writer's counters ({@link StoreStatistics}). Updated by the writer thread a few
 * times per batch; read by any thread. One lock, held for a few additions: a snapshot is
 * consistent, and the cost per batch is one uncontended lock next to a commit of milliseconds.
 */
final class WriterCounters {
  private long commits;
  private long syncs;
  private long syncNanos;
  private long batches;
  private long operations;
  private long maxBatchOperations;
  private final java.util.concurrent.atomic.LongAdder batchNanos =
      new java.util.concurrent.atomic.LongAdder();
  private final long[] sizes = new long[StoreStatistics.SIZE_CLASSES];

  synchronized void committed() {
    commits++;
  }

  synchronized void synced(long nanos) {
    syncs++;
    syncNanos += nanos;
  }

  /** A batch of {@code ops} operations was written. */
  synchronized void batch(int ops) {
    batches++;
    operations += ops;
    maxBatchOperations = Math.max(maxBatchOperations, ops);
    int sizeClass = 31 - Integer.numberOfLeadingZeros(Math.max(ops, 1));
    sizes[Math.min(sizeClass, sizes.length - 1)]++;
  }

  /** One pass of the writer took {@code nanos}, whether or not it wrote anything. */
  void wrote(long nanos) {
    batchNanos.add(nanos);
  }

  long batchNanos() {
    return batchNanos.sum();
  }

  synchronized long commits() {
    return commits;
  }

  synchronized StoreStatistics snapshot() {
    List<Long> s = new ArrayList<>(sizes.length);
    for (long n : sizes) {
      s.add(n);
    }
    return new StoreStatistics(
        commits, syncs, syncNanos, batches, operations, maxBatchOperations, s);
  }
}
