package io.warrenmq.jms;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-VM brokers that {@code vm://<name>} URLs start or join: one {@link Broker} per name per
 * JVM (class loader), created on first use and kept until {@link #stop(String)}.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class InVmBrokers {

  private static final Map<String, Broker> BROKERS = new ConcurrentHashMap<>();

  private InVmBrokers() {}

  /**
   * The running broker of this name, started if there is none.
   *
   * @param name broker name, not empty
   */
  public static Broker getOrStart(String name) {
    return BROKERS.compute(
        name, (n, existing) -> existing != null && existing.isOpen() ? existing : start(n));
  }

  private static Broker start(String name) {
    return new Broker(BrokerConfig.named(name));
  }

  /**
   * Closes the broker of this name (its connections are closed and its threads end) and forgets it.
   * Does nothing if there is none.
   */
  public static void stop(String name) {
    Broker b = BROKERS.remove(name);
    if (b != null) {
      b.close();
    }
  }
}
