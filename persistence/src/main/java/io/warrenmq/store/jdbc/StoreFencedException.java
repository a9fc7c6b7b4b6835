package io.warrenmq.store.jdbc;

/**
 * A write of a broker that is no longer the live node of a shared store: its lease epoch was taken
 * over (README.md, "High availability"). The transaction was rolled back: nothing of it is stored,
 * and every caller of its group commit got this exception, so nothing was confirmed.
 *
 * <p>The broker must stop at once: every later write fails the same way.
 */
public final class StoreFencedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final long epoch;
  private final long currentEpoch;
  private final String currentOwner;

  /**
   * @param epoch the epoch this broker holds
   * @param currentEpoch the epoch in the store, 0 if the lease row is gone
   * @param currentOwner the node that holds it, "" if released or unknown
   */
  public StoreFencedException(long epoch, long currentEpoch, String currentOwner) {
    super(
        "fenced: this node holds lease epoch "
            + epoch
            + " but the store is at epoch "
            + currentEpoch
            + (currentOwner == null || currentOwner.isEmpty()
                ? ""
                : " (owner '" + currentOwner + "')")
            + "; the write was rolled back");
    this.epoch = epoch;
    this.currentEpoch = currentEpoch;
    this.currentOwner = currentOwner == null ? "" : currentOwner;
  }

  /** The epoch this broker holds. */
  public long epoch() {
    return epoch;
  }

  /** The epoch in the store (newer), 0 if the lease row is gone. */
  public long currentEpoch() {
    return currentEpoch;
  }

  /** The node that holds the store's epoch, "" if unknown. */
  public String currentOwner() {
    return currentOwner;
  }
}
