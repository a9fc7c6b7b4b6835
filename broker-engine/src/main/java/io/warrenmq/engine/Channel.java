package io.warrenmq.engine;

import io.warrenmq.engine.internal.ServerChannel;
import java.util.Map;

/**
 * An AMQP 0-9-1 channel (spec 1.5): the client API of the engine. Each method mirrors one AMQP
 * method and has its semantics; the Javadoc names the section. This one API serves the JMS provider
 * in-VM and, later, the wire protocol.
 *
 * <p>Errors: every method reports failures with {@link AmqpException}. A soft (channel) error
 * closes this channel as AMQP requires (its unacked messages return to their queues, its consumers
 * are cancelled and told through {@link Consumer#handleCancel}); a hard error (503, 530, see {@link
 * ReplyCode#isHardError()}) closes the whole connection. Every call on a closed channel throws 504
 * CHANNEL_ERROR "channel is closed" (without closing anything else).
 *
 * <p>Concurrency: thread-safe, but like an AMQP channel it is meant to be used by one thread at a
 * time; deliveries to its consumers are made one at a time, in order, on a broker dispatch thread
 * (see {@link Consumer}). Delivery tags are scoped to this channel.
 */
public final class Channel implements AutoCloseable {

  private final Connection connection;
  private final ServerChannel impl;

  Channel(Connection connection, ServerChannel impl) {
    this.connection = connection;
    this.impl = impl;
  }

  /** This channel's number within its connection, from 1. */
  public int channelNumber() {
    return impl.number();
  }

  /** The connection this channel belongs to. */
  public Connection connection() {
    return connection;
  }

  /**
   * {@code exchange.declare} (spec 1.6.2.1): creates the exchange, or checks that an existing one
   * has the same type and flags.
   *
   * <p>As in RabbitMQ the {@code amq.} prefix is checked only when the exchange would be created:
   * re-declaring a predeclared exchange such as {@code amq.direct} with its own type and flags
   * succeeds. Supported types: {@code direct}, {@code fanout}, {@code topic}, {@code headers}.
   * Arguments are stored and compared on re-declaration; none is acted on yet ({@code
   * alternate-exchange} is a later issue).
   *
   * @throws AmqpException 403 ACCESS_REFUSED for a new name starting with {@code amq.} or for the
   *     default exchange; 406 PRECONDITION_FAILED naming the field that differs from an existing
   *     exchange (e.g. {@code "inequivalent arg 'type' for exchange 'x' in vhost '/': received
   *     'fanout' but current is 'direct'"}); 503 COMMAND_INVALID (a hard error) for an unknown type
   */
  public void exchangeDeclare(ExchangeSpec spec) {
    impl.exchangeDeclare(spec);
  }

  /**
   * {@code exchange.declare} with {@code passive}: checks that the exchange exists.
   *
   * @throws AmqpException 404 NOT_FOUND if it does not
   */
  public void exchangeDeclarePassive(String exchange) {
    impl.exchangeDeclarePassive(exchange);
  }

  /**
   * {@code exchange.delete} (spec 1.6.2.3).
   *
   * @param ifUnused delete only if the exchange has no bindings
   * @throws AmqpException 404 NOT_FOUND if absent; 406 PRECONDITION_FAILED if {@code ifUnused} and
   *     bound; 403 ACCESS_REFUSED for the default and {@code amq.*} exchanges
   */
  public void exchangeDelete(String exchange, boolean ifUnused) {
    impl.exchangeDelete(exchange, ifUnused);
  }

  /**
   * {@code queue.declare} (spec 1.7.2.1): creates the queue, or checks that an existing one has the
   * same flags and arguments.
   *
   * <p>Arguments: {@code x-max-priority} (an integer 1-255) makes a priority queue: higher
   * priorities are delivered first, priorities above the maximum count as the maximum, and order is
   * FIFO within a priority. Every other argument ({@code x-message-ttl}, {@code x-expires}, {@code
   * x-max-length}, {@code x-dead-letter-exchange}, ...) is stored and compared on re-declaration
   * but not acted on yet (a later issue implements them). The durable flag is kept; nothing is
   * persisted yet.
   *
   * @return the queue's name and counts
   * @throws AmqpException 405 RESOURCE_LOCKED if it is exclusive to another connection; 406
   *     PRECONDITION_FAILED naming the field that differs, or for an invalid {@code
   *     x-max-priority}; 403 ACCESS_REFUSED for a new name starting with {@code amq.}
   */
  public QueueDeclareOk queueDeclare(QueueSpec spec) {
    return impl.queueDeclare(spec);
  }

  /**
   * {@code queue.declare} with {@code passive}.
   *
   * @throws AmqpException 404 NOT_FOUND if absent; 405 RESOURCE_LOCKED if exclusive to another
   *     connection
   */
  public QueueDeclareOk queueDeclarePassive(String queue) {
    return impl.queueDeclarePassive(queue);
  }

