package io.warrenmq.engine;

import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.internal.NoMessageStore;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The engine's durable store (SPI): a narrow, append-style log of what must survive a restart, in
 * the spirit of ActiveMQ Artemis' journal. The engine calls it only for durable state: virtual
 * hosts, users and permissions ({@link Users}), durable exchanges, durable non-exclusive queues,
 * bindings between durable ends, persistent messages ({@code delivery-mode} 2) in durable queues,
 * and persistent messages held by durable {@code x-delayed-message} exchanges ({@link
 * #storeDelayedMessage}). Transient messages and non-durable queues are never written. Passwords
 * are never passed, only their hashes ({@link UserInfo}).
 *
 * <p>A message routed to N durable queues is passed to {@link #enqueue} N times with the same
 * {@link StoredMessage#messageId()}, all to one {@link UnitOfWork} (so that a store can tell a
 * shared message from one held by a single queue without remembering every message): the store
 * keeps one message row and N queue-entry rows, and removes the message row when its last entry is
 * removed by {@link #dequeue} or {@link #deleteQueue}. A message id passed to {@link #enqueue}
 * outside a unit of work is never passed again for another queue.
 *
 * <p>Every write returns a stage completed (normally or exceptionally) once the store transaction
 * that holds it has committed (or failed). Publisher confirms of persistent messages and {@code
 * tx.commit} wait for these stages (DESIGN.md "Transactions"). Stages may be completed on the
 * store's own thread: callers must not block in their callbacks.
 *
 * <p>Ordering: operations issued by one thread are applied in the order issued; an operation issued
 * after another completed (or after it was issued under a common lock) is applied after it. The
 * engine issues an entry's {@link #enqueue} under its queue's lock before the entry can be
 * delivered, so that its {@link #markDelivered} and {@link #dequeue} follow it. An operation issued
 * to a {@link UnitOfWork} counts as issued when it is added to the unit, not when the unit commits:
 * a {@link #dequeue} or {@link #markDelivered} of an entry whose enqueue is in a unit not committed
 * yet (a consumer on another thread acked it at once) is applied after that enqueue.
 *
 * <p>Concurrency: implementations are thread-safe; the write methods never block for I/O (they
 * queue the work), except {@link #recover} and {@link #close}.
 *
 * <p>{@link #NONE} is the in-memory default: it writes nothing and completes every stage at once,
 * so a broker without a store behaves and performs as before.
 */
public interface MessageStore extends AutoCloseable {

  /** The in-memory default: no durability, every stage already completed. */
  MessageStore NONE = NoMessageStore.INSTANCE;

  /**
   * Whether this store keeps anything. When false the engine makes no calls for messages and
   * topology (so {@link #NONE} costs nothing on the publish path).
   */
  boolean isDurable();

  /** Records a durable exchange (not the predeclared ones). */
  CompletionStage<Void> storeExchange(String virtualHost, ExchangeSpec spec);

  /** Forgets a durable exchange; its bindings are deleted by separate calls. */
  CompletionStage<Void> deleteExchange(String virtualHost, String exchange);

  /** Records a durable queue with its arguments. */
  CompletionStage<Void> storeQueue(String virtualHost, QueueSpec spec);

  /** Forgets a durable queue and every entry it holds (messages left without entries go too). */
  CompletionStage<Void> deleteQueue(String virtualHost, String queue);

  /** Records a binding whose source and destination are both durable. */
  CompletionStage<Void> storeBinding(StoredBinding binding);

  /** Forgets a binding recorded by {@link #storeBinding} (matched on every component). */
  CompletionStage<Void> deleteBinding(StoredBinding binding);

  /**
   * Records a virtual host (RabbitMQ's {@code add_vhost}). The default implementation keeps
   * nothing: a store that does not override it forgets virtual hosts, users and permissions.
   */
  default CompletionStage<Void> storeVirtualHost(String virtualHost) {
    return CompletableFuture.completedStage(null);
  }

  /**
   * Forgets a virtual host with everything stored in it: its exchanges, queues (with their
   * entries), bindings and the permissions on it. Default: keeps nothing.
   */
  default CompletionStage<Void> deleteVirtualHost(String virtualHost) {
    return CompletableFuture.completedStage(null);
  }

  /**
   * Records a user, replacing a stored one of the same name (its permissions are kept). Only the
   * password hash is passed, never the password. Default: keeps nothing.
   */
  default CompletionStage<Void> storeUser(UserInfo user) {
    return CompletableFuture.completedStage(null);
  }

  /** Forgets a user and all its permissions. Default: keeps nothing. */
  default CompletionStage<Void> deleteUser(String user) {
    return CompletableFuture.completedStage(null);
  }

  /**
   * Records a user's permissions in a virtual host, replacing stored ones for that pair. Default:
   * keeps nothing.
   */
  default CompletionStage<Void> storePermission(PermissionInfo permission) {
    return CompletableFuture.completedStage(null);
  }

  /** Forgets a user's permissions in a virtual host. Default: keeps nothing. */
  default CompletionStage<Void> deletePermission(String user, String virtualHost) {
    return CompletableFuture.completedStage(null);
  }

  /**
   * The id of a persistent message published to exactly one durable queue, made by the store from
   * the queue and the entry's position, or 0 to let the broker take the next id of its own counter
   * (the default). A store whose rows are keyed by such ids keeps a queue's messages together in
   * queue order without a second index (the JDBC store: one B-tree entry per publish instead of
   * two).
   *
   * <p>Contract: an id returned here is unique in the store, is never an id the broker's counter
   * can reach from the {@link RecoveryHandler#lastMessageId} the store reports, and is not 0. The
   * broker calls this under the queue's lock for each entry it is about to {@link #enqueue}, so it
   * must not block (no I/O). Messages routed to several queues keep one counter id for all of them.
   *
   * @param virtualHost the queue's virtual host
   * @param queue the queue's name
   * @param seq the entry's position in the queue, as it will be passed to {@link #enqueue}
   * @return the message id, or 0
   */
  default long messageIdFor(String virtualHost, String queue, long seq) {
    return 0;
  }

  /**
   * Appends a persistent message to a durable queue.
   *
   * @param virtualHost the queue's virtual host
   * @param queue the queue's name
   * @param seq the entry's position in the queue (increasing per queue; recovery order)
   * @param message the message; its body array must not be modified afterwards
   */
  CompletionStage<Void> enqueue(String virtualHost, String queue, long seq, StoredMessage message);

  /** Removes a message from a queue (acked, dropped, expired, dead-lettered or purged). */
  CompletionStage<Void> dequeue(String virtualHost, String queue, long messageId);

  /** Records that a message was delivered from a queue: it recovers as {@code redelivered}. */
  CompletionStage<Void> markDelivered(String virtualHost, String queue, long messageId);

  /**
   * Removes every entry of a queue whose {@code seq} is above {@code afterSeq}: the paged-out part
   * of a queue that is purged (AMQP {@code queue.purge}). Ordered like the other writes: entries
   * enqueued before this call are removed, later ones are not.
   *
   * <p>Default: unsupported (a store that never returns entries from {@link #readEntries} has no
   * paged-out entries, and the engine never calls this).
   */
  default CompletionStage<Void> dequeueAfter(String virtualHost, String queue, long afterSeq) {
    return CompletableFuture.failedStage(
        new UnsupportedOperationException("this store does not page queues"));
  }

  /**
   * Removes every entry of a queue whose {@code seq} is above {@code afterSeq} and below {@code
   * beforeSeq}: {@link #dequeueAfter} with an upper bound, so that a purge can leave the entries
   * held by prepared XA branches in place (they are not ready: RabbitMQ's {@code queue.purge}
   * removes ready messages only). Ordered like the other writes.
   *
   * <p>Default: {@link #dequeueAfter} when {@code beforeSeq} is {@link Long#MAX_VALUE}, otherwise
   * unsupported (the engine calls it only for a queue that pages).
   *
   * @param beforeSeq exclusive upper bound; {@link Long#MAX_VALUE}: no bound
   */
  default CompletionStage<Void> dequeueRange(
      String virtualHost, String queue, long afterSeq, long beforeSeq) {
    if (beforeSeq == Long.MAX_VALUE) {
      return dequeueAfter(virtualHost, queue, afterSeq);
    }
    return CompletableFuture.failedStage(
        new UnsupportedOperationException("this store does not page queues"));
  }

  /**
   * Reads the stored entries of a queue that hold the given messages (those it still holds; in
   * {@code seq} order): what a recovered prepared XA branch holds of a queue's paged-out tail, read
   * when the branch commits (to dead-letter its rejected messages) or when the queue is purged (to
   * keep them for the branch). Sees what {@link #readEntries} sees.
   *
   * <p>Blocking: does I/O on the calling thread. Default: nothing (a store that never returns
   * entries from {@link #readEntries} keeps no paged-out entries).
   *
   * @param messageIds store ids of messages of {@code queue}; may be empty
   * @return the entries found, possibly fewer than asked; never null
   * @throws IllegalStateException if the store cannot be read (the message says why)
   */
  default List<StoredEntry> readEntriesById(
      String virtualHost, String queue, java.util.Collection<Long> messageIds) {
    return List.of();
  }

  /**
   * Reads a page of a queue's stored entries (paging, DESIGN.md "Memory"): those with {@code seq}
   * above {@code afterSeq}, in {@code seq} order, at most {@code maxEntries}, stopping after the
   * entry that brings the total body size to {@code maxBytes} or more (so at least one entry if
   * there is any). Every {@link #enqueue} whose stage completed before this call is seen; entries
   * removed by a completed {@link #dequeue} are not.
   *
   * <p>Blocking: does I/O on the calling thread. The engine calls it from its paging thread, never
   * under a queue lock, and once per queue at a time.
   *
   * @param maxEntries at least 1
   * @param maxBytes body bytes, at least 1
   * @return the entries, possibly empty; never null
   * @throws IllegalStateException if the store cannot be read (the message says why)
   */
  default List<StoredEntry> readEntries(
      String virtualHost, String queue, long afterSeq, int maxEntries, long maxBytes) {
    return List.of();
  }

  /**
   * Records a persistent message held by a durable {@code x-delayed-message} exchange until it is
   * due (the publish is confirmed once the stage completes). When it is due the engine routes it
   * and forgets it with {@link UnitOfWork#deleteDelayedMessage} in the unit that enqueues it, so it
   * is delivered once, neither lost nor doubled by a crash in between.
   *
   * <p>Default: keeps nothing (a completed stage): with such a store held messages are in memory
   * only and lost on restart.
   */
  default CompletionStage<Void> storeDelayedMessage(StoredDelayedMessage message) {
    return CompletableFuture.completedStage(null);
  }

  /**
   * Begins a unit of work: operations added to the returned handle are written in one store
   * transaction when it is {@linkplain UnitOfWork#commit committed} (the unit of work of {@code
   * tx.commit} and {@code dtx.commit}, DESIGN.md "Transactions", and of a publish routed to several
   * durable queues). Nothing is written before {@link UnitOfWork#commit}.
   *
   * <p>Never blocks. The caller must commit every unit it begins, also when its own work failed
   * half-way (what it changed in memory must be durable too): a unit never committed holds its
   * enqueues' stages forever.
   *
   * @return a new unit, used by the calling thread
   */
  UnitOfWork beginUnitOfWork();

  /**
   * Writes a prepared XA branch (its publishes with their target queues, its acks) in one store
   * transaction; the stage completes after that commit ({@code dtx.prepare} answers then). Default:
   * unsupported (the engine then fails prepare with XAER_RMERR).
   */
  default CompletionStage<Void> prepareBranch(PreparedBranch branch) {
    return CompletableFuture.failedStage(
        new UnsupportedOperationException("this store does not keep XA branches"));
  }

  /**
   * Forgets a prepared branch, alone (a rollback). A commit forgets it with {@link
   * UnitOfWork#forgetBranch} in the unit that applies the branch, so that its enqueues, dequeues
   * and the branch's removal commit together. Default: unsupported.
   */
  default CompletionStage<Void> forgetBranch(
      int formatId, byte[] globalTransactionId, byte[] branchQualifier) {
    return CompletableFuture.failedStage(
        new UnsupportedOperationException("this store does not keep XA branches"));
  }

  /**
   * Replays the stored state at broker start-up, before any client connects: every virtual host,
   * then every user, then every permission, then every exchange, then every queue, then every
   * binding, then for every queue holding entries its {@link RecoveryHandler#queueEntries summary}
   * (the entries themselves are read later, page by page, with {@link #readEntries}), then every
   * prepared XA branch, then every stored delayed message, then the highest message id in use
   * (delayed messages' ids included).
   *
   * @throws IllegalStateException if the stored state cannot be read
   */
  void recover(RecoveryHandler handler);

  /** Writes what is pending, then releases the store's resources. Idempotent. */
  @Override
  void close();

  /**
   * The store's own counters since it was opened, for monitoring (the broker exports them as {@code
   * warrenmq_store_*} Prometheus metrics). The default keeps none. Thread-safe; called at each
   * scrape, so it must be cheap (no I/O).
   */
  default StoreStats stats() {
    return StoreStats.NONE;
  }

  /**
   * The size of the store's own database file, bytes, for watching the disk it takes (the broker
   * exports it as the {@code warrenmq_store_file_bytes} Prometheus gauge). A store that keeps its
   * data in a database server (PostgreSQL), or none, returns empty, which is the default. The
   * embedded H2 store's file holds about the last 45 s of commits under load (README, "Durable
   * store"), so it can be far larger than the messages it holds. Thread-safe; called at each
   * scrape: one file-system call at most, no database access.
   *
   * @return the size in bytes, or empty when there is no such file or it cannot be read
   */
  default OptionalLong fileBytes() {
    return OptionalLong.empty();
  }

  /**
   * A store's group-commit counters since it was opened (see {@link #stats()}). A <em>batch</em> is
   * one group commit: the operations of many callers written in one transaction and made durable by
   * at most one sync.
   *
   * @param commits store transactions committed
   * @param syncs syncs done (an fsync, or a synchronous commit round trip), each shared by the
   *     batch's callers
   * @param syncNanos total time in syncs, ns
   * @param batches batches written
   * @param operations operations written in those batches (enqueue, dequeue, topology change...)
   * @param batchNanos total time writing batches, from the first statement to the end of the sync,
   *     ns
   * @param batchSizeCounts how many batches held [2<sup>i</sup>, 2<sup>i+1</sup>) operations, by
   *     {@code i}; the last element also counts anything larger; may be empty
   */
  record StoreStats(
      long commits,
      long syncs,
      long syncNanos,
      long batches,
      long operations,
      long batchNanos,
      List<Long> batchSizeCounts) {
    /** A store that keeps no counters. */
    public static final StoreStats NONE = new StoreStats(0, 0, 0, 0, 0, 0, List.of());

    /** Copies the list. */
    public StoreStats {
      batchSizeCounts = List.copyOf(batchSizeCounts);
    }
  }

  /**
   * Store operations that commit together, in one store transaction, or not at all: the explicit
   * form of "what commits together" ({@link MessageStore#beginUnitOfWork}). A message enqueued to
   * several queues in one unit is stored once, with an entry per queue.
   *
   * <pre>{@code
   * MessageStore.UnitOfWork unit = store.beginUnitOfWork();
   * unit.enqueue("/", "q1", seq1, message);
   * unit.enqueue("/", "q2", seq2, message); // same message id: one stored copy
   * unit.dequeue("/", "q3", ackedId);
   * CompletionStage<Void> done = unit.commit();
   * }</pre>
   *
   * <p>Atomicity: when the store transaction fails, or when an operation cannot be taken when it is
   * added (e.g. its message properties cannot be encoded), nothing of the unit is written and the
   * stage of {@link #commit} (also returned by {@link #enqueue}) completes exceptionally.
   *
   * <p>Ordering: an operation counts as issued when it is added (see {@link MessageStore}); the
   * unit's operations are applied in the order added.
   *
   * <p>Concurrency: not thread-safe. A unit is used by one thread at a time (it may be handed to
   * another thread with a happens-before edge, e.g. a lock), and committed once. After {@link
   * #commit}, every method (a second {@code commit} included) throws {@link IllegalStateException}
   * and changes nothing. The stages may be completed on the store's own thread: callers must not
   * block in their callbacks.
   */
  interface UnitOfWork {
    /**
     * Adds {@link MessageStore#enqueue} of a persistent message to a durable queue.
     *
     * @param seq the entry's position in the queue (increasing per queue; recovery order)
     * @param message the message; its body array must not be modified afterwards
     * @return the stage that {@link #commit} returns (the same object for every call): completed
     *     once the unit committed or failed
     * @throws IllegalStateException if the unit was committed
     */
    CompletionStage<Void> enqueue(
        String virtualHost, String queue, long seq, StoredMessage message);

    /**
     * Adds {@link MessageStore#dequeue}: an entry leaves a queue (acked, rejected, dead-lettered).
     *
     * @throws IllegalStateException if the unit was committed
     */
    void dequeue(String virtualHost, String queue, long messageId);

    /**
     * Adds {@link MessageStore#dequeueRange} (a purge around entries held by prepared XA branches).
     *
     * @throws IllegalStateException if the unit was committed
     * @throws UnsupportedOperationException if the store does not page queues
     */
    void dequeueRange(String virtualHost, String queue, long afterSeq, long beforeSeq);

    /**
     * Adds {@link MessageStore#storeDelayedMessage} (a delayed publish of a transaction).
     *
     * @return the stage that {@link #commit} returns
     * @throws IllegalStateException if the unit was committed
     */
    CompletionStage<Void> storeDelayedMessage(StoredDelayedMessage message);

    /**
     * Forgets a message stored by {@link MessageStore#storeDelayedMessage}: it was routed when due
     * (its enqueues are in this unit), or its exchange is gone. Unknown ids are ignored.
     *
     * @throws IllegalStateException if the unit was committed
     */
    void deleteDelayedMessage(String virtualHost, long messageId);

    /**
     * Adds {@link MessageStore#forgetBranch}: a prepared XA branch applied by this unit is
     * forgotten with it.
     *
     * @throws IllegalStateException if the unit was committed
     * @throws UnsupportedOperationException if the store does not keep XA branches
     */
    void forgetBranch(int formatId, byte[] globalTransactionId, byte[] branchQualifier);

    /**
     * Writes the unit's operations in one store transaction. Never blocks: the work is queued. A
     * unit without operations writes nothing and returns a completed stage.
     *
     * @return a stage completed after that transaction committed, or exceptionally if it (or an
     *     operation of the unit) failed; then none of the unit's operations is written
     * @throws IllegalStateException if the unit was committed already
     */
    CompletionStage<Void> commit();
  }

  /** Receives the stored state during {@link #recover}. Called on the recovering thread. */
  interface RecoveryHandler {
    /** A stored virtual host (called first). Default: ignored. */
    default void virtualHost(String virtualHost) {}

    /** A stored user, after the virtual hosts. Default: ignored. */
    default void user(UserInfo user) {}

    /** A stored permission, after the users. Default: ignored. */
    default void permission(PermissionInfo permission) {}

    /** A durable exchange. */
    void exchange(String virtualHost, ExchangeSpec spec);

    /** A durable queue. */
    void queue(String virtualHost, QueueSpec spec);

    /** A durable binding. */
    void binding(StoredBinding binding);

    /**
     * What a stored queue holds, after the bindings: the engine reads the entries themselves with
     * {@link MessageStore#readEntries} as its consumers drain the queue (paging), so recovering a
     * large backlog does not load it into heap.
     *
     * @param entries the number of entries, at least 1
     * @param bodyBytes the total size of their bodies, in bytes
     * @param lastSeq the highest {@code seq} among them
     */
    void queueEntries(String virtualHost, String queue, long entries, long bodyBytes, long lastSeq);

    /**
     * A prepared XA branch, after every queue's entries: the engine keeps the messages it acked
     * away from consumers until {@code dtx.commit} or {@code dtx.rollback} decides. Default:
     * ignored.
     */
    default void preparedBranch(PreparedBranch branch) {}

    /**
     * A message held by a delayed exchange ({@link MessageStore#storeDelayedMessage}), after the
     * prepared branches: the engine routes it when due, at once if it is late. Default: ignored.
     */
    default void delayedMessage(StoredDelayedMessage message) {}

    /**
     * The highest message id the store holds that its broker's counter assigned (called last, also
     * when 0): ids the engine assigns later must be above it. Ids the store made itself ({@link
     * MessageStore#messageIdFor}) are not counted.
     */
    void lastMessageId(long messageId);
  }
}
