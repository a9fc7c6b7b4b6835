package io.warrenmq.engine.internal;

import io.warrenmq.engine.ExchangeSpec;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An exchange of a virtual host: its declaration and the routing table of its type.
 *
 * <p>Concurrency: {@link #routes()} is read without a lock on the publish path; {@link #bindings}
 * (the binding set used for {@code if-unused}, auto-delete and deletion) is guarded by the virtual
 * host's topology lock.
 */
public final class Exchange {
  private final ExchangeSpec spec;
  private final ExchangeType routes;
  final Set<Binding> bindings = new LinkedHashSet<>();

  Exchange(ExchangeSpec spec, ExchangeType routes) {
    this.spec = spec;
    this.routes = routes;
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

  @Override
  public String toString() {
    return "exchange '" + spec.name() + "' (" + spec.type() + ")";
  }
}
