package io.warrenmq.engine.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ScheduledFuture;

/**
 * The redelivery delay of one {@link Queue} (consumer argument {@code x-redelivery-delay}, see
 * {@link ConsumerArguments}; the model is ActiveMQ Artemis' {@code redelivery-delay}): entries that
 * came back from a consumer with a delay because of a failed outcome wait here, due at the failure
 * plus the delay, and then return to their ready list at their place by arrival, marked redelivered
 * (their delivery count was raised, and {@code x-delivery-limit} checked, when they came back).
 *
 * <p>What a held entry is:
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
 * <p>Why one timer task per queue, due at the earliest due time: as for TTL ({@link QueueExpiry}),
 * a timer entry or thread per message would cost per message; the broker's one timer thread ({@link
 * BrokerTimer}) serves every queue.
 *
 * <p>Concurrency: guarded by the queue's lock; every {@code *Locked} method is called with it held.
 * The timer's callback {@link #releaseByTimer} takes the lock and releases it through {@link
 * Queue#unlockAndFlush}, as the scheme in {@link Queue} requires.
 */
final class QueueRedelivery {
  /** An entry and the {@link System#nanoTime()} from which it is ready again. */
  private record Held(long dueAt, QueueEntry entry) {}

  /** Earliest due first (compared by difference, as nanoTime values must be); then by arrival. */
  private static final Comparator<Held> BY_DUE =
      (a, b) -> {
        long d = a.dueAt - b.dueAt;
        return d != 0 ? (d < 0 ? -1 : 1) : Long.compare(a.entry.seq, b.entry.seq);
      };

  private final Queue queue;

  // guarded by the queue's lock
  private PriorityQueue<Held> held;
  private ScheduledFuture<?> task;
  private long taskAt;

  QueueRedelivery(Queue queue) {
    this.queue = queue;
  }

  /**
   * Holds an entry until {@code dueAt}.
   *
   * @param dueAt the {@link System#nanoTime()} from which it is ready again
   * @return false if the broker has no timer (the caller makes it ready at once)
   */
  boolean holdLocked(QueueEntry e, long dueAt) {
    if (queue.virtualHost().timer() == null) {
      return false;
    }
    if (held == null) {
      held = new PriorityQueue<>(BY_DUE);
    }
    held.add(new Held(dueAt, e));
    scheduleLocked();
    return true;
  }

  /**
   * Drops every held entry (purge, delete: they leave the broker, and the store if written) and
   * stops the timer task.
   *
   * @return how many were dropped
   */
  int dropAllLocked() {
    cancelLocked();
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
  private void scheduleLocked() {
    BrokerTimer timer = queue.virtualHost().timer();
    if (timer == null || held == null || held.isEmpty() || queue.isDeletedLocked()) {
      return;
    }
    long next = held.peek().dueAt;
    if (task != null && taskAt - next <= 0) {
      return; // fires no later than needed; it reschedules for the rest
    }
    if (task != null) {
      task.cancel(false);
    }
    taskAt = next;
    task = timer.schedule(this::releaseByTimer, next - System.nanoTime() + 1);
  }

  private void releaseByTimer() {
    queue.lock();
    try {
      task = null;
      if (queue.isDeletedLocked() || held == null) {
        return;
      }
      long now = System.nanoTime();
      boolean any = false;
      Held h;
      while ((h = held.peek()) != null && now - h.dueAt >= 0) {
        held.poll();
        queue.readyRequeuedLocked(h.entry);
        any = true;
      }
      if (any) {
        queue.afterReadyLocked();
      }
      scheduleLocked();
    } finally {
      queue.unlockAndFlush();
    }
  }

  private void cancelLocked() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }
}
