package io.warrenmq.engine.internal;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The ready messages of one priority level of a queue: a FIFO of new arrivals plus a heap of
 * requeued entries ordered by arrival.
 *
 * <p>Why two structures: every requeued entry was at the head when it was taken, so it is older
 * than every entry still in the FIFO; keeping requeued entries in a heap by arrival order and
 * serving the heap first therefore puts them back "at the head, in original order" whatever order
 * the client acks in, without an O(n) insert into the FIFO.
 *
 * <p>Not thread-safe: guarded by the owning {@link Queue}'s lock.
 */
final class ReadyList {
  private static final Comparator<QueueEntry> BY_SEQ = Comparator.comparingLong(e -> e.seq);

  private final ArrayDeque<QueueEntry> fifo = new ArrayDeque<>();
  private PriorityQueue<QueueEntry> requeued;

  void add(QueueEntry e) {
    fifo.addLast(e);
  }

  void addRequeued(QueueEntry e) {
    if (requeued == null) {
      requeued = new PriorityQueue<>(BY_SEQ);
    }
    requeued.add(e);
  }

  /**
   * Puts back an entry taken from the head and never seen by a consumer, where {@link #poll} finds
   * it next: callers return a run of such entries newest first. When no requeued entry waits and
   * the entry is older than the FIFO's head, it goes to the FIFO's front in O(1), the place the
   * heap would serve it from (requeued entries first, by arrival, then the FIFO); otherwise into
   * the heap as {@link #addRequeued}. A consumer whose transport keeps pausing and resuming returns
   * its unseen deliveries this way many times a second, and the heap's O(log n) per entry, in and
   * out, was a tenth of the broker's time in a topic benchmark.
   */
  void addUnseen(QueueEntry e) {
    QueueEntry head = fifo.peekFirst();
    if ((requeued == null || requeued.isEmpty()) && (head == null || e.seq < head.seq)) {
      fifo.addFirst(e);
    } else {
      addRequeued(e);
    }
  }

  QueueEntry peek() {
    if (requeued != null && !requeued.isEmpty()) {
      return requeued.peek();
    }
    return fifo.peekFirst();
  }

  QueueEntry poll() {
    if (requeued != null && !requeued.isEmpty()) {
      return requeued.poll();
    }
    return fifo.pollFirst();
  }

  boolean isEmpty() {
    return fifo.isEmpty() && (requeued == null || requeued.isEmpty());
  }

  /**
   * A snapshot of the entries in delivery order (requeued ones first, by arrival), for consumers
   * with selectors that may take an entry from the middle. O(n log n) in the requeued entries.
   */
  java.util.List<QueueEntry> inDeliveryOrder() {
    java.util.List<QueueEntry> out = new java.util.ArrayList<>(size());
    if (requeued != null && !requeued.isEmpty()) {
      QueueEntry[] r = requeued.toArray(new QueueEntry[0]);
      java.util.Arrays.sort(r, BY_SEQ);
      java.util.Collections.addAll(out, r);
    }
    out.addAll(fifo);
    return out;
  }

  /** Removes one entry taken out of order (identity). */
  void remove(QueueEntry e) {
    if (requeued != null && requeued.remove(e)) {
      return;
    }
    fifo.removeFirstOccurrence(e);
  }

  int size() {
    return fifo.size() + (requeued == null ? 0 : requeued.size());
  }

  /** Calls the action for every entry, in no particular order. */
  void forEach(java.util.function.Consumer<QueueEntry> action) {
    fifo.forEach(action);
    if (requeued != null) {
      requeued.forEach(action);
    }
  }

  void clear() {
    fifo.clear();
    requeued = null;
  }
}
