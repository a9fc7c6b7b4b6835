package io.warrenmq.engine.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The unacked deliveries of one channel, ordered by delivery tag.
 *
 * <p>Tags are appended in increasing order, so the window is a sorted array searched by binary
 * search; an acked slot becomes a hole that is skipped, and the array is compacted when holes
 * outnumber live entries. This avoids a map node and a boxed {@code Long} per delivery.
 *
 * <p>Not thread-safe: guarded by the owning channel's lock.
 */
final class UnackedWindow {
  private long[] tags = new long[16];
  private QueueEntry[] entries = new QueueEntry[16];
  private int head;
  private int end;
  private int live;

  int size() {
    return live;
  }

  /** Calls {@code action} for each live entry, oldest first. */
  void forEach(java.util.function.Consumer<QueueEntry> action) {
    for (int i = head; i < end; i++) {
      if (entries[i] != null) {
        action.accept(entries[i]);
      }
    }
  }

  /** How many of the entries belong to {@code q} (management: Artemis' delivering count). */
  int countOf(Queue q) {
    int n = 0;
    for (int i = head; i < end; i++) {
      if (entries[i] != null && entries[i].queue == q) {
        n++;
      }
    }
    return n;
  }

  /** Appends an entry whose {@code deliveryTag} is greater than every tag in the window. */
  void add(QueueEntry e) {
    if (end == entries.length) {
      makeRoom();
    }
    tags[end] = e.deliveryTag;
    entries[end] = e;
    end++;
    live++;
  }

  private void makeRoom() {
    if (live * 2 < entries.length) {
      // many holes or a consumed prefix: compact in place
      compact(entries.length);
    } else {
      compact(Math.max(16, entries.length * 2));
    }
  }

  private void compact(int capacity) {
    long[] newTags = new long[capacity];
    QueueEntry[] newEntries = new QueueEntry[capacity];
    int j = 0;
    for (int i = head; i < end; i++) {
      if (entries[i] != null) {
        newTags[j] = tags[i];
        newEntries[j] = entries[i];
        j++;
      }
    }
    tags = newTags;
    entries = newEntries;
    head = 0;
    end = j;
  }

  private int indexOf(long tag) {
    int i = Arrays.binarySearch(tags, head, end, tag);
    return i >= 0 && entries[i] != null ? i : -1;
  }

  /** The entry with this tag, or null. */
  QueueEntry get(long tag) {
    int i = indexOf(tag);
    return i < 0 ? null : entries[i];
  }

  /** Removes and returns the entry with this tag, or null if it is not in the window. */
  QueueEntry remove(long tag) {
    int i = indexOf(tag);
    if (i < 0) {
      return null;
    }
    QueueEntry e = entries[i];
    entries[i] = null;
    live--;
    trimHead();
    return e;
  }

  /** Removes every entry with a tag up to and including {@code tag}, in tag order. */
  List<QueueEntry> removeUpTo(long tag) {
    List<QueueEntry> out = new ArrayList<>();
    for (int i = head; i < end && tags[i] <= tag; i++) {
      if (entries[i] != null) {
        out.add(entries[i]);
        entries[i] = null;
        live--;
      }
    }
    trimHead();
    return out;
  }

  /** The entries with a tag up to and including {@code tag}, in tag order, without removing. */
  List<QueueEntry> upTo(long tag) {
    List<QueueEntry> out = new ArrayList<>();
    for (int i = head; i < end && tags[i] <= tag; i++) {
      if (entries[i] != null) {
        out.add(entries[i]);
      }
    }
    return out;
  }

  /** Removes every entry, in tag order. */
  List<QueueEntry> removeAll() {
    return removeUpTo(Long.MAX_VALUE);
  }

  private void trimHead() {
    while (head < end && entries[head] == null) {
      head++;
    }
    if (head == end) {
      head = 0;
      end = 0;
    } else if (end - head > 64 && live * 4 < end - head) {
      compact(entries.length);
    }
  }
}
