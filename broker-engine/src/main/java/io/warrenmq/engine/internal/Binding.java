package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.MessageSelector;
import java.util.Map;
import java.util.Objects;

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
 * @param selector the JMS selector of the {@code x-jms-selector} argument, or null: evaluated at
 *     routing time, so that a message it does not select never takes this binding (DESIGN.md, JMS
 *     mapping: selectors on topic subscriptions). Derived from {@code arguments}; not part of
 *     equality.
 */
public record Binding(
    Exchange exchange,
    Queue queue,
    Exchange destinationExchange,
    String bindingKey,
    Map<String, Object> arguments,
    MessageSelector selector) {

  /**
   * A binding whose selector is read from its arguments.
   *
   * @throws io.warrenmq.client.AmqpException 406 for an invalid {@code x-jms-selector}
   */
  public Binding(
      Exchange exchange,
      Queue queue,
      Exchange destinationExchange,
      String bindingKey,
      Map<String, Object> arguments) {
    this(
        exchange,
        queue,
        destinationExchange,
        bindingKey,
        arguments,
        Selectors.fromArguments(arguments));
  }

  /** Whether a message with these properties may take this binding. */
  boolean admits(BasicProperties properties) {
    return selector == null || selector.matches(properties);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Binding b
        && b.exchange == exchange
        && b.queue == queue
        && b.destinationExchange == destinationExchange
        && Objects.equals(b.bindingKey, bindingKey)
        && Objects.equals(b.arguments, arguments);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        System.identityHashCode(exchange),
        System.identityHashCode(queue),
        System.identityHashCode(destinationExchange),
        bindingKey,
        arguments);
  }

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
