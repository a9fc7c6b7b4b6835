package io.warrenmq.store.jdbc;

import java.util.Objects;

/**
 * The settings of an {@link HaLease}: shared-store high availability (README.md, "High
 * availability"). The standalone server reads them from {@code warrenmq.ha.node_name}, {@code
 * warrenmq.ha.lease_timeout}, {@code warrenmq.ha.renew_interval} and {@code
 * warrenmq.ha.store_outage_timeout}.
 *
 * @param nodeName this broker's name in the lease row ({@code owner}) and in the log; 1-255
 *     characters, not blank
 * @param leaseTimeoutMs how long a backup must watch an unchanged lease, by its own clock, before
 *     it takes over, ms; 500 - 3,600,000, default {@value #DEFAULT_LEASE_TIMEOUT_MS}. A liveness
 *     setting, not a safety one: every group commit is fenced by the epoch, so a short lease can
 *     cause a needless failover, never a write of two live nodes.
 * @param renewIntervalMs how often the live node renews the lease and a backup reads it, ms; at
 *     least 50 and less than half of {@code leaseTimeoutMs}, default {@value
 *     #DEFAULT_RENEW_INTERVAL_MS}
 * @param storeOutageTimeoutMs how long a live node that cannot reach the store to renew its lease
 *     keeps its clients (its publishers blocked by the store alarm) before it halts so that they
 *     fail over, ms; at least {@code leaseTimeoutMs}, at most 3,600,000, default {@value
 *     #DEFAULT_STORE_OUTAGE_TIMEOUT_MS} (ActiveMQ Artemis's JDBC lock expiration). A database
 *     restart shorter than this costs no failover: a backup starts watching the lease afresh when
 *     the database answers again and sees the live node renew. A renewal that finds a newer epoch
 *     halts the live node at once, whatever this says.
 */
public record HaLeaseConfig(
    String nodeName, long leaseTimeoutMs, long renewIntervalMs, long storeOutageTimeoutMs) {
  /** Default of {@link #leaseTimeoutMs()}: 3 s. */
  public static final long DEFAULT_LEASE_TIMEOUT_MS = 3_000;

  /** Default of {@link #renewIntervalMs()}: 1 s. */
  public static final long DEFAULT_RENEW_INTERVAL_MS = 1_000;

  /** Default of {@link #storeOutageTimeoutMs()}: 20 s (or the lease timeout, if longer). */
  public static final long DEFAULT_STORE_OUTAGE_TIMEOUT_MS = 20_000;

  /**
   * The settings with the default store outage timeout: {@value #DEFAULT_STORE_OUTAGE_TIMEOUT_MS}
   * ms, or {@code leaseTimeoutMs} if that is longer.
   */
  public HaLeaseConfig(String nodeName, long leaseTimeoutMs, long renewIntervalMs) {
    this(
        nodeName,
        leaseTimeoutMs,
        renewIntervalMs,
        Math.max(DEFAULT_STORE_OUTAGE_TIMEOUT_MS, leaseTimeoutMs));
  }

  /** The defaults, with this node name. */
  public static HaLeaseConfig of(String nodeName) {
    return new HaLeaseConfig(nodeName, DEFAULT_LEASE_TIMEOUT_MS, DEFAULT_RENEW_INTERVAL_MS);
  }

  /**
   * Checks every knob.
   *
   * @throws IllegalArgumentException naming the first wrong knob and what it accepts
   */
  public void validate() {
    Objects.requireNonNull(nodeName, "nodeName");
    if (nodeName.isBlank() || nodeName.length() > 255) {
      throw new IllegalArgumentException(
          "HA nodeName must be 1-255 characters, not blank, was '" + nodeName + "'");
    }
    if (leaseTimeoutMs < 500 || leaseTimeoutMs > 3_600_000) {
      throw new IllegalArgumentException(
          "HA leaseTimeoutMs must be between 500 and 3600000 ms, was " + leaseTimeoutMs);
    }
    if (renewIntervalMs < 50 || renewIntervalMs * 2 >= leaseTimeoutMs) {
      throw new IllegalArgumentException(
          "HA renewIntervalMs must be at least 50 ms and less than half of leaseTimeoutMs ("
              + leaseTimeoutMs
              + " ms), was "
              + renewIntervalMs);
    }
    if (storeOutageTimeoutMs < leaseTimeoutMs || storeOutageTimeoutMs > 3_600_000) {
      throw new IllegalArgumentException(
          "HA storeOutageTimeoutMs must be at least leaseTimeoutMs ("
              + leaseTimeoutMs
              + " ms) and at most 3600000 ms, was "
              + storeOutageTimeoutMs);
    }
  }
}
