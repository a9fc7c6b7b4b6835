package io.warrenmq.engine.internal;

import io.warrenmq.engine.BasicProperties;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The two clocks of one {@link Queue}: message TTL ({@code x-message-ttl}, {@code expiration}) and
 * the {@code x-expires} lease of the queue itself (semantics in {@link QueueArguments}). Both run
 * on the broker's single timer thread ({@link BrokerTimer}), so that no queue owns a thread.
 *
 * <p>Why at most one pending TTL task per queue, due at the earliest deadline among the heads of
 * its priority levels: entries expire only when they reach the head (as in RabbitMQ), so a deadline
 * behind the head can never be due first, and rescheduling per message would cost a timer entry per
 * message.
 *
 * <p>Concurrency: guarded by the queue's lock; every {@code *Locked} method is called with it held.
 * The timer's callback {@link #expireByTimer} takes the lock and releases it through {@link
 * Queue#unlockAndFlush}, so that what expired is dead-lettered after the lock is released (see the
 * scheme in {@link Queue}). {@link #stampDeadline} reads only immutable arguments and runs without
 * the lock ({@code offer} stamps an entry before it locks). The lease check itself goes through the
 * virtual host ({@link ServerVirtualHost#deleteExpiredQueue}), which takes the topology lock before
 * the queue's lock, as the lock order requires.
 */
final class QueueExpiry {
  /** A TTL beyond this (about 73 years) cannot be added to {@link System#nanoTime()}: none. */
  private static final long MAX_TTL_MS = TimeUnit.NANOSECONDS.toMillis(Long.MAX_VALUE / 4);

  private final Queue queue;
  private final QueueArguments args;

  /** The queue's ready lists, highest priority last; guarded by the queue's lock. */
  private final ReadyList[] levels;

  // guarded by the queue's lock
  private ScheduledFuture<?> task;
  private long taskAt;
  private long lastUsed;

  QueueExpiry(Queue queue, QueueArguments args, ReadyList[] levels) {
    this.queue = queue;
    this.args = args;
    this.levels = levels;
    this.lastUsed = System.nanoTime();
  }

  /**
   * Sets the entry's deadline from {@code now} ({@link System#nanoTime()}): the lower of {@code
   * x-message-ttl} and its {@code expiration}; leaves it without one if neither applies.
   */
  void stampDeadline(QueueEntry e, long now) {
    long ttl = ttlMillis(e.properties);
    if (ttl >= 0) {
      e.expires = true;
      e.expiresAt = now + TimeUnit.MILLISECONDS.toNanos(ttl);
    }
  }

  /**
   * The message's TTL in ms: the lower of {@code x-message-ttl} and its expiration, -1 for none.
   */
  private long ttlMillis(BasicProperties properties) {
    long ttl = args.messageTtl();
    String expiration = properties.expiration();
    if (expiration != null) {
      try {
        long ms = Long.parseLong(expiration.trim());
        if (ms >= 0 && (ttl < 0 || ms < ttl)) {
          ttl = ms;
        }
      } catch (NumberFormatException ignored) {
        // not a TTL: RabbitMQ refuses such a publish; the engine ignores the field
      }
    }
    return ttl > MAX_TTL_MS ? -1 : ttl;
  }

  /** Drops the heads of every level whose deadline has passed at {@code now}. */
  void expireHeadsLocked(long now) {
    for (ReadyList level : levels) {
      QueueEntry head;
      while ((head = level.peek()) != null && head.isExpired(now)) {
        level.poll();
        queue.removedLocked(head);
        queue.dropLocked(head, DeadLetterer.EXPIRED);
      }
    }
  }

  /** Makes sure the timer fires at the earliest deadline among the heads. */
  void scheduleLocked() {
    BrokerTimer timer = queue.virtualHost().timer();
    if (timer == null || queue.isDeletedLocked()) {
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
    if (!any || (task != null && taskAt - next <= 0)) {
      return;
    }
    if (task != null) {
      task.cancel(false);
    }
    taskAt = next;
    task = timer.schedule(this::expireByTimer, next - System.nanoTime() + 1);
  }

  private void expireByTimer() {
    queue.lock();
    try {
      task = null;
      if (queue.isDeletedLocked()) {
        return;
      }
      expireHeadsLocked(System.nanoTime());
      scheduleLocked();
    } finally {
      queue.unlockAndFlush();
    }
  }

  /** Stops the TTL timer of a deleted queue. */
  void cancelLocked() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  // ---- x-expires ---------------------------------------------------------------------------

  /** Starts the {@code x-expires} lease, if the queue has one; called once it is registered. */
  void startLease() {
    if (args.expires() > 0) {
      scheduleIdleCheck(TimeUnit.MILLISECONDS.toNanos(args.expires()));
    }
  }

  /** Renews the lease at {@code now}: a consumer left, {@code basic.get}, browse, declaration. */
  void usedLocked(long now) {
    lastUsed = now;
  }

  /**
   * For {@code x-expires}: whether the queue is still in use, i.e. has consumers or was used within
   * its lease; if so, schedules the next check (a full lease while consumers exist, else the rest
   * of this one).
   */
  boolean inUseLocked(boolean hasConsumers) {
    long lease = TimeUnit.MILLISECONDS.toNanos(args.expires());
    long idle = System.nanoTime() - lastUsed;
    if (hasConsumers || idle < lease) {
      scheduleIdleCheck(hasConsumers ? lease : lease - idle);
      return true;
    }
    return false;
  }

  private void scheduleIdleCheck(long delayNanos) {
    BrokerTimer timer = queue.virtualHost().timer();
    if (timer != null) {
      timer.schedule(() -> queue.virtualHost().deleteExpiredQueue(queue), delayNanos);
    }
  }
}
