package io.warrenmq.engine;

import java.util.Map;
import java.util.Objects;

/**
 * A durable binding as the {@link MessageStore} keeps it: from a source exchange to a queue or (an
 * exchange-to-exchange binding, RabbitMQ doc "e2e") to an exchange.
 *
 * @param virtualHost the virtual host of both ends
 * @param source the source exchange
 * @param destination the destination queue or exchange
 * @param toExchange whether {@code destination} is an exchange
 * @param bindingKey the binding key
 * @param arguments binding arguments (e.g. for headers exchanges); never null, copied
 */
public record StoredBinding(
    String virtualHost,
    String source,
    String destination,
    boolean toExchange,
    String bindingKey,
    Map<String, Object> arguments) {

  public StoredBinding {
    Objects.requireNonNull(virtualHost, "virtualHost");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(bindingKey, "bindingKey");
    arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
  }
}
