package io.warrenmq.engine;

import java.util.Map;

/**
 * An AMQP 0-9-1 channel (spec 1.5): the client API of the engine. Each method mirrors one AMQP
 * method and has its semantics; the Javadoc names the section. This one API serves the JMS
 * provider in-VM and, later, the wire protocol.
 *
 * <p>Errors: every method reports failures with {@link AmqpException}. A soft (channel) error
 * closes this channel as AMQP requires (its unacked messages return to their queues, its consumers
 * are cancelled); a hard error closes the connection.
 *
 * <p>Concurrency: thread-safe, but like an AMQP channel it is meant to be used by one thread at a
 * time; deliveries to its consumers are made one at a time, in order, on a broker dispatch thread
 * (see {@link Consumer}). Delivery tags are scoped to this channel.
 */
public final class Channel implements AutoCloseable {

  private Channel() {
    throw new UnsupportedOperationException("to be implemented");
  }

  /** This channel's number within its connection, from 1. */
  public int channelNumber() {
    throw new UnsupportedOperationException("to be implemented");
  }

  /** The connection this channel belongs to. */
  public Connection connection() {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code exchange.declare} (spec 1.6.2.1): creates the exchange, or checks that an existing one
   * has the same type and flags.
   *
   * @throws AmqpException 403 ACCESS_REFUSED for a name starting with {@code amq.}; 406
   *     PRECONDITION_FAILED naming the field that differs from an existing exchange; 503
   *     COMMAND_INVALID for an unknown type
   */
  public void exchangeDeclare(ExchangeSpec spec) {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code exchange.declare} with {@code passive}: checks that the exchange exists.
   *
   * @throws AmqpException 404 NOT_FOUND if it does not
   */
  public void exchangeDeclarePassive(String exchange) {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code exchange.delete} (spec 1.6.2.3).
   *
   * @param ifUnused delete only if the exchange has no bindings
   * @throws AmqpException 404 NOT_FOUND if absent; 406 PRECONDITION_FAILED if {@code ifUnused} and
   *     bound; 403 ACCESS_REFUSED for the default and {@code amq.*} exchanges
   */
  public void exchangeDelete(String exchange, boolean ifUnused) {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code queue.declare} (spec 1.7.2.1): creates the queue, or checks that an existing one has the
   * same flags and arguments.
   *
   * @return the queue's name and counts
   * @throws AmqpException 405 RESOURCE_LOCKED if it is exclusive to another connection; 406
   *     PRECONDITION_FAILED naming the field that differs; 403 ACCESS_REFUSED for a name starting
   *     with {@code amq.}
   */
  public QueueDeclareOk queueDeclare(QueueSpec spec) {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code queue.declare} with {@code passive}.
   *
   * @throws AmqpException 404 NOT_FOUND if absent; 405 RESOURCE_LOCKED if exclusive to another
   *     connection
   */
  public QueueDeclareOk queueDeclarePassive(String queue) {
    throw new UnsupportedOperationException("to be implemented");
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
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code queue.purge} (spec 1.7.2.7): removes ready messages, not unacked ones.
   *
   * @return the number of messages removed
   * @throws AmqpException 404 NOT_FOUND
   */
  public int queuePurge(String queue) {
    throw new UnsupportedOperationException("to be implemented");
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
    throw new UnsupportedOperationException("to be implemented");
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
    throw new UnsupportedOperationException("to be implemented");
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
    throw new UnsupportedOperationException("to be implemented");
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
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code basic.consume} (spec 1.8.3.3): starts pushing messages from the queue to the callback.
   * Consumers of one queue receive messages round-robin, bounded by prefetch.
   *
   * @param queue the queue's name
   * @param autoAck the spec's {@code no-ack}: messages count as acked once delivered
   * @param consumerTag a tag unique on this channel, or {@code ""} / null to have one generated
   *     ({@code amq.ctag-...})
   * @param exclusive whether this must be the queue's only consumer
   * @param arguments consumer arguments, may be null
   * @param callback receives deliveries, not null
   * @return the consumer tag
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
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code basic.cancel} (spec 1.8.3.5). Unacked messages of the consumer stay unacked on the
   * channel. An auto-delete queue whose last consumer this was is deleted.
   *
   * @throws AmqpException never for an unknown tag (a no-op, as in RabbitMQ)
   */
  public void basicCancel(String consumerTag) {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code basic.get} (spec 1.8.3.10): takes one message synchronously.
   *
   * @return the message, or null when the queue has none ready ({@code get-empty})
   * @throws AmqpException 404 NOT_FOUND
   */
  public GetResponse basicGet(String queue, boolean autoAck) {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code basic.ack} (spec 1.8.3.13).
   *
   * @param deliveryTag the tag, or 0 with {@code multiple} for all unacked
   * @param multiple ack every unacked delivery up to and including the tag
   * @throws AmqpException 406 PRECONDITION_FAILED "unknown delivery tag" for a tag that is not
   *     unacked on this channel
   */
  public void basicAck(long deliveryTag, boolean multiple) {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code basic.nack} (RabbitMQ extension): negative ack of one or many deliveries.
   *
   * @param requeue return the messages to their queues (marked redelivered) instead of discarding
   *     them
   * @throws AmqpException 406 PRECONDITION_FAILED for an unknown delivery tag
   */
  public void basicNack(long deliveryTag, boolean multiple, boolean requeue) {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code basic.reject} (spec 1.8.3.14).
   *
   * @throws AmqpException 406 PRECONDITION_FAILED for an unknown delivery tag
   */
  public void basicReject(long deliveryTag, boolean requeue) {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code basic.recover} (spec 1.8.3.16) with {@code requeue=true}: returns every unacked message
   * of this channel to its queue, marked redelivered.
   */
  public void basicRecover(boolean requeue) {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code tx.select} (spec 1.9.2.1): from now on publishes and acks are buffered until {@link
   * #txCommit()} or {@link #txRollback()}.
   */
  public void txSelect() {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code tx.commit} (spec 1.9.2.3): applies the buffered publishes and acks.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED if {@link #txSelect()} was not called
   */
  public void txCommit() {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code tx.rollback} (spec 1.9.2.5): discards buffered publishes and acks; the messages whose
   * acks were discarded stay unacked (as in RabbitMQ; the JMS layer recovers them).
   *
   * @throws AmqpException 406 PRECONDITION_FAILED if {@link #txSelect()} was not called
   */
  public void txRollback() {
    throw new UnsupportedOperationException("to be implemented");
  }

  /** Whether the channel is open. */
  public boolean isOpen() {
    throw new UnsupportedOperationException("to be implemented");
  }

  /**
   * {@code channel.close}: cancels its consumers and returns its unacked messages to their queues
   * (marked redelivered). Idempotent.
   */
  @Override
  public void close() {
    throw new UnsupportedOperationException("to be implemented");
  }
}
