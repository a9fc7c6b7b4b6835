package io.warrenmq.engine.internal;

import io.warrenmq.engine.BasicProperties;

/**
 * {@code x-delayed-message} exchanges, after the rabbitmq-delayed-message-exchange plugin: the
 * exchange routes as its {@code x-delayed-type} argument says (direct, fanout, topic, headers), but
 * a message published with a positive integral header {@code x-delay} (ms) is first held by the
 * exchange and routed when due ({@link RouteCollector} detects it and {@link ServerVirtualHost}
 * schedules it on the broker's timer). A missing, negative, zero or non-integral {@code x-delay}
 * routes at once.
 *
 * <p>Concurrency: as the wrapped type.
 */
final class DelayedMessageExchangeType implements ExchangeType {
  static final String TYPE = "x-delayed-message";
  static final String ARGUMENT = "x-delayed-type";
  static final String HEADER = "x-delay";

  private final ExchangeType routing;

  DelayedMessageExchangeType(ExchangeType routing) {
    this.routing = routing;
  }

  /** The delay a message asks for in ms, 0 for none. */
  static long delayOf(BasicProperties properties) {
    Object value = properties.headers().get(HEADER);
    if (value != null && Arguments.isIntegral(value)) {
      return Math.max(0, ((Number) value).longValue());
    }
    return 0;
  }

  @Override
  public String typeName() {
    return TYPE;
  }

  @Override
  public boolean bind(Binding binding) {
    return routing.bind(binding);
  }

  @Override
  public boolean unbind(Binding binding) {
    return routing.unbind(binding);
  }

  @Override
  public void route(String routingKey, BasicProperties properties, RouteCollector out) {
    routing.route(routingKey, properties, out);
  }
}