  /**
   * {@code queue.delete} (spec 1.7.2.9). Consumers of the queue are cancelled ({@link
   * Consumer#handleCancel}).
   *
   * @return the number of ready messages deleted with it
   * @throws AmqpException 404 NOT_FOUND; 406 PRECONDITION_FAILED if {@code ifUnused} and it has
   *     consumers, or {@code ifEmpty} and it has messages
   */
  public int queueDelete(String queue, boolean ifUnused, boolean ifEmpty) {
    return impl.queueDelete(queue, ifUnused, ifEmpty);
  }

  /**
   * {@code queue.purge} (spec 1.7.2.7): removes ready messages, not unacked ones.
   *
   * @return the number of messages removed
   * @throws AmqpException 404 NOT_FOUND
   */
  public int queuePurge(String queue) {
    return impl.queuePurge(queue);
  }

  /**
   * {@code queue.bind} (spec 1.7.2.3). Binding twice with the same key and arguments is a no-op.
   *
   * @param bindingKey the binding key, interpreted by the exchange type (a topic pattern for topic
   *     exchanges)
   * @param arguments binding arguments, may be null
   * @throws AmqpException 404 NOT_FOUND if the queue or exchange is absent; 403 ACCESS_REFUSED for
   *     the default exchange
   */
  public void queueBind(
      String queue, String exchange, String bindingKey, Map<String, Object> arguments) {
    impl.queueBind(queue, exchange, bindingKey, arguments);
  }

  /**
   * {@code queue.unbind} (spec 1.7.2.5). Unbinding a binding that does not exist is a no-op, as in
   * RabbitMQ.
   *
   * @throws AmqpException 404 NOT_FOUND if the queue or exchange is absent; 403 ACCESS_REFUSED for
   *     the default exchange
   */
  public void queueUnbind(
      String queue, String exchange, String bindingKey, Map<String, Object> arguments) {
    impl.queueUnbind(queue, exchange, bindingKey, arguments);
  }

  /**
   * {@code basic.publish} (spec 1.8.3.7): routes the message to every queue bound to the exchange
   * that matches, sharing one copy of the body. Inside {@code tx.select} the publish is buffered
   * until {@link #txCommit()}.
   *
   * @param exchange exchange name, {@code ""} for the default exchange
   * @param routingKey the routing key, up to 255 bytes
   * @param mandatory if true, an unroutable message is returned (later issue: basic.return); now it
   *     is dropped as with false
   * @param properties message properties, null means {@link BasicProperties#EMPTY}
   * @param body message body; the engine keeps the array without copying: do not modify it after
   * @throws AmqpException 404 NOT_FOUND if the exchange is absent; 403 ACCESS_REFUSED if internal
   */
  public void basicPublish(
      String exchange,
      String routingKey,
      boolean mandatory,
      BasicProperties properties,
      byte[] body) {
    impl.basicPublish(exchange, routingKey, properties, body);
  }

  /**
   * {@code basic.qos} (spec 1.8.3.1) with RabbitMQ's semantics: with {@code global=false} the limit
   * applies to each consumer created afterwards on this channel; with {@code global=true} to the
   * sum over the channel. 0 means no limit.
   *
   * @param prefetchCount maximum unacked deliveries, 0-65535
   * @throws AmqpException 406 PRECONDITION_FAILED for a negative count
   */
  public void basicQos(int prefetchCount, boolean global) {
    impl.basicQos(prefetchCount, global);
  }

