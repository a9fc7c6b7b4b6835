package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;

/**
 * {@code x-delayed-message} exchanges, after the rabbitmq-delayed-message-exchange plugin: the
 * exchange routes as its {@code x-delayed-type} argument says (direct, fanout, topic, headers), but
 * a message published with a positive header {@code x-delay} (ms) is first held by the exchange and
 * routed when due ({@link RouteCollector} detects it and {@link ServerVirtualHost} schedules it on
 * the broker's timer). As in the plugin ({@code rabbit_delayed_message_utils}), the header may be
 * an integer, a decimal string or a floating-point number (truncated); a missing, unparsable,
 * negative, zero or over-2<sup>32</sup>-1 value routes at once; a released message carries {@code
 * x-delay} negated, so that a delayed exchange further down an exchange-to-exchange chain does not
 * hold it again.
 *
 * <p>Deliberate difference from the plugin, whose {@code route} returns no destination for a held
 * message: a held message counts as routed, so it is neither returned to a mandatory publisher nor
 * sent to the alternate exchange (the plugin's README lists mandatory as unsupported).
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

  /** The plugin's upper bound, Erlang's largest timer, in ms. */
  static final long MAX_DELAY_MS = 4_294_967_295L;

  /** The delay a message asks for in ms, 0 for none. */
  static long delayOf(BasicProperties properties) {
    Object value = properties.headers().get(HEADER);
    long delay;
    if (value == null) {
      return 0;
    } else if (Arguments.isIntegral(value) || value instanceof Number) {
      delay = ((Number) value).longValue(); // floating point: truncated, as the plugin
    } else if (value instanceof String text) {
      try {
        delay = Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    } else {
      return 0;
    }
    return delay > 0 && delay <= MAX_DELAY_MS ? delay : 0;
  }

  /** The properties a released message is routed with: {@code x-delay} negated. */
  static BasicProperties released(BasicProperties properties, long delay) {
    Object negated = delay <= Integer.MAX_VALUE ? (Object) (int) -delay : (Object) (-delay);
    return properties.toBuilder().header(HEADER, negated).build();
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
