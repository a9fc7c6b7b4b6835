package io.warrenmq.engine;

/**
 * Callback for messages pushed by {@code basic.consume}.
 *
 * <p>Concurrency: calls for consumers of one {@link Channel} are made one at a time, in delivery
 * order, on a broker dispatch thread (never on the publisher's thread). A callback should return
 * quickly; it may call any method of its channel, including acks. An exception thrown by a
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
   * Called when the broker cancels the consumer without a {@code basicCancel} from the client: the
   * queue was deleted, or the channel or connection closed (RabbitMQ's consumer cancel notify).
   *
   * @param consumerTag the cancelled consumer's tag
   */
  default void handleCancel(String consumerTag) {}
}