  /**
   * {@code basic.consume} (spec 1.8.3.3): starts pushing messages from the queue to the callback.
   * Consumers of one queue receive messages round-robin, bounded by prefetch; on a queue with
   * {@code x-single-active-consumer} only the oldest consumer receives, and every other consume
   * still succeeds and waits to take over (as in RabbitMQ).
   *
   * @param queue the queue's name
   * @param autoAck the spec's {@code no-ack}: messages count as acked once delivered
   * @param consumerTag a tag unique on this channel, or {@code ""} / null to have one generated
   *     ({@code amq.ctag-...})
   * @param exclusive whether this must be the queue's only consumer
   * @param arguments consumer arguments, may be null
   * @param callback receives deliveries, not null
   * @return the consumer tag
   *     <p>Prefetch limits ({@link #basicQos}) do not apply to {@code autoAck} consumers. Consumer
   *     arguments are accepted and ignored for now.
   * @throws AmqpException 404 NOT_FOUND if the queue is absent; 403 ACCESS_REFUSED if an exclusive
   *     consumer exists or {@code exclusive} is requested while consumers exist; 405
   *     RESOURCE_LOCKED for another connection's exclusive queue; 530 NOT_ALLOWED for a duplicate
   *     tag
   */
  public String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      boolean exclusive,
      Map<String, Object> arguments,
      Consumer callback) {
    return impl.basicConsume(queue, autoAck, consumerTag, exclusive, arguments, callback);
  }

  /**
   * {@code basic.cancel} (spec 1.8.3.5). Unacked messages the consumer has seen stay unacked on the
   * channel; deliveries not yet handed to its callback return to the queue (not marked
   * redelivered). {@link Consumer#handleCancel} is not called. An auto-delete queue whose last
   * consumer this was is deleted.
   *
   * @throws AmqpException never for an unknown tag (a no-op, as in RabbitMQ)
   */
  public void basicCancel(String consumerTag) {
    impl.basicCancel(consumerTag);
  }

  /**
   * {@code basic.get} (spec 1.8.3.10): takes one message synchronously.
   *
   * <p>Messages taken with {@code autoAck=false} are unacked on this channel like consumer
   * deliveries but do not count against prefetch limits.
   *
   * @return the message, or null when the queue has none ready ({@code get-empty})
   * @throws AmqpException 404 NOT_FOUND; 405 RESOURCE_LOCKED for another connection's exclusive
   *     queue
   */
  public GetResponse basicGet(String queue, boolean autoAck) {
    return impl.basicGet(queue, autoAck);
  }

  /**
   * {@code basic.ack} (spec 1.8.3.13).
   *
   * @param deliveryTag the tag, or 0 with {@code multiple} for all unacked
   * @param multiple ack every unacked delivery up to and including the tag (which must itself be
   *     unacked, unless it is 0)
   * @throws AmqpException 406 PRECONDITION_FAILED "unknown delivery tag N" for a tag that is not
   *     unacked on this channel (including a tag already acked, or one delivered with autoAck);
   *     nothing is acked then, and the channel closes
   */
  public void basicAck(long deliveryTag, boolean multiple) {
    impl.basicAck(deliveryTag, multiple);
  }

  /**
   * {@code basic.nack} (RabbitMQ extension): negative ack of one or many deliveries.
   *
   * @param requeue return the messages to their queues (marked redelivered) instead of discarding
   *     them; discarded messages are dead-lettered (reason {@code rejected}) when their queue has
   *     an {@code x-dead-letter-exchange}. A requeue that takes a message past its queue's {@code
   *     x-delivery-limit} dead-letters it (reason {@code delivery_limit}) instead
   * @throws AmqpException 406 PRECONDITION_FAILED for an unknown delivery tag
   */
  public void basicNack(long deliveryTag, boolean multiple, boolean requeue) {
    impl.basicNack(deliveryTag, multiple, requeue);
  }

  /**
   * {@code basic.reject} (spec 1.8.3.14).
   *
   * @param requeue as for {@link #basicNack}: without requeue the message is dead-lettered (reason
   *     {@code rejected}, https://www.rabbitmq.com/docs/dlx) or dropped
   * @throws AmqpException 406 PRECONDITION_FAILED for an unknown delivery tag
   */
  public void basicReject(long deliveryTag, boolean requeue) {
    impl.basicReject(deliveryTag, requeue);
  }

  /**
   * {@code basic.recover} (spec 1.8.3.16) with {@code requeue=true}: returns every unacked message
   * of this channel to its queue, at the head and in original order, marked redelivered.
   *
   * <p>{@code requeue=false} (redeliver to the original consumer) is treated as {@code true}: the
   * messages may then go to any consumer of their queue. (RabbitMQ rejects it with 540.)
   */
  public void basicRecover(boolean requeue) {
    impl.basicRecover(requeue);
  }

  /**
   * {@code tx.select} (spec 1.9.2.1): from now on publishes and acks are buffered until {@link
   * #txCommit()} or {@link #txRollback()}.
   */
  public void txSelect() {
    impl.txSelect();
  }

  /**
   * {@code tx.commit} (spec 1.9.2.3): applies the buffered publishes and acks.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED if {@link #txSelect()} was not called
   */
  public void txCommit() {
    impl.txCommit();
  }

  /**
   * {@code tx.rollback} (spec 1.9.2.5): discards buffered publishes and acks; the messages whose
   * acks were discarded stay unacked (as in RabbitMQ; the JMS layer recovers them).
   *
   * @throws AmqpException 406 PRECONDITION_FAILED if {@link #txSelect()} was not called
   */
  public void txRollback() {
    impl.txRollback();
  }

  /** Whether the channel is open. */
  public boolean isOpen() {
    return impl.isOpen();
  }

  /**
   * {@code channel.close}: cancels its consumers and returns its unacked messages to their queues
   * (at the head, in original order, marked redelivered; deliveries not yet handed to a callback
   * return unmarked). Consumers are not told through {@link Consumer#handleCancel}: the client
   * asked for the close. An auto-delete queue that loses its last consumer this way is deleted.
   * Idempotent.
   */
  @Override
  public void close() {
    impl.close();
  }
}
