package io.warrenmq.engine;

import java.util.Objects;

/**
 * Settings of a {@link Broker}.
 *
 * @param name the broker's name, used in thread names and in {@code vm://<name>} URLs; not empty
 * @param dispatchThreads threads that push deliveries to consumers; at least 1
 */
public record BrokerConfig(String name, int dispatchThreads) {

  public BrokerConfig {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    if (dispatchThreads < 1) {
      throw new IllegalArgumentException("dispatchThreads must be >= 1, was " + dispatchThreads);
    }
  }

  /** A broker of this name with one dispatch thread per available processor. */
  public static BrokerConfig named(String name) {
    return new BrokerConfig(name, Math.max(2, Runtime.getRuntime().availableProcessors()));
  }
}
