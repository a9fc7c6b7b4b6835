package io.warrenmq.jms;

import io.warrenmq.engine.AmqpException;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.ExchangeSpec;
import io.warrenmq.engine.QueueSpec;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A JMS connection: one engine {@link io.warrenmq.engine.Connection}. It starts stopped (Jakarta
 * Messaging 6.1.5): consumers receive nothing until {@link #start()}. Each {@link WarrenSession} is
 * one engine channel.
 *
 * <p>On creation it declares the durable exchanges of the JMS mapping, {@code jms.queue} (direct)
 * and {@code jms.topic} (topic), if absent; a JMS queue is declared (durable, {@code
 * x-max-priority} 9) and bound the first time this connection uses it.
 *
 * <p>Connection consumers (an optional application-server facility, Jakarta Messaging 8.2) are not
 * offered: the resource adapter delivers to message-driven beans instead.
 *
 * <p>Thread-safety: thread-safe, as the spec requires of connections.
 */
public final class WarrenConnection implements QueueConnection, TopicConnection {

  /** Arguments of every JMS queue: the ten JMS priorities. */
  static final Map<String, Object> JMS_QUEUE_ARGUMENTS = Map.of("x-max-priority", 9);

  private final io.warrenmq.engine.Connection engineConnection;
  private final int prefetch;
  private final List<WarrenSession> sessions = new CopyOnWriteArrayList<>();
  private final Set<String> declaredQueues = ConcurrentHashMap.newKeySet();
  private final Object topologyLock = new Object();
  private Channel topologyChannel;
  private volatile boolean started;
  private volatile boolean closed;
  private volatile boolean used;
  private volatile String clientId;
  private volatile ExceptionListener exceptionListener;

  WarrenConnection(io.warrenmq.engine.Connection engineConnection, int prefetch)
      throws JMSException {
    this.engineConnection = engineConnection;
    this.prefetch = prefetch;
    withTopologyChannel(
        "declare the JMS exchanges",
        ch -> {
          ch.exchangeDeclare(ExchangeSpec.durable(MessageCodec.QUEUE_EXCHANGE, "direct"));
          ch.exchangeDeclare(ExchangeSpec.durable(MessageCodec.TOPIC_EXCHANGE, "topic"));
        });
  }

  /** The engine connection under this JMS connection. */
  io.warrenmq.engine.Connection engineConnection() {
    return engineConnection;
  }

  int prefetch() {
    return prefetch;
  }

  boolean isStarted() {
    return started && !closed;
  }

  /** Declares the durable queue of a JMS queue and binds it, once per connection. */
  void ensureQueue(String name) throws JMSException {
    if (declaredQueues.contains(name)) {
      return;
    }
    withTopologyChannel(
        "declare queue://" + name,
        ch -> {
          ch.queueDeclare(new QueueSpec(name, true, false, false, JMS_QUEUE_ARGUMENTS));
          ch.queueBind(name, MessageCodec.QUEUE_EXCHANGE, name, null);
        });
    declaredQueues.add(name);
  }

  /** Work on the engine channel this connection keeps for declarations. */
  interface TopologyWork {
    void run(Channel channel);
  }

  /**
   * Runs declarations on a channel of their own, so that a 406 from an inequivalent declaration
   * closes that channel and not a session's.
   */
  void withTopologyChannel(String doing, TopologyWork work) throws JMSException {
    synchronized (topologyLock) {
      try {
        if (topologyChannel == null || !topologyChannel.isOpen()) {
          topologyChannel = engineConnection.createChannel();
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
    Channel channel;
    try {
      channel = engineConnection.createChannel();
    } catch (AmqpException e) {
      throw JmsExceptions.from("open a session", e);
    }
    WarrenSession session = new WarrenSession(this, channel, sessionMode);
    sessions.add(session);
    return session;
  }

  @Override
  public WarrenSession createSession() throws JMSException {
    return createSession(Session.AUTO_ACKNOWLEDGE);
  }

  @Override
  public QueueSession createQueueSession(boolean transacted, int acknowledgeMode)
      throws JMSException {
    return createSession(transacted, acknowledgeMode);
  }

  @Override
  public TopicSession createTopicSession(boolean transacted, int acknowledgeMode)
      throws JMSException {
    return createSession(transacted, acknowledgeMode);
  }

  void sessionClosed(WarrenSession session) {
    sessions.remove(session);
  }

  @Override
  public String getClientID() {
    return clientId;
  }

  /**
   * Sets the client identifier (Jakarta Messaging 6.1.2): only once, and only before any other use
   * of the connection.
   *
   * @throws IllegalStateException if already set or the connection was used
   * @throws InvalidClientIDException if null or empty
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
    clientId = clientID;
  }

  @Override
  public ConnectionMetaData getMetaData() {
    used = true;
    return WarrenConnectionMetaData.INSTANCE;
  }

  @Override
  public ExceptionListener getExceptionListener() {
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
   */
  @Override
  public void stop() throws JMSException {
    checkOpen();
    used = true;
    started = false;
    for (WarrenSession s : sessions) {
      s.awaitListenerIdle();
    }
  }

  /**
   * Closes the sessions (unacknowledged messages return to their queues, transactions roll back)
   * and the engine connection. Idempotent.
   */
  @Override
  public void close() throws JMSException {
    if (closed) {
      return;
    }
    started = false;
    for (WarrenSession s : sessions) {
      s.close();
    }
    closed = true;
    engineConnection.close();
  }

  @Override
  public ConnectionConsumer createConnectionConsumer(
      Destination destination,
      String messageSelector,
      ServerSessionPool sessionPool,
      int maxMessages)
      throws JMSException {
    throw JmsExceptions.notSupported("ConnectionConsumer");
  }

  @Override
  public ConnectionConsumer createConnectionConsumer(
      Queue queue, String messageSelector, ServerSessionPool sessionPool, int maxMessages)
      throws JMSException {
    throw JmsExceptions.notSupported("ConnectionConsumer");
  }

  @Override
  public ConnectionConsumer createConnectionConsumer(
      Topic topic, String messageSelector, ServerSessionPool sessionPool, int maxMessages)
      throws JMSException {
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
    throw JmsExceptions.notSupported("ConnectionConsumer");
  }
}
