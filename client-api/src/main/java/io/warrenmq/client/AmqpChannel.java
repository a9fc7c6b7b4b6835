package io.warrenmq.client;

import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * An AMQP 0-9-1 channel (spec 1.5): the one channel contract of WarrenMQ. Each method mirrors one
 * AMQP method and has its semantics; the Javadoc names the section. The engine implements it
 * ({@code io.warrenmq.engine.Channel}), the wire server maps AMQP frames onto it and the JMS
 * provider speaks it, in-VM or over the wire; a new AMQP method touches this contract, its
 * implementation and the codec, nothing more.
 *
 * <p>Errors: every method reports failures with {@link AmqpException}. A soft (channel) error
 * closes this channel as AMQP requires (its unacked messages return to their queues, its consumers
 * are cancelled and told through {@link Consumer#handleCancel}); a hard error (503, 530, see {@link
 * ReplyCode#isHardError()}) closes the whole connection. Every call on a closed channel throws 504
 * CHANNEL_ERROR "channel is closed" (without closing anything else).
 *
 * <p>Names: exchange and queue names, routing and binding keys are AMQP {@code shortstr}s of at
 * most 255 bytes of UTF-8; a longer one is refused with 406 PRECONDITION_FAILED. Any characters are
 * accepted, as RabbitMQ accepts them.
 *
 * <p>Concurrency: thread-safe, but like an AMQP channel it is meant to be used by one thread at a
 * time; deliveries to its consumers, returns ({@link ReturnListener}) and confirms ({@link
 * ConfirmListener}) are made one at a time, in order, on a broker dispatch thread (see {@link
 * Consumer}). Delivery tags are scoped to this channel.
 *
 * <p>Redelivery delay (consumer argument {@code x-redelivery-delay}, see {@link #basicConsume}; the
 * model is ActiveMQ Artemis' {@code redelivery-delay}): a message delivered to such a consumer that
 * comes back to its queue because of a failed outcome ({@link #basicNack}/{@link #basicReject} with
 * requeue, {@link #basicRecover}, the {@link #txCommit} of such a nack or reject, the {@link
 * #dtxRollback} of the branch that acked it) is held by its queue for that many ms, then becomes
 * ready again at its place by arrival, marked redelivered. Messages a close or cancel returns come
 * back at once. While held it is neither ready nor unacked: {@code queue.declare}'s message count
 * and browsing leave it out, {@link #queuePurge} and {@link #queueDelete} drop it, and a written
 * (persistent, durable) one stays in the store, so a restart recovers it as ready.
 */
public interface AmqpChannel extends AutoCloseable {

  /** This channel's number within its connection, from 1. */
  int channelNumber();

  /**
   * {@code exchange.declare} (spec 1.6.2.1): creates the exchange, or checks that an existing one
   * has the same type and flags.
   *
   * <p>As in RabbitMQ the {@code amq.} prefix is checked only when the exchange would be created:
   * re-declaring a predeclared exchange such as {@code amq.direct} with its own type and flags
   * succeeds. Supported types: {@code direct}, {@code fanout}, {@code topic}, {@code headers} and
   * {@code x-delayed-message} (the rabbitmq-delayed-message-exchange plugin: argument {@code
   * x-delayed-type} names the routing type; a message with a positive integral header {@code
   * x-delay}, in ms, is held by the exchange and routed when due, on the broker's timer; held
   * messages are in memory only, dropped if the exchange is deleted or the broker closed).
   *
   * <p>Flags and arguments, with RabbitMQ's semantics: {@code internal} exchanges refuse direct
   * publishes (they are reached through exchange-to-exchange bindings or as alternate exchanges);
   * an {@code autoDelete} exchange is deleted when its last binding as a source is removed (never
   * if it was never bound); argument {@code alternate-exchange} (RabbitMQ doc "ae") names an
   * exchange, resolved at publish time, that receives the messages this exchange cannot route
   * (recursively, each exchange visited at most once). Arguments are compared on re-declaration.
   *
   * @throws AmqpException 403 ACCESS_REFUSED for a new name starting with {@code amq.} or for the
   *     default exchange; 406 PRECONDITION_FAILED naming the field that differs from an existing
   *     exchange (e.g. {@code "inequivalent arg 'type' for exchange 'x' in vhost '/': received
   *     'fanout' but current is 'direct'"}), for a name over 255 bytes, or for a missing or unknown
   *     {@code x-delayed-type}; 503 COMMAND_INVALID (a hard error) for an unknown type
   */
  void exchangeDeclare(ExchangeSpec spec);

  /**
   * {@code exchange.declare} with {@code passive}: checks that the exchange exists.
   *
   * @throws AmqpException 404 NOT_FOUND if it does not
   */
  void exchangeDeclarePassive(String exchange);

  /**
   * {@code exchange.delete} (spec 1.6.2.3).
   *
   * <p>Bindings are removed in both directions: those whose source it is and the
   * exchange-to-exchange bindings whose destination it is (an auto-delete source losing its last
   * binding that way is deleted too, as in RabbitMQ).
   *
   * <p>Deleting an exchange that does not exist succeeds, as in RabbitMQ.
   *
   * @param ifUnused delete only if the exchange is the source of no binding (being a destination
   *     does not count, as in RabbitMQ)
   * @throws AmqpException 406 PRECONDITION_FAILED if {@code ifUnused} and bound; 403 ACCESS_REFUSED
   *     for the default and {@code amq.*} exchanges
   */
  void exchangeDelete(String exchange, boolean ifUnused);

  /**
   * {@code exchange.bind} (RabbitMQ extension, doc "Exchange to Exchange Bindings"): messages that
   * {@code source} routes to this binding continue through {@code destination}, as if published to
   * it with the same routing key. Routing through a graph of such bindings visits each exchange at
   * most once (cycles are allowed and harmless) and delivers at most one copy to each queue.
   * Binding twice with the same key and arguments is a no-op.
   *
   * @param destination the exchange that receives the messages
   * @param source the exchange whose routing feeds the binding
   * @param bindingKey interpreted by the source's type, up to 255 bytes
   * @param arguments binding arguments, may be null
   * @throws AmqpException 404 NOT_FOUND if either exchange is absent; 403 ACCESS_REFUSED if either
   *     is the default exchange
   */
  void exchangeBind(
      String destination, String source, String bindingKey, Map<String, Object> arguments);

  /**
   * {@code exchange.unbind} (RabbitMQ extension): removes an exchange-to-exchange binding; a no-op
   * if it does not exist. An auto-delete source left without bindings is deleted.
   *
   * @throws AmqpException 404 NOT_FOUND if either exchange is absent; 403 ACCESS_REFUSED if either
   *     is the default exchange
   */
  void exchangeUnbind(
      String destination, String source, String bindingKey, Map<String, Object> arguments);

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
  QueueDeclareOk queueDeclare(QueueSpec spec);

  /**
   * {@code queue.declare} with {@code passive}.
   *
   * @throws AmqpException 404 NOT_FOUND if absent; 405 RESOURCE_LOCKED if exclusive to another
   *     connection
   */
  QueueDeclareOk queueDeclarePassive(String queue);

  /**
   * {@code queue.delete} (spec 1.7.2.9). Consumers of the queue are cancelled ({@link
   * Consumer#handleCancel}).
   *
   * <p>Deleting a queue that does not exist succeeds and returns 0, as in RabbitMQ.
   *
   * @return the number of ready messages deleted with it, messages held for a redelivery delay
   *     included (they are deleted too)
   * @throws AmqpException 405 RESOURCE_LOCKED for another connection's exclusive queue; 406
   *     PRECONDITION_FAILED if {@code ifUnused} and it has consumers, or {@code ifEmpty} and it has
   *     messages
   */
  int queueDelete(String queue, boolean ifUnused, boolean ifEmpty);

  /**
   * {@code queue.purge} (spec 1.7.2.7): removes ready messages, not unacked ones, nor those held by
   * an XA branch (acked in it, or held by a prepared branch recovered after a restart, also deep in
   * the paged-out part of the queue): a rollback of the branch returns them. Messages held for a
   * consumer's redelivery delay ({@code x-redelivery-delay}) are in the queue's custody and are
   * removed too, so none of them reappears after the purge.
   *
   * @return the number of messages removed (ready and held)
   * @throws AmqpException 404 NOT_FOUND
   */
  int queuePurge(String queue);

  /**
   * {@code queue.bind} (spec 1.7.2.3). Binding twice with the same key and arguments is a no-op.
   *
   * @param bindingKey the binding key, interpreted by the exchange type (a topic pattern for topic
   *     exchanges)
   * @param arguments binding arguments, may be null
   * @throws AmqpException 404 NOT_FOUND if the queue or exchange is absent; 403 ACCESS_REFUSED for
   *     the default exchange
   */
  void queueBind(String queue, String exchange, String bindingKey, Map<String, Object> arguments);

  /**
   * {@code queue.unbind} (spec 1.7.2.5). Unbinding a binding that does not exist is a no-op, as in
   * RabbitMQ.
   *
   * @throws AmqpException 404 NOT_FOUND if the queue or exchange is absent; 403 ACCESS_REFUSED for
   *     the default exchange
   */
  void queueUnbind(String queue, String exchange, String bindingKey, Map<String, Object> arguments);

  /**
   * {@code basic.publish} (spec 1.8.3.7): routes the message to every queue bound to the exchange
   * that matches, sharing one copy of the body. Inside {@code tx.select} the publish is buffered
   * until {@link #txCommit()}.
   *
   * @param exchange exchange name, {@code ""} for the default exchange
   *     <p>Routing follows exchange-to-exchange bindings and alternate exchanges (see {@link
   *     #exchangeDeclare} and {@link #exchangeBind}). In confirm mode ({@link #confirmSelect()})
   *     the publish takes the next sequence number and is confirmed through the {@link
   *     ConfirmListener}s.
   * @param exchange exchange name, {@code ""} for the default exchange
   * @param routingKey the routing key, up to 255 bytes
   * @param mandatory if true, a message that reaches no queue is returned to the {@link
   *     ReturnListener}s with 312 NO_ROUTE ({@code basic.return}); if false it is dropped. Inside a
   *     transaction the return happens at {@link #txCommit()}; inside an XA branch at {@link
   *     #dtxCommit} (routed at prepare for a two-phase commit), if this channel is still open then.
   *     A message held by an {@code x-delayed-message} exchange is not returned.
   * @param properties message properties, null means {@link BasicProperties#EMPTY}
   * @param body message body; the engine keeps the array without copying: do not modify it after
   * @throws AmqpException 404 NOT_FOUND if the exchange is absent; 403 ACCESS_REFUSED "cannot
   *     publish to internal exchange 'x' in vhost '/'" if it is internal; 406 PRECONDITION_FAILED
   *     for a routing key over 255 bytes
   */
  void basicPublish(
      String exchange,
      String routingKey,
      boolean mandatory,
      BasicProperties properties,
      byte[] body);

  /**
   * Adds a listener for messages returned by {@code basic.return} (unroutable mandatory messages).
   * Called on this channel's dispatch task, in order with deliveries and confirms.
   *
   * @param listener not null
   */
  void addReturnListener(ReturnListener listener);

  /**
   * Removes a listener added with {@link #addReturnListener}.
   *
   * @return whether it was registered
   */
  boolean removeReturnListener(ReturnListener listener);

  /**
   * Adds a listener for publisher confirms (see {@link #confirmSelect()}).
   *
   * @param listener not null
   */
  void addConfirmListener(ConfirmListener listener);

  /**
   * Removes a listener added with {@link #addConfirmListener}.
   *
   * @return whether it was registered
   */
  boolean removeConfirmListener(ConfirmListener listener);

  /**
   * {@code confirm.select} (RabbitMQ extension, doc "Publisher Confirms"): puts the channel in
   * confirm mode. From then on each publish gets a sequence number, from 1, and is acked to the
   * {@link ConfirmListener}s once every queue it was routed to has accepted it (in-VM that is
   * before {@link #basicPublish} returns; with a persistent store it will be after the store
   * commit), nacked if a queue refused it ({@code x-overflow=reject-publish}). An unroutable
   * message is acked, after its return when mandatory, as in RabbitMQ. Idempotent.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED "cannot switch from tx to confirm mode" after
   *     {@link #txSelect()}
   */
  void confirmSelect();

  /**
   * The sequence number the next publish will get in confirm mode, from 1; 0 when the channel is
   * not in confirm mode (as the RabbitMQ client).
   */
  long getNextPublishSeqNo();

  /**
   * Waits until every publish made so far on this channel is confirmed, like the RabbitMQ client's
   * {@code waitForConfirms(timeout)}. A listener for the last confirm may still be running when
   * this returns.
   *
   * @param timeoutMs the maximum wait in ms; 0 waits without limit
   * @return true if every publish since the previous call was acked, false if one was nacked
   * @throws IllegalStateException if the channel is not in confirm mode
   * @throws TimeoutException if publishes are still unconfirmed after {@code timeoutMs}
   * @throws InterruptedException if the waiting thread is interrupted
   * @throws AmqpException 504 CHANNEL_ERROR if the channel closes with publishes unconfirmed
   */
  boolean waitForConfirms(long timeoutMs) throws InterruptedException, TimeoutException;

  /**
   * Like {@link #waitForConfirms(long)}, but closes the channel if a publish was nacked or the wait
   * timed out, like the RabbitMQ client's {@code waitForConfirmsOrDie(timeout)} (which closes with
   * 200 "NACKS RECEIVED").
   *
   * @param timeoutMs the maximum wait in ms; 0 waits without limit
   * @throws AmqpException {@link ReplyCode#REPLY_SUCCESS} "NACKS RECEIVED" if a publish was nacked
   *     (the channel is closed)
   * @throws TimeoutException after closing the channel, if the wait timed out
   * @throws IllegalStateException if the channel is not in confirm mode
   * @throws InterruptedException if the waiting thread is interrupted
   */
  default void waitForConfirmsOrDie(long timeoutMs) throws InterruptedException, TimeoutException {
    boolean allAcked;
    try {
      allAcked = waitForConfirms(timeoutMs);
    } catch (TimeoutException e) {
      close();
      throw e;
    }
    if (!allAcked) {
      close();
      throw new AmqpException(ReplyCode.REPLY_SUCCESS, "NACKS RECEIVED");
    }
  }

  /**
   * {@code basic.qos} (spec 1.8.3.1) with RabbitMQ's semantics: with {@code global=false} the limit
   * applies to each consumer created afterwards on this channel; with {@code global=true} to the
   * sum over the channel. 0 means no limit.
   *
   * @param prefetchCount maximum unacked deliveries, 0-65535
   * @throws AmqpException 406 PRECONDITION_FAILED for a negative count
   */
  void basicQos(int prefetchCount, boolean global);

  /**
   * {@code basic.qos} with a byte window as well (spec 1.8.3.1, {@code prefetch-size}): besides the
   * count, the unacknowledged deliveries' bodies may add up to at most {@code prefetchSize} bytes,
   * except that one message is always sent when none is unacknowledged, however large. WarrenMQ
   * implements it and says so with the {@code warrenmq.prefetch_size} capability
   * (docs/protocol-prefetch-size.md); RabbitMQ does not and closes the connection with 540
   * NOT_IMPLEMENTED, so a client checks the capability before it sends a non-zero size.
   *
   * @param prefetchSize bytes of message bodies, 0 (no byte limit) to 4,294,967,295
   * @param prefetchCount maximum unacked deliveries, 0-65535 (0: no limit)
   * @param global as in {@link #basicQos(int, boolean)}
   * @throws AmqpException 406 PRECONDITION_FAILED for a value out of range; 540 NOT_IMPLEMENTED for
   *     a non-zero size where the broker has no byte windows
   */
  void basicQos(long prefetchSize, int prefetchCount, boolean global);

  /**
   * {@code basic.consume} (spec 1.8.3.3): starts pushing messages from the queue to the callback.
   * Consumers of one queue receive messages round-robin, bounded by prefetch; on a queue with
   * {@code x-single-active-consumer} only the oldest consumer receives, and every other consume
   * still succeeds and waits to take over (as in RabbitMQ).
   *
   * <p>Direct reply-to (https://www.rabbitmq.com/docs/direct-reply-to): {@code queue} {@code
   * "amq.rabbitmq.reply-to"} is a pseudo-queue. Consuming from it (in {@code autoAck} mode, once
   * per channel, no permission needed) makes every later {@link #basicPublish} on this channel
   * whose {@code reply-to} is {@code "amq.rabbitmq.reply-to"} carry {@code
   * "amq.rabbitmq.reply-to.<token>"} instead; a message published to the default exchange with that
   * routing key is delivered to this consumer directly, through no queue, at most once (no store,
   * dropped once the consumer is cancelled or its channel closed). {@link #queueDeclare} and {@link
   * #queueDeclarePassive} of such a name answer 0 messages and 1 consumer while it lives, 404
   * after. {@link #basicPublish} with that {@code reply-to} on a channel that does not consume from
   * the pseudo-queue fails with 406 "fast reply consumer does not exist".
   *
   * @param queue the queue's name
   * @param autoAck the spec's {@code no-ack}: messages count as acked once delivered
   * @param consumerTag a tag unique on this channel, or {@code ""} / null to have one generated
   *     ({@code amq.ctag-...})
   * @param exclusive whether this must be the queue's only consumer
   * @param arguments consumer arguments, may be null. Read by the engine: {@code x-jms-selector}
   *     (string, a JMS selector: the queue hands this consumer only matching messages) and {@code
   *     x-redelivery-delay} (integer ms, at least 0, default 0: how long a message this consumer
   *     saw is held after a failed outcome before it is ready again; see the class comment). Other
   *     arguments are accepted and ignored.
   * @param callback receives deliveries, not null
   * @return the consumer tag
   *     <p>Prefetch limits ({@link #basicQos}) do not apply to {@code autoAck} consumers.
   * @throws AmqpException 406 PRECONDITION_FAILED naming the argument for an invalid {@code
   *     x-jms-selector} or an {@code x-redelivery-delay} that is not an integer or is negative; 404
   *     NOT_FOUND if the queue is absent; 403 ACCESS_REFUSED if an exclusive consumer exists or
   *     {@code exclusive} is requested while consumers exist; 405 RESOURCE_LOCKED for another
   *     connection's exclusive queue; 530 NOT_ALLOWED for a duplicate tag; for the direct reply-to
   *     pseudo-queue 406 "reply consumer cannot acknowledge" without {@code autoAck} and 406 "reply
   *     consumer already set" for a second consumer on the channel
   */
  String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      boolean exclusive,
      Map<String, Object> arguments,
      Consumer callback);

  /**
   * {@code basic.cancel} (spec 1.8.3.5). Unacked messages the consumer has seen stay unacked on the
   * channel; deliveries not yet handed to its callback return to the queue (not marked
   * redelivered). {@link Consumer#handleCancel} is not called; {@link Consumer#handleCancelOk} is,
   * later, on the dispatch thread, once a delivery that was being handed to the callback when this
   * was called has finished (from then on none follows). An auto-delete queue whose last consumer
   * this was is deleted.
   *
   * @throws AmqpException never for an unknown tag (a no-op, as in RabbitMQ)
   */
  void basicCancel(String consumerTag);

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
  GetResponse basicGet(String queue, boolean autoAck);

  /**
   * WarrenMQ extension, no AMQP 0-9-1 method: a snapshot of the queue's ready messages in delivery
   * order (highest priority first, requeued before new), without consuming or locking them; used by
   * JMS {@code QueueBrowser} (Jakarta Messaging 3.1, 8.9). Unacknowledged messages are not
   * included; expired ones are skipped. The deliveries carry delivery tag 0 and no consumer tag.
   * Over the wire it is a {@code basic.consume} with {@code x-warrenmq-browse}
   * (docs/protocol-browse.md), for brokers that announce {@code warrenmq.browse}; others fail it
   * with 540 NOT_IMPLEMENTED naming the capability.
   *
   * <p>Memory: the snapshot holds one {@link Delivery} per ready message (bodies are shared, not
   * copied).
   *
   * @param queue the queue's name
   * @return the ready messages, possibly empty; never null
   * @throws AmqpException 404 NOT_FOUND; 405 RESOURCE_LOCKED for another connection's exclusive
   *     queue
   */
  java.util.List<Delivery> queueBrowse(String queue);

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
  void basicAck(long deliveryTag, boolean multiple);

  /**
   * {@code basic.nack} (RabbitMQ extension): negative ack of one or many deliveries.
   *
   * @param requeue return the messages to their queues (marked redelivered, after the consumer's
   *     {@code x-redelivery-delay} if it has one) instead of discarding them; discarded messages
   *     are dead-lettered (reason {@code rejected}) when their queue has an {@code
   *     x-dead-letter-exchange}. A requeue that takes a message past its queue's {@code
   *     x-delivery-limit} dead-letters it (reason {@code delivery_limit}) instead
   * @throws AmqpException 406 PRECONDITION_FAILED for an unknown delivery tag
   */
  void basicNack(long deliveryTag, boolean multiple, boolean requeue);

  /**
   * WarrenMQ extension, no AMQP 0-9-1 method: returns a delivery the client never handed to its
   * application (e.g. a prefetched message of a consumer being closed) to its queue as if it had
   * not been delivered: not marked redelivered, its delivery count unchanged, its original position
   * kept. Outside any transaction, even on a {@code tx.select} channel. Over the wire it is {@code
   * basic.release} (docs/protocol-release.md) for brokers that announce {@code warrenmq.release};
   * to others a {@code basic.reject} with requeue, which marks the message redelivered and counts a
   * delivery.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED for an unknown delivery tag
   */
  void basicRelease(long deliveryTag);

  /**
   * {@code basic.reject} (spec 1.8.3.14).
   *
   * @param requeue as for {@link #basicNack}: without requeue the message is dead-lettered (reason
   *     {@code rejected}, https://www.rabbitmq.com/docs/dlx) or dropped
   * @throws AmqpException 406 PRECONDITION_FAILED for an unknown delivery tag
   */
  void basicReject(long deliveryTag, boolean requeue);

  /**
   * {@code basic.recover} (spec 1.8.3.16) with {@code requeue=true}: returns every unacked message
   * of this channel to its queue, at the head and in original order, marked redelivered (after the
   * {@code x-redelivery-delay} of the consumer it was delivered to, if it has one).
   *
   * <p>Prefetch credit held by the recovered messages is released, so they may go to any consumer
   * of their queue, this channel's included.
   *
   * @param requeue must be true
   * @throws AmqpException 540 NOT_IMPLEMENTED "requeue=false" (a hard error: the connection closes)
   *     for {@code requeue=false}, as RabbitMQ answers
   */
  void basicRecover(boolean requeue);

  /**
   * {@code tx.select} (spec 1.9.2.1): from now on publishes and acks are buffered until {@link
   * #txCommit()} or {@link #txRollback()}.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED "cannot switch from confirm to tx mode" after
   *     {@link #confirmSelect()}
   */
  void txSelect();

  /**
   * {@code tx.commit} (spec 1.9.2.3): applies the buffered publishes and acks.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED if {@link #txSelect()} was not called
   */
  void txCommit();

  /**
   * {@code tx.rollback} (spec 1.9.2.5): discards buffered publishes and acks; the messages whose
   * acks were discarded stay unacked (as in RabbitMQ; the JMS layer recovers them).
   *
   * @throws AmqpException 406 PRECONDITION_FAILED if {@link #txSelect()} was not called
   */
  void txRollback();

  /**
   * {@code dtx.start} (the XA extension of DESIGN.md; {@link javax.transaction.xa.XAResource#start}
   * semantics): associates this channel with the branch {@code xid}. While associated, this
   * channel's publishes and acks (ack, nack, reject) belong to the branch: invisible to others
   * until {@link #dtxCommit} (a published message is not routed before; an acked message stays away
   * from other consumers and returns to its queue, redelivered, on {@link #dtxRollback}: after the
   * {@code x-redelivery-delay} of the consumer it was delivered to, if it has one). Deliveries to
   * this channel's consumers are not part of the branch until acked in it.
   *
   * @param flags {@code TMNOFLAGS} (a new branch), {@code TMJOIN} (join a branch another channel of
   *     the same broker started, e.g. a second session of one managed connection) or {@code
   *     TMRESUME} (resume a branch suspended with {@code TMSUSPEND})
   * @throws javax.transaction.xa.XAException XAER_DUPID for TMNOFLAGS on a known Xid; XAER_NOTA for
   *     TMJOIN/TMRESUME on an unknown one; XAER_PROTO if this channel is already associated with a
   *     branch, is in {@code tx.select} mode, or the branch is not in a state that allows it
   *     (prepared, suspended for TMJOIN, not suspended for TMRESUME); XAER_INVAL for other flags;
   *     XA_RBTIMEOUT if the branch timed out; XAER_RMFAIL if the channel is closed. A channel that
   *     pipelines the start (over the wire, docs/protocol-dtx.md "Pipelined dtx.start") reports a
   *     refusal of a {@code TMNOFLAGS} start later instead, as {@code XA_RBROLLBACK} from the next
   *     call on the Xid through it ({@link #dtxStartRefused})
   */
  void dtxStart(javax.transaction.xa.Xid xid, int flags) throws javax.transaction.xa.XAException;

  /**
   * Whether the broker refused this channel's pipelined {@link #dtxStart} of {@code xid}: it then
   * closed the channel and discarded the work sent behind the start, and the calls on {@code xid}
   * must go through this channel, which answers them without the broker ({@code XA_RBROLLBACK} for
   * end, prepare and commit, nothing to do for rollback and forget), not through another channel,
   * where they would reach a branch of the same Xid that is not this channel's
   * (docs/protocol-dtx.md, "Pipelined dtx.start"). False by default: only a channel that pipelines
   * starts can say true. Thread-safe.
   */
  default boolean dtxStartRefused(javax.transaction.xa.Xid xid) {
    return false;
  }

  /**
   * {@code dtx.end}: dissociates this channel from the branch. {@code TMSUCCESS}/{@code TMFAIL}
   * also end an association this channel suspended (transaction managers such as Narayana end
   * suspended resources before completing), and ending after this channel closed succeeds: the
   * close already ended the association and the branch keeps its work.
   *
   * @param flags {@code TMSUCCESS}, {@code TMFAIL} (the branch is marked rollback-only: prepare and
   *     commit then fail with XA_RBROLLBACK) or {@code TMSUSPEND}
   * @throws javax.transaction.xa.XAException XAER_NOTA for an unknown Xid; XAER_PROTO if this
   *     channel is not associated with it; XAER_INVAL for other flags; XA_RBTIMEOUT / XA_RBROLLBACK
   *     if the branch timed out or was marked rollback-only (it is then rolled back)
   */
  void dtxEnd(javax.transaction.xa.Xid xid, int flags) throws javax.transaction.xa.XAException;

  /**
   * {@code dtx.prepare}: first phase of two-phase commit. A branch that published and acked nothing
   * answers {@code XA_RDONLY} and is forgotten; otherwise its work is written to the message store
   * (publishes with their target queues, acks) in one local store transaction before this returns
   * {@code XA_OK}, so that a restarted broker still knows it ({@link #dtxRecover}).
   *
   * @return {@link javax.transaction.xa.XAResource#XA_OK} or {@code XA_RDONLY}
   * @throws javax.transaction.xa.XAException XAER_NOTA for an unknown Xid; XAER_PROTO if the branch
   *     is still associated with a channel or already prepared; XA_RB* if it was marked
   *     rollback-only or timed out (it is then rolled back and forgotten); XAER_RMERR if the store
   *     failed (the branch is rolled back)
   */
  int dtxPrepare(javax.transaction.xa.Xid xid) throws javax.transaction.xa.XAException;

  /**
   * {@code dtx.commit}: makes the branch's publishes visible (routed to the queues recorded at
   * prepare, or routed now for one-phase) and its acks final, in one store unit of work, and
   * forgets the branch. Messages the branch rejected or nacked without requeue are dead-lettered
   * (reason {@code rejected}) in that unit of work, also for a branch recovered after a restart.
   * Unroutable {@code mandatory} publishes are returned (312 NO_ROUTE) to the channel that
   * published them if it is still open; a branch recovered after a restart has no such channel and
   * returns nothing. Works from any channel of the broker (the branch is the broker's, not the
   * channel's), also after a restart for a prepared branch.
   *
   * @param onePhase true to commit a branch that was not prepared (one-phase optimisation)
   * @throws javax.transaction.xa.XAException XAER_NOTA for an unknown Xid; XAER_PROTO for a
   *     one-phase commit of a prepared branch, a two-phase commit of an unprepared one, or a branch
   *     still associated with a channel; XA_RB* for a one-phase commit of a branch marked
   *     rollback-only or timed out (rolled back instead); XAER_RMERR if the store failed;
   *     XAER_RMFAIL if the rejected messages of a recovered branch cannot be read from the store
   *     (the branch stays prepared: commit it again)
   */
  void dtxCommit(javax.transaction.xa.Xid xid, boolean onePhase)
      throws javax.transaction.xa.XAException;

  /**
   * {@code dtx.rollback}: discards the branch's publishes and returns the messages it acked to
   * their queues, marked redelivered (their delivery count goes up), and forgets the branch. A
   * message delivered to a consumer with {@code x-redelivery-delay} is held for that delay first
   * (see the class comment), also when the channel it was delivered on has closed meanwhile: the
   * branch, not the channel, returns it.
   *
   * @throws javax.transaction.xa.XAException XAER_NOTA for an unknown Xid; XAER_PROTO if it is
   *     still associated with a channel; XAER_RMERR if the store failed to forget a prepared branch
   */
  void dtxRollback(javax.transaction.xa.Xid xid) throws javax.transaction.xa.XAException;

  /**
   * {@code dtx.recover}: the Xids of the broker's prepared branches (also those recovered from the
   * store at start-up).
   *
   * @param flags {@code TMSTARTRSCAN}, {@code TMENDRSCAN}, both, or {@code TMNOFLAGS}; every scan
   *     returns the whole list at {@code TMSTARTRSCAN} and nothing more after
   * @throws javax.transaction.xa.XAException XAER_INVAL for other flags
   */
  javax.transaction.xa.Xid[] dtxRecover(int flags) throws javax.transaction.xa.XAException;

  /**
   * {@code dtx.forget}: forgets a heuristically completed branch. WarrenMQ makes no heuristic
   * decisions, so this only answers XAER_NOTA for an unknown Xid and XAER_PROTO otherwise.
   *
   * @throws javax.transaction.xa.XAException as above
   */
  void dtxForget(javax.transaction.xa.Xid xid) throws javax.transaction.xa.XAException;

  /**
   * Sets the timeout of the branches this channel starts from now on, in seconds; 0 restores the
   * default (60 s). A branch not prepared within its timeout is rolled back by the broker; later
   * calls on it get XA_RBTIMEOUT. ({@link javax.transaction.xa.XAResource#setTransactionTimeout}.)
   *
   * @return true
   * @throws javax.transaction.xa.XAException XAER_INVAL for a negative value
   */
  boolean dtxSetTimeout(int seconds) throws javax.transaction.xa.XAException;

  /** The timeout, in seconds, of the branches this channel starts. */
  int dtxGetTimeout();

  /**
   * Identifies the broker instance that is the XA resource manager of this channel: equal strings
   * mean the same resource manager ({@link javax.transaction.xa.XAResource#isSameRM}). Unique per
   * broker instance (a restarted broker is a new instance).
   */
  String resourceManagerId();

  /** Whether the channel is open. */
  boolean isOpen();

  /**
   * {@code channel.close}: cancels its consumers and returns its unacked messages to their queues
   * (at the head, in original order, marked redelivered; deliveries not yet handed to a callback
   * return unmarked). Consumers are not told through {@link Consumer#handleCancel}: the client
   * asked for the close. An auto-delete queue that loses its last consumer this way is deleted.
   * Idempotent.
   */
  @Override
  void close();
}
