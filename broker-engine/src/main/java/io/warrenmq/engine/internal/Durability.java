package io.warrenmq.engine.internal;

import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.StoredBinding;
import io.warrenmq.engine.StoredMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker's link to its {@link MessageStore}: which state is durable, and the message ids.
 *
 * <p>What is written (RabbitMQ's rules): durable exchanges except the predeclared ones; durable
 * queues that are not exclusive (RabbitMQ deletes exclusive queues with their connection); bindings
 * whose source and destination are both written; persistent messages in written queues.
 *
 * <p>Paging (DESIGN.md "Memory"): queues that are written page beyond {@link #queueWindowBytes()}
 * and read their paged-out entries back on one thread per broker, {@code warren-pager-<broker>},
 * started on first use and stopped by {@link #closePager}: reads are blocking JDBC calls that must
 * not hold a queue lock nor occupy a dispatch thread.
 *
 * <p>Concurrency: thread-safe; message ids come from one atomic counter, seeded above every
 * recovered id.
 */
public final class Durability {
  /** No store: nothing is durable. */
  public static final Durability NONE = new Durability(MessageStore.NONE, "none", Long.MAX_VALUE);

  private final MessageStore store;
  private final boolean durable;
  private final String brokerName;
  private final long queueWindowBytes;
  private final AtomicLong ids = new AtomicLong();
  private ExecutorService pager; // guarded by this
  private final XaResourceManager xa = new XaResourceManager(this);

  /**
   * @param brokerName names the paging thread
   * @param queueWindowBytes see {@link io.warrenmq.engine.BrokerConfig#queueWindowBytes()}
   */
  public Durability(MessageStore store, String brokerName, long queueWindowBytes) {
    this.store = store;
    this.durable = store.isDurable();
    this.brokerName = brokerName;
    this.queueWindowBytes = queueWindowBytes;
  }

  /** Body bytes a written queue keeps in heap before it pages. */
  long queueWindowBytes() {
    return queueWindowBytes;
  }

  /** Runs a page read on the paging thread (started on first use). */
  synchronized void page(Runnable read) {
    if (pager == null) {
      pager =
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "warren-pager-" + brokerName);
                t.setDaemon(true);
                return t;
              });
    }
    if (!pager.isShutdown()) {
      pager.execute(read);
    }
  }

  /** Stops the paging thread, waiting up to {@code timeoutMs} for a read in progress. */
  public void closePager(long timeoutMs) throws InterruptedException {
    ExecutorService p;
    synchronized (this) {
      p = pager;
      if (p == null) {
        return;
      }
      p.shutdown();
    }
    if (!p.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
      p.shutdownNow();
    }
  }

  /**
   * The broker's XA resource manager (one per broker: a broker creates one {@code Durability}; the
   * shared {@link #NONE} of test virtual hosts shares one).
   */
  public XaResourceManager xa() {
    return xa;
  }

  public MessageStore store() {
    return store;
  }

  /** Whether the store keeps anything. */
  public boolean isDurable() {
    return durable;
  }

  private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

  /**
   * A new store unit of work, or null when nothing is durable: callers pass the unit (or null) down
   * to the places that write, and commit it with {@link #commit}.
   */
  MessageStore.UnitOfWork beginUnitOfWork() {
    return durable ? store.beginUnitOfWork() : null;
  }

  /** Commits {@code unit}; a completed stage for null (nothing durable). */
  static CompletionStage<Void> commit(MessageStore.UnitOfWork unit) {
    return unit == null ? DONE : unit.commit();
  }

  /** A new message id, unique in the store. */
  long nextMessageId() {
    return ids.incrementAndGet();
  }

  /** The id of a message written to {@code q} alone: the store's if it makes one, else ours. */
  private long idFor(Queue q, long seq) {
    long id = store.messageIdFor(q.virtualHost().name(), q.name(), seq);
    return id != 0 ? id : nextMessageId();
  }

  /** Makes sure future ids are above {@code recovered}. */
  public void recovered(long messageId) {
    ids.accumulateAndGet(messageId, Math::max);
  }

  boolean isWritten(Queue q) {
    return durable && q.spec().durable() && !q.spec().exclusive();
  }

  boolean isWritten(Exchange x) {
    return durable && x.spec().durable() && !x.name().isEmpty() && !x.name().startsWith("amq.");
  }

  /** The stored form of a binding, or null if it is not durable. */
  StoredBinding stored(String vhost, Binding b) {
    // predeclared amq.* exchanges are durable ends too: their bindings are written
    if (!durable || !b.exchange().spec().durable()) {
      return null;
    }
    if (b.queue() != null) {
      return isWritten(b.queue())
          ? new StoredBinding(
              vhost, b.exchange().name(), b.queue().name(), false, b.bindingKey(), b.arguments())
          : null;
    }
    Exchange dst = b.destinationExchange();
    return dst.spec().durable()
        ? new StoredBinding(
            vhost, b.exchange().name(), dst.name(), true, b.bindingKey(), b.arguments())
        : null;
  }

  /**
   * Writes a new entry of a written queue; called under the queue's lock, before the entry can be
   * delivered, so that its later {@link #delivered} and {@link #removed} follow it in the store.
   * The publish's confirm ({@code pending}, may be null) waits for the commit.
   *
   * @param messageId the publish's id, shared by its target queues; 0 for a message written to this
   *     queue alone: the store's {@link MessageStore#messageIdFor} or the next counter id
   * @param unit the unit of work the enqueue belongs to, or null: written on its own
   */
  void stored(
      QueueEntry e,
      long messageId,
      PublisherConfirms.Pending pending,
      MessageStore.UnitOfWork unit) {
    Queue q = e.queue;
    e.messageId = messageId != 0 ? messageId : idFor(q, e.seq);
    StoredMessage m =
        new StoredMessage(e.messageId, e.exchange, e.routingKey, e.properties, e.body);
    CompletionStage<Void> stored =
        unit == null
            ? store.enqueue(q.virtualHost().name(), q.name(), e.seq, m)
            : unit.enqueue(q.virtualHost().name(), q.name(), e.seq, m);
    if (pending != null) {
      pending.hold();
    }
    stored.whenComplete(
        (v, failure) -> {
          if (failure == null) {
            e.committed = true;
          }
          if (pending != null) {
            pending.release(failure == null);
          }
        });
  }

  /**
   * A written entry was handed to a consumer (not auto-ack) or to {@code basic.get}: it recovers as
   * redelivered. Called under the queue's lock; written once per entry.
   */
  void delivered(QueueEntry e) {
    if (e.messageId != 0 && !e.deliveredStored) {
      e.deliveredStored = true;
      store.markDelivered(e.queue.virtualHost().name(), e.queue.name(), e.messageId);
    }
  }

  /**
   * A written entry left the broker (acked, dropped, expired, dead-lettered, purged).
   *
   * @param unit the unit of work the removal belongs to (a transaction's ack), or null
   */
  void removed(QueueEntry e, MessageStore.UnitOfWork unit) {
    if (unit == null) {
      store.dequeue(e.queue.virtualHost().name(), e.queue.name(), e.messageId);
    } else {
      unit.dequeue(e.queue.virtualHost().name(), e.queue.name(), e.messageId);
    }
  }
}
