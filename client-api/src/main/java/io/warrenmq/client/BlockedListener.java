package io.warrenmq.client;

/**
 * Told when the broker blocks and unblocks publishing on a connection: RabbitMQ's {@code
 * connection.blocked} / {@code connection.unblocked} extension
 * (https://www.rabbitmq.com/docs/connection-blocked), raised by the broker's memory limit (engine
 * {@code BrokerConfig#memoryLimitBytes()}, https://www.rabbitmq.com/docs/memory).
 *
 * <p>While blocked, {@link AmqpChannel#basicPublish} waits until the broker is below its limit
 * again (or the channel closes), unless the connection's transport holds publishers back itself
 * (engine {@code Connection#setTransportFlowControl}). Consuming and acknowledging go on, and are
 * what frees memory.
 *
 * <p>Concurrency: called on one of the broker's dispatch threads, never under an engine lock;
 * notifications of one broker are serial and in order, and a blocked notification is always
 * followed by an unblocked one before the next blocked one. A listener must not block for long.
 */
public interface BlockedListener {
  /**
   * Publishing is blocked.
   *
   * @param reason why, e.g. {@code "low on memory"}
   */
  void handleBlocked(String reason);

  /** Publishing is allowed again. */
  void handleUnblocked();
}
