package io.warrenmq.bench.mdb;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link BenchMdb} received since the last {@link #reset}: messages and body bytes. One
 * counter per deployment (the EAR's class loader). Thread-safe.
 */
public final class Received {
  private static final AtomicLong MESSAGES = new AtomicLong();
  private static final AtomicLong BYTES = new AtomicLong();

  private Received() {}

  static void add(int bodyBytes) {
    BYTES.addAndGet(bodyBytes);
    MESSAGES.incrementAndGet();
  }

  /** Messages received since the last reset. */
  public static long messages() {
    return MESSAGES.get();
  }

  /** Body bytes received since the last reset. */
  public static long bytes() {
    return BYTES.get();
  }

  /** Sets both counters to 0. */
  public static void reset() {
    MESSAGES.set(0);
    BYTES.set(0);
  }
}
