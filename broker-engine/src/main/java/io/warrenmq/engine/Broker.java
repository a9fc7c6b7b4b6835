package io.warrenmq.engine;

/**
 * An AMQP 0-9-1 broker: the root of the model. It owns {@link VirtualHost}s (the default one,
 * {@code "/"}, always exists) and a pool of dispatch threads (named {@code warren-dispatch-N},
 * daemon) that push deliveries to consumers.
 *
 * <p>Clients talk to it through {@link #newConnection(String, String)} and the {@link Channel} API.
 *
 * <p>Concurrency: thread-safe. {@link #close()} closes every connection, cancels every consumer,
 * and stops the dispatch threads; it waits up to 10 s for running callbacks to finish.
 */
public final class Broker implements AutoCloseable {

  /**
   * Starts a broker.
   *
   * @param config name and thread settings, not null
   */
  public Broker(BrokerConfig config) {
    throw new UnsupportedOperationException("to be implemented");
  }

  /** This broker's name ({@link BrokerConfig#name()}). */
  public String name() {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * Opens a client connection to a virtual host.
   *
   * @param virtualHost the virtual host's name, e.g. {@code "/"}
   * @param clientName a name for logs (e.g. the JMS client id), may be null
   * @return an open connection
   * @throws AmqpException 530 NOT_ALLOWED if the virtual host does not exist, 320 CONNECTION_FORCED
   *     if the broker is closed
   */
  public Connection newConnection(String virtualHost, String clientName) {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * Returns a virtual host, creating it if absent.
   *
   * @param name the virtual host's name, not empty
   */
  public VirtualHost virtualHost(String name) {
    throw new UnsupportedOperationException("to be implemented");
  }

  /** Whether {@link #close()} has not been called. */
  public boolean isOpen() {
    throw new UnsupportedOperationException("to be implemented");
  }

  /** Closes every connection and stops the dispatch threads. Idempotent. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("to be implemented");
  }
}
