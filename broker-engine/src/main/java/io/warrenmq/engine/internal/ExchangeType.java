package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;

/**
 * The routing behaviour of an exchange type (AMQP 0-9-1 spec 3.1.3): one instance per exchange
 * holds that exchange's bindings in the structure its type routes on.
 *
 * <p>Concurrency: {@link #bind} and {@link #unbind} are serialized by the implementation (a lock
 * per exchange) and are called rarely; {@link #route} is called concurrently by every publisher and
 * takes no lock: implementations publish immutable snapshots (copy-on-write arrays) through
 * volatile fields or concurrent maps. A publish racing a bind may or may not see the new binding,
 * as on any broker.
 */
public interface ExchangeType {

  /** The type name as declared, e.g. {@code "topic"}. */
  String typeName();

  /**
   * Adds a binding.
   *
   * @return false if an equal binding was already present
   */
  boolean bind(Binding binding);

  /**
   * Removes a binding.
   *
   * @return false if it was not present
   */
  boolean unbind(Binding binding);

  /**
   * Adds to {@code out} every binding (to a queue or an exchange) that matches the message.
   *
   * @param routingKey the message's routing key, not null
   * @param properties the message's properties, not null (headers exchanges read them)
   */
  void route(String routingKey, BasicProperties properties, RouteCollector out);

  /**
   * A new, empty routing table for a type name.
   *
   * @return null for an unknown type
   */
  static ExchangeType create(String typeName) {
    return switch (typeName) {
      case "direct" -> new DirectExchangeType();
      case "fanout" -> new FanoutExchangeType();
      case "topic" -> new TopicExchangeType();
      case "headers" -> new HeadersExchangeType();
      default -> null;
    };
  }

  /**
   * A new, empty routing table for a declaration; {@code x-delayed-message} wraps the type named by
   * its {@code x-delayed-type} argument.
   *
   * @return null for an unknown type
   * @throws io.warrenmq.client.AmqpException 406 PRECONDITION_FAILED for an {@code
   *     x-delayed-message} exchange whose {@code x-delayed-type} is missing or unknown (the
   *     plugin's text)
   */
  static ExchangeType create(io.warrenmq.client.ExchangeSpec spec) {
    if (!spec.type().equals(DelayedMessageExchangeType.TYPE)) {
      return create(spec.type());
    }
    Object inner = spec.arguments().get(DelayedMessageExchangeType.ARGUMENT);
    ExchangeType routing =
        inner == null || inner.toString().equals(DelayedMessageExchangeType.TYPE)
            ? null
            : create(inner.toString());
    if (routing == null) {
      throw Errors.precondition(
          "Invalid argument, 'x-delayed-type' must be an existing exchange type");
    }
    return new DelayedMessageExchangeType(routing);
  }
}
