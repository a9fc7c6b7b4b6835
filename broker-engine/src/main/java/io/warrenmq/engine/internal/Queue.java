package io.warrenmq.engine.internal;

import io.warrenmq.engine.AmqpException;
import io.warrenmq.engine.BasicProperties;
import io.warrenmq.engine.QueueSpec;
import io.warrenmq.engine.ReplyCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An AMQP queue (spec 3.1.4): ready messages in arrival order (per priority level), its consumers,
 * and the round-robin dispatch from one to the other.
 *
 * <h2>Concurrency scheme</h2>
 *
 * <ul>
 *   <li>One {@link ReentrantLock} per queue guards its ready messages, consumers and flags. The
 *       queue is the unit of ordering; there is no global lock on the publish or deliver path.
 *   <li>Publish: the publisher's thread routes without locks (see {@link ExchangeType}), then for
 *       each target queue takes that queue's lock, appends the entry and dispatches while it holds
 *       the lock.
 *   <li>Dispatch picks consumers round-robin and asks each consumer's channel to accept the entry
 *       ({@link ServerChannel#tryDeliver}); the channel, under its own small lock, checks prefetch
 *       credit, assigns the delivery tag, records the entry as unacked and appends it to the
 *       channel's mailbox. Assigning the tag and appending under one lock is what keeps tags in
 *       increasing order in the callbacks of the channel even when several queues deliver to it at
 *       once.
 *   <li>Lock order is always: virtual-host topology lock, then queue lock, then channel lock. A
 *       channel never takes a queue lock while it holds its own (acks release the channel lock
 *       before requeueing or re-dispatching).
 *   <li>Callbacks never run under any lock and never on the publisher's thread: the channel's
 *       mailbox is drained by a serial task on the broker's dispatch pool, so callbacks of one
 *       channel run one at a time, in order.
 *   <li>An ack that frees credit of a consumer that was at its prefetch limit (or of the channel at
 *       its global limit) re-runs dispatch on the affected queue(s), outside the channel lock.
 * </ul>
 *
 * <p>Arguments: {@code x-max-priority} (1-255) is implemented. Every other argument is validated
 * only for equivalence on re-declaration and otherwise stored and ignored for now ({@code
 * x-message-ttl}, {@code x-expires}, {@code x-max-length}, {@code x-dead-letter-exchange} and the
 * others are implemented by a later issue).
 */
public final class Queue {
  private static final ServerConsumer[] NO_CONSUMERS = new ServerConsumer[0];

  private final String name;
  private final QueueSpec spec;
  private final ServerConnection owner;
  private final int maxPriority;
  private final ReentrantLock lock = new ReentrantLock();

  // guarded by lock
  private final ReadyList[] levels;
  private int ready;
  private long nextSeq;
  private ServerConsumer[] consumers = NO_CONSUMERS;
  private int nextConsumer;
  private boolean exclusiveConsumer;
  private boolean deleted;

  /** Bindings to this queue; guarded by the virtual host's topology lock. */
  final Set<Binding> bindings = new HashSet<>();

  Queue(String name, QueueSpec spec, ServerConnection owner, int maxPriority) {
    this.name = name;
    this.spec = spec;
    this.owner = owner;
    this.maxPriority = maxPriority;
    this.levels = new ReadyList[maxPriority + 1];
    for (int i = 0; i < levels.length; i++) {
      levels[i] = new ReadyList();
    }
  }

  public String name() {
    return name;
  }

  QueueSpec spec() {
    return spec;
  }

  /** The connection an exclusive queue belongs to, null for a shared queue. */
  ServerConnection owner() {
    return owner;
  }

  /**
   * Appends a message and dispatches it if a consumer has credit.
   *
   * @return false if the queue has been deleted (the message is dropped)
   */
  boolean enqueue(String exchange, String routingKey, BasicProperties properties, byte[] body) {
    int priority = 0;
    if (maxPriority > 0) {
      priority = Math.max(0, Math.min(properties.priorityOrZero(), maxPriority));
    }
    QueueEntry e = new QueueEntry(this, exchange, routingKey, properties, body, priority);
    lock.lock();
    try {
      if (deleted) {
        return false;
      }
      e.seq = nextSeq++;
      levels[priority].add(e);
      ready++;
      if (consumers.length > 0) {
        dispatchLocked();
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns entries to the head of the queue in their original order and dispatches them.
   *
   * @param redelivered whether a consumer saw them (marks them redelivered, counts a delivery)
   */
  void requeue(List<QueueEntry> entries, boolean redelivered) {
    lock.lock();
    try {
      if (deleted) {
        return;
      }
      for (QueueEntry e : entries) {
        requeueLocked(e, redelivered);
      }
      dispatchLocked();
    } finally {
      lock.unlock();
    }
  }

  /** {@link #requeue(List, boolean)} for one entry. */
  void requeue(QueueEntry e, boolean redelivered) {
    lock.lock();
    try {
      if (deleted) {
        return;
      }
      requeueLocked(e, redelivered);
      dispatchLocked();
    } finally {
      lock.unlock();
    }
  }

  private void requeueLocked(QueueEntry e, boolean redelivered) {
    if (redelivered) {
      e.deliveryCount++;
    }
    e.consumer = null;
    e.deliveryTag = 0;
    e.txPending = false;
    levels[e.priority].addRequeued(e);
    ready++;
  }

  /** Re-runs dispatch, e.g. after a consumer regained prefetch credit. */
  void dispatch() {
    lock.lock();
    try {
      dispatchLocked();
    } finally {
      lock.unlock();
    }
  }

  private void dispatchLocked() {
    while (ready > 0) {
      ServerConsumer[] cs = consumers;
      int n = cs.length;
      if (n == 0) {
        return;
      }
      ReadyList level = highestLevel();
      QueueEntry e = level.peek();
      boolean delivered = false;
      for (int i = 0; i < n; i++) {
        int idx = nextConsumer + i;
        if (idx >= n) {
          idx -= n;
        }
        ServerConsumer c = cs[idx];
        if (c.channel.tryDeliver(c, e)) {
          level.poll();
          ready--;
          nextConsumer = idx + 1 == n ? 0 : idx + 1;
          delivered = true;
          break;
        }
      }
      if (!delivered) {
        return;
      }
    }
  }

  private ReadyList highestLevel() {
    for (int p = maxPriority; p > 0; p--) {
      if (!levels[p].isEmpty()) {
        return levels[p];
      }
    }
    return levels[0];
  }

  /** Takes the next ready entry for {@code basic.get}, or null. */
  QueueEntry poll() {
    lock.lock();
    try {
      if (ready == 0 || deleted) {
        return null;
      }
      ready--;
      return highestLevel().poll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds a consumer and dispatches ready messages to it.
   *
   * @throws AmqpException 403 ACCESS_REFUSED on an exclusive-consumer conflict, 404 NOT_FOUND if
   *     the queue was deleted meanwhile
   */
  void addConsumer(ServerConsumer c, boolean exclusive, String vhost) {
    lock.lock();
    try {
      if (deleted) {
        throw Errors.noQueue(vhost, name);
      }
      if (exclusiveConsumer || (exclusive && consumers.length > 0)) {
        throw new AmqpException(
            ReplyCode.ACCESS_REFUSED, Errors.describe("queue", name, vhost) + " in exclusive use");
      }
      ServerConsumer[] updated = Arrays.copyOf(consumers, consumers.length + 1);
      updated[consumers.length] = c;
      consumers = updated;
      exclusiveConsumer = exclusive;
      dispatchLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes a consumer.
   *
   * @return whether the queue is auto-delete and this was its last consumer (the caller deletes it)
   */
  boolean removeConsumer(ServerConsumer c) {
    lock.lock();
    try {
      int i = Arrays.asList(consumers).indexOf(c);
      if (i < 0) {
        return false;
      }
      ServerConsumer[] updated = new ServerConsumer[consumers.length - 1];
      System.arraycopy(consumers, 0, updated, 0, i);
      System.arraycopy(consumers, i + 1, updated, i, consumers.length - i - 1);
      consumers = updated;
      if (nextConsumer > i) {
        nextConsumer--;
      }
      if (nextConsumer >= updated.length) {
        nextConsumer = 0;
      }
      exclusiveConsumer = false;
      return spec.autoDelete() && updated.length == 0 && !deleted;
    } finally {
      lock.unlock();
    }
  }

  /** Removes all ready messages; returns how many. Unacked messages are not affected. */
  int purge() {
    lock.lock();
    try {
      int n = ready;
      for (ReadyList level : levels) {
        level.clear();
      }
      ready = 0;
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** What {@link #markDeleted} found. */
  record Deletion(int messageCount, ServerConsumer[] consumers) {}

  /**
   * Marks the queue deleted and drops its ready messages, if the conditions hold.
   *
   * @param onlyIfNoConsumers for auto-delete: return null instead if consumers exist
   * @return the deletion, or null if the queue was already deleted or still has consumers
   * @throws AmqpException 406 if {@code ifUnused} and it has consumers, or {@code ifEmpty} and it
   *     has messages
   */
  Deletion markDeleted(boolean ifUnused, boolean ifEmpty, boolean onlyIfNoConsumers, String vhost) {
    lock.lock();
    try {
      if (deleted) {
        return null;
      }
      if (onlyIfNoConsumers && consumers.length > 0) {
        return null;
      }
      if (ifUnused && consumers.length > 0) {
        throw Errors.precondition(Errors.describe("queue", name, vhost) + " in use");
      }
      if (ifEmpty && ready > 0) {
        throw Errors.precondition(Errors.describe("queue", name, vhost) + " is not empty");
      }
      deleted = true;
      Deletion d = new Deletion(ready, consumers);
      for (ReadyList level : levels) {
        level.clear();
      }
      ready = 0;
      consumers = NO_CONSUMERS;
      return d;
    } finally {
      lock.unlock();
    }
  }

  /** Ready messages (not counting unacked ones). */
  public int messageCount() {
    lock.lock();
    try {
      return ready;
    } finally {
      lock.unlock();
    }
  }

  /** Active consumers. */
  public int consumerCount() {
    lock.lock();
    try {
      return consumers.length;
    } finally {
      lock.unlock();
    }
  }

  /** Requeues entries to their queues, one call per queue, preserving their order. */
  static void requeueGrouped(List<QueueEntry> entries, boolean redelivered) {
    if (entries.isEmpty()) {
      return;
    }
    Queue first = entries.get(0).queue;
    boolean single = true;
    for (QueueEntry e : entries) {
      if (e.queue != first) {
        single = false;
        break;
      }
    }
    if (single) {
      first.requeue(entries, redelivered);
      return;
    }
    Map<Queue, List<QueueEntry>> byQueue = new LinkedHashMap<>();
    for (QueueEntry e : entries) {
      byQueue.computeIfAbsent(e.queue, q -> new ArrayList<>()).add(e);
    }
    byQueue.forEach((q, list) -> q.requeue(list, redelivered));
  }

  @Override
  public String toString() {
    return "queue '" + name + "'";
  }
}
