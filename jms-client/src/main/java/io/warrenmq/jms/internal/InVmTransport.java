package io.warrenmq.jms.internal;

import io.warrenmq.engine.Broker;
import io.warrenmq.jms.spi.ConnectionInfo;
import io.warrenmq.jms.spi.Transport;
import io.warrenmq.jms.spi.TransportConnection;
import java.util.Map;
import java.util.Objects;

/**
 * The in-VM transport: connections are engine {@link io.warrenmq.engine.Connection}s to a {@link
 * Broker} in this JVM, and every {@link io.warrenmq.client.AmqpChannel} method is one call of the
 * engine's {@link io.warrenmq.engine.Channel}, on the caller's thread. Either a given broker
 * ({@link #of(Broker)}), or the broker of a {@code vm://<name>} URL ({@link #named}), started on
 * the first {@link #connect} if none of that name runs ({@link InVmBrokers}).
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class InVmTransport implements Transport {

  private final Broker broker;
  private final String brokerName;
  private final Map<String, String> store;

  private InVmTransport(Broker broker, String brokerName, Map<String, String> store) {
    this.broker = broker;
    this.brokerName = brokerName;
    this.store = store;
  }

  /**
   * A transport to this broker.
   *
   * @param broker not null
   */
  public static InVmTransport of(Broker broker) {
    Objects.requireNonNull(broker, "broker");
    return new InVmTransport(broker, broker.name(), Map.of());
  }

  /**
   * A transport to the in-VM broker of this name, which {@link #connect} starts with these store
   * settings if none of that name runs (see {@link InVmBrokers#getOrStart(String, Map)}).
   *
   * @param brokerName not empty
   * @param store empty for the in-memory store, else {@code store=<provider>} and its knobs
   */
  public static InVmTransport named(String brokerName, Map<String, String> store) {
    Objects.requireNonNull(brokerName, "brokerName");
    return new InVmTransport(null, brokerName, Map.copyOf(store));
  }

  @Override
  public String brokerName() {
    return brokerName;
  }

  /**
   * Opens an engine connection: {@link Broker#newConnection(String, String, String)} with a user,
   * {@link Broker#newConnection(String, String)} (the trusted path, the client id as client name)
   * without.
   *
   * @throws IllegalArgumentException naming a wrong store setting or a store provider that is not
   *     on the class path, when the broker is started here
   * @throws IllegalStateException if the store of a broker started here cannot be opened
   */
  @Override
  public TransportConnection connect(ConnectionInfo info) {
    Broker b = broker != null ? broker : InVmBrokers.getOrStart(brokerName, store);
    io.warrenmq.engine.Connection engine =
        info.user() == null
            ? b.newConnection(info.virtualHost(), info.clientId())
            : b.newConnection(info.virtualHost(), info.user(), info.password());
    return new InVmConnection(b, engine);
  }

  @Override
  public String toString() {
    return "vm://" + brokerName;
  }
}
