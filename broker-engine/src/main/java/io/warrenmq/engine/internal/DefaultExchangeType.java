package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;

/**
 * The default exchange {@code ""} (AMQP 0-9-1 spec 3.1.3.1): a direct exchange to which every queue
 * is implicitly bound by its own name. Routing is a lookup in the virtual host's queue map;
 * explicit bindings are refused before they reach this class.
 */
final class DefaultExchangeType implements ExchangeType {
  private final ServerVirtualHost vhost;

  DefaultExchangeType(ServerVirtualHost vhost) {
    this.vhost = vhost;
  }

  @Override
  public String typeName() {
    return "direct";
  }

  @Override
  public boolean bind(Binding binding) {
    throw Errors.defaultExchangeRefused();
  }

  @Override
  public boolean unbind(Binding binding) {
    throw Errors.defaultExchangeRefused();
  }

  @Override
  public void route(String routingKey, BasicProperties properties, RouteCollector out) {
    Queue q = vhost.findQueue(routingKey);
    if (q != null) {
      out.add(q);
    }
  }
}
