package io.warrenmq.jms.internal;

import io.warrenmq.client.Passwords;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.MessageStoreProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-VM brokers that {@code vm://<name>} URLs start or join: one {@link Broker} per name per
 * JVM (class loader), created on first use (by {@link InVmTransport#connect}) and kept until {@link
 * #stop(String)} or the end of the JVM. Closing the last connection of a broker does not stop it
 * (as ActiveMQ Artemis' in-VM acceptor): the next connection finds its queues and messages in
 * memory without opening the store again. A JVM shutdown hook, registered with the first broker,
 * stops every broker still running, so that a normal exit ({@code System.exit}, the end of {@code
 * main}, SIGTERM) lets the store finish its last group commit and record a clean shutdown. Internal
 * to the provider (public for the module's own tests); applications stop a broker with {@code
 * WarrenConnectionFactory.stopBroker}.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class InVmBrokers {

  private static final System.Logger LOG = System.getLogger(InVmBrokers.class.getName());

  /** A running broker and the store settings its URL gave. */
  private record Running(Broker broker, Map<String, String> store) {}

  private static final Map<String, Running> BROKERS = new ConcurrentHashMap<>();

  private static boolean hookRegistered;

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
   * The running broker of this name, started with this store if there is none. A URL without store
   * settings joins the running broker whatever its store; a URL with store settings joins it only
   * if they are the ones it was started with.
   *
   * @param store store settings: empty for none (the in-memory store when the broker is started
   *     here), else {@code store=<provider>} (e.g. {@code jdbc}), the provider's knobs ({@link
   *     MessageStoreProvider}) and optionally the broker's {@code queueWindowBytes} (bytes, already
   *     validated)
   * @throws IllegalArgumentException naming a wrong setting, a store provider that is not on the
   *     class path, or store settings that differ from those of the running broker of this name
   *     (both are named, passwords masked)
   * @throws IllegalStateException if the store cannot be opened
   */
  public static Broker getOrStart(String name, Map<String, String> store) {
    Running running =
        BROKERS.compute(
            name,
            (n, existing) -> {
              if (existing != null && existing.broker().isOpen()) {
                if (!store.isEmpty() && !store.equals(existing.store())) {
                  throw new IllegalArgumentException(
                      "in-VM broker '"
                          + n
                          + "' already runs with store settings "
                          + shown(existing.store())
                          + "; this URL asks for "
                          + shown(store)
                          + ". Give every vm://"
                          + n
                          + " URL the same store options (or none, to join it), or use another"
                          + " broker name");
                }
                return existing;
              }
              registerShutdownHook();
              return new Running(start(n, store), Map.copyOf(store));
            });
    return running.broker();
  }

  /** Settings as {@code {key=value, ...}} in key order, passwords masked. */
  private static String shown(Map<String, String> store) {
    return store.isEmpty() ? "{} (in memory)" : Passwords.mask(new TreeMap<>(store).toString());
  }

  private static synchronized void registerShutdownHook() {
    if (hookRegistered) {
      return;
    }
    hookRegistered = true;
    Thread hook = new Thread(InVmBrokers::stopAll, "warren-in-vm-brokers-shutdown");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already exiting: nothing to register
    }
  }

  /** The shutdown hook: closes every broker still running (each store's last commit finishes). */
  private static void stopAll() {
    for (String name : BROKERS.keySet()) {
      try {
        stop(name);
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING, "in-VM broker '" + name + "' did not close cleanly", e);
      }
    }
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
   * Closes the broker of this name (its connections are closed, its store finishes its last group
   * commit and records a clean shutdown, its threads end) and forgets it, so that the next {@code
   * vm://} connection of that name starts a new one. Does nothing if there is none.
   *
   * @return whether a broker of this name was running
   */
  public static boolean stop(String name) {
    Running r = BROKERS.remove(name);
    if (r == null) {
      return false;
    }
    r.broker().close();
    return true;
  }
}
