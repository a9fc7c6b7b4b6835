package io.warrenmq.client;

import java.util.Map;
import java.util.Objects;

/**
 * The fields of AMQP 0-9-1 {@code exchange.declare} (spec 1.6.2.1).
 *
 * @param name exchange name, 1-255 bytes of UTF-8 (any characters, as RabbitMQ); names starting
 *     with {@code amq.} are reserved
 * @param type exchange type name: {@code direct}, {@code fanout}, {@code topic}, {@code headers},
 *     {@code x-delayed-message} (argument {@code x-delayed-type} required)
 * @param durable whether the exchange survives a broker restart
 * @param autoDelete whether the exchange is deleted when its last binding as a source is removed
 * @param internal whether publishers may not publish to it directly (only exchange-to-exchange
 *     bindings and alternate-exchange routing reach it)
 * @param arguments declaration arguments ({@code alternate-exchange}, {@code x-delayed-type});
 *     never null, copied
 */
public record ExchangeSpec(
    String name,
    String type,
    boolean durable,
    boolean autoDelete,
    boolean internal,
    Map<String, Object> arguments) {

  public ExchangeSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
  }

  /** A durable, non-auto-delete, non-internal exchange without arguments. */
  public static ExchangeSpec durable(String name, String type) {
    return new ExchangeSpec(name, type, true, false, false, Map.of());
  }
}
