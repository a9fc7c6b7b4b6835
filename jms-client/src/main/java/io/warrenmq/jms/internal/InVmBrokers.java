package io.warrenmq.jms.internal;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.MessageStoreProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-VM brokers that {@code vm://<name>} URLs start or join: one {@link Broker} per name per
 * JVM (class loader), created on first use (by {@link InVmTransport#connect}) and kept until {@link
 * #stop(String)}. Internal to the provider (public for the module's own tests): start and stop
 * brokers of your own with {@link Broker} and pass them to {@code WarrenConnectionFactory}.
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
    return getOrStart(name, Map.of());
  }

  /**
   * The running broker of this name, started with this store if there is none. The store settings
   * of a broker that already runs are not compared: joining it is what {@code vm://} means.
   *
   * @param store store settings: empty for the in-memory store, else {@code store=<provider>} (e.g.
   *     {@code jdbc}), the provider's knobs ({@link MessageStoreProvider}) and optionally the
   *     broker's {@code queueWindowBytes} (bytes, already validated)
   * @throws IllegalArgumentException naming a wrong setting, or a store provider that is not on the
   *     class path
   * @throws IllegalStateException if the store cannot be opened
   */
  public static Broker getOrStart(String name, Map<String, String> store) {
    return BROKERS.compute(
        name, (n, existing) -> existing != null && existing.isOpen() ? existing : start(n, store));
  }

  private static Broker start(String name, Map<String, String> store) {
    if (store.isEmpty()) {
      return new Broker(BrokerConfig.named(name));
    }
    Map<String, String> settings = new HashMap<>(store);
    BrokerConfig config = BrokerConfig.named(name);
    String window = settings.remove("queueWindowBytes"); // the broker's, not the store's
    if (window != null) {
      config = config.withQueueWindowBytes(Long.parseLong(window));
    }
    String kind = settings.get("store");
    for (MessageStoreProvider provider : ServiceLoader.load(MessageStoreProvider.class)) {
      if (provider.name().equals(kind)) {
        return Broker.withStore(config, provider.open(settings, name));
      }
    }
    throw new IllegalArgumentException(
        "no message store named '"
            + kind
            + "' on the class path (store=jdbc needs the io.warrenmq:persistence jar)");
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
