package io.warrenmq.client;

/**
 * Receives publisher confirms (RabbitMQ extension {@code confirm.select}, doc "Consumer
 * Acknowledgements and Publisher Confirms"). After {@link AmqpChannel#confirmSelect()} every
 * publish on the channel gets a sequence number, from 1 ({@link
 * AmqpChannel#getNextPublishSeqNo()}), and is confirmed exactly once: acked when every queue it was
 * routed to has accepted it (an unroutable message is acked at once, after its {@code basic.return}
 * when mandatory; a message held by an {@code x-delayed-message} exchange is acked when the
 * exchange holds it), nacked when a queue refused it (e.g. {@code x-overflow=reject-publish}).
 *
 * <p>Concurrency: called on the channel's dispatch task, serially, in order with the channel's
 * deliveries and returns, never on the publisher's thread. Exceptions are logged and ignored.
 */
public interface ConfirmListener {

  /**
   * The broker has taken responsibility for the message(s).
   *
   * @param deliveryTag the publish sequence number
   * @param multiple whether every publish up to and including {@code deliveryTag} is confirmed (the
   *     engine currently confirms one at a time and passes false)
   */
  void handleAck(long deliveryTag, boolean multiple);

  /**
   * The broker refused the message(s); the publisher may resend.
   *
   * @param deliveryTag the publish sequence number
   * @param multiple as for {@link #handleAck}
   */
  void handleNack(long deliveryTag, boolean multiple);
}
