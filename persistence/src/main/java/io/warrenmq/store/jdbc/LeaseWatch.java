package io.warrenmq.store.jdbc;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A backup's judgement of the live node's lease (README.md, "High availability"): it feeds every
 * {@link HaLease#read} into {@link #seen} (or a failed one into {@link #failed}) and takes over
 * only when {@link #expired} says so.
 *
 * <p>The rule: the lease is expired when this backup saw the same {@code (epoch, renew_count)}
 * pair, in an unbroken series of successful reads, for at least the lease timeout of its own
 * monotonic clock ({@link System#nanoTime}), counted conservatively from the answer of the first
 * read that saw it to the sending of the latest. A failed read, or two reads further apart than
 * half the lease timeout (the backup itself stalled), starts the observation again. So a live node
 * that renews again after a database outage shorter than the lease timeout is never deposed by a
 * backup that merely lost sight of the database, and no clocks of two hosts are compared. A
 * released lease (clean stop of the live node) and a missing row (no HA broker ever ran) are
 * expired at once.
 *
 * <p>Thread-safety: not thread-safe; one backup thread feeds it.
 */
public final class LeaseWatch {
  private final long leaseTimeoutNanos;
  private final long maxGapNanos;
  private Optional<HaLease.State> last = Optional.empty();
  private boolean seenAny;
  private long firstReceived; // nanoTime: the answer of the first read of the pair
  private long lastSent; // nanoTime: the sending of the latest read of the pair
  private long lastReceived;
  private long changedAt; // nanoTime: when the pair was seen to change (for the lease age)
  private boolean changedKnown;

  /** A watch with {@code config}'s lease timeout. */
  public LeaseWatch(HaLeaseConfig config) {
    Objects.requireNonNull(config, "config");
    this.leaseTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.leaseTimeoutMs());
    this.maxGapNanos = leaseTimeoutNanos / 2;
  }

  /**
   * A successful read.
   *
   * @param state what it returned
   * @param sentNanos {@link System#nanoTime} just before the read was sent
   * @param receivedNanos {@link System#nanoTime} just after its answer arrived
   */
  public void seen(Optional<HaLease.State> state, long sentNanos, long receivedNanos) {
    Objects.requireNonNull(state, "state");
    boolean same = seenAny && samePair(last, state) && sentNanos - lastReceived <= maxGapNanos;
    if (!changedKnown || !samePair(last, state)) {
      changedAt = receivedNanos;
      changedKnown = true;
    }
    if (!same) {
      firstReceived = receivedNanos;
    }
    seenAny = true;
    last = state;
    lastSent = sentNanos;
    lastReceived = receivedNanos;
  }

  /** A failed read (the database could not be reached): the observation starts again. */
  public void failed() {
    seenAny = false;
  }

  /** Whether this backup may take over the lease it saw last ({@link #last()}). */
  public boolean expired() {
    if (!seenAny) {
      return false;
    }
    if (last.isEmpty() || last.get().released()) {
      return true;
    }
    return lastSent - firstReceived >= leaseTimeoutNanos;
  }

  /** What the latest successful read returned (empty: no lease row, or nothing read yet). */
  public Optional<HaLease.State> last() {
    return last;
  }

  /**
   * Milliseconds since the watched pair last changed, as this backup saw it (its own clock); 0 if
   * nothing was read yet.
   */
  public long leaseAgeMs(long nowNanos) {
    return !changedKnown ? 0 : TimeUnit.NANOSECONDS.toMillis(nowNanos - changedAt);
  }

  private static boolean samePair(Optional<HaLease.State> a, Optional<HaLease.State> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() && b.isEmpty();
    }
    return a.get().epoch() == b.get().epoch()
        && a.get().renewCount() == b.get().renewCount()
        && a.get().owner().equals(b.get().owner());
  }
}
