package io.warrenmq.engine;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BlockedListener;
import io.warrenmq.client.Consumer;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.internal.ServerConnection;

/**
 * A client connection to one virtual host of a {@link Broker}: the in-VM equivalent of an AMQP
 * 0-9-1 connection (spec 1.4). It owns channels and the exclusive queues it declared.
 *
 * <p>Closing it closes its channels (their unacked messages return to their queues), cancels their
 * consumers (without {@link Consumer#handleCancel}: the client asked for it), and deletes its
 * exclusive queues. A hard error (see {@link ReplyCode#isHardError()}) raised by one of its
 * channels closes it too, and then consumers are told through {@link Consumer#handleCancel}.
 *
 * <p>Concurrency: thread-safe.
 */
public final class Connection implements AutoCloseable {
  private final ServerConnection impl;

  Connection(ServerConnection impl) {
    this.impl = impl;
  }

  /** The server side, for the broker's own wiring. */
  ServerConnection impl() {
    return impl;
  }

  /** A broker-unique id of this connection, for logs. */
  public String id() {
    return impl.id();
  }

  /**
   * Opens a new channel (spec 1.5, {@code channel.open}). Channel numbers start at 1.
   *
   * @throws AmqpException 504 CHANNEL_ERROR if the connection is closed
   */
  public Channel createChannel() {
    return new Channel(this, impl.openChannel());
  }

  /**
   * Registers a listener told when the broker blocks and unblocks publishing (RabbitMQ's {@code
   * connection.blocked}/{@code connection.unblocked},
   * https://www.rabbitmq.com/docs/connection-blocked), which it does while queued message bodies
   * exceed {@link BrokerConfig#memoryLimitBytes()}. If the broker is blocked already, the
   * listener's connection is told soon after registration.
   *
   * @param listener not null; called on a dispatch thread, see {@link BlockedListener}
   */
  public void addBlockedListener(BlockedListener listener) {
    impl.addBlockedListener(java.util.Objects.requireNonNull(listener, "listener"));
  }

  /**
   * {@link #addBlockedListener(BlockedListener)} with two callbacks, in the style of the RabbitMQ
   * Java client's {@code addBlockedListener(BlockedCallback, UnblockedCallback)}.
   *
   * @param onBlocked receives the reason, e.g. {@code "low on memory"}; not null
   * @param onUnblocked not null
   * @return the registered listener, for {@link #removeBlockedListener}
   */
  public BlockedListener addBlockedListener(
      java.util.function.Consumer<String> onBlocked, Runnable onUnblocked) {
    java.util.Objects.requireNonNull(onBlocked, "onBlocked");
    java.util.Objects.requireNonNull(onUnblocked, "onUnblocked");
    BlockedListener l =
        new BlockedListener() {
          @Override
          public void handleBlocked(String reason) {
            onBlocked.accept(reason);
          }

          @Override
          public void handleUnblocked() {
            onUnblocked.run();
          }
        };
    addBlockedListener(l);
    return l;
  }

  /**
   * Hands this connection's flow control to the network transport that carries it (WarrenMQ's AMQP
   * listener calls it once, right after opening the connection; in-VM clients never do). Two things
   * change, both as RabbitMQ does them:
   *
   * <ul>
   *   <li>Deliveries (a slow consumer never makes the broker buffer without bound): no delivery is
   *       handed to a consumer of this connection while {@code writable} answers false; the
   *       messages stay ready in their queues (and deliveries already on their way go back there,
   *       not marked redelivered), and direct reply-to replies are dropped (they are at most once,
   *       https://www.rabbitmq.com/docs/direct-reply-to). Call {@link #transportWritable()} when it
   *       turns true again.
   *   <li>Publishes: {@link Channel#basicPublish} no longer waits while the broker is over its
   *       memory limit; the transport holds the publisher back instead, by not reading its socket
   *       (https://www.rabbitmq.com/docs/connection-blocked). {@link BlockedListener}s are still
   *       told.
   * </ul>
   *
   * @param writable whether the transport can take deliveries now, e.g. Netty's {@code
   *     Channel::isWritable}; not null. Called very often, on broker threads and under queue locks:
   *     it must be a cheap, non-blocking read
   */
  public void setTransportFlowControl(java.util.function.BooleanSupplier writable) {
    impl.setTransportFlowControl(writable);
  }

  /**
   * Tells the broker that this connection's transport is writable again (see {@link
   * #setTransportFlowControl}): the queues of its consumers dispatch again. Returns at once; the
   * dispatch runs on a broker dispatch thread. Thread-safe; a no-op on a closed connection.
   */
  public void transportWritable() {
    impl.transportWritable();
  }

  /**
   * Adds a listener told once when this connection has closed, with the hard error that closed it
   * or null for a client close (see {@link ShutdownListener}); told at once if already closed.
   */
  public void addShutdownListener(ShutdownListener listener) {
    impl.addShutdownListener(listener);
  }

  /**
   * Removes a blocked listener.
   *
   * @return whether it was registered
   */
  public boolean removeBlockedListener(BlockedListener listener) {
    return impl.removeBlockedListener(listener);
  }

  /** Whether the connection is open. */
  /**
   * Attaches what the network transport knows about this connection (peer, client properties) and
   * its way to close it from the broker's side, for monitoring and {@link Broker#closeConnection}.
   * Called once by the wire server after {@code connection.open}.
   *
   * @param transport the description, shown by {@link Broker#connections()}
   * @param forceClose closes the connection with 320 CONNECTION_FORCED and the given reason; any
   *     thread
   */
  public void describeTransport(
      TransportInfo transport, java.util.function.Consumer<String> forceClose) {
    impl.transport(transport, forceClose);
  }

  public boolean isOpen() {
    return impl.isOpen();
  }

  /** Closes the connection and its channels. Idempotent. */
  @Override
  public void close() {
    impl.close(false);
  }

  @Override
  public String toString() {
    return impl.toString();
  }
}
