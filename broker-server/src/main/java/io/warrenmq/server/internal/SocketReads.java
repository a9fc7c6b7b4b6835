package io.warrenmq.server.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether a connection reads its socket, and why not: the socket is read (Netty's {@code autoRead})
 * only while no reason to stop holds. Not reading is how the broker pushes back on a client through
 * TCP, as RabbitMQ does ("Memory and Disk Alarms": "the server will pause reading from the sockets
 * of connected clients which publish messages").
 *
 * <ul>
 *   <li>{@link #COMMAND_BACKLOG}: too many of the connection's commands wait for the engine;
 *   <li>{@link #BLOCKED}: the memory alarm is on and the connection published (RabbitMQ's {@code
 *       connection.blocked}, https://www.rabbitmq.com/docs/connection-blocked);
 *   <li>{@link #UNWRITABLE}: the client does not read what the broker sends, so the broker does not
 *       read what it sends either: confirms, returns and replies only come in answer to what it
 *       sends, so the broker's outbound buffer stays bounded.
 * </ul>
 *
 * While the socket is not read the client's heartbeats are not seen either, so the missed-heartbeat
 * check is suspended, as RabbitMQ pauses its heartbeat monitor for a blocked connection; {@code
 * onResume} restarts it.
 *
 * <p>Thread-safety: {@link #pause} and {@link #resume} may be called from any thread; the socket's
 * setting is changed on its event loop, from the reasons as they are when that task runs, so the
 * last change always wins.
 */
final class SocketReads {
  static final int COMMAND_BACKLOG = 1;
  static final int BLOCKED = 2;
  static final int UNWRITABLE = 4;

  private final Channel socket;
  private final Runnable onResume;
  private final AtomicInteger reasons = new AtomicInteger();
  private final Runnable apply = this::applyNow;

  /**
   * @param socket the connection's socket
   * @param onResume run on the event loop when reading starts again
   */
  SocketReads(Channel socket, Runnable onResume) {
    this.socket = socket;
    this.onResume = onResume;
  }

  /** Stops reading for {@code reason} (one of the constants). */
  void pause(int reason) {
    if ((reasons.getAndUpdate(r -> r | reason) & reason) == 0) {
      apply();
    }
  }

  /** Lifts {@code reason}; reading starts again when no other reason holds. */
  void resume(int reason) {
    if ((reasons.getAndUpdate(r -> r & ~reason) & reason) != 0) {
      apply();
    }
  }

  /** Whether some reason to stop reading holds now. */
  boolean paused() {
    return reasons.get() != 0;
  }

  private void apply() {
    EventLoop loop = socket.eventLoop();
    if (loop.inEventLoop()) {
      applyNow();
    } else {
      loop.execute(apply);
    }
  }

  private void applyNow() {
    boolean read = reasons.get() == 0;
    if (socket.config().isAutoRead() != read) {
      socket.config().setAutoRead(read);
      if (read) {
        onResume.run();
      }
    }
  }
}
