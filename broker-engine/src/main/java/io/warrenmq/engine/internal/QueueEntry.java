package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import io.warrenmq.engine.MessageStore;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One message as held by one queue: the unit that is enqueued, delivered, acked and requeued.
 *
 * <p>A message routed to several queues gets one entry per queue, all sharing the same {@code
 * properties} object and {@code body} array (never copied). Besides the queue entry and the {@link
 * io.warrenmq.client.Delivery} record, no object is allocated per message on the hot path: the
 * entry itself carries its delivery state while it is unacked on a channel.
 *
 * <p>Concurrency: the message fields are final. {@link #seq} and {@link #deliveryCount} are guarded
 * by the lock of {@link #queue} while the entry is ready; the delivery fields ({@link
 * #deliveryTag}, {@link #consumer}, {@link #txPending}) by the lock of the channel the entry is
 * delivered on. An entry is in exactly one place at a time: ready in its queue, held by its queue
 * for a redelivery delay (under the queue's lock), unacked (or about to be handed to a callback) on
 * one channel, or in an XA branch, so the two locks never guard it at once.
 */
public final class QueueEntry {
  private static final AtomicIntegerFieldUpdater<QueueEntry> HELD =
      AtomicIntegerFieldUpdater.newUpdater(QueueEntry.class, "held");

  final Queue queue;
  final String exchange;
  final String routingKey;
  final BasicProperties properties;
  final byte[] body;

  /** Priority level in the queue, already capped at the queue's {@code x-max-priority}. */
  final int priority;

  /** Position in the queue's arrival order, for requeueing in original order. */
  long seq;

  /** Earlier deliveries that ended in a requeue; becomes {@code x-delivery-count}. */
  int deliveryCount;

  /** Whether the entry has a deadline ({@code x-message-ttl} or {@code expiration}). */
  boolean expires;

  /** The {@link System#nanoTime()} after which the entry is expired, if {@link #expires}. */
  long expiresAt;

  /** 1 while the body counts against the broker's memory limit (see {@link MemoryMonitor}). */
  private volatile int held;

  /**
   * The id under which the {@link io.warrenmq.engine.MessageStore} keeps this entry's message; 0 if
   * it is not written (transient message, non-durable queue, or no store).
   */
  long messageId;

  /**
   * Set once the store committed this entry's enqueue (written entries only): a paged-out entry may
   * then be dropped from heap and read back later ({@link QueuePager}).
   */
  volatile boolean committed;

  /** Whether the store was told that this entry was delivered; guarded by the queue's lock. */
  boolean deliveredStored;

  long deliveryTag;

  /** The consumer it is delivered to, null for {@code basic.get}. */
  ServerConsumer consumer;

  /** Acked (or rejected) inside an uncommitted transaction. */
  boolean txPending;

  QueueEntry(
      Queue queue,
      String exchange,
      String routingKey,
      BasicProperties properties,
      byte[] body,
      int priority) {
    this.queue = queue;
    this.exchange = exchange;
    this.routingKey = routingKey;
    this.properties = properties;
    this.body = body;
    this.priority = priority;
  }

  /** Starts counting the body against the memory limit. */
  void hold() {
    held = 1;
    queue.memory().add(body.length);
  }

  /**
   * The entry left the broker (acked, dropped, expired, dead-lettered, purged, or its queue
   * deleted): stops counting its body. Idempotent and thread-safe, so that every exit path may call
   * it.
   */
  void settled() {
    settled(null);
  }

  /**
   * {@link #settled()}, its store removal added to {@code unit} (a transaction's ack: it commits
   * with the transaction's other work), or written on its own if {@code unit} is null.
   */
  void settled(MessageStore.UnitOfWork unit) {
    if (held == 1 && HELD.compareAndSet(this, 1, 0)) {
      queue.memory().release(body.length);
      if (messageId != 0) {
        queue.virtualHost().durability().removed(this, unit);
      }
    }
  }

  /**
   * Stops counting the body against the memory limit without leaving the queue: a paged-out entry
   * dropped from heap because the store holds it ({@link QueuePager}).
   */
  void unhold() {
    if (held == 1 && HELD.compareAndSet(this, 1, 0)) {
      queue.memory().release(body.length);
    }
  }

  /** Whether the body counts against the memory limit (the entry is in the broker, in heap). */
  boolean isHeld() {
    return held == 1;
  }

  /** Whether the entry's deadline has passed at {@code now} ({@link System#nanoTime()}). */
  boolean isExpired(long now) {
    return expires && now - expiresAt > 0;
  }

  /** The properties to deliver: the original object, or a copy with {@code x-delivery-count}. */
  BasicProperties deliveryProperties() {
    if (deliveryCount == 0) {
      return properties;
    }
    return properties.toBuilder().header("x-delivery-count", (long) deliveryCount).build();
  }

  /** This entry as a browser sees it: no consumer tag or delivery tag, nothing settled. */
  Delivery browsed() {
    return new Delivery(
        null, 0, deliveryCount > 0, exchange, routingKey, deliveryProperties(), body);
  }
}
