package io.warrenmq.engine.internal;

import io.warrenmq.engine.StoredEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * The paged-out tail of one written queue (DESIGN.md "Memory"; RabbitMQ's lazy queues, Artemis'
 * paging): the part of the queue that is not in its ready lists.
 *
 * <p>Once a persistent message would take the queue's ready bodies beyond the window ({@link
 * Durability#queueWindowBytes()}), the queue pages: every later message joins this tail, in arrival
 * order, until the tail is empty again. The tail is the union of
 *
 * <ul>
 *   <li>stored entries (persistent messages whose store write committed): only in the store, read
 *       back with {@link io.warrenmq.engine.MessageStore#readEntries} by {@code seq};
 *   <li>{@link #pending} entries: persistent, in heap until their store write commits (then {@link
 *       #trimCommitted} drops them from heap: they are stored entries from then on);
 *   <li>{@link #transients}: non-persistent messages that arrived while paging. The store never
 *       holds them (the rule: non-persistent messages are never written), so they stay in
 *       heap, in order.
 * </ul>
 *
 * A page-in ({@link #take}) merges the three by {@code seq}.
 *
 * <p>This class is the tail as a sequence: what it holds and how it merges. When the queue pages,
 * when it reads, and when it may trim are the queue's rules ({@code Queue}'s "Paging"); the same
 * class also serves a browse, as a private copy merged outside the lock.
 *
 * <p>Not thread-safe: the queue's tail is guarded by the owning queue's lock; only the store read
 * itself runs without it (on the broker's paging thread, see {@link QueuePageReader}).
 */
final class QueuePager {
  /** Most entries one page-in reads. */
  static final int MAX_PAGE_ENTRIES = 4096;

  final long windowBytes;

  /** Entries and body bytes in the tail (stored, pending and transient). */
  long count;

  long bytes;

  /** The highest {@code seq} taken out of the tail: reads ask for entries above it. */
  long cursor = Long.MIN_VALUE;

  /**
   * Bumped when entries leave the tail other than by the read in flight ({@link #dropAll}, a
   * page-in under the queue's lock): a read started before is discarded.
   */
  int epoch;

  private final ArrayDeque<QueueEntry> pending = new ArrayDeque<>();
  private final ArrayDeque<QueueEntry> transients = new ArrayDeque<>();

  QueuePager(long windowBytes) {
    this.windowBytes = windowBytes;
  }

  boolean isPaging() {
    return count > 0;
  }

  /** Appends a persistent entry whose store write was issued (it is in heap until committed). */
  void addPending(QueueEntry e) {
    startAt(e);
    pending.addLast(e);
    count++;
    bytes += e.body.length;
  }

  /** Appends a non-persistent entry (kept in heap: the store never holds it). */
  void addTransient(QueueEntry e) {
    startAt(e);
    transients.addLast(e);
    count++;
    bytes += e.body.length;
  }

  /** The tail starts (again): everything before {@code e} is in the ready lists or gone. */
  private void startAt(QueueEntry e) {
    if (count == 0) {
      cursor = e.seq - 1;
    }
  }

  /** Entries stored by a previous run (recovery): the whole tail is in the store. */
  void addStored(long entries, long bodyBytes) {
    count += entries;
    bytes += bodyBytes;
  }

  /**
   * Drops the committed pending entries at the head from heap (their rows are in the store). Not
   * while a read runs: an entry whose write commits after the read started is not in the rows read,
   * and must still be found in {@link #pending}.
   *
   * @return how many entries were dropped from heap (paged out)
   */
  int trimCommitted() {
    int dropped = 0;
    QueueEntry head;
    while ((head = pending.peekFirst()) != null && head.committed) {
      pending.pollFirst();
      head.unhold();
      dropped++;
    }
    return dropped;
  }

  /**
   * Takes the next entries of the tail, in {@code seq} order: {@code rows} (read from the store
   * after {@link #cursor}) merged with the pending and transient entries, up to {@code wantBytes}.
   *
   * @param exhausted whether {@code rows} are all the store had after the cursor (otherwise nothing
   *     beyond the last row can be taken: the store may hold entries before the next in-heap one)
   * @param fromStore makes a queue entry of a stored row
   * @return the entries taken, in order
   */
  List<QueueEntry> take(
      List<StoredEntry> rows,
      boolean exhausted,
      long wantBytes,
      Function<StoredEntry, QueueEntry> fromStore) {
    List<QueueEntry> out = new ArrayList<>();
    Iterator<StoredEntry> it = rows.iterator();
    StoredEntry row = it.hasNext() ? it.next() : null;
    long taken = 0;
    while (taken < wantBytes && count > 0) {
      QueueEntry p = pending.peekFirst();
      QueueEntry t = transients.peekFirst();
      long rowSeq = row != null ? row.seq() : Long.MAX_VALUE;
      if (row == null && !exhausted) {
        break;
      }
      long pSeq = p != null ? p.seq : Long.MAX_VALUE;
      long tSeq = t != null ? t.seq : Long.MAX_VALUE;
      QueueEntry next;
      if (tSeq < rowSeq && tSeq < pSeq) {
        next = transients.pollFirst();
      } else if (pSeq <= rowSeq && p != null) {
        next = pending.pollFirst(); // the in-heap copy of the row, if the row is the same entry
        if (pSeq == rowSeq) {
          row = it.hasNext() ? it.next() : null;
        }
      } else if (row != null) {
        next = fromStore.apply(row);
        row = it.hasNext() ? it.next() : null;
      } else {
        break;
      }
      out.add(next);
      count--;
      bytes -= next.body.length;
      taken += next.body.length;
      cursor = Math.max(cursor, next.seq);
    }
    if (count <= 0 && pending.isEmpty() && transients.isEmpty()) {
      count = 0;
      bytes = 0;
    }
    return out;
  }

  /**
   * Drops the whole tail (purge, delete): transients and pending entries leave the heap; the caller
   * removes the stored part from the store. Invalidates a running read.
   *
   * @param nextSeq the queue's next seq: later reads start there
   * @return the number of entries dropped
   */
  long dropAll(long nextSeq) {
    long n = count;
    for (QueueEntry e : transients) {
      e.settled();
    }
    for (QueueEntry e : pending) {
      e.unhold(); // stored (or being stored): removed by the caller's dequeueAfter
    }
    transients.clear();
    pending.clear();
    count = 0;
    bytes = 0;
    epoch++;
    cursor = Math.max(cursor, nextSeq - 1);
    return n;
  }

  /**
   * Takes one in-heap (pending or transient) entry out of the tail, for a management removal or
   * move; the caller settles it or places it elsewhere.
   */
  void removeInHeap(QueueEntry e) {
    if (pending.removeFirstOccurrence(e) || transients.removeFirstOccurrence(e)) {
      removed(e.body.length);
    }
  }

  /**
   * Accounts for a stored entry taken out of the tail other than by a page-in (a management removal
   * or move); the caller removes its row from the store.
   */
  void removeStored(long bodyBytes) {
    removed(bodyBytes);
  }

  private void removed(long bodyBytes) {
    count--;
    bytes -= bodyBytes;
    if (count <= 0 && pending.isEmpty() && transients.isEmpty()) {
      count = 0;
      bytes = 0;
    }
  }

  /**
   * Puts entries taken out of the tail (and not placed elsewhere) back into it at their place by
   * {@code seq}: written ones as pending (their rows are still in the store; being committed they
   * are trimmed from heap again), the others as transients.
   */
  void restore(List<QueueEntry> entries) {
    List<QueueEntry> p = new ArrayList<>(pending);
    List<QueueEntry> t = new ArrayList<>(transients);
    for (QueueEntry e : entries) {
      (e.messageId != 0 ? p : t).add(e);
      count++;
      bytes += e.body.length;
    }
    Comparator<QueueEntry> bySeq = Comparator.comparingLong(e -> e.seq);
    p.sort(bySeq);
    t.sort(bySeq);
    pending.clear();
    pending.addAll(p);
    transients.clear();
    transients.addAll(t);
  }

  /** Snapshots of the in-heap tail entries, in order, for browsing. */
  List<QueueEntry> pendingSnapshot() {
    return new ArrayList<>(pending);
  }

  List<QueueEntry> transientSnapshot() {
    return new ArrayList<>(transients);
  }
}
