package io.warrenmq.jms.spi;

import io.warrenmq.engine.AmqpException;
import io.warrenmq.engine.BasicProperties;
import io.warrenmq.engine.Delivery;
import io.warrenmq.engine.ExchangeSpec;
import io.warrenmq.engine.QueueDeclareOk;
import io.warrenmq.engine.QueueSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * An AMQP 0-9-1 channel (spec 1.5) as the JMS layer uses it: each method mirrors one AMQP method,
 * or a RabbitMQ or WarrenMQ extension, with its semantics; the Javadoc names the section. The
 * engine's {@code io.warrenmq.engine.Channel} documents the broker-side behaviour in full; this
 * interface states the contract a transport keeps. The XA methods ({@code dtx.*}) join it with the
 * XA work.
 *
 * <p>Errors: every method reports a broker refusal with {@link AmqpException} and its reply code. A
 * soft (channel) error closes this channel (its unacknowledged messages return to their queues, its
 * consumers are cancelled and told through {@link Consumer#handleCancel}); a hard error ({@link
 * io.warrenmq.engine.ReplyCode#isHardError()}) closes the whole connection. Every AMQP method
 * called on a closed channel throws 504 CHANNEL_ERROR; the client-side calls ({@link #isOpen()},
 * {@link #close()}, {@link #addConfirmListener}, {@link #getNextPublishSeqNo()}) do not throw.
 *
 * <p>Names: exchange and queue names, routing and binding keys are AMQP {@code shortstr}s of at
 * most 255 bytes of UTF-8; a longer one is refused with 406 PRECONDITION_FAILED.
 *
 * <p>Thread-safety: thread-safe, but like an AMQP channel meant for one thread at a time.
 * Deliveries to its consumers and publisher confirms are made one at a time, in order, on a
 * transport thread, never on the caller's thread; a callback may call any method of this channel,
 * acknowledgements included. Delivery tags and publish sequence numbers are scoped to this channel.
 */
public interface TransportChannel extends AutoCloseable {

  /**
   * Receives the messages of a {@code basic.consume} ({@code basic.deliver}, spec 1.8.3.9).
   *
   * <p>Thread-safety: calls for the consumers of one channel are made one at a time, in delivery
   * order, on a transport thread. A callback should return quickly; an exception it throws is
   * logged and its delivery stays unacknowledged.
   */
  interface Consumer {
    /**
     * Called once per delivered message.
     *
     * @param delivery the message and its channel-scoped delivery tag; its body must not be
     *     modified
     */
    void handleDelivery(Delivery delivery);

    /**
     * Called when the broker cancels the consumer without a {@link #basicCancel} from the client
     * (RabbitMQ's consumer cancel notification): its queue was deleted, or its channel or
     * connection was closed by an error or a broker shutdown. Not called when the client cancels or
     * closes. Runs after the deliveries made before it.
     *
     * @param consumerTag the cancelled consumer's tag
     */
    default void handleCancel(String consumerTag) {}
  }

  /**
   * Receives publisher confirms after {@link #confirmSelect()} (RabbitMQ extension, doc "Consumer
   * Acknowledgements and Publisher Confirms"): every publish is confirmed exactly once, acked when
   * every queue it was routed to has accepted it (after the store's commit for a persistent message
   * in a durable queue), nacked when a queue refused it (e.g. {@code x-overflow=reject-publish}).
   *
   * <p>Thread-safety: called on a transport thread, serially, in order with the channel's
   * deliveries; never on the publisher's thread. Exceptions are logged and ignored.
   */
  interface ConfirmListener {
    /**
     * The broker has taken responsibility for the message(s).
     *
     * @param sequenceNumber the publish sequence number ({@link #getNextPublishSeqNo()})
     * @param multiple whether every publish up to and including it is confirmed
     */
    void handleAck(long sequenceNumber, boolean multiple);

    /**
     * The broker refused the message(s); the publisher may resend.
     *
     * @param sequenceNumber the publish sequence number
     * @param multiple as for {@link #handleAck}
     */
    void handleNack(long sequenceNumber, boolean multiple);
  }

  // ---- exchange class (spec 1.6) ----

  /**
   * {@code exchange.declare} (spec 1.6.2.1): creates the exchange, or checks that an existing one
   * has the same type, flags and arguments.
   *
   * @param spec name, type ({@code direct}, {@code fanout}, {@code topic}, {@code headers}, {@code
   *     x-delayed-message}), flags and arguments; not null
   * @throws AmqpException 406 PRECONDITION_FAILED naming the field that differs from the existing
   *     exchange; 403 ACCESS_REFUSED for a new name starting with {@code amq.} or without configure
   *     permission; 503 COMMAND_INVALID (hard) for an unknown type
   */
  void exchangeDeclare(ExchangeSpec spec);

  /**
   * {@code exchange.delete} (spec 1.6.2.3): removes the exchange and its bindings in both
   * directions. Deleting an exchange that does not exist succeeds, as in RabbitMQ.
   *
   * @param ifUnused delete only if the exchange is the source of no binding
   * @throws AmqpException 406 PRECONDITION_FAILED if {@code ifUnused} and bound; 403 ACCESS_REFUSED
   *     for the default and {@code amq.*} exchanges
   */
  void exchangeDelete(String exchange, boolean ifUnused);

  /**
   * {@code exchange.bind} (RabbitMQ extension, doc "Exchange to Exchange Bindings"): messages that
   * {@code source} routes to this binding continue through {@code destination}. Binding twice with
   * the same key and arguments is a no-op.
   *
   * @param destination the exchange that receives the messages
   * @param source the exchange whose routing feeds the binding
   * @param bindingKey interpreted by the source's type
   * @param arguments binding arguments, may be null
   * @throws AmqpException 404 NOT_FOUND if either exchange is absent; 403 ACCESS_REFUSED if either
   *     is the default exchange
   */
  void exchangeBind(
      String destination, String source, String bindingKey, Map<String, Object> arguments);

  // ---- queue class (spec 1.7) ----

  /**
   * {@code queue.declare} (spec 1.7.2.1): creates the queue, or checks that an existing one has the
   * same flags and arguments. An exclusive queue belongs to this channel's connection and is
   * deleted with it.
   *
   * @param spec name, flags and arguments ({@code x-max-priority}, ...); not null
   * @return the queue's name and its message and consumer counts
   * @throws AmqpException 405 RESOURCE_LOCKED if it is exclusive to another connection; 406
   *     PRECONDITION_FAILED naming the field that differs from the existing queue; 403
   *     ACCESS_REFUSED for a new name starting with {@code amq.}
   */
  QueueDeclareOk queueDeclare(QueueSpec spec);

  /**
   * {@code queue.declare} with {@code passive}: checks that the queue exists.
   *
   * @throws AmqpException 404 NOT_FOUND if absent (a soft error: this channel closes); 405
   *     RESOURCE_LOCKED if exclusive to another connection
   */
  QueueDeclareOk queueDeclarePassive(String queue);

  /**
   * {@code queue.bind} (spec 1.7.2.3). Binding twice with the same key and arguments is a no-op.
   *
   * @param bindingKey interpreted by the exchange's type (a pattern for a topic exchange)
   * @param arguments binding arguments, may be null (e.g. {@code x-jms-selector}: a JMS selector
   *     evaluated when routing)
   * @throws AmqpException 404 NOT_FOUND if the queue or exchange is absent; 403 ACCESS_REFUSED for
   *     the default exchange
   */
  void queueBind(String queue, String exchange, String bindingKey, Map<String, Object> arguments);

  /**
   * {@code queue.unbind} (spec 1.7.2.5). Unbinding a binding that does not exist is a no-op.
   *
   * @throws AmqpException 404 NOT_FOUND if the queue or exchange is absent; 403 ACCESS_REFUSED for
   *     the default exchange
   */
  void queueUnbind(String queue, String exchange, String bindingKey, Map<String, Object> arguments);

  /**
   * {@code queue.delete} (spec 1.7.2.9): its consumers are cancelled ({@link
   * Consumer#handleCancel}). Deleting a queue that does not exist succeeds and returns 0.
   *
   * @return the number of ready messages deleted with it
   * @throws AmqpException 405 RESOURCE_LOCKED for another connection's exclusive queue; 406
   *     PRECONDITION_FAILED if {@code ifUnused} and it has consumers, or {@code ifEmpty} and it has
   *     messages
   */
  int queueDelete(String queue, boolean ifUnused, boolean ifEmpty);

  /**
   * WarrenMQ extension, no AMQP 0-9-1 method: a snapshot of the queue's ready messages in delivery
   * order, without consuming or locking them (JMS {@code QueueBrowser}, Jakarta Messaging 8.9).
   * Unacknowledged and expired messages are not included. The deliveries carry delivery tag 0 and
   * no consumer tag.
   *
   * @return the ready messages, possibly empty; never null. Memory: one {@link Delivery} per ready
   *     message
   * @throws AmqpException 404 NOT_FOUND; 405 RESOURCE_LOCKED for another connection's exclusive
   *     queue
   */
  List<Delivery> queueBrowse(String queue);

  // ---- basic class (spec 1.8) ----

  /**
   * {@code basic.qos} (spec 1.8.3.1) with RabbitMQ's semantics: with {@code global=false} the limit
   * applies to each consumer created afterwards on this channel, with {@code global=true} to the
   * channel as a whole. 0 means no limit.
   *
   * @param prefetchCount maximum unacknowledged deliveries, 0-65535
   * @throws AmqpException 406 PRECONDITION_FAILED for a negative count
   */
  void basicQos(int prefetchCount, boolean global);

  /**
   * {@code basic.publish} (spec 1.8.3.7): routes the message to every matching queue. Inside {@code
   * tx.select} the publish is buffered until {@link #txCommit()}; in confirm mode it takes the next
   * sequence number and is confirmed through the {@link ConfirmListener}s. While the broker blocks
   * publishing ({@link TransportConnection.BlockedListener}) this call waits.
   *
   * @param exchange exchange name, {@code ""} for the default exchange
   * @param routingKey the routing key
   * @param mandatory if true, a message that reaches no queue is returned ({@code basic.return});
   *     the JMS layer publishes with false: an unroutable message is dropped
   * @param properties message properties, null means {@link BasicProperties#EMPTY}
   * @param body message body, not null; the transport may keep the array without copying: do not
   *     modify it after
   * @throws AmqpException 404 NOT_FOUND if the exchange is absent; 403 ACCESS_REFUSED for an
   *     internal exchange or without write permission
   */
  void basicPublish(
      String exchange,
      String routingKey,
      boolean mandatory,
      BasicProperties properties,
      byte[] body);

  /**
   * {@code basic.consume} (spec 1.8.3.3): starts pushing messages from the queue to the callback,
   * bounded by the prefetch ({@link #basicQos}) unless {@code autoAck}.
   *
   * @param queue the queue's name
   * @param autoAck the spec's {@code no-ack}: messages count as acknowledged once delivered
   * @param consumerTag a tag unique on this channel, or {@code ""} / null to have one generated
   * @param exclusive whether this must be the queue's only consumer
   * @param arguments consumer arguments, may be null; a transport passes them to the broker as they
   *     are. The JMS layer sends {@code x-jms-selector} (string: the queue skips the messages the
   *     selector does not match, keeping them for other consumers) and {@code x-redelivery-delay}
   *     (long ms, at least 0: a message this consumer received that comes back through a failed
   *     outcome, i.e. nack or reject with requeue, recover, or the rollback of the transaction that
   *     acknowledged it, is held that long before it is ready again; see {@link
   *     io.warrenmq.engine.Channel})
   * @param callback receives the deliveries, not null
   * @return the consumer tag
   * @throws AmqpException 404 NOT_FOUND if the queue is absent; 403 ACCESS_REFUSED if an exclusive
   *     consumer exists; 405 RESOURCE_LOCKED for another connection's exclusive queue; 406
   *     PRECONDITION_FAILED naming an invalid argument; 530 NOT_ALLOWED (hard) for a duplicate tag
   */
  String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      boolean exclusive,
      Map<String, Object> arguments,
      Consumer callback);

  /**
   * {@code basic.cancel} (spec 1.8.3.5): stops the consumer. Messages it has seen stay
   * unacknowledged on the channel; deliveries not yet handed to its callback return to the queue
   * unmarked. {@link Consumer#handleCancel} is not called. An unknown tag is a no-op.
   */
  void basicCancel(String consumerTag);

  /**
   * {@code basic.ack} (spec 1.8.3.13).
   *
   * @param deliveryTag the tag, or 0 with {@code multiple} for every unacknowledged delivery
   * @param multiple acknowledge every unacknowledged delivery up to and including the tag
   * @throws AmqpException 406 PRECONDITION_FAILED "unknown delivery tag N" for a tag that is not
   *     unacknowledged on this channel (the channel closes)
   */
  void basicAck(long deliveryTag, boolean multiple);

  /**
   * {@code basic.nack} (RabbitMQ extension): negative acknowledgement of one or many deliveries.
   *
   * @param requeue return the messages to their queues, marked redelivered, instead of discarding
   *     (dead-lettering) them
   * @throws AmqpException 406 PRECONDITION_FAILED for an unknown delivery tag
   */
  void basicNack(long deliveryTag, boolean multiple, boolean requeue);

  /**
   * {@code basic.reject} (spec 1.8.3.14).
   *
   * @param requeue as for {@link #basicNack}
   * @throws AmqpException 406 PRECONDITION_FAILED for an unknown delivery tag
   */
  void basicReject(long deliveryTag, boolean requeue);

  /**
   * {@code basic.recover} (spec 1.8.3.16): returns every unacknowledged message of this channel to
   * its queue, at the head and in order, marked redelivered.
   *
   * @param requeue must be true
   * @throws AmqpException 540 NOT_IMPLEMENTED (hard) for {@code requeue=false}, as RabbitMQ answers
   */
  void basicRecover(boolean requeue);

  /**
   * WarrenMQ extension, no AMQP 0-9-1 method: returns a delivery the client never handed to its
   * application (a prefetched message of a consumer being closed) to its queue as if it had not
   * been delivered: not marked redelivered, its delivery count unchanged, its position kept.
   * Outside any transaction, even in {@code tx.select} mode.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED for an unknown delivery tag
   */
  void basicRelease(long deliveryTag);

  // ---- tx class (spec 1.9) ----

  /**
   * {@code tx.select} (spec 1.9.2.1): from now on publishes and acknowledgements are buffered until
   * {@link #txCommit()} or {@link #txRollback()}.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED after {@link #confirmSelect()}
   */
  void txSelect();

  /**
   * {@code tx.commit} (spec 1.9.2.3): applies the buffered publishes and acknowledgements
   * atomically.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED without {@link #txSelect()}
   */
  void txCommit();

  /**
   * {@code tx.rollback} (spec 1.9.2.5): discards the buffered publishes and acknowledgements; the
   * messages whose acknowledgements were discarded stay unacknowledged.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED without {@link #txSelect()}
   */
  void txRollback();

  // ---- dtx class (WarrenMQ XA extension; X/Open XA through javax.transaction.xa) ----

  /**
   * {@code dtx.start}: associates this channel with the XA branch {@code xid}; while associated,
   * its publishes and acknowledgements belong to the branch and stay invisible to others until
   * {@link #dtxCommit}. Deliveries are part of the branch only once acknowledged in it.
   *
   * @param xid the branch, not null
   * @param flags {@code TMNOFLAGS} (new branch), {@code TMJOIN} (join a branch another channel of
   *     the same broker started) or {@code TMRESUME} (resume a suspended branch)
   * @throws javax.transaction.xa.XAException XAER_DUPID for TMNOFLAGS on a known Xid; XAER_NOTA for
   *     TMJOIN/TMRESUME on an unknown one; XAER_PROTO if this channel is already associated, is in
   *     {@code tx.select} mode, or the branch does not allow it; XAER_INVAL for other flags;
   *     XA_RBTIMEOUT if the branch timed out; XAER_RMFAIL if the channel is closed
   */
  void dtxStart(javax.transaction.xa.Xid xid, int flags) throws javax.transaction.xa.XAException;

  /**
   * {@code dtx.end}: dissociates this channel from the branch.
   *
   * @param flags {@code TMSUCCESS}, {@code TMFAIL} (marks the branch rollback-only) or {@code
   *     TMSUSPEND}
   * @throws javax.transaction.xa.XAException XAER_NOTA for an unknown Xid; XAER_PROTO if this
   *     channel is not associated with it; XAER_INVAL for other flags; XA_RBTIMEOUT or
   *     XA_RBROLLBACK if the branch timed out or was marked rollback-only (it is rolled back)
   */
  void dtxEnd(javax.transaction.xa.Xid xid, int flags) throws javax.transaction.xa.XAException;

  /**
   * {@code dtx.prepare}: first phase of two-phase commit; the branch's work is in the broker's
   * store when this returns {@code XA_OK}.
   *
   * @return {@code XA_OK}, or {@code XA_RDONLY} for a branch that published and acked nothing (it
   *     is then forgotten)
   * @throws javax.transaction.xa.XAException XAER_NOTA for an unknown Xid; XAER_PROTO if the branch
   *     is still associated or already prepared; XA_RB* if it was rollback-only or timed out;
   *     XAER_RMERR if the store failed (the branch is rolled back)
   */
  int dtxPrepare(javax.transaction.xa.Xid xid) throws javax.transaction.xa.XAException;

  /**
   * {@code dtx.commit}: makes the branch's publishes visible and its acks final, then forgets it.
   * Works from any channel of the broker, also after a restart for a prepared branch.
   *
   * @param onePhase true to commit a branch that was not prepared
   * @throws javax.transaction.xa.XAException XAER_NOTA for an unknown Xid; XAER_PROTO for a
   *     one-phase commit of a prepared branch, a two-phase commit of an unprepared one, or a branch
   *     still associated; XA_RB* for a one-phase commit of a rollback-only or timed-out branch;
   *     XAER_RMERR if the store failed
   */
  void dtxCommit(javax.transaction.xa.Xid xid, boolean onePhase)
      throws javax.transaction.xa.XAException;

  /**
   * {@code dtx.rollback}: discards the branch's publishes and returns the messages it acked to
   * their queues, marked redelivered, then forgets the branch.
   *
   * @throws javax.transaction.xa.XAException XAER_NOTA for an unknown Xid; XAER_PROTO if it is
   *     still associated; XAER_RMERR if the store failed to forget a prepared branch
   */
  void dtxRollback(javax.transaction.xa.Xid xid) throws javax.transaction.xa.XAException;

  /**
   * {@code dtx.recover}: the Xids of the broker's prepared branches, including those recovered from
   * the store at start-up.
   *
   * @param flags {@code TMSTARTRSCAN}, {@code TMENDRSCAN}, both, or {@code TMNOFLAGS}; the whole
   *     list is returned at {@code TMSTARTRSCAN}, an empty array otherwise
   * @throws javax.transaction.xa.XAException XAER_INVAL for other flags
   */
  javax.transaction.xa.Xid[] dtxRecover(int flags) throws javax.transaction.xa.XAException;

  /**
   * {@code dtx.forget}: forgets a heuristically completed branch; WarrenMQ makes no heuristic
   * decisions.
   *
   * @throws javax.transaction.xa.XAException XAER_NOTA for an unknown Xid, XAER_PROTO otherwise
   */
  void dtxForget(javax.transaction.xa.Xid xid) throws javax.transaction.xa.XAException;

  /**
   * Sets the timeout, in seconds, of the branches this channel starts from now on; 0 restores the
   * broker's default (60 s).
   *
   * @return true
   * @throws javax.transaction.xa.XAException XAER_INVAL for a negative value
   */
  boolean dtxSetTimeout(int seconds) throws javax.transaction.xa.XAException;

  /** The timeout, in seconds, of the branches this channel starts. Not an AMQP method. */
  int dtxGetTimeout();

  /**
   * Identifies the broker instance that is the XA resource manager of this channel: equal strings
   * mean the same resource manager. Not an AMQP method; never null.
   */
  String resourceManagerId();

  // ---- confirm class (RabbitMQ extension) ----

  /**
   * {@code confirm.select} (RabbitMQ extension, doc "Publisher Confirms"): puts the channel in
   * confirm mode; from then on each publish gets a sequence number, from 1, and is confirmed
   * through the {@link ConfirmListener}s. Idempotent.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED after {@link #txSelect()}
   */
  void confirmSelect();

  /**
   * Adds a listener for publisher confirms.
   *
   * @param listener not null
   */
  void addConfirmListener(ConfirmListener listener);

  /**
   * The sequence number the next publish will get in confirm mode, from 1; 0 when the channel is
   * not in confirm mode (as the RabbitMQ client). Not an AMQP method: the client counts.
   */
  long getNextPublishSeqNo();

  /**
   * Waits until every publish made so far on this channel is confirmed (the RabbitMQ client's
   * {@code waitForConfirms(timeout)}); not an AMQP method.
   *
   * @param timeoutMs the longest wait in ms; 0 waits without limit
   * @return true if every publish since the previous call was acked, false if one was nacked
   * @throws IllegalStateException if the channel is not in confirm mode
   * @throws IllegalArgumentException for a negative timeout
   * @throws TimeoutException if publishes are still unconfirmed after {@code timeoutMs}
   * @throws InterruptedException if the waiting thread is interrupted
   * @throws AmqpException 504 CHANNEL_ERROR if the channel closes with publishes unconfirmed
   */
  boolean waitForConfirms(long timeoutMs) throws InterruptedException, TimeoutException;

  // ---- channel class (spec 1.5) ----

  /** Whether the channel is open: false once closed by the client, an error or the broker. */
  boolean isOpen();

  /**
   * {@code channel.close} (spec 1.5.2.5): cancels its consumers (without {@link
   * Consumer#handleCancel}) and returns its unacknowledged messages to their queues, at the head,
   * in order, marked redelivered. Idempotent; never throws.
   */
  @Override
  void close();
}
