package io.warrenmq.engine;

import io.warrenmq.client.BasicProperties;
import java.util.Objects;

/**
 * A persistent message as the {@link MessageStore} keeps it: written once, whatever the number of
 * queues it was routed to.
 *
 * @param messageId the broker-assigned id, positive, unique within the store
 * @param exchange the exchange it was published to
 * @param routingKey its routing key
 * @param properties its properties (headers included), kept as they are
 * @param body its body, byte for byte; shared, never modified
 */
public record StoredMessage(
    long messageId, String exchange, String routingKey, BasicProperties properties, byte[] body) {

  public StoredMessage {
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(routingKey, "routingKey");
    Objects.requireNonNull(properties, "properties");
    Objects.requireNonNull(body, "body");
  }
}
