package io.warrenmq.store.jdbc.internal;

import io.warrenmq.store.jdbc.StoreFencedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The fencing of a live node's writes by its lease epoch (shared-store HA, README.md "High
 * availability"): called first in each write transaction of the store (group commit, topology, open
 * and close), it reads the lease row {@code FOR SHARE} and throws {@link StoreFencedException} when
 * the epoch is not this node's.
 *
 * <p>Why it is enough: the row lock is held to the end of the transaction, and a backup takes over
 * with an {@code UPDATE} of that row, which waits for the lock. So a transaction that passed the
 * check commits before the takeover, and one that starts after it reads the new epoch (PostgreSQL
 * READ COMMITTED re-reads a row it waited for): no write of an old live node lands after a
 * takeover, whatever its clock or its pauses.
 *
 * <p>Cost: one primary-key read of a one-row table per transaction, a prepared statement (the
 * driver keeps it prepared on the connection), plus the row lock (docs/performance.md).
 *
 * <p>Thread-safety: thread-safe; {@code onFenced} is called once, on the first refusal.
 */
public final class EpochFence {
  static final String SQL = "SELECT epoch, owner FROM warren_ha_lease WHERE id = 1 FOR SHARE";

  private final long epoch;
  private final Consumer<StoreFencedException> onFenced;
  private final AtomicBoolean reported = new AtomicBoolean();

  /**
   * @param epoch the epoch this node acquired
   * @param onFenced told of the first refusal (e.g. halts the process); must not block long
   */
  public EpochFence(long epoch, Consumer<StoreFencedException> onFenced) {
    this.epoch = epoch;
    this.onFenced = Objects.requireNonNull(onFenced, "onFenced");
  }

  /** The epoch this node writes with. */
  public long epoch() {
    return epoch;
  }

  /**
   * Checks the epoch inside the caller's transaction ({@code c} not in auto-commit), which then
   * holds the lease row's share lock until it ends.
   *
   * @throws StoreFencedException if the store's epoch is not this node's; the caller rolls back
   * @throws SQLException if the database fails
   */
  public void check(Connection c) throws SQLException {
    long found;
    String owner;
    try (PreparedStatement p = c.prepareStatement(SQL);
        ResultSet rs = p.executeQuery()) {
      found = rs.next() ? rs.getLong(1) : 0;
      owner = found == 0 ? "" : rs.getString(2);
    }
    if (found != epoch) {
      StoreFencedException e = new StoreFencedException(epoch, found, owner);
      if (reported.compareAndSet(false, true)) {
        onFenced.accept(e);
      }
      throw e;
    }
  }
}
