package io.warrenmq.jms;

import jakarta.jms.Destination;

/**
 * A destination this provider can send to and consume from: a {@link WarrenQueue}, a {@link
 * WarrenTopic}, or an application server's administered object that names one (the resource
 * adapter's admin objects implement this interface). Sending to any other {@link Destination}
 * throws {@link jakarta.jms.InvalidDestinationException}.
 *
 * <p>The mapping onto the engine follows DESIGN.md: a queue {@code Q} is the durable engine queue
 * {@code Q} bound to the direct exchange {@code jms.queue} with key {@code Q}; a topic {@code T} is
 * routing key {@code T} on the topic exchange {@code jms.topic}.
 */
public interface WarrenDestination extends Destination {

  /** The physical name: the engine queue's name for a queue, the routing key for a topic. */
  String physicalName();

  /** Whether this is a topic ({@code jakarta.jms.Topic}); false for a queue. */
  boolean isTopic();

  /** Whether this is a {@code TemporaryQueue} or {@code TemporaryTopic}. */
  default boolean isTemporary() {
    return false;
  }

  /**
   * The exchange messages to this destination are published to: {@code jms.queue} for queues,
   * {@code jms.topic} for topics, the topic's own fanout exchange {@code jms.temp.<uuid>} for a
   * temporary topic.
   */
  default String exchange() {
    if (isTopic()) {
      return isTemporary() ? physicalName() : MessageCodec.TOPIC_EXCHANGE;
    }
    return MessageCodec.QUEUE_EXCHANGE;
  }

  /** The routing key of messages to this destination (empty for a temporary topic). */
  default String routingKey() {
    return isTopic() && isTemporary() ? "" : physicalName();
  }

  /**
   * The destination as a URI string, {@code queue://<name>}, {@code topic://<name>}, {@code
   * temp-queue://<name>} or {@code temp-topic://<name>}, as carried in the AMQP {@code reply-to}
   * property for {@code JMSReplyTo}.
   */
  default String toUri() {
    return (isTemporary() ? "temp-" : "") + (isTopic() ? "topic://" : "queue://") + physicalName();
  }
}
