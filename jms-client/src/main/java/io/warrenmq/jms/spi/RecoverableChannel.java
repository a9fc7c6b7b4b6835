package io.warrenmq.jms.spi;

/**
 * An {@link io.warrenmq.client.AmqpChannel} that outlives the AMQP connection it was opened on: a
 * transport that reconnects after a lost connection (a list of brokers, {@code reconnectAttempts})
 * opens its channels again on the new connection. What the lost connection held cannot move with
 * it, and the JMS layer asks this interface about it (Jakarta Messaging 6.2.10 and 6.2.13: after a
 * failure, unacknowledged messages are redelivered and an open transaction is rolled back).
 *
 * <ul>
 *   <li>A delivery tag handed out before the loss is stale: the broker has put that message back
 *       and delivers it again, marked redelivered, with a new tag. Settling a stale tag ({@code
 *       basic.ack}, {@code reject}, {@code nack}) is dropped, never sent: delivery tags restart at
 *       1 on every channel (AMQP 0-9-1 spec 1.8.3.13), so it would settle another message.
 *   <li>A transaction ({@code tx.select}) whose publishes went to the lost connection is rolled
 *       back by the broker; the next {@code tx.commit} must not commit the rest of it.
 * </ul>
 *
 * <p>Thread-safety: thread-safe.
 */
public interface RecoverableChannel {

  /**
   * Whether {@code deliveryTag} was delivered on a connection that has been lost since (the message
   * will come again, or already has, with another tag).
   */
  boolean isStale(long deliveryTag);

  /**
   * Whether publishes of the current transaction ({@code tx.select} mode) went to a connection that
   * has been lost since the last {@code tx.commit} or {@code tx.rollback}, and clears the mark.
   */
  boolean takeTransactionLost();
}
