package io.warrenmq.engine.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The broker's one timer thread, {@code warren-timer-<broker>} (daemon, started on first use): it
 * runs message expiry ({@code x-message-ttl}, {@code expiration}) and idle-queue expiry ({@code
 * x-expires}) for every queue of the broker, so that no queue owns a thread.
 *
 * <p>Tasks must be short: they take one queue's lock (and, to delete a queue, the virtual host's
 * topology lock) and dead-letter what expired.
 *
 * <p>Thread-safety: thread-safe. After {@link #close()} scheduling is a no-op.
 */
public final class BrokerTimer {
  private static final System.Logger LOG = System.getLogger(BrokerTimer.class.getName());

  private final ScheduledThreadPoolExecutor executor;
  private volatile Thread thread;

  public BrokerTimer(String brokerName) {
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "warren-timer-" + brokerName);
              t.setDaemon(true);
              t.setContextClassLoader(BrokerTimer.class.getClassLoader());
              thread = t;
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Runs a task after a delay.
   *
   * @param delayNanos the delay in ns, clamped to at least 0
   * @return the task's future, or null when the timer is closed
   */
  ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    try {
      return executor.schedule(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.log(System.Logger.Level.WARNING, "timer task failed", e);
            }
          },
          Math.max(0, delayNanos),
          TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return null;
    }
  }

  /** Stops the timer thread, waiting up to {@code timeoutNanos} for it to end. */
  public void close(long timeoutNanos) throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(timeoutNanos, TimeUnit.NANOSECONDS);
    Thread t = thread;
    if (t != null) {
      TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, timeoutNanos));
    }
  }
}
