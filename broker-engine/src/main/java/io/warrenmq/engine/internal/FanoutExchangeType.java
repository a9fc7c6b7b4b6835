package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;

/**
 * {@code fanout} exchanges (AMQP 0-9-1 spec 3.1.3.2): every bound queue, whatever the key; a
 * copy-on-write array read without a lock.
 */
final class FanoutExchangeType implements ExchangeType {
  private volatile Binding[] bindings = Bindings.NONE;

  @Override
  public String typeName() {
    return "fanout";
  }

  @Override
  public synchronized boolean bind(Binding b) {
    Binding[] old = bindings;
    bindings = Bindings.with(old, b);
    return bindings != old;
  }

  @Override
  public synchronized boolean unbind(Binding b) {
    Binding[] old = bindings;
    bindings = Bindings.without(old, b);
    return bindings != old;
  }

  @Override
  public void route(String routingKey, BasicProperties properties, RouteCollector out) {
    for (Binding b : bindings) {
      out.add(b);
    }
  }
}
