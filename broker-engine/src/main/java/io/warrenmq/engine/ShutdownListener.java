package io.warrenmq.engine;

import io.warrenmq.client.AmqpException;

/**
 * Told when a {@link Connection} has closed, like the RabbitMQ Java client's {@code
 * ShutdownListener}: after every channel is closed and the exclusive queues are gone.
 *
 * <p>Concurrency: called once, on the thread that closed the connection (the client's thread for
 * {@link Connection#close()}, the failing channel's caller for a hard error, the closing thread for
 * {@link Broker#close()}); it must not block.
 */
@FunctionalInterface
public interface ShutdownListener {

  /**
   * @param cause why the broker closed the connection (a hard error such as 320 CONNECTION_FORCED
   *     on broker shutdown, or the 5xx error a channel hit), or null when the client closed it
   */
  void shutdownCompleted(AmqpException cause);
}
