package io.warrenmq.server.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one channel's commands one at a time, in order, on a shared pool (see {@link
 * ChannelCommandQueues}): engine calls may block (a durable declaration waits for its store commit,
 * a publish waits while the memory alarm is on), so they run on the pool, not on a Netty event-loop
 * thread (but for the few that never block, see {@link #runIfIdle}), and a thousand connections
 * still share the pool's threads.
 *
 * <p>Thread-safety: {@link #execute} may be called from any thread.
 */
final class SerialExecutor implements Executor {
  private final Executor pool;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Runnable drain = this::drain;

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (pending.getAndIncrement() == 0) {
      pool.execute(drain);
    }
  }

  /**
   * Runs {@code task} on the calling thread if this executor has nothing queued or running, and
   * says whether it did; otherwise does nothing (the caller queues it with {@link #execute}). Only
   * for a caller that is the one thread that queues tasks here (the connection's event loop), so
   * that nothing can be queued while the task runs, and only for a task that never blocks.
   */
  boolean runIfIdle(Runnable task) {
    if (!pending.compareAndSet(0, 1)) {
      return false;
    }
    try {
      run(task);
    } finally {
      if (pending.decrementAndGet() > 0) {
        pool.execute(drain); // the task queued more on this executor itself
      }
    }
    return true;
  }

  private void drain() {
    do {
      run(tasks.poll());
    } while (pending.decrementAndGet() > 0);
  }

  /** Runs one command; a failure is logged, and the channel's next command runs all the same. */
  private static void run(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      System.getLogger(SerialExecutor.class.getName())
          .log(System.Logger.Level.ERROR, "connection command failed", e);
    }
  }
}
