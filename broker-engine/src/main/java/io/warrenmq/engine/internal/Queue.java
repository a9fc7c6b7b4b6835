package io.warrenmq.engine.internal;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.StoredEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * An AMQP queue (spec 3.1.4): ready messages in arrival order (per priority level), its consumers,
 * the round-robin dispatch from one to the other, the messages held for a consumer's redelivery
 * delay, message TTL and the queue's {@code x-expires} lease, and for a written queue the paged-out
 * tail and the page-in protocol.
 *
 * <p>This class is one state machine under one lock, and it is kept in one file on purpose
 * (STYLE.md rule 5: the state that one lock guards stays in one class that owns its rules): every
 * field the lock guards is a private field here, and only this class's methods read or change it.
 * It was once split by line count into helpers that each held a piece of that state and called back
 * into the queue for the rest; the rules (what {@code ready} counts, when a timer is due, when a
 * page read is stale) are now stated and kept in one place.
 *
 * <h2>What the lock guards</h2>
 *
 * <ul>
 *   <li>Ready entries: the ready lists ({@link ReadyList} per priority level) and their totals
 *       {@code ready} and {@code readyBytes}; {@code nextSeq} (arrival order); {@code deleted}; the
 *       entries given up on under the lock and not yet dead-lettered ({@code dropped}).
 *   <li>Consumers: the consumer array, the round-robin position, the count of consumers with a
 *       selector, and whether the one consumer is exclusive.
 *   <li>Entries held for a redelivery delay (a heap by due time) and its timer task.
 *   <li>Message TTL's timer task and the last use of the queue ({@code x-expires}).
 *   <li>For a written queue: the paged-out tail ({@link QueuePager}: in-heap pending and transient
 *       entries, count, bytes, cursor, epoch) and whether a page read is under way.
 *   <li>Of each {@link QueueEntry} while it is ready or held here: {@code seq}, {@code
 *       deliveryCount}, {@code deliveredStored}.
 *   <li>Management ({@link QueueControl}): whether delivery is paused, and how many removals or
 *       moves have entries taken out (page-ins wait meanwhile; see the "management" section).
 * </ul>
 *
 * Invariants, true whenever the lock is free:
 *
 * <ul>
 *   <li>{@code ready} and {@code readyBytes} are the number and body bytes of the entries in the
 *       ready lists; the message count is {@code ready} plus the tail's count (held and unacked
 *       entries are not counted).
 *   <li>An entry is in at most one place: a ready list, the held heap, the tail, or outside the
 *       queue (unacked on a channel, in an XA branch, gone).
 *   <li>The queue pages exactly while the tail is non-empty; entries leave the tail only by a
 *       page-in, in arrival order, into the ready lists (or to the recovered prepared XA branch
 *       that holds them), or with the whole tail (purge, delete).
 *   <li>{@code dropped} is empty: what was given up on under the lock is dead-lettered as the lock
 *       is released ({@link #unlockAndFlush}).
 *   <li>A redelivery task is pending while the held heap is non-empty.
 *   <li>At most one TTL task is pending, due at the earliest head deadline known when it was
 *       scheduled; it is rescheduled when entries become ready (an offer of an entry with a
 *       deadline, requeue, page-in, release of held entries) and when it fires. Dispatch and {@code
 *       basic.get} skip expired heads in between, so no expired entry is delivered.
 *   <li>A deleted queue holds nothing: no ready, held or tail entries, no consumers, no timer task;
 *       entries returned to it afterwards are settled.
 * </ul>
 *
 * <p>Not guarded (immutable after construction): name, spec, owner, arguments, priority levels,
 * virtual host, whether the queue is written, its page reader. {@link #bindings} is guarded by the
 * virtual host's topology lock.
 *
 * <h2>What is a separate class, and why</h2>
 *
 * <ul>
 *   <li>{@link QueueArguments}: the queue arguments, parsed and validated once, immutable; the TTL
 *       of a message follows from them alone.
 *   <li>{@link QueueEntry}: one message as held by one queue; it moves between this queue and a
 *       channel, and documents which lock guards which of its fields where.
 *   <li>{@link ReadyList} and {@link QueuePager}: containers without rules and without a reference
 *       to the queue (a FIFO with a heap of requeued entries; the tail as a sequence merged by
 *       {@code seq}, also used unshared by a browse). This class owns them and decides what goes in
 *       and out; they are never handed out.
 *   <li>{@link QueuePageReader}: the store reads of the tail, stateless; it never takes the lock,
 *       because store reads are blocking I/O and the lock is on the publish and deliver path.
 *   <li>Not queue state at all: {@link UnackedWindow} (a channel's unacked deliveries, under the
 *       channel's lock) and {@link QueueEntries} (what a channel does with entries leaving that
 *       window; it calls {@link #requeue(List, Return)} without any lock held).
 * </ul>
 *
 * <h2>Concurrency scheme</h2>
 *
 * <ul>
 *   <li>One {@link ReentrantLock} per queue guards the state above. The queue is the unit of
 *       ordering; there is no global lock on the publish or deliver path. Threads that take it:
 *       publishers ({@link Publisher}, {@link DeadLetterer}), channels (consume, cancel, get, acks
 *       that requeue or free credit, close), the topology operations of the virtual host (declare,
 *       purge, delete, browse), XA completion ({@link XaWork}), the broker's timer thread (TTL,
 *       redelivery delay, {@code x-expires}) and the paging thread.
 *   <li>Publish: the publisher's thread routes without locks (see {@link ExchangeType}), then for
 *       each target queue takes that queue's lock, appends the entry and dispatches while it holds
 *       the lock.
 *   <li>Dispatch ({@link #dispatchLocked(long)}) picks consumers round-robin and asks each
 *       consumer's channel to accept the entry ({@link ServerChannel#tryDeliver}); the channel,
 *       under its own small lock, checks prefetch credit, assigns the delivery tag, records the
 *       entry as unacked and appends it to the channel's mailbox. Assigning the tag and appending
 *       under one lock is what keeps tags in increasing order in the callbacks of the channel even
 *       when several queues deliver to it at once.
 *   <li>Under its lock the queue calls out only to: a consumer's channel ({@link
 *       ServerChannel#tryDeliver}, the channel's lock), the {@link XaResourceManager} (its lock;
 *       order queue, then XA), the store through {@link Durability} (writes are issued under the
 *       lock so that the store applies an entry's enqueue before its delivery mark and dequeue, and
 *       are not waited for; reads only in the rare cases under "Paging"), the {@link
 *       MemoryMonitor}'s counters and the broker's timer. It never calls another queue and never a
 *       client callback under the lock.
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
 *       most one pending task, due at the earliest deadline among its heads ({@link
 *       #expireByTimer}, which takes this queue's lock), plus one for its {@code x-expires} lease
 *       (which goes through the virtual host, see "Expiry" below), and one for the earliest message
 *       held for a redelivery delay ({@link #releaseHeldByTimer}, which takes this queue's lock).
 * </ul>
 *
 * <h2>Arguments</h2>
 *
 * What each queue argument means (TTL, {@code x-expires}, length limits and overflow,
 * dead-lettering, delivery limit, single active consumer) is described with its validation in
 * {@link QueueArguments}; this class applies them under its lock.
 *
 * <h2>Expiry</h2>
 *
 * Two clocks, both on the broker's single timer thread ({@link BrokerTimer}) so that no queue owns
 * a thread: message TTL ({@code x-message-ttl}, {@code expiration}) and the {@code x-expires} lease
 * of the queue itself (semantics in {@link QueueArguments}). Why at most one pending TTL task per
 * queue, due at the earliest deadline among the heads of its priority levels: entries expire only
 * when they reach the head (as in RabbitMQ), so a deadline behind the head can never be due first,
 * and rescheduling per message would cost a timer entry per message.
 *
 * <h2>Held for a redelivery delay</h2>
 *
 * The consumer argument {@code x-redelivery-delay} (see {@link ConsumerArguments}; the model is
 * ActiveMQ Artemis' {@code redelivery-delay}): entries that came back from a consumer with a delay
 * because of a failed outcome are held here, due at the failure plus the delay, and then return to
 * their ready list at their place by arrival, marked redelivered (their delivery count was raised,
 * and {@code x-delivery-limit} checked, when they came back). A held entry is
 *
 * <ul>
 *   <li>neither ready nor unacked: the queue's message count ({@code queue.declare-ok}), browsing,
 *       {@code if-empty} and the length limits do not count it, and no channel's prefetch does;
 *   <li>dropped by {@code queue.purge} (and counted in its result) and by {@code queue.delete}, as
 *       Artemis drops scheduled messages with the rest of a queue's messages: a purge takes what is
 *       in the queue's custody, held entries included, so none pops up after the purge;
 *   <li>still in the store if it is written (its delivery was recorded there), so a crash or a
 *       broker close while it is held loses nothing: a restart recovers it as ready, redelivered.
 * </ul>
 *
 * Why one timer task per queue, due at the earliest due time: as for TTL, a timer entry or thread
 * per message would cost per message; the broker's one timer thread serves every queue.
 *
 * <h2>Paging</h2>
 *
 * A written queue keeps at most {@link Durability#queueWindowBytes()} of ready bodies in heap (an
 * eighth of it while the broker is under memory pressure, {@link MemoryMonitor#pagingPressure});
 * once a persistent message would take it beyond, the queue pages: every later message joins the
 * tail ({@link QueuePager}) until the tail is empty again. When the window has half room, releasing
 * the lock hands a page-in to the broker's paging thread ({@link #pageInByPager}). Why the read
 * runs without the lock, and how its result is judged: the read is blocking I/O; it notes the
 * tail's epoch and cursor under the lock, reads without it, and applies its rows under the lock
 * only if neither moved (a purge or delete, or a page-in under the lock, bumps the epoch).
 * Committed pending entries are trimmed from heap only while no read is under way (one committing
 * during the read is not in its rows). The rare callers that need the tail's head at once ({@code
 * basic.get} on an empty window, {@code drop-head} past the window, start-up, a purge with XA-held
 * entries) read under the lock.
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

  private static final ServerConsumer[] NO_CONSUMERS = new ServerConsumer[0];

  /** The window's share under memory pressure: an eighth (2 MiB of the default 16 MiB). */
  private static final int PRESSURE_WINDOW_DIVISOR = 8;

  /** An entry held for a redelivery delay and the {@link System#nanoTime()} it is ready again. */
  private record Held(long dueAt, QueueEntry entry) {}

  /** Earliest due first (compared by difference, as nanoTime values must be); then by arrival. */
  private static final Comparator<Held> BY_DUE =
      (a, b) -> {
        long d = a.dueAt - b.dueAt;
        return d != 0 ? (d < 0 ? -1 : 1) : Long.compare(a.entry.seq, b.entry.seq);
      };

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

  // guarded by lock
  private final ReadyList[] levels;
  private int ready;
  private long readyBytes;
  private long nextSeq;
  private boolean deleted;

  /** A page read runs on the paging thread (at most one per queue); guarded by lock. */
  private boolean pageReading;

  private ArrayList<DeadLetterer.Dead> dropped;

  /**
   * The consumers, oldest first; guarded by lock. Replaced, never changed in place, on add and
   * remove: consumers change rarely, while dispatch reads the array once per entry it hands out.
   */
  private ServerConsumer[] consumers = NO_CONSUMERS;

  /** The round-robin position: the index of the consumer dispatch tries first; guarded by lock. */
  private int nextConsumer;

  /** Consumers with an {@code x-jms-selector}; while above 0, dispatch scans; guarded by lock. */
  private int selectorConsumers;

  /** Whether the one consumer is exclusive ({@code basic.consume exclusive}); guarded by lock. */
  private boolean exclusiveConsumer;

  /**
   * Entries held for a redelivery delay, earliest due first; null until the first; guarded by lock.
   * See "Held for a redelivery delay" in the class comment.
   */
  private PriorityQueue<Held> held;

  /** The timer task that releases the earliest held entry, and when it fires; guarded by lock. */
  private ScheduledFuture<?> redeliveryTask;

  private long redeliveryTaskAt;

  /** The timer task that expires the earliest head, and when it fires; guarded by lock. */
  private ScheduledFuture<?> ttlTask;

  private long ttlTaskAt;

  /**
   * The {@link System#nanoTime()} the queue was last used, for {@code x-expires}; guarded by lock.
   */
  private long lastUsed;

  /**
   * Cumulative message counts for the management API's {@code message_stats}: messages accepted,
   * delivered (to consumers and {@code basic.get}) and acknowledged. Why {@link LongAdder}s: they
   * are bumped on the publish and deliver paths by many threads and read rarely.
   */
  final LongAdder published = new LongAdder();

  final LongAdder delivered = new LongAdder();
  final LongAdder acked = new LongAdder();

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
    this.reader = written ? new QueuePageReader(this) : null;
    this.lastUsed = System.nanoTime();
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
    if (args.expires() > 0) {
      scheduleIdleCheck(TimeUnit.MILLISECONDS.toNanos(args.expires()));
    }
  }

  /** Renews the {@code x-expires} lease (re-declaration). */
  void touch() {
    if (args.expires() > 0) {
      lock.lock();
      try {
        lastUsed = System.nanoTime();
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
    stampDeadline(e, now);
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
          && (pager.isPaging() || (persistent && readyBytes + body.length > windowLocked()))) {
        if (persistent) {
          vhost.durability().stored(e, messageId, pending, unit);
          pager.addPending(e);
        } else {
          pager.addTransient(e);
        }
        trimTailLocked();
        if (args.hasLengthLimit()) {
          dropHeadOverLimitLocked();
        }
        published.increment();
        return EnqueueOutcome.ACCEPTED;
      }
      levels[priority].add(e);
      ready++;
      readyBytes += body.length;
      published.increment();
      if (persistent) {
        vhost.durability().stored(e, messageId, pending, unit);
      }
      if (consumers.length > 0) {
        dispatchLocked(now);
      }
      if (args.hasLengthLimit()) {
        dropHeadOverLimitLocked();
      }
      if (e.expires) {
        // TTL 0: whatever could not be handed to a consumer right away expires now
        expireHeadsLocked(now + 1);
        scheduleExpiryLocked();
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
      pageInLocked();
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
        pageInLocked();
        if (ready == 0) {
          return;
        }
      }
      QueueEntry head = highestLevelLocked().poll();
      removedLocked(head);
      dropLocked(head, DeadLetterer.MAXLEN);
    }
  }

  /**
   * The ready window in body bytes now: the queue's window, or an eighth of it (at least 1 byte)
   * while the broker's memory is under pressure, so that a broker with many backlogged queues pages
   * before its memory alarm blocks publishers.
   */
  private long windowLocked() {
    long window = pager.windowBytes;
    return vhost.memory().pagingPressure() ? Math.max(1, window / PRESSURE_WINDOW_DIVISOR) : window;
  }

  /**
   * When the ready window has room for a page and no read is under way, marks a read as under way
   * and returns true: the caller then runs {@link #pageInByPager} on the paging thread once it
   * released the lock.
   */
  private boolean startPageReadLocked() {
    if (pager.isPaging()
        && !pageReading
        && !deleted
        && takingOut == 0
        && readyBytes < windowLocked() / 2 + 1) {
      pageReading = true;
      return true;
    }
    return false;
  }

  /**
   * The page-in on the paging thread: the store read runs without the lock, and its rows are
   * applied under it only if nothing moved the tail meanwhile (a purge or delete, or a page-in
   * under the lock, bumps {@link QueuePager#epoch}; the cursor tells whether anything was taken).
   */
  private void pageInByPager() {
    int epoch;
    long after;
    long want;
    lock.lock();
    try {
      epoch = pager.epoch;
      after = pager.cursor;
      want = Math.max(1, windowLocked() - readyBytes);
    } finally {
      lock.unlock();
    }
    List<StoredEntry> rows = reader.readPageOrLog(after, want);
    if (rows == null) {
      lock.lock();
      try {
        pageReading = false;
      } finally {
        lock.unlock();
      }
      BrokerTimer timer = vhost.timer();
      if (timer != null) {
        timer.schedule(this::dispatch, TimeUnit.SECONDS.toNanos(1));
      }
      return;
    }
    lock.lock();
    try {
      pageReading = false;
      if (epoch == pager.epoch && after == pager.cursor && !deleted) {
        applyPageLocked(rows, want);
        trimTailLocked();
      }
    } finally {
      unlockAndFlush();
    }
  }

  /**
   * Reads and applies the next page while holding the lock (blocking I/O under the lock): for the
   * rare callers that need the tail's head now ({@code basic.get} on an empty window, {@code
   * drop-head} past the window, start-up).
   */
  private void pageInLocked() {
    if (takingOut > 0) {
      return; // see takeMatching: rows taken out are still in the store
    }
    pager.epoch++; // a read running on the paging thread is now stale
    long want = Math.max(1, windowLocked() - readyBytes);
    applyPageLocked(reader.readPage(pager.cursor, want), want);
  }

  private void applyPageLocked(List<StoredEntry> rows, long want) {
    long rowBytes = 0;
    for (StoredEntry r : rows) {
      rowBytes += r.message().body().length;
    }
    boolean exhausted = rows.size() < QueuePager.MAX_PAGE_ENTRIES && rowBytes < want;
    readyFromPageLocked(pager.take(rows, exhausted, want, reader::fromStore));
  }

  /** Drops committed pending entries of the tail from heap, unless a read is under way. */
  private void trimTailLocked() {
    if (!pageReading) {
      int dropped = pager.trimCommitted();
      if (dropped > 0) {
        vhost.counters().pagedOut.add(dropped);
      }
    }
  }

  /**
   * For a purge of the paged-out tail: reads the entries recovered prepared XA branches hold in it
   * and hands them to their branches (as a page-in would), so that the purge leaves them in the
   * store. Blocking I/O under the lock, like {@link #pageInLocked}, and only while some branch
   * holds messages of this queue.
   *
   * @return the entries handed to a branch, in {@code seq} order
   */
  private List<QueueEntry> keepHeldLocked() {
    XaResourceManager xa = vhost.durability().xa();
    List<Long> ids = xa.heldMessageIdsLocked(this);
    if (ids.isEmpty()) {
      return List.of();
    }
    List<QueueEntry> read = reader.readById(ids);
    // an entry of a branch that completed meanwhile is ready (rolled back: purged with the rest)
    // or settled on sight (committed: its row goes anyway); neither is held any more
    for (QueueEntry e : xa.withholdLocked(this, read)) {
      e.unhold();
    }
    List<QueueEntry> kept = new ArrayList<>(read.size());
    for (QueueEntry e : read) {
      if (e.isHeld()) {
        kept.add(e);
      }
    }
    kept.sort(Comparator.comparingLong(e -> e.seq));
    return kept;
  }

  /**
   * Appends entries read back from the paged-out tail (in arrival order) to the ready lists and
   * dispatches them; called with the lock held.
   */
  private void readyFromPageLocked(List<QueueEntry> page) {
    page = vhost.durability().xa().withholdLocked(this, page); // held by prepared XA branches
    for (QueueEntry e : page) {
      levels[e.priority].add(e);
      ready++;
      readyBytes += e.body.length;
    }
    if (!page.isEmpty()) {
      long now = System.nanoTime();
      expireHeadsLocked(now);
      dispatchLocked(now);
      scheduleExpiryLocked();
    }
  }

  /** Accounts for an entry just taken out of a ready list; called with the lock held. */
  private void removedLocked(QueueEntry e) {
    ready--;
    readyBytes -= e.body.length;
  }

  /**
   * Records an entry to dead-letter (or drop) once the lock is released; called with the lock held.
   */
  private void dropLocked(QueueEntry e, String reason) {
    if (dropped == null) {
      dropped = new ArrayList<>();
    }
    dropped.add(new DeadLetterer.Dead(e, reason));
  }

  /**
   * Releases the lock and then dead-letters what was dropped under it: dead-lettering publishes to
   * other queues (maybe this one), which must not happen under this queue's lock. Also hands the
   * next page-in to the paging thread when the ready window has room.
   */
  private void unlockAndFlush() {
    ArrayList<DeadLetterer.Dead> out = null;
    boolean page = false;
    if (lock.getHoldCount() == 1) {
      if (dropped != null) {
        out = dropped;
        dropped = null;
      }
      page = pager != null && startPageReadLocked();
    }
    lock.unlock();
    if (page) {
      vhost.durability().page(this::pageInByPager);
    }
    if (out != null) {
      for (DeadLetterer.Dead d : out) {
        DeadLetterer.deadLetter(this, d.entry(), d.reason());
      }
    }
  }

  /**
   * Why entries return to their queue: decides whether they are marked redelivered and whether the
   * consumer's redelivery delay applies (see "Held for a redelivery delay" above).
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

  /**
   * Takes back, unseen, this queue's deliveries that wait in a channel's mailbox (and {@code
   * polled}, one of them its drain already took out), because the channel's transport stopped
   * taking deliveries. Unlike {@link #requeue}, the entries leave the mailbox under this queue's
   * lock, so no later entry of this queue can be delivered before them meanwhile: a consumer that
   * pauses still sees its messages in order.
   */
  void takeBackUnseen(ServerChannel channel, QueueEntry polled) {
    lock.lock();
    try {
      List<QueueEntry> back = channel.withdrawUnseenLocked(this, polled);
      if (deleted) {
        QueueEntries.settleAll(back);
        return;
      }
      if (!inArrivalOrder(back)) { // a selector or a priority took them out of order
        long now = System.nanoTime();
        for (QueueEntry e : back) {
          requeueLocked(e, Return.UNSEEN, now);
        }
        afterReadyLocked();
        return;
      }
      // newest first: each goes in front of the next newer one (ReadyList.addUnseen)
      for (int i = back.size() - 1; i >= 0; i--) {
        QueueEntry e = back.get(i);
        undeliver(e);
        levels[e.priority].addUnseen(e);
        countReady(e);
      }
      afterReadyLocked();
    } finally {
      unlockAndFlush();
    }
  }

  private static boolean inArrivalOrder(List<QueueEntry> entries) {
    for (int i = 1; i < entries.size(); i++) {
      if (entries.get(i).seq <= entries.get(i - 1).seq) {
        return false;
      }
    }
    return true;
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
    undeliver(e);
    if (how != Return.UNSEEN) {
      e.deliveryCount++;
      if (args.deliveryLimit() >= 0 && e.deliveryCount > args.deliveryLimit()) {
        dropLocked(e, DeadLetterer.DELIVERY_LIMIT);
        return;
      }
    }
    if (delay > 0 && holdForRedeliveryLocked(e, now + delay)) {
      return;
    }
    readyRequeuedLocked(e);
  }

  /**
   * Puts a returned entry back into its ready list, at its place by arrival; called with the lock
   * held (also when an entry held for a redelivery delay is due).
   */
  private void readyRequeuedLocked(QueueEntry e) {
    levels[e.priority].addRequeued(e);
    countReady(e);
  }

  /** A returned entry belongs to no consumer and no transaction any more. */
  private static void undeliver(QueueEntry e) {
    e.consumer = null;
    e.deliveryTag = 0;
    e.txPending = false;
  }

  /** Counts an entry put back into a ready list; with the lock held. */
  private void countReady(QueueEntry e) {
    ready++;
    readyBytes += e.body.length;
  }

  /**
   * After entries became ready again: dispatches them, applies {@code drop-head} and reschedules
   * TTL expiry; called with the lock held.
   */
  private void afterReadyLocked() {
    dispatchLocked();
    dropHeadOverLimitLocked();
    scheduleExpiryLocked();
  }

  // ---- expiry: message TTL and the x-expires lease --------------------------------------------

  /**
   * Sets the entry's deadline from {@code now} ({@link System#nanoTime()}): the lower of {@code
   * x-message-ttl} and its {@code expiration}; leaves it without one if neither applies. Reads only
   * the immutable arguments: runs without the lock ({@code offer} stamps an entry before it locks).
   */
  void stampDeadline(QueueEntry e, long now) {
    long ttl = args.ttlMillis(e.properties);
    if (ttl >= 0) {
      e.expires = true;
      e.expiresAt = now + TimeUnit.MILLISECONDS.toNanos(ttl);
    }
  }

  /**
   * The priority level of a message: its priority capped at {@code x-max-priority}. Reads only
   * immutable state: runs without the lock.
   */
  int priorityOf(BasicProperties properties) {
    return Math.max(0, Math.min(properties.priorityOrZero(), maxPriority));
  }

  /** Drops the heads of every level whose deadline has passed at {@code now}. */
  private void expireHeadsLocked(long now) {
    for (ReadyList level : levels) {
      QueueEntry head;
      while ((head = level.peek()) != null && head.isExpired(now)) {
        level.poll();
        removedLocked(head);
        dropLocked(head, DeadLetterer.EXPIRED);
      }
    }
  }

  /** Makes sure the timer fires at the earliest deadline among the heads. */
  private void scheduleExpiryLocked() {
    BrokerTimer timer = vhost.timer();
    if (timer == null || deleted) {
      return;
    }
    boolean any = false;
    long next = 0;
    for (ReadyList level : levels) {
      QueueEntry head = level.peek();
      if (head != null && head.expires && (!any || head.expiresAt - next < 0)) {
        next = head.expiresAt;
        any = true;
      }
    }
    if (!any || (ttlTask != null && ttlTaskAt - next <= 0)) {
      return;
    }
    if (ttlTask != null) {
      ttlTask.cancel(false);
    }
    ttlTaskAt = next;
    ttlTask = timer.schedule(this::expireByTimer, next - System.nanoTime() + 1);
  }

  /** The timer's task: drops the expired heads (dead-lettered after the lock is released). */
  private void expireByTimer() {
    lock.lock();
    try {
      ttlTask = null;
      if (deleted) {
        return;
      }
      expireHeadsLocked(System.nanoTime());
      scheduleExpiryLocked();
    } finally {
      unlockAndFlush();
    }
  }

  /**
   * For {@code x-expires}: whether the queue is still in use, i.e. has consumers or was used within
   * its lease; if so, schedules the next check (a full lease while consumers exist, else the rest
   * of this one).
   */
  private boolean inUseLocked(boolean hasConsumers) {
    long lease = TimeUnit.MILLISECONDS.toNanos(args.expires());
    long idle = System.nanoTime() - lastUsed;
    if (hasConsumers || idle < lease) {
      scheduleIdleCheck(hasConsumers ? lease : lease - idle);
      return true;
    }
    return false;
  }

  /**
   * Schedules the {@code x-expires} check. It goes through the virtual host ({@link
   * ServerVirtualHost#deleteExpiredQueue}), which takes the topology lock before this queue's lock,
   * as the lock order requires; so this task never takes the queue's lock itself.
   */
  private void scheduleIdleCheck(long delayNanos) {
    BrokerTimer timer = vhost.timer();
    if (timer != null) {
      timer.schedule(() -> vhost.deleteExpiredQueue(this), delayNanos);
    }
  }

  // ---- held for a redelivery delay ---------------------------------------------------------

  /**
   * Holds an entry until {@code dueAt}.
   *
   * @param dueAt the {@link System#nanoTime()} from which it is ready again
   * @return false if the broker has no timer (the caller makes it ready at once)
   */
  private boolean holdForRedeliveryLocked(QueueEntry e, long dueAt) {
    if (vhost.timer() == null) {
      return false;
    }
    if (held == null) {
      held = new PriorityQueue<>(BY_DUE);
    }
    held.add(new Held(dueAt, e));
    scheduleRedeliveryLocked();
    return true;
  }

  /**
   * Drops every held entry (purge, delete: they leave the broker, and the store if written) and
   * stops the timer task.
   *
   * @return how many were dropped
   */
  private int dropHeldLocked() {
    if (redeliveryTask != null) {
      redeliveryTask.cancel(false);
      redeliveryTask = null;
    }
    if (held == null || held.isEmpty()) {
      return 0;
    }
    int n = held.size();
    List<Held> all = new ArrayList<>(held);
    held.clear();
    for (Held h : all) {
      h.entry.settled();
    }
    return n;
  }

  /** Makes sure the timer fires at the earliest due time, if anything is held. */
  private void scheduleRedeliveryLocked() {
    BrokerTimer timer = vhost.timer();
    if (timer == null || held == null || held.isEmpty() || deleted) {
      return;
    }
    long next = held.peek().dueAt;
    if (redeliveryTask != null && redeliveryTaskAt - next <= 0) {
      return; // fires no later than needed; it reschedules for the rest
    }
    if (redeliveryTask != null) {
      redeliveryTask.cancel(false);
    }
    redeliveryTaskAt = next;
    redeliveryTask = timer.schedule(this::releaseHeldByTimer, next - System.nanoTime() + 1);
  }

  /** The timer's task: makes the held entries that are due ready again, at their place. */
  private void releaseHeldByTimer() {
    lock.lock();
    try {
      redeliveryTask = null;
      if (deleted || held == null) {
        return;
      }
      long now = System.nanoTime();
      boolean any = false;
      Held h;
      while ((h = held.peek()) != null && now - h.dueAt >= 0) {
        held.poll();
        readyRequeuedLocked(h.entry);
        any = true;
      }
      if (any) {
        afterReadyLocked();
      }
      scheduleRedeliveryLocked();
    } finally {
      unlockAndFlush();
    }
  }

  // ---- dispatch ----------------------------------------------------------------------------

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
    dispatchLocked(System.nanoTime());
  }

  /**
   * Hands ready entries to consumers round-robin (only to the oldest consumer with {@code
   * x-single-active-consumer}), dropping heads expired at {@code now}.
   *
   * <p>Each consumer's channel is asked to take an entry ({@link ServerChannel#tryDeliver}), which
   * takes the channel's lock inside this queue's (lock order queue, then channel). A channel never
   * calls back into a queue while it holds its lock, so the consumers cannot change during a
   * dispatch.
   */
  private void dispatchLocked(long now) {
    if (paused) {
      return; // see "Management" below
    }
    if (selectorConsumers > 0) {
      dispatchWithSelectorsLocked(now);
      return;
    }
    boolean single = args.singleActiveConsumer();
    while (ready > 0) {
      ServerConsumer[] cs = consumers;
      int n = cs.length;
      if (n == 0) {
        return;
      }
      ReadyList level = highestLevelLocked();
      QueueEntry e = level.peek();
      if (e.isExpired(now)) {
        level.poll();
        removedLocked(e);
        dropLocked(e, DeadLetterer.EXPIRED);
        continue;
      }
      boolean delivered = false;
      int tries = single ? 1 : n;
      int start = single ? 0 : nextConsumer;
      for (int i = 0; i < tries; i++) {
        int idx = start + i;
        if (idx >= n) {
          idx -= n;
        }
        ServerConsumer c = cs[idx];
        if (c.channel.tryDeliver(c, e)) {
          level.poll();
          removedLocked(e);
          if (!c.autoAck) {
            vhost.durability().delivered(e);
          }
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

  /**
   * Dispatch when some consumer has a JMS selector ({@code x-jms-selector}): entries are taken in
   * delivery order, each by the next consumer (round-robin) whose selector matches and that has
   * credit; an entry no consumer wants stays where it is for later consumers (DESIGN.md: "the queue
   * skips messages that do not match, keeping them for others"). Costs a scan of the ready entries
   * per dispatch, so it is used only while such consumers exist; the scan ends as soon as every
   * consumer is out of credit.
   */
  private void dispatchWithSelectorsLocked(long now) {
    ServerConsumer[] cs = consumers;
    int n = cs.length;
    if (n == 0 || ready == 0) {
      return;
    }
    boolean single = args.singleActiveConsumer();
    boolean[] full = new boolean[n];
    int fullCount = 0;
    for (int p = levels.length - 1; p >= 0; p--) {
      ReadyList level = levels[p];
      if (level.isEmpty()) {
        continue;
      }
      for (QueueEntry e : level.inDeliveryOrder()) {
        if (e.isExpired(now)) {
          level.remove(e);
          removedLocked(e);
          dropLocked(e, DeadLetterer.EXPIRED);
          continue;
        }
        int tries = single ? 1 : n;
        int start = single ? 0 : nextConsumer;
        for (int i = 0; i < tries; i++) {
          int idx = (start + i) % n;
          ServerConsumer c = cs[idx];
          if (full[idx] || (c.selector != null && !c.selector.matches(e.properties))) {
            continue;
          }
          if (c.channel.tryDeliver(c, e)) {
            level.remove(e);
            removedLocked(e);
            if (!c.autoAck) {
              vhost.durability().delivered(e); // recovers as redelivered
            }
            nextConsumer = idx + 1 == n ? 0 : idx + 1;
            break;
          }
          full[idx] = true;
          if (++fullCount == (single ? 1 : n)) {
            return;
          }
        }
      }
    }
  }

  /** The ready list to deliver from next: the highest non-empty priority level; lock held. */
  private ReadyList highestLevelLocked() {
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
      lastUsed = now;
      out = new ArrayList<>(ready);
      for (int p = maxPriority; p >= 0; p--) {
        for (QueueEntry e : levels[p].inDeliveryOrder()) {
          if (!e.isExpired(now)) {
            out.add(e.browsed());
          }
        }
      }
      tail =
          pager == null || !pager.isPaging()
              ? null
              : new QueuePageReader.Snapshot(
                  pager.cursor, pager.pendingSnapshot(), pager.transientSnapshot());
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
      if (deleted || paused) {
        return null;
      }
      long now = System.nanoTime();
      lastUsed = now;
      if (ready == 0 && pagedCount() > 0) {
        pageInLocked();
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
      if (inUseLocked(consumers.length > 0)) {
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
      if (exclusiveConsumer || (exclusive && consumers.length > 0)) {
        throw new AmqpException(
            ReplyCode.ACCESS_REFUSED, Errors.describe("queue", name, vhost) + " in exclusive use");
      }
      ServerConsumer[] updated = Arrays.copyOf(consumers, consumers.length + 1);
      updated[consumers.length] = c;
      consumers = updated;
      if (c.selector != null) {
        selectorConsumers++;
      }
      exclusiveConsumer = exclusive;
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
      int i = Arrays.asList(consumers).indexOf(c);
      if (i < 0) {
        return false;
      }
      ServerConsumer[] updated = new ServerConsumer[consumers.length - 1];
      System.arraycopy(consumers, 0, updated, 0, i);
      System.arraycopy(consumers, i + 1, updated, i, consumers.length - i - 1);
      consumers = updated;
      if (c.selector != null) {
        selectorConsumers--;
      }
      // the round-robin position stays on the consumer that was next
      if (nextConsumer > i) {
        nextConsumer--;
      }
      if (nextConsumer >= updated.length) {
        nextConsumer = 0;
      }
      exclusiveConsumer = false;
      boolean none = consumers.length == 0;
      if (none) {
        lastUsed = System.nanoTime();
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
      List<QueueEntry> kept = pager != null && pager.isPaging() ? keepHeldLocked() : List.of();
      long n = ready + pagedCount() - kept.size() + dropHeldLocked();
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
      if (onlyIfNoConsumers && consumers.length > 0) {
        return null;
      }
      if (ifUnused && consumers.length > 0) {
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
    long n = ready + pagedCount() + dropHeldLocked();
    ServerConsumer[] cancelled = consumers;
    consumers = NO_CONSUMERS;
    clearReadyLocked();
    if (pager != null) {
      pager.dropAll(nextSeq); // the store deletes the queue's entries with the queue
    }
    if (ttlTask != null) {
      ttlTask.cancel(false);
      ttlTask = null;
    }
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
   * Ready messages, paged-out ones included (not counting unacked ones nor the ones held for a
   * redelivery delay); capped at 2^31-1.
   */
  public int messageCount() {
    lock.lock();
    try {
      return (int) Math.min(Integer.MAX_VALUE, ready + pagedCount());
    } finally {
      lock.unlock();
    }
  }

  /**
   * A snapshot of the queue's counters, taken under its lock: {@code [ready, readyBytesInHeap,
   * consumers]}; ready includes paged-out messages.
   */
  long[] counters() {
    lock.lock();
    try {
      return new long[] {ready + pagedCount(), readyBytes, consumers.length};
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

  // ---- management (JMX: QueueControl) --------------------------------------------------------
  //
  // ActiveMQ Artemis' QueueControl operations on ready messages (never on unacked ones, nor on
  // the entries that recovered prepared XA branches hold, nor on those held for a redelivery
  // delay). Counting and listing read a browse. Taking entries out (remove, move, retry) runs in
  // three steps, so that a move is safe against a crash (the destination's store write commits
  // before the source's removal is written: duplicates at worst, never a loss):
  //   1. takeMatching, under the lock: the matching entries leave the ready lists and the tail
  //      (the tail's stored rows are read under the lock, page by page, blocking I/O as in a
  //      purge with XA-held entries); they stay in the store and count as held in heap, like
  //      unacked entries. While entries are out (takingOut > 0) no page read runs, since their
  //      rows are still in the store after the cursor and would be read back as ready.
  //   2. without any queue lock: the caller offers them to their destination queue(s) and
  //      waits for that store commit, then settles them here in one unit and waits for it.
  //   3. finishTaking, under the lock: what could not be placed comes back at its place by
  //      arrival, and page reads resume.

  /**
   * Whether delivery to consumers and {@code basic.get} are paused (Artemis' {@code
   * QueueControl.pause}); publishes still enqueue. In memory only: a restart resumes. Guarded by
   * lock.
   */
  private boolean paused;

  /** Management operations between takeMatching and finishTaking; guarded by lock. */
  private int takingOut;

  /** Pauses delivery: consumers and {@code basic.get} get nothing until {@link #resume()}. */
  void pause() {
    lock.lock();
    try {
      paused = true;
    } finally {
      lock.unlock();
    }
  }

  /** Resumes delivery and dispatches what is ready. */
  void resume() {
    lock.lock();
    try {
      paused = false;
      dispatchLocked();
      scheduleExpiryLocked();
    } finally {
      unlockAndFlush();
    }
  }

  boolean isPaused() {
    lock.lock();
    try {
      return paused;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the queue was deleted. */
  boolean isDeleted() {
    lock.lock();
    try {
      return deleted;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Step 1 of a removal or transfer (see above): takes the ready entries (paged-out ones included)
   * whose properties {@code match} out of the queue, in delivery order, then the tail in arrival
   * order. The caller must call {@link #finishTaking} afterwards, always.
   *
   * @return the entries taken: held in heap, still in the store if written
   * @throws RuntimeException if the store fails while reading the tail (nothing is taken then)
   */
  List<QueueEntry> takeMatching(Predicate<BasicProperties> match) {
    lock.lock();
    try {
      List<QueueEntry> out = new ArrayList<>();
      if (deleted) {
        takingOut++;
        return out;
      }
      // the store read first: if it fails, nothing was taken
      boolean tail = pager != null && pager.isPaging();
      List<StoredEntry> rows = tail ? readTailMatchesLocked(match) : List.of();
      takingOut++;
      for (int p = maxPriority; p >= 0; p--) {
        ReadyList level = levels[p];
        if (level.isEmpty()) {
          continue;
        }
        List<QueueEntry> all = level.inDeliveryOrder();
        List<QueueEntry> kept = new ArrayList<>(all.size());
        for (QueueEntry e : all) {
          if (match.test(e.properties)) {
            removedLocked(e);
            out.add(e);
          } else {
            kept.add(e);
          }
        }
        if (kept.size() < all.size()) {
          level.clear();
          kept.forEach(level::add); // in delivery order
        }
      }
      if (tail) {
        takeFromTailLocked(match, rows, out);
      }
      return out;
    } finally {
      unlockAndFlush();
    }
  }

  /**
   * The stored rows of the tail (after the cursor) that match, in {@code seq} order, except the
   * ones recovered prepared XA branches hold; read under the lock, page by page.
   */
  private List<StoredEntry> readTailMatchesLocked(Predicate<BasicProperties> match) {
    Set<Long> xaHeld = new HashSet<>(vhost.durability().xa().heldMessageIdsLocked(this));
    List<StoredEntry> rows = new ArrayList<>();
    long from = pager.cursor;
    while (true) {
      List<StoredEntry> page = reader.readPage(from, Long.MAX_VALUE);
      if (page.isEmpty()) {
        return rows;
      }
      for (StoredEntry row : page) {
        if (!xaHeld.contains(row.message().messageId()) && match.test(row.message().properties())) {
          rows.add(row);
        }
      }
      from = page.get(page.size() - 1).seq();
    }
  }

  /**
   * The tail part of {@link #takeMatching}: the matching stored rows merged by {@code seq} with the
   * matching in-heap pending and transient entries (the in-heap copy of a row is the entry the tail
   * holds, as in a page-in), taken out of the tail in arrival order.
   */
  private void takeFromTailLocked(
      Predicate<BasicProperties> match, List<StoredEntry> rows, List<QueueEntry> out) {
    TreeMap<Long, Object> taken = new TreeMap<>();
    for (StoredEntry row : rows) {
      taken.put(row.seq(), row);
    }
    List<QueueEntry> inHeap = new ArrayList<>(pager.pendingSnapshot());
    inHeap.addAll(pager.transientSnapshot());
    for (QueueEntry e : inHeap) {
      if (match.test(e.properties)) {
        taken.put(e.seq, e);
      }
    }
    pager.epoch++; // a read on the paging thread started before is stale
    for (Object o : taken.values()) {
      QueueEntry e;
      if (o instanceof QueueEntry inHeapEntry) {
        e = inHeapEntry;
        pager.removeInHeap(e);
      } else {
        e = reader.fromStore((StoredEntry) o);
        pager.removeStored(e.body.length);
      }
      out.add(e);
    }
  }

  /**
   * Step 3 (see above): ends a {@link #takeMatching}; {@code back} (entries that could not be
   * placed) returns at its place by arrival, or is settled if the queue was deleted meanwhile.
   */
  void finishTaking(List<QueueEntry> back) {
    lock.lock();
    try {
      takingOut--;
      if (deleted) {
        QueueEntries.settleAll(back);
        return;
      }
      List<QueueEntry> toTail = new ArrayList<>();
      for (QueueEntry e : back) {
        // above the cursor, its row would be read again by a page-in: it belongs to the tail
        if (pager != null && e.seq > pager.cursor) {
          toTail.add(e);
        } else {
          readyRequeuedLocked(e);
        }
      }
      if (!toTail.isEmpty()) {
        pager.restore(toTail);
      }
      afterReadyLocked();
    } finally {
      unlockAndFlush();
    }
  }

  @Override
  public String toString() {
    return "queue '" + name + "'";
  }
}
