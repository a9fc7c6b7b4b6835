package io.warrenmq.engine;

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

  /** Whether the connection is open. */
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
