package io.warrenmq.jms;

import java.util.Arrays;

/**
 * The delivery tags a CLIENT_ACKNOWLEDGE or transacted session has handed to the application and
 * not yet acknowledged (or committed), in delivery order, as primitive longs: one per message,
 * which a {@code List<Long>} paid for with a boxed {@code Long}. (An AUTO/DUPS_OK session holds at
 * most one and keeps it in a field.)
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

  /** Removes one tag; false if it is not held (acknowledged, drained or never added). */
  synchronized boolean remove(long tag) {
    for (int i = 0; i < size; i++) {
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
