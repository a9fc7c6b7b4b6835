package io.warrenmq.server.internal;

import java.util.Queue;
import java.util.concurrent.CompletionStage;
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
 * <p>A command may finish later than it returns ({@link Step}): a {@code dtx.commit} hands its
 * branch to the store and returns the stage of the store's answer, instead of parking a thread on
 * it. The channel's next command then runs only once that stage has completed, so the order holds
 * as if the command had waited; no thread waits meanwhile.
 *
 * <p>Thread-safety: {@link #execute} may be called from any thread.
 */
final class SerialExecutor implements Executor {

  /**
   * A command of a channel: returns null when it is done, or the stage of its last part (the
   * channel's next command waits for that stage, which must not be completed by a thread that waits
   * for this channel).
   */
  @FunctionalInterface
  interface Step {
    CompletionStage<?> run();
  }

  private final Executor pool;
  private final Queue<Step> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Runnable drain = this::drain;

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    submit(
        () -> {
          task.run();
          return null;
        });
  }

  /** Queues {@code step} behind the channel's other commands. */
  void submit(Step step) {
    tasks.add(step);
    if (pending.getAndIncrement() == 0) {
      pool.execute(drain);
    }
  }

  /**
   * Runs {@code task} on the calling thread if this executor has nothing queued or running, and
   * says whether it did; otherwise does nothing (the caller queues it with {@link #submit}). Only
   * for a caller that is the one thread that queues tasks here (the connection's event loop), so
   * that nothing can be queued while the task runs, and only for a task that never blocks. If the
   * task returns a stage that is not complete, the channel's next commands wait for it.
   */
  boolean runIfIdle(Step task) {
    if (!pending.compareAndSet(0, 1)) {
      return false;
    }
    CompletionStage<?> held = run(task);
    if (held != null && !held.toCompletableFuture().isDone()) {
      held.whenComplete((result, failure) -> finished());
    } else {
      finished();
    }
    return true;
  }

  private void drain() {
    while (true) {
      CompletionStage<?> held = run(tasks.poll());
      if (held != null && !held.toCompletableFuture().isDone()) {
        // the rest of the queue waits for the stage; its completion drains on the pool
        held.whenComplete((result, failure) -> finished());
        return;
      }
      if (pending.decrementAndGet() == 0) {
        return;
      }
    }
  }

  /** One command is done (at once, or when its stage completed): the next one may run. */
  private void finished() {
    if (pending.decrementAndGet() > 0) {
      pool.execute(drain);
    }
  }

  /** Runs one command; a failure is logged, and the channel's next command runs all the same. */
  private static CompletionStage<?> run(Step task) {
    try {
      return task.run();
    } catch (RuntimeException e) {
      System.getLogger(SerialExecutor.class.getName())
          .log(System.Logger.Level.ERROR, "connection command failed", e);
      return null;
    }
  }
}
