package io.warrenmq.jms;

import io.warrenmq.client.AmqpChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A connection's open channels of closed XA sessions that never consumed, kept for its next XA
 * sessions ({@link WarrenConnection#createXASession()}). Such a channel is in dtx mode, not
 * associated with a branch, has no consumers and delivered nothing, so a session over it starts as
 * over a new channel, without the round trips of {@code channel.open} and {@code dtx.select}; an
 * application server's pooled connection opens and closes an XA session per transaction.
 *
 * <p>At most {@value #MAX} channels wait; a channel offered beyond that, or after {@link #close()},
 * is closed. A channel that closed while it waited (the broker closed it) is dropped when taken.
 *
 * <p>Thread-safety: thread-safe; sessions close on any thread.
 */
final class IdleXaChannels {
  /** The most channels kept. */
  static final int MAX = 4;

  private final Queue<AmqpChannel> idle = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  /**
   * An open channel that was {@linkplain #offer offered}, or null; drops those closed meanwhile.
   */
  AmqpChannel take() {
    for (AmqpChannel c = idle.poll(); c != null; c = idle.poll()) {
      if (c.isOpen()) {
        return c;
      }
    }
    return null;
  }

  /** Keeps {@code channel} for a later {@link #take()}, or closes it (see the class comment). */
  void offer(AmqpChannel channel) {
    if (closed || !channel.isOpen() || idle.size() >= MAX) {
      channel.close();
      return;
    }
    idle.offer(channel);
    if (closed && idle.remove(channel)) {
      channel.close(); // closed meanwhile: close() may not have seen it
    }
  }

  /**
   * Keeps nothing from now on and forgets what waits, without closing it: the caller closes the
   * transport connection, which closes its channels.
   */
  void close() {
    closed = true;
    idle.clear();
  }

  /** How many channels wait. */
  int size() {
    return idle.size();
  }
}
