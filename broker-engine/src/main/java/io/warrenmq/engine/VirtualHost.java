package io.warrenmq.engine;

/**
 * An AMQP virtual host: a namespace of exchanges, queues and bindings, each unique by name inside
 * it. Created with the default exchange {@code ""} and {@code amq.direct}, {@code amq.fanout},
 * {@code amq.topic}, {@code amq.headers}, {@code amq.match} (RabbitMQ's predeclared exchanges).
 *
 * <p>Concurrency: thread-safe; no lock is held on the publish path (see DESIGN.md, Concurrency).
 */
public final class VirtualHost {

  private VirtualHost() {
    throw new UnsupportedOperationException("to be implemented");
  }

  /** The virtual host's name, e.g. {@code "/"}. */
  public String name() {
    throw new UnsupportedOperationException("to be implemented");
  }
}
