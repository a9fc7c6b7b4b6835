package io.warrenmq.store.jdbc;

import java.util.List;

/**
 * What the group-commit writer of a {@link JdbcMessageStore} has done since the store was opened,
 * so that batch sizes and the cost of making commits durable can be measured and exported as
 * metrics ({@link JdbcMessageStore#statistics()}).
 *
 * <p>A <em>batch</em> is one pass of the writer: every operation queued since its previous pass (up
 * to the batch limits of {@link JdbcStoreConfig}), written in one transaction (plus one for
 * topology changes, if any) and, when the durability asks for it, made durable by one
 * <em>sync</em>. An <em>operation</em> is one write the store was asked for: an enqueue, a dequeue,
 * a delivered mark, a prepared or forgotten XA branch, a topology change; a unit of work counts its
 * operations.
 *
 * <p>A sync is: on H2, one {@code CHECKPOINT SYNC} (the MVStore's pending chunk written, then one
 * {@code fsync} of the database file); on PostgreSQL, a commit made with {@code synchronous_commit
 * = on} (the server flushes its WAL to disk before the commit returns).
 *
 * <p>Immutable; a snapshot taken at once under the writer's counter lock (its numbers agree with
 * each other).
 *
 * @param commits transactions committed (topology and messages)
 * @param syncs syncs done (see above); with group commit far fewer than the operations under load
 * @param syncNanos total wall-clock time spent in syncs, ns (on PostgreSQL the whole synchronous
 *     commit call, round trip included)
 * @param batches batches written (passes of the writer that wrote something)
 * @param operations operations written in those batches
 * @param maxBatchOperations the most operations one batch held
 * @param batchSizeCounts how many batches held 1, 2-3, 4-7, ..., [2<sup>i</sup>, 2<sup>i+1</sup>)
 *     operations: element {@code i} counts the batches of that size class; {@value #SIZE_CLASSES}
 *     elements, the last one also counting anything larger
 */
public record StoreStatistics(
    long commits,
    long syncs,
    long syncNanos,
    long batches,
    long operations,
    long maxBatchOperations,
    List<Long> batchSizeCounts) {

  /** Number of size classes in {@link #batchSizeCounts()}. */
  public static final int SIZE_CLASSES = 18;

  /** Copies the list. */
  public StoreStatistics {
    batchSizeCounts = List.copyOf(batchSizeCounts);
  }

  /** Mean operations per batch; 0 before the first batch. */
  public double meanBatchOperations() {
    return batches == 0 ? 0 : (double) operations / batches;
  }

  /** Mean time of one sync, ns; 0 before the first sync. */
  public double meanSyncNanos() {
    return syncs == 0 ? 0 : (double) syncNanos / syncs;
  }

  /**
   * The counts since an earlier snapshot of the same store ({@code maxBatchOperations} stays this
   * snapshot's, the most since the store opened).
   */
  public StoreStatistics since(StoreStatistics earlier) {
    Long[] sizes = new Long[SIZE_CLASSES];
    for (int i = 0; i < SIZE_CLASSES; i++) {
      sizes[i] = batchSizeCounts.get(i) - earlier.batchSizeCounts.get(i);
    }
    return new StoreStatistics(
        commits - earlier.commits,
        syncs - earlier.syncs,
        syncNanos - earlier.syncNanos,
        batches - earlier.batches,
        operations - earlier.operations,
        maxBatchOperations,
        List.of(sizes));
  }
}
