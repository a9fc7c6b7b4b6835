package io.warrenmq.engine.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the broker's dispatch threads, named {@code warren-dispatch-<broker>-N} (N from 1),
 * daemon, with the engine's class loader as context class loader (so that a thread started while an
 * application's class loader is current does not pin it), and remembers them so that the broker can
 * join them on close.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DispatchThreadFactory implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger counter = new AtomicInteger();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  public DispatchThreadFactory(String brokerName) {
    this.prefix = "warren-dispatch-" + brokerName + "-";
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(r, prefix + counter.incrementAndGet());
    t.setDaemon(true);
    t.setContextClassLoader(DispatchThreadFactory.class.getClassLoader());
    threads.add(t);
    return t;
  }

  /** Whether the current thread is one of this factory's. */
  public boolean isDispatchThread() {
    return threads.contains(Thread.currentThread());
  }

  /**
   * Waits until every thread created has ended.
   *
   * @param deadlineNanos a {@link System#nanoTime()} deadline
   * @return whether all ended before the deadline
   */
  public boolean joinAll(long deadlineNanos) throws InterruptedException {
    for (Thread t : threads) {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(t, left);
      }
      if (t.isAlive()) {
        return false;
      }
    }
    return true;
  }
}
