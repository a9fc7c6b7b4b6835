package io.warrenmq.store.jdbc.internal;

import io.warrenmq.engine.StoredMessage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The writer's view of what the database holds: every stored queue entry and the number of entries
 * per message, so that a message row is written with its first entry and deleted with its last, and
 * so that a batch writes only its net effect (an entry enqueued and acked within one group commit
 * is never written at all, as RabbitMQ's message store does).
 *
 * <p>A dequeue may reach the writer before its enqueue when the enqueue was issued inside a unit of
 * work that is still running on another thread ({@code tx.commit}): the dequeue then leaves a
 * tombstone that cancels the enqueue when it arrives. Tombstones that no enqueue claims within 60 s
 * (dequeues of entries of a deleted queue) are forgotten.
 *
 * <p>Not thread-safe: confined to the writer thread.
 */
final class EntryIndex {
  private static final long TOMBSTONE_TTL_NANOS = 60_000_000_000L;

  record Key(String vhost, String queue, long messageId) {}

  static final class Entry {
    final long seq;
    boolean delivered;

    Entry(long seq) {
      this.seq = seq;
    }
  }

  /** The net writes of one group commit, in the order they are executed. */
  static final class Batch {
    final Set<Key> purged = new LinkedHashSet<>(); // messageId 0: whole queue
    final Set<Key> deleteEntries = new LinkedHashSet<>();
    final Set<Long> deleteMessages = new LinkedHashSet<>();
    final Map<Long, Op.Enqueue> insertMessages = new LinkedHashMap<>();
    final Map<Key, Entry> insertEntries = new LinkedHashMap<>();
    final Set<Key> markDelivered = new LinkedHashSet<>();

    boolean isEmpty() {
      return purged.isEmpty()
          && deleteEntries.isEmpty()
          && deleteMessages.isEmpty()
          && insertMessages.isEmpty()
          && insertEntries.isEmpty()
          && markDelivered.isEmpty();
    }
  }

  private final Map<Key, Entry> entries = new HashMap<>();
  private final Map<Long, int[]> refs = new HashMap<>();
  private final LinkedHashMap<Key, Long> tombstones = new LinkedHashMap<>();

  /** Forgets everything (before reloading it from the database). */
  void clear() {
    entries.clear();
    refs.clear();
    tombstones.clear();
  }

  /** A row already in the database (recovery, reload). */
  void loaded(Key key, long seq, boolean delivered) {
    Entry e = new Entry(seq);
    e.delivered = delivered;
    if (entries.put(key, e) == null) {
      refs.computeIfAbsent(key.messageId(), id -> new int[1])[0]++;
    }
  }

  int entryCount() {
    return entries.size();
  }

  void enqueue(Batch b, Op.Enqueue op) {
    String vhost = op.vhost;
    String queue = op.queue;
    long seq = op.seq;
    StoredMessage m = op.message;
    Key key = new Key(vhost, queue, m.messageId());
    if (tombstones.remove(key) != null || entries.containsKey(key)) {
      return;
    }
    Entry e = new Entry(seq);
    entries.put(key, e);
    b.insertEntries.put(key, e);
    int[] n = refs.computeIfAbsent(m.messageId(), id -> new int[1]);
    if (n[0]++ == 0 && !b.deleteMessages.remove(m.messageId())) {
      b.insertMessages.put(m.messageId(), op);
    }
  }

  void dequeue(Batch b, Key key, long now) {
    if (entries.remove(key) == null) {
      tombstones.put(key, now);
      return;
    }
    if (b.insertEntries.remove(key) == null) {
      b.deleteEntries.add(key);
    }
    b.markDelivered.remove(key);
    unref(b, key.messageId());
  }

  void markDelivered(Batch b, Key key) {
    Entry e = entries.get(key);
    if (e == null || e.delivered) {
      return;
    }
    e.delivered = true;
    if (!b.insertEntries.containsKey(key)) {
      b.markDelivered.add(key);
    }
  }

  /** A queue deleted: all its entries go, with one statement. */
  void purge(Batch b, String vhost, String queue) {
    for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      Key key = it.next().getKey();
      if (key.queue().equals(queue) && key.vhost().equals(vhost)) {
        it.remove();
        b.insertEntries.remove(key);
        b.deleteEntries.remove(key);
        b.markDelivered.remove(key);
        unref(b, key.messageId());
      }
    }
    b.purged.add(new Key(vhost, queue, 0));
  }

  private void unref(Batch b, long messageId) {
    int[] n = refs.get(messageId);
    if (n != null && --n[0] == 0) {
      refs.remove(messageId);
      if (b.insertMessages.remove(messageId) == null) {
        b.deleteMessages.add(messageId);
      }
    }
  }

  /** Drops tombstones older than 60 s. */
  void expireTombstones(long now) {
    Iterator<Long> it = tombstones.values().iterator();
    while (it.hasNext() && now - it.next() > TOMBSTONE_TTL_NANOS) {
      it.remove();
    }
  }

  /** For tests: live message ids. */
  Set<Long> messageIds() {
    return new HashSet<>(refs.keySet());
  }
}
