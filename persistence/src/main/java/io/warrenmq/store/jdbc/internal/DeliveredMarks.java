package io.warrenmq.store.jdbc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivered marks ({@code MessageStore.markDelivered}) not written yet. Writing each mark as it
 * comes costs an {@code UPDATE} per delivered message (a quarter of the writer's time in a backlog
 * drain), almost always followed by the {@code DELETE} of its ack. So the writer keeps the marks of
 * entries still in the store here, forgets them when the entries go, and writes them only when more
 * than {@link #FLUSH_THRESHOLD} accumulate or when the store closes.
 *
 * <p>A kill loses the marks held here; that is why, after a run that did not close cleanly, every
 * entry stored at start-up counts as delivered ({@link StoreState}).
 *
 * <p>Memory: at most about {@link #FLUSH_THRESHOLD} keys (some 100 bytes each), whatever the
 * backlog: the entries delivered and neither acked nor written yet.
 *
 * <p>Concurrency: changed by the writer thread only; {@link #contains} may be called from any
 * thread ({@code readEntries}). A mark leaves only after the commit that wrote it, so a reader
 * always finds it here or in the database.
 */
final class DeliveredMarks {
  /** Marks held before they are written with the next commit. */
  static final int FLUSH_THRESHOLD = 10_000;

  private final Set<EntryKey> marks = ConcurrentHashMap.newKeySet();

  void add(EntryKey key) {
    marks.add(key);
  }

  /**
   * @return whether a mark was held for it
   */
  boolean remove(EntryKey key) {
    return !marks.isEmpty() && marks.remove(key);
  }

  /** Forgets the marks of a deleted queue. */
  void removeQueue(long queueId) {
    if (!marks.isEmpty()) {
      marks.removeIf(k -> k.queueId() == queueId);
    }
  }

  boolean contains(EntryKey key) {
    return !marks.isEmpty() && marks.contains(key);
  }

  /** The marks to write with this commit: all of them when closing or over the threshold. */
  List<EntryKey> toWrite(boolean closing) {
    if (marks.isEmpty() || (!closing && marks.size() <= FLUSH_THRESHOLD)) {
      return List.of();
    }
    return new ArrayList<>(marks);
  }

  /** After the commit that wrote them. */
  void written(List<EntryKey> keys) {
    if (!keys.isEmpty()) {
      keys.forEach(marks::remove);
    }
  }

  int size() {
    return marks.size();
  }
}
