package io.warrenmq.engine.internal;

import io.warrenmq.engine.StoredEntry;
import io.warrenmq.engine.StoredMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The store reads of one written {@link Queue}'s paged-out tail ({@link QueuePager}): a page of
 * entries after a position, the entries of given messages, and the whole tail for browsing; and the
 * queue entries made of the rows read.
 *
 * <p>Why a class of its own: a store read is blocking I/O (JDBC), while the queue's lock is on the
 * publish and deliver path, so the usual page-in reads on the broker's paging thread without the
 * lock. This class is that I/O and nothing else: it has no state, never takes the queue's lock and
 * touches none of the state the lock guards. When a read runs, what it reads from and what is done
 * with the rows are the queue's page-in protocol ({@code Queue}'s "Paging"), which runs under the
 * lock.
 *
 * <p>Concurrency: thread-safe (stateless); called with or without the queue's lock.
 */
final class QueuePageReader {
  private static final System.Logger LOG = System.getLogger(QueuePageReader.class.getName());

  /** What a browse reads, taken under the queue's lock: the tail's position and in-heap part. */
  record Snapshot(long after, List<QueueEntry> pending, List<QueueEntry> transients) {}

  private final Queue queue;

  QueuePageReader(Queue queue) {
    this.queue = queue;
  }

  /**
   * Reads the stored entries after {@code after}, in {@code seq} order: at most {@link
   * QueuePager#MAX_PAGE_ENTRIES}, and no more once {@code want} body bytes were read.
   *
   * @throws RuntimeException if the store fails
   */
  List<StoredEntry> readPage(long after, long want) {
    ServerVirtualHost vhost = queue.virtualHost();
    return vhost
        .durability()
        .store()
        .readEntries(vhost.name(), queue.name(), after, QueuePager.MAX_PAGE_ENTRIES, want);
  }

  /**
   * {@link #readPage} for the paging thread: a store failure is logged (the queue retries in 1 s)
   * and gives null.
   */
  List<StoredEntry> readPageOrLog(long after, long want) {
    try {
      return readPage(after, want);
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "queue '"
              + queue.name()
              + "' in vhost '"
              + queue.virtualHost().name()
              + "': reading paged messages from the store failed; retrying in 1 s",
          e);
      return null;
    }
  }

  /**
   * Reads the entries of the given messages from the tail (those that recovered prepared XA
   * branches hold), as queue entries held against the memory limit.
   */
  List<QueueEntry> readById(List<Long> ids) {
    ServerVirtualHost vhost = queue.virtualHost();
    List<QueueEntry> read = new ArrayList<>(ids.size());
    for (StoredEntry se :
        vhost.durability().store().readEntriesById(vhost.name(), queue.name(), ids)) {
      read.add(fromStore(se));
    }
    return read;
  }

  /** A queue entry for an entry read from the store, held against the memory limit. */
  QueueEntry fromStore(StoredEntry se) {
    QueueEntry e = entryOf(se);
    e.messageId = se.message().messageId();
    e.committed = true;
    e.deliveredStored = se.delivered();
    queue.stampDeadline(e, System.nanoTime());
    e.hold();
    queue.virtualHost().counters().pagedIn.increment();
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
