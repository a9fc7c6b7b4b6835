package io.warrenmq.server.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The order in which one connection's commands run: each channel's commands one at a time and in
 * arrival order, channels independently of each other, on the server's shared command pool.
 *
 * <p>Why per channel: AMQP 0-9-1 orders the commands of a channel, not those of a connection (spec
 * 2.3.5, "channels"), and RabbitMQ runs each channel as a process of its own. A command that waits
 * for the store (a {@code tx.commit}, a {@code dtx.commit} or {@code dtx.prepare}, a durable {@code
 * queue.declare}: each returns only after its fsync) then delays only its own channel: the other
 * channels of the connection go on, and their commits join the same group commit. A JMS client puts
 * all of a connection's sessions on one connection, e.g. the resource adapter's activation runs
 * {@code maxSession} MDB sessions on one; with one queue per connection those sessions' XA commits
 * ran one after another, one fsync each.
 *
 * <p>{@link #afterAll} runs a task once every command queued so far, on every channel, has run:
 * closing the engine connection waits for the commands the client sent before it. A channel number
 * reused after {@code channel.close} keeps its queue, so the new channel's commands run after the
 * old one's close.
 *
 * <p>{@link #pending()} counts the connection's commands queued or running, over all channels, for
 * the socket's back-pressure.
 *
 * <p>A command may end later than it returns: a {@code dtx.commit} returns the stage of the store's
 * answer ({@link SerialExecutor.Step}); the channel's next commands wait for it, and it counts as
 * pending until it completes, while no thread waits for it.
 *
 * <p>Thread-safety: {@link #channel} and {@link #afterAll} are called on the connection's
 * event-loop thread only; {@link #pending()} from any thread. The tasks run on the pool's threads,
 * the ends of held commands on the thread that completes their stage (the store's writer).
 */
final class ChannelCommandQueues {
  private final Executor pool;
  private final Map<Integer, SerialExecutor> queues = new HashMap<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Runnable afterCommand;

  /**
   * @param pool the server's command threads
   * @param afterCommand runs after each command (on its pool thread, or on the thread that
   *     completed the stage of a held command), once {@link #pending()} no longer counts it (the
   *     socket's back-pressure resumes reading there)
   */
  ChannelCommandQueues(Executor pool, Runnable afterCommand) {
    this.pool = pool;
    this.afterCommand = afterCommand;
  }

  /** Queues a command of channel {@code number} (1..channel_max) behind that channel's others. */
  void channel(int number, Runnable command) {
    channelStep(number, done(command));
  }

  /**
   * Queues a command that may finish later ({@link SerialExecutor.Step}): the channel's next
   * commands wait for the stage it returns, and it counts as pending until then.
   */
  void channelStep(int number, SerialExecutor.Step command) {
    queue(number).submit(counted(command));
  }

  /**
   * Runs a command of channel {@code number} on the calling thread, the connection's event loop,
   * when nothing of that channel is queued or running, and says whether it did (else the caller
   * queues it with {@link #channelStep}). For commands that never block and take microseconds (see
   * {@code AmqpConnectionHandler#runsOnEventLoop}): a round trip then costs no hand-over to a
   * command thread and back, and the channel's order holds, since the event loop is the only thread
   * that queues its commands. A command that returns a stage (a {@code dtx.commit} handed to the
   * store) holds the channel's next commands until the stage completes.
   */
  boolean channelStepIfIdle(int number, SerialExecutor.Step command) {
    return queue(number).runIfIdle(command);
  }

  /** {@link #channelStepIfIdle} for a command that is done when it returns. */
  boolean channelIfIdle(int number, Runnable command) {
    return channelStepIfIdle(number, done(command));
  }

  /**
   * Runs {@code task} once every command queued so far, on any channel, has run; on the pool thread
   * of the channel that finishes last. Commands queued later may run before it.
   */
  void afterAll(Runnable task) {
    queue(0); // channel 0's: so that there is at least one queue to wait on
    AtomicInteger remaining = new AtomicInteger(queues.size());
    for (SerialExecutor q : queues.values()) {
      q.submit(
          counted(
              done(
                  () -> {
                    if (remaining.decrementAndGet() == 0) {
                      task.run();
                    }
                  })));
    }
  }

  /** Commands queued or running, over all channels of the connection. */
  int pending() {
    return pending.get();
  }

  private SerialExecutor queue(int number) {
    return queues.computeIfAbsent(number, n -> new SerialExecutor(pool));
  }

  private static SerialExecutor.Step done(Runnable command) {
    return () -> {
      command.run();
      return null;
    };
  }

  /** Counts {@code command} as pending until it is done, its stage included. */
  private SerialExecutor.Step counted(SerialExecutor.Step command) {
    pending.incrementAndGet();
    return () -> {
      CompletionStage<?> held;
      try {
        held = command.run();
      } catch (RuntimeException | Error e) {
        finished();
        throw e;
      }
      if (held == null || held.toCompletableFuture().isDone()) {
        finished();
        return null;
      }
      return held.whenComplete((result, failure) -> finished());
    };
  }

  private void finished() {
    pending.decrementAndGet();
    afterCommand.run();
  }
}
