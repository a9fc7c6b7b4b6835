package io.warrenmq.engine.internal;

import java.util.Map;

/**
 * A binding from a source exchange to a destination (AMQP 0-9-1 spec 3.1.3): a queue, or another
 * exchange for RabbitMQ's exchange-to-exchange bindings ({@code exchange.bind}, RabbitMQ doc
 * "e2e"). Exactly one of {@code queue} and {@code destinationExchange} is set. Two bindings are the
 * same when source, destination, binding key and arguments are equal; binding twice is then a
 * no-op.
 *
 * @param exchange the source exchange
 * @param queue the destination queue, or null for an exchange-to-exchange binding
 * @param destinationExchange the destination exchange, or null for a queue binding
 * @param bindingKey the binding key, interpreted by the source exchange's type
 * @param arguments binding arguments (e.g. {@code x-match} for headers exchanges), unmodifiable
 */
public record Binding(
    Exchange exchange,
    Queue queue,
    Exchange destinationExchange,
    String bindingKey,
    Map<String, Object> arguments) {

  /** A binding of a queue to an exchange. */
  public Binding(Exchange exchange, Queue queue, String bindingKey, Map<String, Object> arguments) {
    this(exchange, queue, null, bindingKey, arguments);
  }

  /** An exchange-to-exchange binding. */
  static Binding toExchange(
      Exchange source, Exchange destination, String bindingKey, Map<String, Object> arguments) {
    return new Binding(source, null, destination, bindingKey, arguments);
  }
}
