package io.warrenmq.engine.internal;

import io.warrenmq.engine.StoredEntry;
import io.warrenmq.engine.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads the paged-out tail of one written {@link Queue} ({@link QueuePager}) back from the store:
 * the next page into the ready lists when the ready window has room, and the whole tail for
 * browsing.
 *
 * <p>Why a paging thread: a store read is blocking I/O (JDBC), while the queue's lock is on the
 * publish and deliver path. So the usual page-in ({@link #pageInByPager}) reads on the broker's
 * paging thread ({@link Durability#page}) without the lock, and applies the rows under it only if
 * nothing moved the tail meanwhile: a purge or delete bumps {@link QueuePager#epoch}, a locked
 * page-in bumps it too, and the cursor tells whether anything was taken. Only the rare callers that
 * need the tail's head at once ({@code basic.get} on an empty window, {@code drop-head} past the
 * window, start-up) read under the lock ({@link #pageInLocked}).
 *
 * <p>Concurrency: no state of its own; the pager is guarded by the queue's lock. Methods named
 * {@code *Locked} are called with the queue's lock held; {@link #pageInByPager} takes it itself
 * (twice, around the read) and {@link #browse} runs without it on a snapshot taken under it.
 */
final class QueuePageReader {
  private static final System.Logger LOG = System.getLogger(QueuePageReader.class.getName());

  /** What a browse reads, taken under the queue's lock: the tail's position and in-heap part. */
  record Snapshot(long after, List<QueueEntry> pending, List<QueueEntry> transients) {}

  private final Queue queue;
  private final QueuePager pager;

  QueuePageReader(Queue queue, QueuePager pager) {
    this.queue = queue;
    this.pager = pager;
  }

  /**
   * When the ready window has room for a page and no read is under way, marks a read as under way
   * and returns true: the caller then runs {@link #pageInByPager} on the paging thread once it
   * released the lock.
   */
  boolean startReadLocked() {
    if (pager.isPaging()
        && !pager.reading
        && !queue.isDeletedLocked()
        && queue.readyBytesLocked() < pager.windowBytes / 2 + 1) {
      pager.reading = true;
      return true;
    }
    return false;
  }

  /** The page-in on the paging thread: the store read runs without the queue's lock. */
  void pageInByPager() {
    int epoch;
    long after;
    long want;
    queue.lock();
    try {
      epoch = pager.epoch;
      after = pager.cursor;
      want = Math.max(1, pager.windowBytes - queue.readyBytesLocked());
    } finally {
      queue.unlock();
    }
    List<StoredEntry> rows;
    try {
      rows = readPage(after, want);
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "queue '"
              + queue.name()
              + "' in vhost '"
              + queue.virtualHost().name()
              + "': reading paged messages from the store failed; retrying in 1 s",
          e);
      queue.lock();
      try {
        pager.reading = false;
      } finally {
        queue.unlock();
      }
      BrokerTimer timer = queue.virtualHost().timer();
      if (timer != null) {
        timer.schedule(queue::dispatch, TimeUnit.SECONDS.toNanos(1));
      }
      return;
    }
    queue.lock();
    try {
      pager.reading = false;
      if (epoch == pager.epoch && after == pager.cursor && !queue.isDeletedLocked()) {
        applyPageLocked(rows, want);
        pager.trimLocked();
      }
    } finally {
      queue.unlockAndFlush();
    }
  }

  /**
   * Reads and applies the next page while holding the lock (blocking I/O under the lock): for the
   * rare callers that need the tail's head now ({@code basic.get} on an empty window, {@code
   * drop-head} past the window, start-up).
   */
  void pageInLocked() {
    pager.epoch++; // a read running on the paging thread is now stale
    long want = Math.max(1, pager.windowBytes - queue.readyBytesLocked());
    applyPageLocked(readPage(pager.cursor, want), want);
  }

  private List<StoredEntry> readPage(long after, long want) {
    ServerVirtualHost vhost = queue.virtualHost();
    return vhost
        .durability()
        .store()
        .readEntries(vhost.name(), queue.name(), after, QueuePager.MAX_PAGE_ENTRIES, want);
  }

  private void applyPageLocked(List<StoredEntry> rows, long want) {
    long rowBytes = 0;
    for (StoredEntry r : rows) {
      rowBytes += r.message().body().length;
    }
    boolean exhausted = rows.size() < QueuePager.MAX_PAGE_ENTRIES && rowBytes < want;
    queue.readyFromPageLocked(pager.take(rows, exhausted, want, this::fromStore));
  }

  /** A queue entry for an entry read from the store; called under the queue's lock or not. */
  QueueEntry fromStore(StoredEntry se) {
    QueueEntry e = entryOf(se);
    e.messageId = se.message().messageId();
    e.committed = true;
    e.deliveredStored = se.delivered();
    queue.stampDeadline(e, System.nanoTime());
    e.hold();
    return e;
  }

  /**
   * The part of a queue entry read from the store that a browse copy needs too: message, position
   * and delivery count. Neither held against the memory limit nor tied to the store.
   */
  private QueueEntry entryOf(StoredEntry se) {
    StoredMessage m = se.message();
    QueueEntry e =
        new QueueEntry(
            queue,
            m.exchange(),
            m.routingKey(),
            m.properties(),
            m.body(),
            queue.priorityOf(m.properties()));
    e.seq = se.seq();
    e.deliveryCount = se.delivered() ? 1 : 0;
    return e;
  }

  /**
   * For a purge of the paged-out tail: reads the entries recovered prepared XA branches hold in it
   * and hands them to their branches (as a page-in would), so that the purge leaves them in the
   * store. Blocking I/O under the lock, like {@link #pageInLocked}, and only while some branch
   * holds messages of this queue.
   *
   * @return the entries handed to a branch, in {@code seq} order
   */
  List<QueueEntry> keepHeldLocked() {
    XaResourceManager xa = queue.virtualHost().durability().xa();
    List<Long> ids = xa.heldMessageIdsLocked(queue);
    if (ids.isEmpty()) {
      return List.of();
    }
    ServerVirtualHost vhost = queue.virtualHost();
    List<QueueEntry> read = new ArrayList<>(ids.size());
    for (StoredEntry se :
        vhost.durability().store().readEntriesById(vhost.name(), queue.name(), ids)) {
      read.add(fromStore(se));
    }
    // an entry of a branch that completed meanwhile is ready (rolled back: purged with the rest)
    // or settled on sight (committed: its row goes anyway); neither is held any more
    for (QueueEntry e : xa.withholdLocked(queue, read)) {
      e.unhold();
    }
    List<QueueEntry> kept = new ArrayList<>(read.size());
    for (QueueEntry e : read) {
      if (e.isHeld()) {
        kept.add(e);
      }
    }
    kept.sort(java.util.Comparator.comparingLong(e -> e.seq));
    return kept;
  }

  // ---- browse ------------------------------------------------------------------------------

  /** The snapshot a browse reads the tail from, or null if the queue is not paging. */
  Snapshot snapshotLocked() {
    if (!pager.isPaging()) {
      return null;
    }
    return new Snapshot(pager.cursor, pager.pendingSnapshot(), pager.transientSnapshot());
  }

  /**
   * The paged-out tail as of {@code snapshot}, in arrival order: every stored entry after its
   * cursor merged with its in-heap entries. Runs without the queue's lock (it reads the whole tail
   * from the store) and leaves the queue's own tail untouched.
   */
  List<QueueEntry> browse(Snapshot snapshot) {
    QueuePager tail = new QueuePager(Long.MAX_VALUE);
    snapshot.pending().forEach(tail::addPending);
    snapshot.transients().forEach(tail::addTransient);
    List<StoredEntry> rows = new ArrayList<>();
    long from = snapshot.after();
    while (true) {
      List<StoredEntry> page = readPage(from, Long.MAX_VALUE);
      if (page.isEmpty()) {
        break;
      }
      rows.addAll(page);
      from = page.get(page.size() - 1).seq();
    }
    tail.addStored(rows.size(), 0);
    return tail.take(rows, true, Long.MAX_VALUE, this::entryOf);
  }
}
