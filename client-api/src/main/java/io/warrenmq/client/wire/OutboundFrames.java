package io.warrenmq.client.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A socket's outgoing commands, written by any thread and handed to the socket by its event loop in
 * the order they were {@linkplain #enqueue enqueued}, with one flush (one {@code write}/{@code
 * writev} system call) for all that arrived since the event loop last ran (flush consolidation).
 *
 * <p>Why: a socket's writer threads (a producer's publishes, a listener thread's acknowledgements,
 * a broker's dispatch threads writing deliveries) each wrote and flushed one command at a time,
 * which costs an event-loop task, a wake-up and a system call per message. Here a command costs a
 * queue offer; the first command after a drain schedules one drain task on the event loop, which
 * writes everything queued and flushes once. A drain writes at most {@value #DRAIN_LIMIT} commands
 * before it flushes and reschedules itself, so that writers cannot keep the event loop from
 * reading.
 *
 * <p>Each {@link ByteBuf} holds whole frames (a command with its content), so commands of different
 * threads never interleave inside a command (spec 4.2.6: a content's frames follow its method
 * without frames of the same channel between them).
 *
 * <p>Thread-safety: {@link #enqueue} and {@link #pendingBytes} from any thread; the {@link Sink} is
 * called on the event loop only.
 */
public final class OutboundFrames {

  /** Most commands written by one drain before it flushes and yields the event loop. */
  static final int DRAIN_LIMIT = 1024;

  /** Where a drain puts the frames: the socket, called on its event loop. */
  public interface Sink {
    /** Writes (without flushing) frames; takes ownership of {@code frames}. */
    void write(ByteBuf frames);

    /** Flushes what {@link #write} wrote. */
    void flush();

    /** Called on the event loop after each flush (e.g. to wake writers waiting for room). */
    default void drained() {}
  }

  private final EventExecutor eventLoop;
  private final Sink sink;
  private final Queue<ByteBuf> queued = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final Runnable drain = this::drain;

  /**
   * @param eventLoop the socket's event loop (Netty's {@code channel.eventLoop()}), which runs the
   *     drains
   * @param sink writes to the socket
   */
  public OutboundFrames(EventExecutor eventLoop, Sink sink) {
    this.eventLoop = java.util.Objects.requireNonNull(eventLoop, "eventLoop");
    this.sink = java.util.Objects.requireNonNull(sink, "sink");
  }

  /**
   * Queues {@code frames} (whole frames, ownership passes here) to be written after everything
   * enqueued before, and makes sure a drain will run. If the event loop has stopped (the socket's
   * group is shutting down), the frames are released unsent.
   */
  public void enqueue(ByteBuf frames) {
    pendingBytes.addAndGet(frames.readableBytes());
    queued.add(frames);
    if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
      schedule();
    }
  }

  /**
   * On the event loop: writes everything queued, then {@code frames}, and flushes at once, for the
   * commands that must reach the socket before the event loop goes on (a {@code close-ok} written
   * just before the socket is closed, the handshake).
   *
   * @throws IllegalStateException if called on another thread
   */
  public void writeNow(ByteBuf frames) {
    if (!eventLoop.inEventLoop()) {
      frames.release();
      throw new IllegalStateException("writeNow off the event loop");
    }
    ByteBuf b;
    while ((b = queued.poll()) != null) {
      pendingBytes.addAndGet(-b.readableBytes());
      sink.write(b);
    }
    sink.write(frames);
    sink.flush();
    sink.drained();
  }

  /** Bytes enqueued and not yet handed to the socket. */
  public long pendingBytes() {
    return pendingBytes.get();
  }

  private void schedule() {
    try {
      eventLoop.execute(drain);
    } catch (RejectedExecutionException e) {
      scheduled.set(false);
      ByteBuf b;
      while ((b = queued.poll()) != null) {
        pendingBytes.addAndGet(-b.readableBytes());
        b.release();
      }
    }
  }

  private void drain() {
    // cleared before polling: a command enqueued after a poll found the queue empty schedules
    // another drain, so none is left behind
    scheduled.set(false);
    int n = 0;
    ByteBuf b;
    while (n < DRAIN_LIMIT && (b = queued.poll()) != null) {
      pendingBytes.addAndGet(-b.readableBytes());
      sink.write(b);
      n++;
    }
    if (n > 0) {
      sink.flush();
      sink.drained();
    }
    if (!queued.isEmpty() && scheduled.compareAndSet(false, true)) {
      schedule();
    }
  }
}
