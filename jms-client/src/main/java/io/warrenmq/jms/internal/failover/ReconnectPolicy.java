package io.warrenmq.jms.internal.failover;

import io.warrenmq.client.Passwords;
import java.util.Map;

/**
 * When and how often a lost wire connection is opened again: bounded exponential back-off. Attempt
 * {@code n} (from 1) waits {@code min(reconnectDelay * 2^(n-1), maxReconnectDelay)} ms, then
 * connects to the next broker of the list (round robin, starting after the broker that was lost;
 * with one broker, that broker again). After {@code reconnectAttempts} failed attempts the
 * connection gives up and its {@code ExceptionListener} is told.
 *
 * <p>URL options (README.md "Standalone JMS and JNDI"): {@code reconnectAttempts} (default 20 for a
 * list of brokers, 0 for one broker: no reconnection, a lost connection is reported at once; {@code
 * -1} for forever), {@code reconnectDelay} (ms, default 100, at least 0), {@code maxReconnectDelay}
 * (ms, default 5000, at least {@code reconnectDelay}). With the defaults a list gives up after
 * about 76 s of waits (100, 200, ... 3200, then 14 times 5000 ms), plus the time the attempts
 * themselves take (each at most the URL's {@code connectTimeout}).
 *
 * <p>Thread-safety: immutable.
 *
 * @param attempts connection attempts after a loss before giving up; -1 for no limit, 0 for none
 * @param delayMs the wait before the first attempt, ms
 * @param maxDelayMs the longest wait between attempts, ms
 */
public record ReconnectPolicy(int attempts, long delayMs, long maxDelayMs) {

  /** {@link #attempts} that never gives up. */
  public static final int FOREVER = -1;

  /** Default {@code reconnectAttempts} of a URL that lists several brokers. */
  public static final int DEFAULT_ATTEMPTS = 20;

  /** Default {@code reconnectDelay}, ms. */
  public static final long DEFAULT_DELAY_MS = 100;

  /** Default {@code maxReconnectDelay}, ms. */
  public static final long DEFAULT_MAX_DELAY_MS = 5_000;

  /**
   * @throws IllegalArgumentException if attempts is below -1, a delay negative, or maxDelayMs below
   *     delayMs
   */
  public ReconnectPolicy {
    if (attempts < FOREVER || delayMs < 0 || maxDelayMs < delayMs) {
      throw new IllegalArgumentException(
          "reconnect policy: attempts >= -1, 0 <= delay <= maxDelay; was "
              + attempts
              + ", "
              + delayMs
              + ", "
              + maxDelayMs);
    }
  }

  /**
   * The policy of a wire URL's options.
   *
   * @param options the URL's decoded options
   * @param brokers how many brokers the URL lists (the default of {@code reconnectAttempts})
   * @param url the URL, for error messages (its password is masked)
   * @throws IllegalArgumentException naming the option that is not a whole number in its range
   */
  public static ReconnectPolicy of(Map<String, String> options, int brokers, String url) {
    int attempts =
        (int)
            number(options, "reconnectAttempts", brokers > 1 ? DEFAULT_ATTEMPTS : 0, FOREVER, url);
    long delay = number(options, "reconnectDelay", DEFAULT_DELAY_MS, 0, url);
    long max = number(options, "maxReconnectDelay", Math.max(delay, DEFAULT_MAX_DELAY_MS), 0, url);
    if (max < delay) {
      throw new IllegalArgumentException(
          "connection URL '"
              + Passwords.mask(url)
              + "': option maxReconnectDelay ("
              + max
              + ") must be >= reconnectDelay ("
              + delay
              + ")");
    }
    return new ReconnectPolicy(attempts, delay, max);
  }

  /** Whether a lost connection is opened again at all. */
  public boolean enabled() {
    return attempts != 0;
  }

  /** Whether attempt {@code n} (from 1) may be made. */
  public boolean allows(int n) {
    return attempts == FOREVER || n <= attempts;
  }

  /** The wait before attempt {@code n} (from 1), ms. */
  public long delayBefore(int n) {
    long d = delayMs;
    for (int i = 1; i < n && d < maxDelayMs; i++) {
      d = d == 0 ? 0 : d * 2;
    }
    return Math.min(d, maxDelayMs);
  }

  private static long number(
      Map<String, String> options, String key, long defaultValue, long min, String url) {
    String v = options.get(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= min && n <= Integer.MAX_VALUE) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "connection URL '"
            + Passwords.mask(url)
            + "': option "
            + key
            + " must be a whole number >= "
            + min
            + ", was '"
            + v
            + "'");
  }
}
