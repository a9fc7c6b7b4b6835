package io.warrenmq.jms.spi;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Consumer;

/**
 * An AMQP 0-9-1 connection to one virtual host (spec 1.4), opened by {@link Transport#connect}. It
 * owns its channels and the exclusive queues declared on them: closing it closes its channels
 * (their unacknowledged messages return to their queues, their consumers are cancelled without
 * {@link Consumer#handleCancel}) and deletes its exclusive queues.
 *
 * <p>Thread-safety: thread-safe.
 */
public interface TransportConnection extends AutoCloseable {

  /**
   * Told once when a connection has closed (the RabbitMQ Java client's {@code ShutdownListener}):
   * after every channel of it is closed and its exclusive queues are gone.
   */
  @FunctionalInterface
  interface CloseListener {
    /**
     * @param cause the connection (hard) error with which the broker closed the connection, e.g.
     *     320 CONNECTION_FORCED when the broker shuts down or the 5xx error one of its channels
     *     hit; null when the client closed it with {@link TransportConnection#close()}. Called on
     *     the thread that closed the connection, or a transport thread; it must not block.
     */
    void closed(AmqpException cause);
  }

  /**
   * Told when the broker blocks and unblocks publishing on this connection: RabbitMQ's {@code
   * connection.blocked} / {@code connection.unblocked}
   * (https://www.rabbitmq.com/docs/connection-blocked), raised by the broker's memory limit. While
   * blocked, {@link AmqpChannel#basicPublish} waits; consuming and acknowledging go on.
   * Notifications of one connection are serial and in order, a blocked one always followed by an
   * unblocked one; they come on a transport thread and must not block for long.
   */
  interface BlockedListener {
    /**
     * Publishing is blocked.
     *
     * @param reason why, e.g. {@code "low on memory"}
     */
    void blocked(String reason);

    /** Publishing is allowed again. */
    void unblocked();
  }

  /**
   * A broker-unique, stable id of this connection (e.g. {@code conn-7}), for logs and for
   * recognising a message published by this connection (JMS {@code noLocal}); not null.
   */
  String id();

  /**
   * Opens a channel ({@code channel.open}, spec 1.5.2.1).
   *
   * @return an open channel, owned by the caller
   * @throws AmqpException 504 CHANNEL_ERROR if this connection is closed
   */
  AmqpChannel createChannel();

  /**
   * Claims a JMS client identifier for this connection (Jakarta Messaging 6.1.2: a client ID is
   * used by one connection at a time) among every open connection to the same broker; not an AMQP
   * method. The claim is released by {@link #close()}. Claiming is atomic: of two connections
   * claiming one id at once, exactly one wins.
   *
   * @param clientId not null, not empty
   * @return true if claimed, false if another open connection of the broker holds it
   * @throws IllegalStateException if this connection holds a client ID already (one claim per
   *     connection)
   */
  boolean claimClientId(String clientId);

  /**
   * Adds a listener told once when this connection has closed, with the hard error that closed it
   * or null for a client close; told at once (on the calling thread) if already closed.
   *
   * @param listener not null
   */
  void addCloseListener(CloseListener listener);

  /**
   * Adds a listener told when the broker blocks and unblocks publishing. If publishing is blocked
   * already, the listener is told soon after registration.
   *
   * @param listener not null
   */
  void addBlockedListener(BlockedListener listener);

  /**
   * Removes a listener added with {@link #addBlockedListener}.
   *
   * @return whether it was registered
   */
  boolean removeBlockedListener(BlockedListener listener);

  /**
   * Whether the broker offers this extension of AMQP 0-9-1, as its {@code connection.start}
   * advertises it in {@code server-properties.capabilities} (e.g. {@code warrenmq.dtx}, {@code
   * warrenmq.selectors}). The JMS layer checks before using one, so that a broker without it (a
   * real RabbitMQ) fails at that call with an error naming the capability. The in-VM engine has
   * every capability.
   *
   * @param capability the capability's name, not null
   * @return true by default
   */
  default boolean hasCapability(String capability) {
    return true;
  }

  /** Whether the connection is open: false once closed by the client or by the broker. */
  boolean isOpen();

  /**
   * Closes the connection ({@code connection.close}) and its channels, and releases its client ID.
   * Close listeners are told with a null cause. Idempotent; never throws.
   */
  @Override
  void close();
}
