package io.warrenmq.store.jdbc.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The net writes of one group commit, computed from its operations in order, with state that lives
 * for this batch only (so the writer holds nothing per stored entry between commits):
 *
 * <ul>
 *   <li>An entry enqueued and dequeued in the same batch is never written (as RabbitMQ's message
 *       store does); one marked delivered before its insert is inserted as delivered.
 *   <li>A message held by one queue is one {@code warren_message} row carrying its queue and
 *       position ({@code queue_id}, {@code seq}, {@code delivered}): one insert when published, one
 *       delete when acked.
 *   <li>A message enqueued to several queues in one unit of work ({@code shared}) is one message
 *       row without a queue plus one {@code warren_queue_entry} row per queue; its row goes, in the
 *       database, with its last entry ({@link MessageTables}).
 *   <li>A dequeue of an entry written by an earlier batch becomes a delete of that row ({@link
 *       #deletes}); whether it is a message row or an entry row is settled by the database.
 *   <li>Range removals (a deleted queue, {@code dequeueAfter}) drop this batch's inserts they cover
 *       and are executed before the batch's other writes.
 * </ul>
 *
 * <p>Not thread-safe: confined to the writer thread.
 */
final class BatchPlan {
  /**
   * A range removal: the entries of a queue with {@code seq} above {@code afterSeq} and below
   * {@code beforeSeq}; {@code Long.MIN_VALUE} and {@code Long.MAX_VALUE}: all of them.
   */
  record Range(long queueId, long afterSeq, long beforeSeq) {
    boolean wholeQueue() {
      return afterSeq == Long.MIN_VALUE && beforeSeq == Long.MAX_VALUE;
    }

    boolean bounded() {
      return beforeSeq != Long.MAX_VALUE;
    }

    boolean covers(long seq) {
      return seq > afterSeq && seq < beforeSeq;
    }
  }

  /** A shared message row to insert, with its entries inserted in this batch. */
  static final class Shared {
    final Op.Enqueue first;
    int entries;

    Shared(Op.Enqueue first) {
      this.first = first;
    }
  }

  final List<Range> ranges = new ArrayList<>();
  final List<EntryKey> deletes = new ArrayList<>();

  /** Inline message rows (not shared) and shared entry rows, by entry. */
  final Map<EntryKey, Op.Enqueue> inserts = new LinkedHashMap<>();

  /** Shared message rows, by message id. */
  final Map<Long, Shared> sharedMessages = new LinkedHashMap<>();

  /** Delivered marks written with this batch. */
  List<EntryKey> delivered = List.of();

  /** Delivered marks dropped by this batch's dequeues: held again if its commit fails. */
  final List<EntryKey> unmarked = new ArrayList<>();

  /**
   * XA branches prepared ({@link Op.PrepareBranch}) and forgotten ({@link Op.ForgetBranch}), in
   * order.
   */
  final List<Op> branches = new ArrayList<>();

  /** Delayed messages stored ({@link Op.StoreDelayed}) and forgotten ({@link Op.DeleteDelayed}). */
  final List<Op> delayed = new ArrayList<>();

  boolean isEmpty() {
    return ranges.isEmpty()
        && deletes.isEmpty()
        && inserts.isEmpty()
        && delivered.isEmpty()
        && branches.isEmpty()
        && delayed.isEmpty();
  }

  /** Appends an entry ({@code e.queueId}, {@code e.shared} and {@code e.delivered} set). */
  void enqueue(Op.Enqueue e) {
    EntryKey key = new EntryKey(e.queueId, e.message.messageId());
    if (inserts.putIfAbsent(key, e) != null) {
      return; // the same entry twice: written once
    }
    if (e.shared) {
      sharedMessages.computeIfAbsent(key.messageId(), id -> new Shared(e)).entries++;
    }
  }

  /** Removes an entry: cancels its insert if it is in this batch, else deletes its row. */
  void dequeue(EntryKey key) {
    Op.Enqueue e = inserts.remove(key);
    if (e == null) {
      deletes.add(key);
    } else if (e.shared) {
      unshare(key.messageId());
    }
  }

  /**
   * Marks an entry delivered if its insert is in this batch.
   *
   * @return false if the entry was written by an earlier batch
   */
  boolean markDelivered(EntryKey key) {
    Op.Enqueue e = inserts.get(key);
    if (e == null) {
      return false;
    }
    e.delivered = true;
    return true;
  }

  /**
   * Removes a queue's entries above {@code afterSeq} and below {@code beforeSeq} ({@code
   * Long.MIN_VALUE}, {@code Long.MAX_VALUE}: all).
   */
  void removeRange(long queueId, long afterSeq, long beforeSeq) {
    Range range = new Range(queueId, afterSeq, beforeSeq);
    for (Iterator<Map.Entry<EntryKey, Op.Enqueue>> it = inserts.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<EntryKey, Op.Enqueue> entry = it.next();
      Op.Enqueue e = entry.getValue();
      if (entry.getKey().queueId() == queueId && range.covers(e.seq)) {
        it.remove();
        if (e.shared) {
          unshare(e.message.messageId());
        }
      }
    }
    ranges.add(range);
  }

  private void unshare(long messageId) {
    Shared s = sharedMessages.get(messageId);
    if (s != null && --s.entries == 0) {
      sharedMessages.remove(messageId);
    }
  }

  /** The inserted rows of {@code warren_message}: inline ones, then shared ones. */
  List<Op.Enqueue> messageRows() {
    List<Op.Enqueue> rows = new ArrayList<>(inserts.size());
    for (Op.Enqueue e : inserts.values()) {
      if (!e.shared) {
        rows.add(e);
      }
    }
    for (Shared s : sharedMessages.values()) {
      rows.add(s.first);
    }
    return rows;
  }

  /** The inserted rows of {@code warren_queue_entry}. */
  List<Op.Enqueue> entryRows() {
    List<Op.Enqueue> rows = new ArrayList<>();
    for (Op.Enqueue e : inserts.values()) {
      if (e.shared) {
        rows.add(e);
      }
    }
    return rows;
  }

  /** For tests: the message ids of the rows this batch inserts. */
  Set<Long> insertedMessageIds() {
    Set<Long> ids = new HashSet<>();
    for (Op.Enqueue e : messageRows()) {
      ids.add(e.message.messageId());
    }
    return ids;
  }
}
