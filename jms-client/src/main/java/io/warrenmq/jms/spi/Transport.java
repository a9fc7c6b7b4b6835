package io.warrenmq.jms.spi;

import io.warrenmq.client.AmqpException;

/**
 * Reaches one broker and opens connections to it: the entry point of the transport SPI (see the
 * package documentation). An in-VM transport calls the engine in the same JVM; the wire transport
 * opens a socket per connection.
 *
 * <p>Thread-safety: implementations are thread-safe; {@link #connect} may be called concurrently.
 */
public interface Transport {

  /**
   * The name of the broker this transport reaches, for error messages and logs (e.g. {@code
   * "warren"} for {@code vm://warren}); not null.
   */
  String brokerName();

  /**
   * Opens a connection (AMQP 0-9-1 {@code connection.start-ok}, {@code connection.open}, spec
   * 1.4.2): with {@link ConnectionInfo#user()} the broker checks the password and the user's
   * permission on the virtual host, as RabbitMQ's access control does; without a user it is the
   * trusted in-VM path. The connection is open when this returns; it has no channel yet.
   *
   * @param info the virtual host, credentials and client id; not null
   * @return an open connection, owned by the caller, who must {@linkplain
   *     TransportConnection#close() close} it
   * @throws AmqpException 403 ACCESS_REFUSED for a wrong user or password; 530 NOT_ALLOWED if the
   *     virtual host does not exist or the user has no permission on it; 320 CONNECTION_FORCED if
   *     the broker is closed or shutting down
   * @throws IllegalArgumentException if a setting of the transport is wrong (e.g. an unknown store
   *     of an in-VM broker started on first use), the message naming it
   * @throws IllegalStateException if the broker cannot be reached or started (e.g. its store cannot
   *     be opened), the message saying why
   */
  TransportConnection connect(ConnectionInfo info);
}
