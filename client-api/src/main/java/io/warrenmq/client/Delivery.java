package io.warrenmq.client;

/**
 * One message handed to a consumer, the content of AMQP 0-9-1 {@code basic.deliver} (spec 1.8.3.9)
 * or {@code basic.get-ok}.
 *
 * <p>The body array is shared with every other queue the message was routed to: callers must not
 * modify it.
 *
 * @param consumerTag tag of the consumer, or null for {@code basic.get}
 * @param deliveryTag channel-scoped, positive, increasing tag to pass to {@code basicAck} etc.
 * @param redelivered whether the message was delivered before and not acked
 * @param exchange the exchange it was published to ({@code ""} for the default exchange)
 * @param routingKey the routing key it was published with
 * @param properties the message's properties: the publisher's object itself on a first delivery; on
 *     a redelivery a copy whose headers hold {@code x-delivery-count} (a {@code Long}, RabbitMQ
 *     quorum-queue style), the number of earlier deliveries that ended in a requeue
 * @param body the message body (shared, read-only)
 */
public record Delivery(
    String consumerTag,
    long deliveryTag,
    boolean redelivered,
    String exchange,
    String routingKey,
    BasicProperties properties,
    byte[] body) {}
