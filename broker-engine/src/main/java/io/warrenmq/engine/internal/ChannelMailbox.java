package io.warrenmq.engine.internal;

import io.warrenmq.client.Delivery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The mailbox of one {@link ServerChannel}: its deliveries and notices (cancel, return, confirm) in
 * the order they were queued, handed to the client's callbacks by a drain task on the broker's
 * dispatch pool.
 *
 * <p>Why a mailbox with at most one drain task scheduled per channel: callbacks of one channel must
 * run one at a time and in delivery-tag order, never under a lock, and never on the thread of a
 * publisher or of a queue's dispatch; and a thread per channel would not scale with the number of
 * channels. A task drains a batch at a time and then reschedules itself, so that one busy channel
 * cannot hog a pool thread.
 *
 * <p>Concurrency: guarded by the channel's lock (the same {@link ReentrantLock}, not one of its
 * own), because {@link ServerChannel#tryDeliver} assigns a delivery's tag and appends it here under
 * one hold of that lock: that is what keeps tags in order in the mailbox when several queues
 * deliver to the channel at once. Methods named {@code *Locked} are called with the lock held;
 * {@link #post}, {@link #schedule} and the drain task take it themselves, and callbacks run without
 * it.
 *
 * <p>Bounded: at most {@value #MAX_DELIVERIES} deliveries wait here; beyond that {@link
 * ServerChannel#tryDeliver} refuses and the messages stay ready in their queues (where TTL, length
 * limits and paging still apply, and {@code queue.declare} counts them), until the drain has
 * brought the mailbox down to {@value #REFILL_AT} and asks the queues again: the credit between a
 * queue and a channel that RabbitMQ's credit flow keeps. When the channel's transport stops taking
 * deliveries (its socket is not writable), the drain gives the waiting deliveries back to their
 * queues instead of handing them over.
 */
final class ChannelMailbox {
  private static final System.Logger LOG = System.getLogger(ChannelMailbox.class.getName());
  private static final int DRAIN_BATCH = 256;

  /** Deliveries waiting here at most; a queue keeps the rest. */
  static final int MAX_DELIVERIES = 512;

  /** Once a refused queue was seen, the queues are asked again when this few deliveries wait. */
  static final int REFILL_AT = 256;

  private final ServerChannel channel;
  private final ReentrantLock lock;
  private final Executor executor;
  private final Runnable drainTask = this::drain;

  // guarded by lock: deliveries (QueueEntry) and notices (Runnable), in order
  private final ArrayDeque<Object> items = new ArrayDeque<>();
  private boolean drainScheduled;
  private int deliveries;

  /** Whether a delivery was refused for want of room since the last refill. */
  private boolean refused;

  /**
   * @param lock the channel's lock
   * @param executor the broker's dispatch pool
   */
  ChannelMailbox(ServerChannel channel, ReentrantLock lock, Executor executor) {
    this.channel = channel;
    this.lock = lock;
    this.executor = executor;
  }

  /**
   * Appends a delivery or a notice; called with the channel's lock held.
   *
   * @return whether no drain task is scheduled yet: the caller then calls {@link #schedule} once it
   *     released the lock
   */
  boolean addLocked(Object item) {
    if (item instanceof QueueEntry) {
      deliveries++;
    }
    items.addLast(item);
    boolean schedule = !drainScheduled;
    drainScheduled = true;
    return schedule;
  }

  /**
   * Whether another delivery may wait here; remembers a refusal so that the drain asks the queues
   * again. Called with the channel's lock held.
   */
  boolean hasRoomLocked() {
    if (deliveries < MAX_DELIVERIES) {
      return true;
    }
    refused = true;
    return false;
  }

  /**
   * Whether the queues should be asked again now: some delivery was refused for want of room and
   * few wait now. Clears the refusal. Called with the channel's lock held.
   */
  private boolean refillLocked() {
    if (refused && deliveries <= REFILL_AT) {
      refused = false;
      return true;
    }
    return false;
  }

  /** Queues a notice (a cancel, return, confirm) to run in order with the deliveries. */
  void post(Runnable notice) {
    boolean schedule;
    lock.lock();
    try {
      schedule = addLocked(notice);
    } finally {
      lock.unlock();
    }
    if (schedule) {
      schedule();
    }
  }

  /**
   * Removes the deliveries no callback has seen yet, in order: those for {@code consumer}, or all
   * of them if it is null; notices stay. Called with the channel's lock held.
   */
  List<QueueEntry> removeDeliveriesLocked(ServerConsumer consumer) {
    return removeDeliveriesMatchingLocked(e -> consumer == null || e.consumer == consumer);
  }

  /** Calls {@code action} for each delivery waiting here; with the channel's lock held. */
  void forEachDeliveryLocked(java.util.function.Consumer<QueueEntry> action) {
    for (Object item : items) {
      if (item instanceof QueueEntry e) {
        action.accept(e);
      }
    }
  }

  /**
   * Removes the deliveries no callback has seen yet that match {@code which}, in order; notices
   * stay. Called with the channel's lock held.
   */
  List<QueueEntry> removeDeliveriesMatchingLocked(java.util.function.Predicate<QueueEntry> which) {
    List<QueueEntry> removed = new ArrayList<>();
    items.removeIf(
        item -> {
          if (item instanceof QueueEntry e && which.test(e)) {
            removed.add(e);
            return true;
          }
          return false;
        });
    deliveries -= removed.size();
    // a refusal is answered by the caller's requeue (it dispatches) or by the next drain
    return removed;
  }

  /** Starts the drain task; called without the lock, after {@link #addLocked} asked for it. */
  void schedule() {
    try {
      executor.execute(drainTask);
    } catch (RejectedExecutionException e) {
      // the broker is closing: nothing more will be delivered
      lock.lock();
      try {
        drainScheduled = false;
      } finally {
        lock.unlock();
      }
    }
  }

  /** Runs queued callbacks, a batch at a time so that one busy channel cannot hog a thread. */
  private void drain() {
    for (int i = 0; i < DRAIN_BATCH; i++) {
      Object item;
      boolean refill = false;
      lock.lock();
      try {
        item = items.pollFirst();
        if (item == null) {
          drainScheduled = false;
          refill = refillLocked();
        } else if (item instanceof QueueEntry) {
          deliveries--;
          refill = refillLocked();
        }
      } finally {
        lock.unlock();
      }
      if (refill) {
        channel.kickAllQueues(); // no lock held: the queues take theirs, then the channel's
      }
      if (item == null) {
        return;
      }
      if (item instanceof QueueEntry e) {
        if (channel.deliveriesAllowed()) {
          handOver(e);
        } else {
          channel.withdrawUnseen(e);
        }
      } else {
        try {
          ((Runnable) item).run();
        } catch (RuntimeException ex) {
          LOG.log(System.Logger.Level.WARNING, "consumer callback threw", ex);
        }
      }
    }
    schedule();
  }

  private void handOver(QueueEntry e) {
    ServerConsumer c = e.consumer;
    if (!c.active || !channel.isOpen()) {
      // cancelled or closed after this entry was queued for it: give it back unseen, unless the
      // close already took it back
      boolean mine;
      lock.lock();
      try {
        mine = channel.withdrawLocked(e);
      } finally {
        lock.unlock();
      }
      if (mine) {
        e.queue.requeue(e, Queue.Return.UNSEEN);
      }
      return;
    }
    Delivery d =
        new Delivery(
            c.tag,
            e.deliveryTag,
            e.deliveryCount > 0,
            e.exchange,
            e.routingKey,
            e.deliveryProperties(),
            e.body);
    if (c.autoAck) {
      e.settled();
    }
    try {
      c.callback.handleDelivery(d);
    } catch (RuntimeException ex) {
      LOG.log(
          System.Logger.Level.WARNING,
          () ->
              "consumer '"
                  + c.tag
                  + "' on "
                  + c.queue
                  + " threw from handleDelivery; the delivery stays unacked",
          ex);
    }
  }
}
