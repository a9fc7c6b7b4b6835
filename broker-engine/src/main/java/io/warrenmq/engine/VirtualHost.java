package io.warrenmq.engine;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.internal.Queue;
import io.warrenmq.engine.internal.ServerVirtualHost;
import java.util.List;

/**
 * An AMQP virtual host: a namespace of exchanges, queues and bindings, each unique by name inside
 * it. Created with the default exchange {@code ""} and {@code amq.direct}, {@code amq.fanout},
 * {@code amq.topic}, {@code amq.headers}, {@code amq.match} (RabbitMQ's predeclared exchanges).
 *
 * <p>Besides its name it offers read-only introspection (for management and tests); the topology is
 * changed through a {@link Channel}.
 *
 * <p>Concurrency: thread-safe; no lock is held on the publish path. Topology changes are serialized
 * per virtual host; each queue has its own lock (see the Javadoc of the engine's internal {@code
 * Queue} class for the whole scheme).
 */
public final class VirtualHost {
  private final ServerVirtualHost impl;

  VirtualHost(ServerVirtualHost impl) {
    this.impl = impl;
  }

  ServerVirtualHost impl() {
    return impl;
  }

  /** The virtual host's name, e.g. {@code "/"}. */
  public String name() {
    return impl.name();
  }

  /** Whether a queue of this name exists. */
  public boolean queueExists(String queue) {
    return impl.findQueue(queue) != null;
  }

  /** Whether an exchange of this name exists ({@code ""} always does). */
  public boolean exchangeExists(String exchange) {
    return impl.hasExchange(exchange);
  }

  /**
   * The exchanges declared by clients, sorted by name: a snapshot of their declarations, without
   * the default exchange {@code ""} and the predeclared {@code amq.*} exchanges (as RabbitMQ's
   * definitions export, https://www.rabbitmq.com/docs/definitions).
   *
   * @return an unmodifiable list, possibly empty
   */
  public List<ExchangeSpec> exchanges() {
    return impl.exchangeSpecs();
  }

  /**
   * All queues, sorted by name: a snapshot of their declarations (a server-named queue under its
   * generated {@code amq.gen-...} name; exclusive queues included, with {@link
   * QueueSpec#exclusive()} set).
   *
   * @return an unmodifiable list, possibly empty
   */
  public List<QueueSpec> queues() {
    return impl.queueSpecs();
  }

  /**
   * All bindings, to queues and to exchanges, sorted by source, destination type, destination,
   * routing key and arguments: a consistent snapshot taken under the virtual host's topology lock.
   * The default exchange's implicit bindings (every queue by its own name) are not listed, as in
   * RabbitMQ's definitions export.
   *
   * @return a list, possibly empty
   */
  /**
   * Every exchange's declaration, the default exchange ({@code ""}) and the predeclared {@code
   * amq.*} ones included, sorted by name (what the management API lists; {@link #exchanges()}
   * leaves them out, as definitions do).
   */
  public List<ExchangeSpec> allExchanges() {
    return io.warrenmq.engine.internal.Snapshots.exchanges(impl);
  }

  public List<BindingInfo> bindings() {
    return impl.bindingInfos();
  }

  /**
   * The number of messages ready for delivery in a queue, not counting unacked ones nor those held
   * for a consumer's redelivery delay (as {@code queue.declare-ok} reports it).
   *
   * @throws AmqpException 404 NOT_FOUND if the queue does not exist
   */
  public int queueMessageCount(String queue) {
    return queue(queue).messageCount();
  }

  /**
   * The number of consumers of a queue.
   *
   * @throws AmqpException 404 NOT_FOUND if the queue does not exist
   */
  public int queueConsumerCount(String queue) {
    return queue(queue).consumerCount();
  }

  private Queue queue(String queue) {
    Queue q = impl.findQueue(queue);
    if (q == null) {
      throw new AmqpException(
          ReplyCode.NOT_FOUND, "no queue '" + queue + "' in vhost '" + impl.name() + "'");
    }
    return q;
  }

  @Override
  public String toString() {
    return "vhost '" + impl.name() + "'";
  }
}
