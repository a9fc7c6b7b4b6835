package io.warrenmq.client;

/**
 * A message returned by {@code basic.return} (AMQP 0-9-1 spec 1.8.3.9); see {@link ReturnListener}.
 *
 * @param replyCode why it was returned: {@link ReplyCode#NO_ROUTE} (312) for an unroutable
 *     mandatory message
 * @param replyText the reply text, {@code "NO_ROUTE"} as RabbitMQ sends it
 * @param exchange the exchange it was published to ({@code ""} for the default exchange)
 * @param routingKey the routing key it was published with
 * @param properties its properties, as published
 * @param body its body, the array that was published (not copied)
 */
public record Return(
    ReplyCode replyCode,
    String replyText,
    String exchange,
    String routingKey,
    BasicProperties properties,
    byte[] body) {}
