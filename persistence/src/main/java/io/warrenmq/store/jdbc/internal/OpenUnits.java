package io.warrenmq.store.jdbc.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enqueues issued inside a unit of work that the writer has not seen yet, so that a dequeue or a
 * delivered mark that overtakes its enqueue is not lost.
 *
 * <p>Why it happens: in a {@code MessageStore.UnitOfWork} (a {@code tx.commit}, or a publish routed
 * to several queues) the engine enqueues an entry under its queue's lock, so a consumer on another
 * thread can receive it and ack it at once; that ack reaches the writer directly, while the enqueue
 * is still held by the unit, which is queued only when it is committed. The writer then meets the
 * dequeue first. Here it finds the entry among the open units' enqueues and leaves a tombstone that
 * the enqueue claims when it arrives: a dequeued entry is then never written, a delivered one is
 * written as delivered.
 *
 * <p>Only entries of units that are open or queued are held (added by the unit's thread, removed by
 * the writer when it meets the enqueue, or when the unit is abandoned), so this costs nothing per
 * stored entry. Tombstones are claimed when the unit reaches the writer: the engine commits every
 * unit, even when its work failed; a unit failed by one of its operations leaves its tombstones
 * behind (a few entries, only after such a failure).
 *
 * <p>Concurrency: {@link #opened} and {@link #abandoned} are called by the units' threads; every
 * other method by the writer thread only.
 */
final class OpenUnits {
  record Key(String vhost, String queue, long messageId) {}

  /** What happened to an entry before the writer saw its enqueue. */
  static final class Tombstone {
    boolean dequeued;
    boolean delivered;
  }

  private final ConcurrentHashMap<Key, Op.Enqueue> pending = new ConcurrentHashMap<>();
  private final Map<Key, Tombstone> tombstones = new HashMap<>(); // writer thread

  /** An enqueue issued inside a unit of work (caller's thread, before the unit is queued). */
  void opened(Op.Enqueue e) {
    e.inUnit = true;
    pending.put(new Key(e.vhost, e.queue, e.message.messageId()), e);
  }

  /** A unit that will never reach the writer (the store closed, or an operation of it failed). */
  void abandoned(List<Op> ops) {
    for (Op op : ops) {
      if (op instanceof Op.Enqueue e && e.inUnit) {
        pending.remove(new Key(e.vhost, e.queue, e.message.messageId()), e);
      }
    }
  }

  /**
   * The writer met an enqueue: it is no longer pending.
   *
   * @return the tombstone left by a dequeue or delivered mark that overtook it, or null
   */
  Tombstone written(Op.Enqueue e) {
    if (!e.inUnit) {
      return null;
    }
    Key key = new Key(e.vhost, e.queue, e.message.messageId());
    pending.remove(key, e);
    return tombstones.isEmpty() ? null : tombstones.remove(key);
  }

  /**
   * A dequeue ({@code deliveredOnly} false) or delivered mark met by the writer.
   *
   * @return true if its enqueue is still pending (a tombstone now records it)
   */
  boolean overtakes(String vhost, String queue, long messageId, boolean deliveredOnly) {
    if (pending.isEmpty()) {
      return false;
    }
    Key key = new Key(vhost, queue, messageId);
    if (!pending.containsKey(key)) {
      return false;
    }
    Tombstone t = tombstones.computeIfAbsent(key, k -> new Tombstone());
    if (deliveredOnly) {
      t.delivered = true;
    } else {
      t.dequeued = true;
    }
    return true;
  }

  /**
   * A queue purged above {@code afterSeq} and below {@code beforeSeq} ({@code Long.MIN_VALUE},
   * {@code Long.MAX_VALUE}: all of it), or every queue of a virtual host ({@code queue} null): its
   * pending enqueues are dequeued in advance.
   */
  void purge(String vhost, String queue, long afterSeq, long beforeSeq) {
    if (pending.isEmpty()) {
      return;
    }
    for (Iterator<Map.Entry<Key, Op.Enqueue>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Op.Enqueue> e = it.next();
      Key k = e.getKey();
      if (k.vhost().equals(vhost)
          && (queue == null || k.queue().equals(queue))
          && e.getValue().seq > afterSeq
          && e.getValue().seq < beforeSeq) {
        tombstones.computeIfAbsent(k, x -> new Tombstone()).dequeued = true;
      }
    }
  }

  /** For tests: entries pending and tombstones held. */
  int size() {
    return pending.size() + tombstones.size();
  }
}
