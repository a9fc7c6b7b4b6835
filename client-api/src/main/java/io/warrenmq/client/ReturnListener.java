package io.warrenmq.client;

/**
 * Receives messages the broker returns to their publisher ({@code basic.return}, AMQP 0-9-1 spec
 * 1.8.3.9): a message published with {@code mandatory=true} that no queue received comes back with
 * 312 NO_ROUTE, as in RabbitMQ. Register with {@link AmqpChannel#addReturnListener}.
 *
 * <p>Concurrency: called on the channel's dispatch task, serially and in order with the channel's
 * deliveries and confirms (a return comes before the ack of the same message), never on the
 * publisher's thread. An exception thrown by the listener is logged and ignored.
 */
@FunctionalInterface
public interface ReturnListener {

  /**
   * Called once per returned message.
   *
   * @param returned the message and the reason it was returned
   */
  void handleReturn(Return returned);
}
