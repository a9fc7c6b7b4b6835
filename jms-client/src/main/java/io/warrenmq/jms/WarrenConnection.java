package io.warrenmq.jms;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Capabilities;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.jms.spi.Transport;
import io.warrenmq.jms.spi.TransportConnection;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicSession;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicSession;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A JMS connection: one {@link TransportConnection} (an AMQP connection, in-VM or later over the
 * wire). It starts stopped (Jakarta Messaging 6.1.5): consumers receive nothing until {@link
 * #start()}. Each {@link WarrenSession} is one {@link AmqpChannel}.
 *
 * <p>On creation it declares the durable exchanges of the JMS mapping, {@code jms.queue} (direct)
 * and {@code jms.topic} (topic), if absent; a JMS queue is declared (durable, {@code
 * x-max-priority} 9) and bound the first time this connection uses it. Temporary queues are
 * exclusive to this connection and temporary topics' exchanges are deleted with it.
 *
 * <p>XA (Jakarta Messaging 3.1 chapter 11): every connection is also an XA connection; {@link
 * #createXASession()} gives a {@link WarrenXASession} whose {@link WarrenXAResource} a transaction
 * manager drives.
 *
 * <p>Connection consumers (an optional application-server facility, Jakarta Messaging 8.2) are not
 * offered: the resource adapter delivers to message-driven beans instead.
 *
 * <p>Thread-safety: thread-safe, as the spec requires of connections.
 */
public final class WarrenConnection implements XAQueueConnection, XATopicConnection {

  /** Arguments of every JMS queue: the ten JMS priorities. */
  static final Map<String, Object> JMS_QUEUE_ARGUMENTS = Map.of("x-max-priority", 9);

  private final Transport transport;
  private final DeserializationPolicy deserializationPolicy;
  private final TransportConnection transportConnection;
  private final Prefetch prefetch;
  private final long redeliveryDelayMs;
  private final List<WarrenSession> sessions = new CopyOnWriteArrayList<>();
  private final Set<String> declaredQueues = ConcurrentHashMap.newKeySet();
  private final Set<WarrenDestination> temporaries = ConcurrentHashMap.newKeySet();
  private final Object topologyLock = new Object();
  private AmqpChannel topologyChannel;
  private volatile boolean started;
  private volatile boolean closed;
  private volatile boolean used;
  private volatile String clientId;
  private volatile ExceptionListener exceptionListener;

  /**
   * @param transport the transport that opened {@code transportConnection}, for its broker's name
   * @param transportConnection an open connection, owned from now on by this JMS connection
   */
  WarrenConnection(
      Transport transport,
      TransportConnection transportConnection,
      Prefetch prefetch,
      DeserializationPolicy deserializationPolicy,
      long redeliveryDelayMs)
      throws JMSException {
    this.transport = transport;
    this.deserializationPolicy = deserializationPolicy;
    this.transportConnection = transportConnection;
    transportConnection.addCloseListener(this::transportConnectionClosed);
    this.prefetch = prefetch;
    this.redeliveryDelayMs = redeliveryDelayMs;
    try {
      withTopologyChannel(
          "declare the JMS exchanges",
          ch -> {
            ch.exchangeDeclare(ExchangeSpec.durable(MessageCodec.QUEUE_EXCHANGE, "direct"));
            ch.exchangeDeclare(ExchangeSpec.durable(MessageCodec.TOPIC_EXCHANGE, "topic"));
          });
    } catch (JMSException | RuntimeException e) {
      closed = true; // no ExceptionListener call for a connection the caller never got
      transportConnection.close(); // e.g. no configure permission: do not leak the connection
      throw e;
    }
  }

  /**
   * The transport connection has closed: when the broker closed it (shutdown, hard error) and this
   * connection was not closed by its application, the {@link ExceptionListener} hears of it
   * (Jakarta Messaging 6.1.8), on a thread of its own so that the listener may call back into the
   * provider.
   */
  private void transportConnectionClosed(AmqpException cause) {
    ExceptionListener listener = exceptionListener;
    if (cause == null || closed || listener == null) {
      return;
    }
    JMSException e =
        JmsExceptions.from("keep the connection to broker '" + transport.brokerName() + "'", cause);
    Thread notifier =
        new Thread(() -> listener.onException(e), "warren-jms-exception-listener-" + id());
    notifier.setDaemon(true);
    notifier.start();
  }

  private final Object completionsLock = new Object();
  private java.util.concurrent.ExecutorService completions;
  private volatile Thread completionThread;

  /**
   * Throws if called from a completion listener (Jakarta Messaging 7.3.5: a listener must not close
   * its connection, session or producer, nor commit or roll back its session).
   */
  void checkNotInCompletionListener(String method) throws IllegalStateException {
    if (Thread.currentThread() == completionThread) {
      throw new IllegalStateException(method + " must not be called from a CompletionListener");
    }
  }

  /**
   * The single daemon thread ({@code warren-jms-completion-<id>}) that calls the completion
   * listeners of asynchronous sends of this connection, in send order; started on first use and
   * ended by {@link #close()} after the pending callbacks ran.
   */
  java.util.concurrent.Executor completions() {
    synchronized (completionsLock) {
      if (completions == null) {
        completions =
            java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "warren-jms-completion-" + id());
                  t.setDaemon(true);
                  completionThread = t;
                  return t;
                });
      }
      return completions;
    }
  }

  /** Waits until every completion callback queued so far has returned (7.3.4, close/commit). */
  void awaitCompletions() {
    java.util.concurrent.ExecutorService c;
    synchronized (completionsLock) {
      c = completions;
    }
    if (c == null || c.isShutdown()) {
      return;
    }
    try {
      c.submit(() -> {}).get();
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.RejectedExecutionException e) {
      // nothing left to wait for
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A broker-unique id of this connection (the transport connection's), for noLocal. */
  String id() {
    return transportConnection.id();
  }

  DeserializationPolicy deserializationPolicy() {
    return deserializationPolicy;
  }

  Prefetch prefetch() {
    return prefetch;
  }

  /** The redelivery delay its consumers ask for, in ms; 0 for none. */
  long redeliveryDelayMs() {
    return redeliveryDelayMs;
  }

  boolean isStarted() {
    return started && !closed;
  }

  /**
   * Makes sure a destination exists before use: declares and binds a JMS queue the first time this
   * connection uses it; topics need nothing and temporary destinations exist from creation.
   */
  void ensureDestination(WarrenDestination d) throws JMSException {
    if (!d.isTopic() && !d.isTemporary()) {
      ensureQueue(d.physicalName());
    }
  }

  /**
   * Makes sure the engine queue of a JMS queue exists and is bound to {@code jms.queue}, once per
   * connection. A queue that exists is used as it is, whatever its arguments (e.g. one a
   * definitions import made with a dead-letter exchange or a TTL), as RabbitMQ's JMS client does;
   * only an absent one is declared, durable with {@code x-max-priority} 9. If another client
   * declares it with other arguments between the check and the declaration (406), the queue it made
   * is used.
   */
  void ensureQueue(String name) throws JMSException {
    if (declaredQueues.contains(name)) {
      return;
    }
    String doing = "declare queue://" + name;
    if (!queueExists(name)) {
      try {
        withTopologyChannel(
            doing,
            ch -> ch.queueDeclare(new QueueSpec(name, true, false, false, JMS_QUEUE_ARGUMENTS)));
      } catch (IllegalStateException raced) {
        if (!(raced.getCause() instanceof AmqpException e)
            || e.replyCode() != io.warrenmq.client.ReplyCode.PRECONDITION_FAILED
            || !queueExists(name)) {
          throw raced;
        }
      }
    }
    withTopologyChannel(doing, ch -> ch.queueBind(name, MessageCodec.QUEUE_EXCHANGE, name, null));
    declaredQueues.add(name);
  }

  /** A passive {@code queue.declare}: false on 404 NOT_FOUND. */
  private boolean queueExists(String name) throws JMSException {
    try {
      withTopologyChannel("look up queue://" + name, ch -> ch.queueDeclarePassive(name));
      return true;
    } catch (jakarta.jms.InvalidDestinationException absent) {
      return false;
    }
  }

  /** Work on the channel this connection keeps for declarations. */
  interface TopologyWork {
    void run(AmqpChannel channel);
  }

  /**
   * Runs declarations on a channel of their own, so that a 406 from an inequivalent declaration
   * closes that channel and not a session's.
   */
  void withTopologyChannel(String doing, TopologyWork work) throws JMSException {
    synchronized (topologyLock) {
      try {
        if (topologyChannel == null || !topologyChannel.isOpen()) {
          topologyChannel = transportConnection.createChannel();
        }
        work.run(topologyChannel);
      } catch (AmqpException e) {
        throw JmsExceptions.from(doing, e);
      }
    }
  }

  private void checkOpen() throws IllegalStateException {
    if (closed) {
      throw new IllegalStateException("the connection is closed");
    }
  }

  @Override
  public WarrenSession createSession(boolean transacted, int acknowledgeMode) throws JMSException {
    return createSession(transacted ? Session.SESSION_TRANSACTED : acknowledgeMode);
  }

  /**
   * Creates a session (Jakarta Messaging 6.2).
   *
   * @param sessionMode {@code AUTO_ACKNOWLEDGE}, {@code CLIENT_ACKNOWLEDGE}, {@code
   *     DUPS_OK_ACKNOWLEDGE} (treated as AUTO) or {@code SESSION_TRANSACTED}
   * @throws JMSException for another mode, or if the connection is closed
   */
  @Override
  public WarrenSession createSession(int sessionMode) throws JMSException {
    checkOpen();
    used = true;
    if (sessionMode != Session.AUTO_ACKNOWLEDGE
        && sessionMode != Session.CLIENT_ACKNOWLEDGE
        && sessionMode != Session.DUPS_OK_ACKNOWLEDGE
        && sessionMode != Session.SESSION_TRANSACTED) {
      throw new JMSException("unknown session mode " + sessionMode);
    }
    AmqpChannel channel;
    try {
      channel = transportConnection.createChannel();
    } catch (AmqpException e) {
      throw JmsExceptions.from("open a session", e);
    }
    return openSession(channel, sessionMode);
  }

  /** A new session of this connection over {@code channel}. */
  private WarrenSession openSession(AmqpChannel channel, int sessionMode) throws JMSException {
    WarrenSession session = new WarrenSession(this, channel, sessionMode);
    sessions.add(session);
    return session;
  }

  @Override
  public WarrenSession createSession() throws JMSException {
    return createSession(Session.AUTO_ACKNOWLEDGE);
  }

  /**
   * A session of the point-to-point domain: its publish/subscribe methods throw {@link
   * IllegalStateException}, as the {@code QueueSession} API doc says.
   */
  @Override
  public QueueSession createQueueSession(boolean transacted, int acknowledgeMode)
      throws JMSException {
    return createSession(transacted, acknowledgeMode).restrictTo(WarrenSession.Domain.QUEUE);
  }

  /**
   * A session of the publish/subscribe domain: its point-to-point methods throw {@link
   * IllegalStateException}, as the {@code TopicSession} API doc says.
   */
  @Override
  public TopicSession createTopicSession(boolean transacted, int acknowledgeMode)
      throws JMSException {
    return createSession(transacted, acknowledgeMode).restrictTo(WarrenSession.Domain.TOPIC);
  }

  /**
   * Creates an XA session (Jakarta Messaging 3.1 chapter 11): a session whose work belongs to the
   * XA branch its {@link WarrenXASession#getXAResource() XAResource} is associated with, and which
   * behaves as a non-transacted {@code AUTO_ACKNOWLEDGE} session outside any branch.
   *
   * @throws jakarta.jms.IllegalStateException if the connection is closed
   * @throws JMSException if the broker refuses the channel
   */
  @Override
  public WarrenXASession createXASession() throws JMSException {
    requireXa();
    checkOpen();
    used = true;
    AmqpChannel idle = idleXaChannels.take();
    return new WarrenXASession(
        idle == null
            ? createSession(Session.AUTO_ACKNOWLEDGE)
            : openSession(idle, Session.AUTO_ACKNOWLEDGE));
  }

  /**
   * Hands the open channel of a closed XA session that never consumed to the next {@link
   * #createXASession()} ({@link IdleXaChannels}). Any thread.
   */
  void recycleXaChannel(AmqpChannel channel) {
    idleXaChannels.offer(channel);
  }

  /** Open channels of closed XA sessions, for the next XA sessions. */
  private final IdleXaChannels idleXaChannels = new IdleXaChannels();

  /**
   * XA needs the broker's {@code warrenmq.dtx} extension (docs/protocol-dtx.md): RabbitMQ has none,
   * and would drop the connection at the first XA method.
   */
  private void requireXa() throws JMSException {
    if (!transportConnection.hasCapability(Capabilities.DTX)) {
      throw new JMSException(
          "cannot create an XA session: broker '"
              + transport.brokerName()
              + "' does not offer capability '"
              + Capabilities.DTX
              + "' (WarrenMQ's XA extension; RabbitMQ has no XA)",
          "540");
    }
  }

  /** Whether the broker offers {@code capability} (always true in-VM). */
  boolean hasCapability(String capability) {
    return transportConnection.hasCapability(capability);
  }

  /**
   * Fails unless the broker offers {@code capability} (always true in-VM), so that a JMS object
   * whose every use needs a WarrenMQ extension fails when created rather than at its first use.
   *
   * @param what the JMS object, e.g. "a QueueBrowser", for the message
   * @throws JMSException with error code 540 naming the capability
   */
  void requireCapability(String capability, String what) throws JMSException {
    if (!transportConnection.hasCapability(capability)) {
      throw new JMSException(
          "cannot create "
              + what
              + ": broker '"
              + transport.brokerName()
              + "' does not offer capability '"
              + capability
              + "' (a WarrenMQ extension; RabbitMQ has none)",
          "540");
    }
  }

  /** As {@link #createXASession()}. */
  @Override
  public XAQueueSession createXAQueueSession() throws JMSException {
    return createXASession();
  }

  /** As {@link #createXASession()}. */
  @Override
  public XATopicSession createXATopicSession() throws JMSException {
    return createXASession();
  }

  /**
   * An XA session for the resource adapter's transacted inbound delivery: its session runs in
   * {@code CLIENT_ACKNOWLEDGE} mode with individual acknowledgement. {@code Message.acknowledge()}
   * acknowledges that one message (not every message consumed so far, which may include one handed
   * to the listener and not processed yet); while the XAResource is associated it acknowledges in
   * the branch, so the branch's rollback returns the message (redelivered). Outside a branch the
   * session acknowledges at once. {@link WarrenSession#requeue} returns one message.
   *
   * @throws jakarta.jms.IllegalStateException if the connection is closed
   * @throws JMSException if the broker refuses the channel
   */
  public WarrenXASession createIndividualAcknowledgeXASession() throws JMSException {
    requireXa();
    WarrenSession session = createSession(Session.CLIENT_ACKNOWLEDGE);
    session.enableIndividualAcknowledge();
    return new WarrenXASession(session);
  }

  /**
   * A {@code CLIENT_ACKNOWLEDGE} session with individual acknowledgement, for the resource
   * adapter's non-transacted inbound delivery: {@code Message.acknowledge()} acknowledges that one
   * message, and {@link WarrenSession#requeue} returns one message to its queue.
   *
   * @throws jakarta.jms.IllegalStateException if the connection is closed
   * @throws JMSException if the broker refuses the channel
   */
  public WarrenSession createIndividualAcknowledgeSession() throws JMSException {
    WarrenSession session = createSession(Session.CLIENT_ACKNOWLEDGE);
    session.enableIndividualAcknowledge();
    return session;
  }

  /** Work for {@link #withControlChannel}. */
  interface ControlWork {
    void run(AmqpChannel channel) throws javax.transaction.xa.XAException;
  }

  /**
   * Runs XA completion work (prepare, commit, rollback, recover, forget: the branch is the
   * broker's, so any channel will do) on this connection's control channel, the one it keeps for
   * declarations.
   *
   * @throws javax.transaction.xa.XAException XAER_RMFAIL if this connection is closed, or as the
   *     work throws
   * @throws JMSException if the broker refuses the channel
   */
  void withControlChannel(String doing, ControlWork work)
      throws javax.transaction.xa.XAException, JMSException {
    if (closed) {
      throw WarrenXAResource.xa(
          javax.transaction.xa.XAException.XAER_RMFAIL, doing + ": the connection is closed");
    }
    synchronized (topologyLock) {
      try {
        if (topologyChannel == null || !topologyChannel.isOpen()) {
          topologyChannel = transportConnection.createChannel();
        }
        work.run(topologyChannel);
      } catch (AmqpException e) {
        throw JmsExceptions.from(doing, e);
      }
    }
  }

  private final Set<String> delayedRoutes = ConcurrentHashMap.newKeySet();

  /**
   * The delayed-message exchange that delivers to {@code d} after the {@code x-delay} header's ms,
   * declared (and bound to the destination's exchange) on first use: {@code jms.queue.delayed}
   * (fanout into {@code jms.queue}), {@code jms.topic.delayed} (fanout into {@code jms.topic}),
   * {@code jms.temp-topic.delayed} (direct into each temporary topic's exchange, by name). The
   * routing key to publish with is the destination's name.
   */
  String ensureDelayedRoute(WarrenDestination d) throws JMSException {
    String delayed;
    String bindingKey = "";
    if (!d.isTopic()) {
      delayed = "jms.queue.delayed";
    } else if (!d.isTemporary()) {
      delayed = "jms.topic.delayed";
    } else {
      delayed = "jms.temp-topic.delayed";
      bindingKey = d.physicalName();
    }
    String route = delayed + " -> " + d.exchange() + " " + bindingKey;
    if (delayedRoutes.contains(route)) {
      return delayed;
    }
    String type = d.isTemporary() && d.isTopic() ? "direct" : "fanout";
    String key = bindingKey;
    withTopologyChannel(
        "set up delayed delivery to " + d.toUri(),
        ch -> {
          ch.exchangeDeclare(
              new ExchangeSpec(
                  delayed,
                  "x-delayed-message",
                  true,
                  false,
                  false,
                  Map.of("x-delayed-type", type)));
          ch.exchangeBind(d.exchange(), delayed, key, null);
        });
    delayedRoutes.add(route);
    return delayed;
  }

  /** Creates a temporary queue owned by this connection (an exclusive queue). */
  WarrenTemporaryQueue createTemporaryQueue() throws JMSException {
    checkOpen();
    WarrenTemporaryQueue q =
        new WarrenTemporaryQueue(MessageCodec.TEMPORARY_PREFIX + UUID.randomUUID(), this);
    withTopologyChannel(
        "create " + q.toUri(),
        ch -> {
          ch.queueDeclare(new QueueSpec(q.physicalName(), false, true, false, Map.of()));
          ch.queueBind(q.physicalName(), MessageCodec.QUEUE_EXCHANGE, q.physicalName(), null);
        });
    temporaries.add(q);
    return q;
  }

  /** Creates a temporary topic owned by this connection (its own fanout exchange). */
  WarrenTemporaryTopic createTemporaryTopic() throws JMSException {
    checkOpen();
    WarrenTemporaryTopic t =
        new WarrenTemporaryTopic(MessageCodec.TEMPORARY_PREFIX + UUID.randomUUID(), this);
    withTopologyChannel(
        "create " + t.toUri(),
        ch ->
            ch.exchangeDeclare(
                new ExchangeSpec(t.physicalName(), "fanout", false, false, false, Map.of())));
    temporaries.add(t);
    return t;
  }

  /**
   * Deletes a temporary destination of this connection.
   *
   * @throws IllegalStateException if a consumer of this connection still uses it
   */
  void deleteTemporary(WarrenDestination d) throws JMSException {
    checkOpen();
    for (WarrenSession s : sessions) {
      if (s.hasConsumerOn(d)) {
        throw new IllegalStateException(
            d.toUri() + " still has consumers; close them before deleting it");
      }
    }
    if (temporaries.remove(d)) {
      deleteTemporaryOnBroker(d);
    }
  }

  private void deleteTemporaryOnBroker(WarrenDestination d) throws JMSException {
    withTopologyChannel(
        "delete " + d.toUri(),
        ch -> {
          if (d.isTopic()) {
            ch.exchangeDelete(d.physicalName(), false);
          } else {
            ch.queueDelete(d.physicalName(), false, false);
          }
        });
  }

  /**
   * Throws {@link jakarta.jms.InvalidDestinationException} if {@code d} is a temporary destination
   * of another connection (Jakarta Messaging 6.2.8: only its connection may consume from it), or
   * one that was deleted.
   */
  void checkConsumable(WarrenDestination d) throws JMSException {
    if (!d.isTemporary()) {
      return;
    }
    if (!temporaries.contains(d)) {
      throw new jakarta.jms.InvalidDestinationException(
          d.toUri()
              + " was created by another connection or deleted; only its own connection may"
              + " consume from a temporary destination");
    }
  }

  /**
   * Throws if the calling thread runs a message listener of one of this connection's sessions
   * (Jakarta Messaging 6.1.5 and 6.1.8: close and stop from a listener may fail).
   */
  void checkNotInMessageListener(String method) throws IllegalStateException {
    for (WarrenSession s : sessions) {
      if (s.inMessageListener()) {
        throw new IllegalStateException(
            method + " must not be called from a MessageListener of this connection");
      }
    }
  }

  void sessionClosed(WarrenSession session) {
    sessions.remove(session);
  }

  /**
   * The client identifier, or null if none was set (Jakarta Messaging 6.1.2).
   *
   * @throws IllegalStateException if the connection is closed (6.1.8)
   */
  @Override
  public String getClientID() throws JMSException {
    checkOpen();
    return clientId;
  }

  /** The client ID, also after close: for this provider's own bookkeeping. */
  String clientId() {
    return clientId;
  }

  /**
   * Sets the client identifier (Jakarta Messaging 6.1.2): only once, and only before any other use
   * of the connection.
   *
   * @throws IllegalStateException if already set or the connection was used
   * @throws InvalidClientIDException if null or empty, or in use by another open connection to the
   *     same broker
   */
  @Override
  public void setClientID(String clientID) throws JMSException {
    checkOpen();
    if (clientId != null || used) {
      throw new IllegalStateException(
          "the client ID can only be set once, before the connection is used");
    }
    if (clientID == null || clientID.isEmpty()) {
      throw new InvalidClientIDException("the client ID must not be null or empty");
    }
    if (!transportConnection.claimClientId(clientID)) {
      throw new InvalidClientIDException(
          "the client ID '" + clientID + "' is in use by another open connection");
    }
    clientId = clientID;
  }

  /**
   * @throws IllegalStateException if the connection is closed (Jakarta Messaging 6.1.8)
   */
  @Override
  public ConnectionMetaData getMetaData() throws JMSException {
    checkOpen();
    used = true;
    return WarrenConnectionMetaData.INSTANCE;
  }

  /**
   * @throws IllegalStateException if the connection is closed (Jakarta Messaging 6.1.8)
   */
  @Override
  public ExceptionListener getExceptionListener() throws JMSException {
    checkOpen();
    return exceptionListener;
  }

  @Override
  public void setExceptionListener(ExceptionListener listener) throws JMSException {
    checkOpen();
    used = true;
    exceptionListener = listener;
  }

  /** Starts (or restarts) delivery to this connection's consumers. */
  @Override
  public void start() throws JMSException {
    checkOpen();
    used = true;
    started = true;
    for (WarrenSession s : sessions) {
      s.dispatchToListeners();
    }
  }

  /**
   * Pauses delivery; returns once no message listener of this connection is running (Jakarta
   * Messaging 6.1.5).
   *
   * @throws IllegalStateException if the connection is closed, or if called from a message listener
   *     of this connection (6.1.5 allows either failing or stopping; this provider fails, and
   *     delivery goes on)
   */
  @Override
  public void stop() throws JMSException {
    checkOpen();
    checkNotInMessageListener("Connection.stop");
    used = true;
    started = false;
    for (WarrenSession s : sessions) {
      s.awaitListenerIdle();
    }
  }

  /**
   * Closes the sessions (unacknowledged messages return to their queues, transactions roll back)
   * and the transport connection, which releases the client ID. Idempotent.
   *
   * @throws IllegalStateException if called from a message listener of this connection (Jakarta
   *     Messaging 6.1.8 allows either failing or closing; this provider fails and the connection
   *     stays open) or from a completion listener of its sends (7.3.5)
   */
  @Override
  public void close() throws JMSException {
    checkNotInCompletionListener("Connection.close");
    if (closed) {
      return;
    }
    checkNotInMessageListener("Connection.close");
    started = false;
    for (WarrenSession s : sessions) {
      s.close();
    }
    synchronized (completionsLock) {
      if (completions != null) {
        completions.shutdown();
      }
    }
    for (WarrenDestination d : temporaries) {
      if (d.isTopic()) {
        try {
          deleteTemporaryOnBroker(d);
        } catch (JMSException e) {
          // The transport connection is about to close; an exchange left over is harmless.
        }
      }
    }
    temporaries.clear();
    closed = true;
    idleXaChannels.close(); // their channels close with the transport connection
    transportConnection.close();
  }

  @Override
  public ConnectionConsumer createConnectionConsumer(
      Destination destination,
      String messageSelector,
      ServerSessionPool sessionPool,
      int maxMessages)
      throws JMSException {
    checkOpen();
    throw JmsExceptions.notSupported("ConnectionConsumer");
  }

  @Override
  public ConnectionConsumer createConnectionConsumer(
      Queue queue, String messageSelector, ServerSessionPool sessionPool, int maxMessages)
      throws JMSException {
    checkOpen();
    throw JmsExceptions.notSupported("ConnectionConsumer");
  }

  @Override
  public ConnectionConsumer createConnectionConsumer(
      Topic topic, String messageSelector, ServerSessionPool sessionPool, int maxMessages)
      throws JMSException {
    checkOpen();
    throw JmsExceptions.notSupported("ConnectionConsumer");
  }

  @Override
  public ConnectionConsumer createSharedConnectionConsumer(
      Topic topic,
      String subscriptionName,
      String messageSelector,
      ServerSessionPool sessionPool,
      int maxMessages)
      throws JMSException {
    checkOpen();
    throw JmsExceptions.notSupported("ConnectionConsumer");
  }

  @Override
  public ConnectionConsumer createDurableConnectionConsumer(
      Topic topic,
      String subscriptionName,
      String messageSelector,
      ServerSessionPool sessionPool,
      int maxMessages)
      throws JMSException {
    checkOpen();
    throw JmsExceptions.notSupported("ConnectionConsumer");
  }

  @Override
  public ConnectionConsumer createSharedDurableConnectionConsumer(
      Topic topic,
      String subscriptionName,
      String messageSelector,
      ServerSessionPool sessionPool,
      int maxMessages)
      throws JMSException {
    checkOpen();
    throw JmsExceptions.notSupported("ConnectionConsumer");
  }
}
