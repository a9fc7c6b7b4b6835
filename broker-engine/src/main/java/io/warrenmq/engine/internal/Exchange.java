package io.warrenmq.engine.internal;

import io.warrenmq.client.ExchangeSpec;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An exchange of a virtual host: its declaration and the routing table of its type.
 *
 * <p>Concurrency: {@link #routes()} is read without a lock on the publish path; {@link #bindings}
 * (the bindings whose source it is, used for {@code if-unused}, auto-delete and deletion) and
 * {@link #destinationBindings} (the exchange-to-exchange bindings whose destination it is) are
 * guarded by the virtual host's topology lock.
 */
public final class Exchange {
  private final ExchangeSpec spec;
  private final ExchangeType routes;
  private final String alternateExchange;
  final Set<Binding> bindings = new LinkedHashSet<>();
  final Set<Binding> destinationBindings = new HashSet<>();

  /** Cleared when the exchange is deleted: delayed messages due later are then dropped. */
  volatile boolean live = true;

  Exchange(ExchangeSpec spec, ExchangeType routes) {
    this.spec = spec;
    this.routes = routes;
    Object ae = spec.arguments().get("alternate-exchange");
    this.alternateExchange = ae == null ? null : ae.toString();
  }

  public String name() {
    return spec.name();
  }

  public ExchangeSpec spec() {
    return spec;
  }

  ExchangeType routes() {
    return routes;
  }

  boolean isInternal() {
    return spec.internal();
  }

  /** Whether this is an {@code x-delayed-message} exchange. */
  boolean isDelayed() {
    return routes instanceof DelayedMessageExchangeType;
  }

  /** The {@code alternate-exchange} argument (RabbitMQ doc "ae"), or null. */
  String alternateExchange() {
    return alternateExchange;
  }

  @Override
  public String toString() {
    return "exchange '" + spec.name() + "' (" + spec.type() + ")";
  }
}
