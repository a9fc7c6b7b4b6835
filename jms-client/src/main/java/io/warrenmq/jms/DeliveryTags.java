package io.warrenmq.jms;

import java.util.Arrays;

/**
 * The delivery tags a session has handed to the application and not yet acknowledged (or
 * committed), in delivery order, as primitive longs: an AUTO_ACKNOWLEDGE listener adds and removes
 * one per message, which a {@code List<Long>} paid for with two boxed {@code Long}s.
 *
 * <p>Thread-safety: every method is synchronized (the session's thread adds; {@code close} and a
 * listener's thread may drain).
 */
final class DeliveryTags {
  private long[] tags = new long[16];
  private int size;

  synchronized void add(long tag) {
    if (size == tags.length) {
      tags = Arrays.copyOf(tags, size * 2);
    }
    tags[size++] = tag;
  }

  /**
   * Removes {@code tag}, searching from the newest (the one just added, for a listener or {@code
   * receive} in AUTO_ACKNOWLEDGE mode).
   *
   * @return whether it was there
   */
  synchronized boolean remove(long tag) {
    for (int i = size - 1; i >= 0; i--) {
      if (tags[i] == tag) {
        System.arraycopy(tags, i + 1, tags, i, size - i - 1);
        size--;
        return true;
      }
    }
    return false;
  }

  /** Removes and returns every tag, oldest first. */
  synchronized long[] drain() {
    long[] out = Arrays.copyOf(tags, size);
    size = 0;
    if (tags.length > 1024) {
      tags = new long[16]; // a large CLIENT_ACKNOWLEDGE batch does not stay allocated
    }
    return out;
  }
}
