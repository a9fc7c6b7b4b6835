package io.warrenmq.engine.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Broker-wide flow control on publishing, RabbitMQ's resource alarms: the memory alarm on queued
 * message bodies (https://www.rabbitmq.com/docs/memory), counted here, and the disk alarm
 * (https://www.rabbitmq.com/docs/disk-alarms), raised and cleared by whoever watches the disk
 * ({@link #setDiskAlarm}), and WarrenMQ's store alarm, raised while the store cannot be reached
 * ({@link #setStoreAlarm}). Publishing is blocked while any alarm is on. The memory alarm counts
 * the body bytes of every message held by a queue, ready or unacked, from enqueue until it is
 * acked, dropped, expired, dead-lettered, purged or its queue deleted. A message routed to several
 * queues counts once per queue (its body is shared, so this over-estimates; it errs on the safe
 * side).
 *
 * <p>Above the limit publishers wait in {@code basic.publish} and connections with a {@link
 * io.warrenmq.client.BlockedListener} are told; at or below it they go on and are told again.
 * Publishes from a broker dispatch thread (inside a consumer callback) never wait: blocking them
 * could stop the very consumers whose acks free memory.
 *
 * <p>Thread-safety: thread-safe. The byte count is an {@link AtomicLong}; state changes are taken
 * under a small lock off the hot path; notifications run serially on the dispatch pool.
 */
public final class MemoryMonitor {
  static final String REASON = "low on memory";

  /** The reason while the disk alarm is on (RabbitMQ's text). */
  static final String DISK_REASON = "low on disk";

  /** The reason while the store alarm is on. */
  static final String STORE_REASON = "store unreachable";

  /** The share of the memory limit above which queues page early ({@link #pagingPressure}). */
  static final double PAGING_RATIO = 0.5;

  private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final long limit;
  private final Executor notifier;
  private final BooleanSupplier exempt;
  private final AtomicLong used = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition below = lock.newCondition();
  private final Set<ServerConnection> watchers = ConcurrentHashMap.newKeySet();
  private final Object notifyLock = new Object();
  private volatile boolean blocked;
  private volatile boolean diskAlarm;
  private volatile boolean storeAlarm;
  private volatile boolean closed;
  private boolean notified; // guarded by notifyLock

  /**
   * @param limit the limit in bytes, 0 for none
   * @param notifier runs listener notifications (the broker's dispatch pool)
   * @param exempt true on threads that must never wait (the dispatch threads)
   */
  public MemoryMonitor(long limit, Executor notifier, BooleanSupplier exempt) {
    this.limit = limit;
    this.notifier = notifier;
    this.exempt = exempt;
  }

  /** A monitor without limit. */
  static MemoryMonitor unlimited() {
    return new MemoryMonitor(0, Runnable::run, () -> true);
  }

  /** The limit in bytes, 0 for none. */
  public long limit() {
    return limit;
  }

  /** Body bytes currently held by queues. */
  public long used() {
    return used.get();
  }

  /** Whether publishing is blocked (by either alarm). */
  public boolean isBlocked() {
    return blocked;
  }

  /** Whether the memory alarm is on: queued bodies above the limit. */
  public boolean isMemoryAlarm() {
    return overMemoryLimit();
  }

  /** Whether the disk alarm is on. */
  public boolean isDiskAlarm() {
    return diskAlarm;
  }

  /**
   * Raises or clears the disk alarm. While it is on, publishers wait as for the memory alarm and
   * connections are told {@code connection.blocked} with {@value #DISK_REASON}.
   *
   * @param on true to raise it, false to clear it; a repeated call changes nothing
   */
  public void setDiskAlarm(boolean on) {
    if (diskAlarm != on) {
      diskAlarm = on;
      recheck();
    }
  }

  /** Whether the store alarm is on. */
  public boolean isStoreAlarm() {
    return storeAlarm;
  }

  /**
   * Raises or clears the store alarm. While it is on, publishers wait as for the memory alarm and
   * connections are told {@code connection.blocked} with {@value #STORE_REASON} (unless the disk
   * alarm is on too, whose reason comes first).
   *
   * @param on true to raise it, false to clear it; a repeated call changes nothing
   */
  public void setStoreAlarm(boolean on) {
    if (storeAlarm != on) {
      storeAlarm = on;
      recheck();
    }
  }

  /**
   * Whether queues should page early: the broker holds more than {@link #PAGING_RATIO} of the
   * memory limit in queued bodies (RabbitMQ's {@code vm_memory_high_watermark_paging_ratio}, whose
   * default is also 0.5: paging starts well before publishers are blocked). Never with no limit.
   * Lock-free: one volatile read.
   */
  boolean pagingPressure() {
    return limit > 0 && used.get() > (long) (limit * PAGING_RATIO);
  }

  private boolean overMemoryLimit() {
    return limit > 0 && used.get() > limit;
  }

  private boolean alarmed() {
    return diskAlarm || storeAlarm || overMemoryLimit();
  }

  private String reason() {
    return diskAlarm ? DISK_REASON : storeAlarm ? STORE_REASON : REASON;
  }

  void add(long bytes) {
    long now = used.addAndGet(bytes);
    if (limit > 0 && !blocked && now > limit) {
      recheck();
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
    if (blocked && !alarmed()) {
      recheck();
    }
  }

  private void recheck() {
    boolean changed = false;
    lock.lock();
    try {
      boolean over = !closed && alarmed();
      if (over != blocked) {
        blocked = over;
        changed = true;
        if (!over) {
          below.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
    if (changed) {
      try {
        notifier.execute(this::notifyWatchers);
      } catch (RejectedExecutionException e) {
        // the broker is closing: nobody to tell
      }
    }
  }

  /**
   * Waits while the broker is above its limit.
   *
   * @param open whether the caller still wants to publish (its channel is open)
   */
  void awaitBelowLimit(BooleanSupplier open) {
    if (!blocked || exempt.getAsBoolean()) {
      return;
    }
    lock.lock();
    try {
      while (blocked && !closed && open.getAsBoolean()) {
        if (!alarmed()) {
          lock.unlock();
          try {
            recheck();
          } finally {
            lock.lock();
          }
          continue;
        }
        below.awaitNanos(WAIT_SLICE_NANOS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Starts telling a connection's listeners; tells them now if already blocked. */
  void watch(ServerConnection c) {
    if (watchers.add(c)) {
      try {
        notifier.execute(
            () -> {
              synchronized (notifyLock) {
                c.fireBlocked(notified, reason());
              }
            });
      } catch (RejectedExecutionException e) {
        // the broker is closing
      }
    }
  }

  void unwatch(ServerConnection c) {
    watchers.remove(c);
  }

  private void notifyWatchers() {
    synchronized (notifyLock) {
      boolean state = blocked;
      if (state == notified) {
        return;
      }
      notified = state;
      for (ServerConnection c : watchers) {
        c.fireBlocked(state, reason());
      }
    }
  }

  /** Releases every waiting publisher for good (the broker is closing). */
  public void close() {
    lock.lock();
    try {
      closed = true;
      blocked = false;
      below.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
