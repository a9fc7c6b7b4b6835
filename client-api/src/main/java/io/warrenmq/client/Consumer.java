package io.warrenmq.client;

/**
 * Callback for messages pushed by {@code basic.consume}.
 *
 * <p>Concurrency: calls for consumers of one {@link AmqpChannel} are made one at a time, in
 * delivery order, on a broker dispatch thread (never on the publisher's thread). A callback should
 * return quickly; it may call any method of its channel, including acks. An exception thrown by a
 * callback is logged and the delivery stays unacked.
 */
@FunctionalInterface
public interface Consumer {

  /**
   * Called once per delivered message.
   *
   * @param delivery the message and its delivery tag
   */
  void handleDelivery(Delivery delivery);

  /**
   * Called when the broker cancels the consumer without a {@code basicCancel} from the client
   * (RabbitMQ's consumer cancel notify): the queue was deleted (by any channel), the channel was
   * closed by a soft error, the connection by a hard error, or the broker was closed. It is not
   * called when the client itself cancels the consumer or closes the channel or connection. It runs
   * on the dispatch thread of the channel, after the deliveries made before it.
   *
   * @param consumerTag the cancelled consumer's tag
   */
  default void handleCancel(String consumerTag) {}

  /**
   * Called once after {@link Channel#basicCancel} cancelled this consumer, on the dispatch thread
   * of the channel, after the consumer's last {@link #handleDelivery}: no delivery to the tag
   * follows it (RabbitMQ's Java client's {@code Consumer.handleCancelOk}; a wire server writes
   * {@code basic.cancel-ok} only now, since the AMQP 0-9-1 client must see no {@code basic.deliver}
   * to a tag after its cancel-ok). A delivery in progress when {@code basicCancel} was called
   * finishes before it; deliveries not yet handed over went back to the queue. Not called for an
   * unknown tag, nor for a consumer the broker cancelled first ({@link #handleCancel}), nor when
   * the channel closes.
   *
   * @param consumerTag the cancelled consumer's tag
   */
  default void handleCancelOk(String consumerTag) {}
}
