package io.warrenmq.engine;

import java.util.Map;
import java.util.Objects;

/**
 * A binding as introspection and definitions export see it: a value object, detached from the live
 * model. Its fields are those of a binding in RabbitMQ's definitions format ({@code rabbitmqctl
 * export_definitions}, https://www.rabbitmq.com/docs/definitions).
 *
 * @param source the source exchange's name, never the default exchange {@code ""} (its implicit
 *     bindings are not listed)
 * @param destination the destination queue's or exchange's name
 * @param destinationType {@link #QUEUE} or {@link #EXCHANGE} (exchange-to-exchange binding,
 *     RabbitMQ doc "e2e")
 * @param routingKey the binding key, possibly empty
 * @param arguments the binding arguments (e.g. {@code x-match} for headers exchanges); never null,
 *     copied
 */
public record BindingInfo(
    String source,
    String destination,
    String destinationType,
    String routingKey,
    Map<String, Object> arguments) {

  /** {@link #destinationType()} of a binding to a queue. */
  public static final String QUEUE = "queue";

  /** {@link #destinationType()} of an exchange-to-exchange binding. */
  public static final String EXCHANGE = "exchange";

  /**
   * @throws IllegalArgumentException if {@code destinationType} is neither {@code "queue"} nor
   *     {@code "exchange"}
   */
  public BindingInfo {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    if (!QUEUE.equals(destinationType) && !EXCHANGE.equals(destinationType)) {
      throw new IllegalArgumentException(
          "destination type must be 'queue' or 'exchange', was '" + destinationType + "'");
    }
    routingKey = routingKey == null ? "" : routingKey;
    arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
  }

  /** Whether the destination is a queue (rather than an exchange). */
  public boolean isQueueDestination() {
    return QUEUE.equals(destinationType);
  }
}
