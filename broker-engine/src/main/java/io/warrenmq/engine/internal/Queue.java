package io.warrenmq.engine.internal;

import io.warrenmq.engine.AmqpException;
import io.warrenmq.engine.BasicProperties;
import io.warrenmq.engine.Delivery;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.QueueSpec;
import io.warrenmq.engine.StoredEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An AMQP queue (spec 3.1.4): ready messages in arrival order (per priority level), its consumers,
 * the round-robin dispatch from one to the other, and the messages held for a consumer's redelivery
 * delay.
 *
 * <h2>Concurrency scheme</h2>
 *
 * <ul>
 *   <li>One {@link ReentrantLock} per queue guards its ready messages, consumers and flags. The
 *       queue is the unit of ordering; there is no global lock on the publish or deliver path.
 *   <li>Publish: the publisher's thread routes without locks (see {@link ExchangeType}), then for
 *       each target queue takes that queue's lock, appends the entry and dispatches while it holds
 *       the lock.
 *   <li>Dispatch ({@link QueueDispatcher}) picks consumers round-robin and asks each consumer's
 *       channel to accept the entry ({@link ServerChannel#tryDeliver}); the channel, under its own
 *       small lock, checks prefetch credit, assigns the delivery tag, records the entry as unacked
 *       and appends it to the channel's mailbox. Assigning the tag and appending under one lock is
 *       what keeps tags in increasing order in the callbacks of the channel even when several
 *       queues deliver to it at once.
 *   <li>Lock order is always: virtual-host topology lock, then queue lock, then channel lock. A
 *       channel never takes a queue lock while it holds its own (acks release the channel lock
 *       before requeueing or re-dispatching).
 *   <li>Callbacks never run under any lock and never on the publisher's thread: the channel's
 *       mailbox is drained by a serial task on the broker's dispatch pool, so callbacks of one
 *       channel run one at a time, in order.
 *   <li>An ack that frees credit of a consumer that was at its prefetch limit (or of the channel at
 *       its global limit) re-runs dispatch on the affected queue(s), outside the channel lock.
 *   <li>Messages a queue gives up on under its lock (expired, dropped by {@code drop-head} or
 *       {@code reject-publish-dlx}, past {@code x-delivery-limit}) are collected and dead-lettered
 *       only after the lock is released ({@code unlockAndFlush}), so that no thread ever holds two
 *       queue locks, even when a queue dead-letters into itself.
 *   <li>Expiry runs on the broker's single timer thread ({@link BrokerTimer}): each queue keeps at
 *       most one pending task, due at the earliest deadline among its heads, plus one for its
 *       {@code x-expires} lease ({@link QueueExpiry}, which takes this queue's lock), and one for
 *       the earliest message held for a redelivery delay ({@link QueueRedelivery}).
 * </ul>
 *
 * <h2>Arguments</h2>
 *
 * What each queue argument means (TTL, {@code x-expires}, length limits and overflow,
 * dead-lettering, delivery limit, single active consumer) is described with its validation in
 * {@link QueueArguments}; this class applies them under its lock.
 *
 * <h2>Parts</h2>
 *
 * The ready lists, flags and the lock stay here; four helpers hold the rest of the queue's state
 * and have no lock of their own (their {@code *Locked} methods are called with this queue's lock
 * held): {@link QueueDispatcher} (consumers, dispatch), {@link QueueExpiry} (TTL, {@code
 * x-expires}), {@link QueueRedelivery} (entries held for a redelivery delay), and for a written
 * queue {@link QueuePager} (the paged-out tail) with {@link QueuePageReader} (its store reads,
 * which run on the paging thread without the lock).
 */
public final class Queue {
  /** What became of a message offered to the queue. */
  public enum EnqueueOutcome {
    /** Enqueued (or delivered). */
    ACCEPTED,
    /**
     * Refused by {@code x-overflow=reject-publish} or {@code reject-publish-dlx}: a publisher in
     * confirm mode gets a {@code basic.nack} for it.
     */
    REJECTED,
    /** The queue was deleted meanwhile: the message is dropped. */
    QUEUE_DELETED
  }

  private final String name;
  private final QueueSpec spec;
  private final ServerConnection owner;
  private final int maxPriority;
  private final QueueArguments args;
  private final ServerVirtualHost vhost;
  private final ReentrantLock lock = new ReentrantLock();

  /** Whether persistent messages of this queue are written to the store ({@link Durability}). */
  private final boolean written;

  /** The paged-out tail; null for a queue that is not written (it never pages). */
  private final QueuePager pager;

  /** Reads the paged-out tail back from the store; null when {@link #pager} is. */
  private final QueuePageReader reader;

  /** Message TTL and the {@code x-expires} lease. */
  private final QueueExpiry expiry;

  /** The consumers and the dispatch to them. */
  private final QueueDispatcher dispatcher;

  /** Entries held for a consumer's redelivery delay before they are ready again. */
  private final QueueRedelivery redelivery;

  // guarded by lock
  private final ReadyList[] levels;
  private int ready;
  private long readyBytes;
  private long nextSeq;
  private boolean deleted;
  private ArrayList<DeadLetterer.Dead> dropped;

  /** Bindings to this queue; guarded by the virtual host's topology lock. */
  final Set<Binding> bindings = new HashSet<>();

  Queue(
      String name,
      QueueSpec spec,
      ServerConnection owner,
      int maxPriority,
      QueueArguments args,
      ServerVirtualHost vhost) {
    this.name = name;
    this.spec = spec;
    this.owner = owner;
    this.maxPriority = maxPriority;
    this.args = args;
    this.vhost = vhost;
    this.written = vhost.durability().isWritten(this);
    this.pager = written ? new QueuePager(vhost.durability().queueWindowBytes()) : null;
    this.levels = new ReadyList[maxPriority + 1];
    for (int i = 0; i < levels.length; i++) {
      levels[i] = new ReadyList();
    }
    this.expiry = new QueueExpiry(this, args, levels);
    this.dispatcher = new QueueDispatcher(this, args.singleActiveConsumer(), levels);
    this.reader = written ? new QueuePageReader(this, pager, expiry) : null;
    this.redelivery = new QueueRedelivery(this);
  }

  public String name() {
    return name;
  }

  QueueSpec spec() {
    return spec;
  }

  QueueArguments arguments() {
    return args;
  }

  ServerVirtualHost virtualHost() {
    return vhost;
  }

  MemoryMonitor memory() {
    return vhost.memory();
  }

  /** Starts the {@code x-expires} lease; called once the queue is registered. */
  void start() {
    expiry.startLease();
  }

  /** Renews the {@code x-expires} lease (re-declaration). */
  void touch() {
    if (args.expires() > 0) {
      lock.lock();
      try {
        expiry.usedLocked(System.nanoTime());
      } finally {
        lock.unlock();
      }
    }
  }

  /** The connection an exclusive queue belongs to, null for a shared queue. */
  ServerConnection owner() {
    return owner;
  }

  /**
   * Appends a message and dispatches it if a consumer has credit, applying the length limit, TTL
   * and memory accounting. Messages dropped on the way (drop-head, {@code reject-publish-dlx}, TTL
   * 0) are dead-lettered after the lock is released.
   *
   * @return what became of the message
   */
  EnqueueOutcome offer(
      String exchange, String routingKey, BasicProperties properties, byte[] body) {
    return offer(exchange, routingKey, properties, body, 0, null, null);
  }

  /**
   * {@link #offer(String, String, BasicProperties, byte[])} for a publish: a persistent message
   * that this queue writes to the store is written under the queue's lock, before it can be
   * delivered, and holds {@code pending} until the store committed it.
   *
   * @param messageId the publish's store id (shared by all its target queues), 0 to assign one
   * @param pending the publish's confirm, or null
   * @param unit the store unit of work of the publish (several target queues, {@code tx.commit},
   *     {@code dtx.commit}), or null: the message is written on its own
   */
  EnqueueOutcome offer(
      String exchange,
      String routingKey,
      BasicProperties properties,
      byte[] body,
      long messageId,
      PublisherConfirms.Pending pending,
      MessageStore.UnitOfWork unit) {
    int priority = priorityOf(properties);
    QueueEntry e = new QueueEntry(this, exchange, routingKey, properties, body, priority);
    long now = System.nanoTime();
    expiry.stampDeadline(e, now);
    lock.lock();
    try {
      if (deleted) {
        return EnqueueOutcome.QUEUE_DELETED;
      }
      if (args.overflow() != QueueArguments.Overflow.DROP_HEAD
          && args.isOverLimit(ready + pagedCount() + 1, readyBytes + pagedBytes() + body.length)) {
        if (args.overflow() == QueueArguments.Overflow.REJECT_PUBLISH_DLX) {
          dropLocked(e, DeadLetterer.MAXLEN);
        }
        return EnqueueOutcome.REJECTED;
      }
      e.seq = nextSeq++;
      e.hold();
      boolean persistent = written && properties.isPersistent();
      if (pager != null
          && (pager.isPaging() || (persistent && readyBytes + body.length > pager.windowBytes))) {
        if (persistent) {
          vhost.durability().stored(e, messageId, pending, unit);
          pager.addPending(e);
        } else {
          pager.addTransient(e);
        }
        pager.trimLocked();
        if (args.hasLengthLimit()) {
          dropHeadOverLimitLocked();
        }
        return EnqueueOutcome.ACCEPTED;
      }
      levels[priority].add(e);
      ready++;
      readyBytes += body.length;
      if (persistent) {
        vhost.durability().stored(e, messageId, pending, unit);
      }
      if (dispatcher.sizeLocked() > 0) {
        dispatcher.dispatchLocked(now);
      }
      if (args.hasLengthLimit()) {
        dropHeadOverLimitLocked();
      }
      if (e.expires) {
        // TTL 0: whatever could not be handed to a consumer right away expires now
        expiry.expireHeadsLocked(now + 1);
        expiry.scheduleLocked();
      }
      return EnqueueOutcome.ACCEPTED;
    } finally {
      unlockAndFlush();
    }
  }

  /**
   * Takes back the entries the store holds for this queue at start-up (before any consumer): they
   * form the queue's paged-out tail, and the first window is read at once. Entries come back in
   * stored order, {@code redelivered} if they had been delivered; a TTL restarts from when an entry
   * is read.
   */
  void recoverEntries(long entries, long bodyBytes, long lastSeq) {
    lock.lock();
    try {
      nextSeq = Math.max(nextSeq, lastSeq + 1);
      if (pager == null) {
        return; // not written any more (cannot happen for a recovered queue)
      }
      pager.addStored(entries, bodyBytes);
      reader.pageInLocked();
    } finally {
      unlockAndFlush();
    }
  }

  // ---- paging (see QueuePager and QueuePageReader) ------------------------------------------

  private long pagedCount() {
    return pager == null ? 0 : pager.count;
  }

  private long pagedBytes() {
    return pager == null ? 0 : pager.bytes;
  }

  /**
   * {@code drop-head}: drops from the head (the next message to deliver, so the highest priority
   * first, as RabbitMQ's priority queues do) while over a limit; after enqueue and requeue.
   */
  private void dropHeadOverLimitLocked() {
    if (args.overflow() != QueueArguments.Overflow.DROP_HEAD) {
      return;
    }
    while (args.isOverLimit(ready + pagedCount(), readyBytes + pagedBytes())) {
      if (ready == 0) {
        if (pagedCount() == 0) {
          return;
        }
        reader.pageInLocked();
        if (ready == 0) {
          return;
        }
      }
      QueueEntry head = highestLevelLocked().poll();
      removedLocked(head);
      dropLocked(head, DeadLetterer.MAXLEN);
    }
  }

  // ---- the state the helpers share (QueueExpiry, QueueDispatcher, QueuePageReader) --------

  /** The priority level of a message: its priority capped at {@code x-max-priority}. */
  int priorityOf(BasicProperties properties) {
    return Math.max(0, Math.min(properties.priorityOrZero(), maxPriority));
  }

  /**
   * Appends entries read back from the paged-out tail (in arrival order) to the ready lists and
   * dispatches them; called with the lock held.
   */
  void readyFromPageLocked(List<QueueEntry> page) {
    page = vhost.durability().xa().withholdLocked(this, page); // held by prepared XA branches
    for (QueueEntry e : page) {
      levels[e.priority].add(e);
      ready++;
      readyBytes += e.body.length;
    }
    if (!page.isEmpty()) {
      long now = System.nanoTime();
      expiry.expireHeadsLocked(now);
      dispatcher.dispatchLocked(now);
      expiry.scheduleLocked();
    }
  }

  /** Body bytes of the ready entries (not the paged-out tail); called with the lock held. */
  long readyBytesLocked() {
    return readyBytes;
  }

  /** The number of ready entries (not the paged-out tail); called with the lock held. */
  int readyCountLocked() {
    return ready;
  }

  /** Accounts for an entry just taken out of a ready list; called with the lock held. */
  void removedLocked(QueueEntry e) {
    ready--;
    readyBytes -= e.body.length;
  }

  /**
   * Records an entry to dead-letter (or drop) once the lock is released; called with the lock held.
   */
  void dropLocked(QueueEntry e, String reason) {
    if (dropped == null) {
      dropped = new ArrayList<>();
    }
    dropped.add(new DeadLetterer.Dead(e, reason));
  }

  /**
   * Takes the queue's lock, for the queue's helpers ({@link QueueExpiry}, {@link QueuePageReader});
   * they release it with {@link #unlockAndFlush}, or with {@link #unlock} where nothing can have
   * been dropped or paged.
   */
  void lock() {
    lock.lock();
  }

  /** Releases the lock without the work of {@link #unlockAndFlush}. */
  void unlock() {
    lock.unlock();
  }

  /** Whether the queue was deleted; called with the lock held. */
  boolean isDeletedLocked() {
    return deleted;
  }

  /**
   * Releases the lock and then dead-letters what was dropped under it: dead-lettering publishes to
   * other queues (maybe this one), which must not happen under this queue's lock. Also hands the
   * next page-in to the paging thread when the ready window has room.
   */
  void unlockAndFlush() {
    ArrayList<DeadLetterer.Dead> out = null;
    boolean page = false;
    if (lock.getHoldCount() == 1) {
      if (dropped != null) {
        out = dropped;
        dropped = null;
      }
      page = reader != null && reader.startReadLocked();
    }
    lock.unlock();
    if (page) {
      vhost.durability().page(reader::pageInByPager);
    }
    if (out != null) {
      for (DeadLetterer.Dead d : out) {
        DeadLetterer.deadLetter(this, d.entry(), d.reason());
      }
    }
  }

  /**
   * Why entries return to their queue: decides whether they are marked redelivered and whether the
   * consumer's redelivery delay applies ({@link QueueRedelivery}).
   */
  enum Return {
    /**
     * Never seen by a client (withdrawn from a mailbox, {@code basic.release}): not marked
     * redelivered, not counted, back at once.
     */
    UNSEEN,
    /**
     * Seen, and returned by a channel or connection close: redelivered, back at once (as ActiveMQ
     * Artemis returns the messages of a closed consumer without its redelivery delay).
     */
    CLOSED,
    /**
     * Seen, and returned by a failed outcome ({@code basic.nack}/{@code basic.reject} with requeue,
     * {@code basic.recover}, rollback of the transaction or XA branch that acked it): redelivered,
     * and held for the redelivery delay of the consumer it was delivered to, if any.
     */
    FAILED
  }

  /**
   * Returns entries to the head of the queue in their original order and dispatches them; a failed
   * outcome may hold them for their consumer's redelivery delay first.
   *
   * @param how why they return
   */
  void requeue(List<QueueEntry> entries, Return how) {
    lock.lock();
    try {
      if (deleted) {
        QueueEntries.settleAll(entries);
        return;
      }
      long now = System.nanoTime();
      for (QueueEntry e : entries) {
        requeueLocked(e, how, now);
      }
      afterReadyLocked();
    } finally {
      unlockAndFlush();
    }
  }

  /** {@link #requeue(List, Return)} for one entry. */
  void requeue(QueueEntry e, Return how) {
    lock.lock();
    try {
      if (deleted) {
        e.settled();
        return;
      }
      requeueLocked(e, how, System.nanoTime());
      afterReadyLocked();
    } finally {
      unlockAndFlush();
    }
  }

  private void requeueLocked(QueueEntry e, Return how, long now) {
    long delay = how == Return.FAILED && e.consumer != null ? e.consumer.redeliveryDelayNanos : 0;
    e.consumer = null;
    e.deliveryTag = 0;
    e.txPending = false;
    if (how != Return.UNSEEN) {
      e.deliveryCount++;
      if (args.deliveryLimit() >= 0 && e.deliveryCount > args.deliveryLimit()) {
        dropLocked(e, DeadLetterer.DELIVERY_LIMIT);
        return;
      }
    }
    if (delay > 0 && redelivery.holdLocked(e, now + delay)) {
      return;
    }
    readyRequeuedLocked(e);
  }

  /**
   * Puts a returned entry back into its ready list, at its place by arrival; called with the lock
   * held (also by {@link QueueRedelivery} when a held entry is due).
   */
  void readyRequeuedLocked(QueueEntry e) {
    levels[e.priority].addRequeued(e);
    ready++;
    readyBytes += e.body.length;
  }

  /**
   * After entries became ready again: dispatches them, applies {@code drop-head} and reschedules
   * TTL expiry; called with the lock held.
   */
  void afterReadyLocked() {
    dispatchLocked();
    dropHeadOverLimitLocked();
    expiry.scheduleLocked();
  }

  /** Re-runs dispatch, e.g. after a consumer regained prefetch credit. */
  void dispatch() {
    lock.lock();
    try {
      dispatchLocked();
    } finally {
      unlockAndFlush();
    }
  }

  private void dispatchLocked() {
    dispatcher.dispatchLocked(System.nanoTime());
  }

  /** The ready list to deliver from next: the highest non-empty priority level; lock held. */
  ReadyList highestLevelLocked() {
    for (int p = maxPriority; p > 0; p--) {
      if (!levels[p].isEmpty()) {
        return levels[p];
      }
    }
    return levels[0];
  }

  /**
   * The ready entries as deliveries, in delivery order, skipping expired ones (for browsing),
   * followed by the paged-out tail in arrival order (read from the store without the lock).
   */
  List<Delivery> browse() {
    List<Delivery> out;
    QueuePageReader.Snapshot tail;
    lock.lock();
    try {
      long now = System.nanoTime();
      expiry.usedLocked(now);
      out = new ArrayList<>(ready);
      for (int p = maxPriority; p >= 0; p--) {
        for (QueueEntry e : levels[p].inDeliveryOrder()) {
          if (!e.isExpired(now)) {
            out.add(e.browsed());
          }
        }
      }
      tail = reader == null ? null : reader.snapshotLocked();
      if (tail == null) {
        return out;
      }
    } finally {
      lock.unlock();
    }
    for (QueueEntry e : reader.browse(tail)) {
      out.add(e.browsed());
    }
    return out;
  }

  /** Takes the next ready entry for {@code basic.get}, or null. */
  QueueEntry poll() {
    lock.lock();
    try {
      if (deleted) {
        return null;
      }
      long now = System.nanoTime();
      expiry.usedLocked(now);
      if (ready == 0 && pagedCount() > 0) {
        reader.pageInLocked();
      }
      while (ready > 0) {
        QueueEntry e = highestLevelLocked().poll();
        removedLocked(e);
        if (!e.isExpired(now)) {
          vhost.durability().delivered(e);
          return e;
        }
        dropLocked(e, DeadLetterer.EXPIRED);
      }
      return null;
    } finally {
      unlockAndFlush();
    }
  }

  /**
   * For {@code x-expires}: marks the queue deleted if it has been unused for its lease, else
   * schedules the next check. Called under the topology lock.
   *
   * @return the deletion, or null if the queue is in use or already deleted
   */
  Deletion markDeletedIfUnused() {
    lock.lock();
    try {
      if (deleted) {
        return null;
      }
      if (expiry.inUseLocked(dispatcher.sizeLocked() > 0)) {
        return null;
      }
      return deleteLocked();
    } finally {
      unlockAndFlush();
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
      dispatcher.addLocked(c, exclusive, vhost);
      dispatchLocked();
    } finally {
      unlockAndFlush();
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
      int i = dispatcher.removeLocked(c);
      if (i < 0) {
        return false;
      }
      boolean none = dispatcher.sizeLocked() == 0;
      if (none) {
        expiry.usedLocked(System.nanoTime());
      }
      if (args.singleActiveConsumer() && i == 0) {
        dispatchLocked(); // the next oldest consumer takes over
      }
      return spec.autoDelete() && none && !deleted;
    } finally {
      unlockAndFlush();
    }
  }

  /**
   * Removes all ready messages and the messages held for a redelivery delay; returns how many.
   * Unacked messages are not affected, nor are the messages of the paged-out tail that recovered
   * prepared XA branches hold (they are not ready, as RabbitMQ's purge removes ready messages
   * only): they go to their branches, which give them back at rollback.
   *
   * @throws IllegalStateException if the XA-held messages cannot be read from the store (nothing is
   *     purged then)
   */
  int purge() {
    lock.lock();
    try {
      List<QueueEntry> kept =
          pager != null && pager.isPaging() ? reader.keepHeldLocked() : List.of();
      long n = ready + pagedCount() - kept.size() + redelivery.dropAllLocked();
      clearReadyLocked();
      if (pager != null && pager.isPaging()) {
        long after = pager.cursor;
        pager.dropAll(nextSeq);
        MessageStore store = vhost.durability().store();
        if (kept.isEmpty()) {
          store.dequeueAfter(vhost.name(), name, after);
        } else {
          // one store transaction: the tail goes, around the entries kept for the branches
          MessageStore.UnitOfWork unit = store.beginUnitOfWork();
          long from = after;
          for (QueueEntry e : kept) {
            unit.dequeueRange(vhost.name(), name, from, e.seq);
            from = Math.max(from, e.seq);
          }
          unit.dequeueRange(vhost.name(), name, from, Long.MAX_VALUE);
          unit.commit();
        }
      }
      return (int) Math.min(Integer.MAX_VALUE, n);
    } finally {
      lock.unlock();
    }
  }

  /**
   * A queue entry for a message of this queue read from the store outside a page-in (a rejected
   * message of a recovered XA branch, dead-lettered at commit), held against the memory limit like
   * a paged-in one; null if this queue is not written.
   */
  QueueEntry entryFromStore(StoredEntry se) {
    return reader == null ? null : reader.fromStore(se);
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
      if (onlyIfNoConsumers && dispatcher.sizeLocked() > 0) {
        return null;
      }
      if (ifUnused && dispatcher.sizeLocked() > 0) {
        throw Errors.precondition(Errors.describe("queue", name, vhost) + " in use");
      }
      if (ifEmpty && ready + pagedCount() > 0) {
        throw Errors.precondition(Errors.describe("queue", name, vhost) + " is not empty");
      }
      return deleteLocked();
    } finally {
      lock.unlock();
    }
  }

  private Deletion deleteLocked() {
    deleted = true;
    long n = ready + pagedCount() + redelivery.dropAllLocked();
    ServerConsumer[] cancelled = dispatcher.clearLocked();
    clearReadyLocked();
    if (pager != null) {
      pager.dropAll(nextSeq); // the store deletes the queue's entries with the queue
    }
    expiry.cancelLocked();
    return new Deletion((int) Math.min(Integer.MAX_VALUE, n), cancelled);
  }

  /** Drops every ready entry without dead-lettering (purge, delete: as RabbitMQ). */
  private void clearReadyLocked() {
    for (ReadyList level : levels) {
      level.forEach(QueueEntry::settled);
      level.clear();
    }
    ready = 0;
    readyBytes = 0;
  }

  /**
   * Ready messages, paged-out ones included (not counting unacked ones nor held ones, see {@link
   * QueueRedelivery}); capped at 2^31-1.
   */
  public int messageCount() {
    lock.lock();
    try {
      return (int) Math.min(Integer.MAX_VALUE, ready + pagedCount());
    } finally {
      lock.unlock();
    }
  }

  /** Active consumers. */
  public int consumerCount() {
    lock.lock();
    try {
      return dispatcher.sizeLocked();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "queue '" + name + "'";
  }
}
