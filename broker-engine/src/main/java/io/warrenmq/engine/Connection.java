package io.warrenmq.engine;

/**
 * A client connection to one virtual host of a {@link Broker}: the in-VM equivalent of an AMQP
 * 0-9-1 connection (spec 1.4). It owns channels and the exclusive queues it declared.
 *
 * <p>Closing it closes its channels (their unacked messages return to their queues), cancels their
 * consumers, and deletes its exclusive queues.
 *
 * <p>Concurrency: thread-safe.
 */
public final class Connection implements AutoCloseable {

  private Connection() {
    throw new UnsupportedOperationException("to be implemented");
  }

  /** A broker-unique id of this connection, for logs. */
  public String id() {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * Opens a new channel (spec 1.5, {@code channel.open}).
   *
   * @throws AmqpException 504 CHANNEL_ERROR if the connection is closed
   */
  public Channel createChannel() {
    throw new UnsupportedOperationException("to be implemented");
  }

  /** Whether the connection is open. */
  public boolean isOpen() {
    throw new UnsupportedOperationException("to be implemented");
  }

  /** Closes the connection and its channels. Idempotent. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("to be implemented");
  }
}
