package io.warrenmq.management.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code *_details.rate} of a cumulative count (per second), as RabbitMQ's {@code rates_mode
 * basic}: the change since a sample at least {@link #MIN_INTERVAL_NANOS} old, divided by the time
 * between. The first request for a count gives 0.0. Why samples per key in a map: counts live in
 * the engine as plain totals; the API keeps the last sample of what it was asked about.
 *
 * <p>Concurrency: thread-safe.
 */
final class Rates {
  private static final long MIN_INTERVAL_NANOS = 5_000_000_000L;
  private static final int MAX_KEYS = 100_000;

  private record Sample(long at, long value, double rate) {}

  private final ConcurrentHashMap<String, Sample> samples = new ConcurrentHashMap<>();

  double rate(String key, long value) {
    long now = System.nanoTime();
    Sample s = samples.get(key);
    if (s == null) {
      if (samples.size() > MAX_KEYS) {
        samples.clear(); // bounded: deleted objects' keys would otherwise pile up
      }
      samples.put(key, new Sample(now, value, 0.0));
      return 0.0;
    }
    long elapsed = now - s.at;
    if (elapsed < MIN_INTERVAL_NANOS) {
      return s.rate;
    }
    double rate = Math.max(0, value - s.value) * 1e9 / elapsed;
    samples.put(key, new Sample(now, value, rate));
    return rate;
  }
}
