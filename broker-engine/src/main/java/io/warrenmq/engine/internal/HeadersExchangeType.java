package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;
import java.util.Map;

/**
 * {@code headers} exchanges (AMQP 0-9-1 spec 3.1.3.4, RabbitMQ semantics): a binding matches when
 * the message headers match the binding arguments, all of them ({@code x-match=all}, the default)
 * or at least one ({@code x-match=any}). Arguments whose name starts with {@code x-} are not
 * compared unless {@code x-match} is {@code all-with-x} or {@code any-with-x}. Values compare as
 * {@link Arguments#equivalent}. Routing scans a copy-on-write array without a lock: cost is linear
 * in the number of bindings, which is usual for this type.
 */
final class HeadersExchangeType implements ExchangeType {
  private volatile Binding[] bindings = Bindings.NONE;

  @Override
  public String typeName() {
    return "headers";
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
    Map<String, Object> headers = properties.headers();
    for (Binding b : bindings) {
      if (matches(b.arguments(), headers)) {
        out.add(b);
      }
    }
  }

  static boolean matches(Map<String, Object> args, Map<String, Object> headers) {
    Object mode = args.get("x-match");
    String m = mode == null ? "all" : mode.toString();
    boolean any = m.startsWith("any");
    boolean withX = m.endsWith("-with-x");
    for (Map.Entry<String, Object> arg : args.entrySet()) {
      String key = arg.getKey();
      if (key.equals("x-match") || (!withX && key.startsWith("x-"))) {
        continue;
      }
      boolean hit =
          headers.containsKey(key) && Arguments.equivalent(arg.getValue(), headers.get(key));
      if (any && hit) {
        return true;
      }
      if (!any && !hit) {
        return false;
      }
    }
    // all: every compared argument matched (vacuously true with none); any: none matched
    return !any;
  }
}
