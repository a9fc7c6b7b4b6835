package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code direct} exchanges (AMQP 0-9-1 spec 3.1.3.1): a hash map from binding key to a
 * copy-on-write array of bindings; routing is one lookup, without a lock.
 */
final class DirectExchangeType implements ExchangeType {
  private final ConcurrentHashMap<String, Binding[]> byKey = new ConcurrentHashMap<>();

  @Override
  public String typeName() {
    return "direct";
  }

  @Override
  public synchronized boolean bind(Binding b) {
    Binding[] old = byKey.getOrDefault(b.bindingKey(), Bindings.NONE);
    Binding[] updated = Bindings.with(old, b);
    if (updated == old) {
      return false;
    }
    byKey.put(b.bindingKey(), updated);
    return true;
  }

  @Override
  public synchronized boolean unbind(Binding b) {
    Binding[] old = byKey.get(b.bindingKey());
    if (old == null) {
      return false;
    }
    Binding[] updated = Bindings.without(old, b);
    if (updated == old) {
      return false;
    }
    if (updated.length == 0) {
      byKey.remove(b.bindingKey());
    } else {
      byKey.put(b.bindingKey(), updated);
    }
    return true;
  }

  @Override
  public void route(String routingKey, BasicProperties properties, RouteCollector out) {
    Binding[] bindings = byKey.get(routingKey);
    if (bindings != null) {
      for (Binding b : bindings) {
        out.add(b);
      }
    }
  }
}
