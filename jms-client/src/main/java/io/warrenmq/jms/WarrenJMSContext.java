package io.warrenmq.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simplified API's {@link JMSContext} (Jakarta Messaging 3.1, section 6.3 and chapter 7): one
 * connection and one session in a single object, unchecked exceptions. {@link #createContext(int)}
 * makes a context with its own session on the same connection; the connection closes with the last
 * context that uses it. With {@link #setAutoStart} true (the default) the connection starts when
 * the first consumer is created.
 *
 * <p>The session is created on first need, so that {@link #setClientID} can still be called right
 * after the context is created.
 *
 * <p>Thread-safety: as the spec says, a context is for one thread at a time (its session's rule);
 * {@link #close()} may be called from any thread.
 */
public final class WarrenJMSContext implements JMSContext {

  private final Connection connection;
  private final AtomicInteger connectionUsers;
  private final int sessionMode;
  private final boolean ownsConnectionSetup;
  private WarrenSession session;
  private volatile boolean autoStart = true;
  private volatile boolean closed;

  WarrenJMSContext(Connection connection, int sessionMode) {
    this(connection, new AtomicInteger(1), sessionMode, true);
  }

  /**
   * A context over a connection of this provider that another layer made, such as the resource
   * adapter's pooled connection handle; closing the context closes that connection.
   *
   * @param connection a connection whose sessions are {@link WarrenSession}s
   * @param sessionMode one of JMSContext's four session modes
   * @throws JMSRuntimeException for an unknown session mode
   */
  public static JMSContext over(Connection connection, int sessionMode) {
    checkSessionMode(sessionMode);
    return new WarrenJMSContext(connection, sessionMode);
  }

  /**
   * A context whose session is given, e.g. the session of an XA session ({@link
   * WarrenXAJMSContext}); closing the context closes the session and the connection.
   */
  static WarrenJMSContext withSession(Connection connection, WarrenSession session) {
    WarrenJMSContext c = new WarrenJMSContext(connection, JMSContext.AUTO_ACKNOWLEDGE);
    c.session = session;
    return c;
  }

  private WarrenJMSContext(
      Connection connection,
      AtomicInteger connectionUsers,
      int sessionMode,
      boolean ownsConnectionSetup) {
    this.connection = connection;
    this.connectionUsers = connectionUsers;
    this.sessionMode = sessionMode;
    this.ownsConnectionSetup = ownsConnectionSetup;
  }

  /** Checks a session mode before anything is created (JMSContext constants = Session's). */
  static void checkSessionMode(int sessionMode) {
    if (sessionMode != JMSContext.AUTO_ACKNOWLEDGE
        && sessionMode != JMSContext.CLIENT_ACKNOWLEDGE
        && sessionMode != JMSContext.DUPS_OK_ACKNOWLEDGE
        && sessionMode != JMSContext.SESSION_TRANSACTED) {
      throw new JMSRuntimeException("unknown session mode " + sessionMode);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateRuntimeException("the JMSContext is closed");
    }
  }

  /** The session, created on first use. */
  synchronized WarrenSession session() {
    checkOpen();
    if (session == null) {
      try {
        session = (WarrenSession) connection.createSession(sessionMode);
      } catch (JMSException e) {
        throw JmsExceptions.unchecked(e);
      }
    }
    return session;
  }

  private void autoStart() {
    if (autoStart) {
      try {
        connection.start();
      } catch (JMSException e) {
        throw JmsExceptions.unchecked(e);
      }
    }
  }

  @Override
  public JMSContext createContext(int sessionMode) {
    checkOpen();
    checkSessionMode(sessionMode);
    connectionUsers.incrementAndGet();
    return new WarrenJMSContext(connection, connectionUsers, sessionMode, false);
  }

  @Override
  public WarrenJMSProducer createProducer() {
    checkOpen();
    return new WarrenJMSProducer(this);
  }

  @Override
  public String getClientID() {
    checkOpen();
    try {
      return connection.getClientID();
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  /**
   * @throws IllegalStateRuntimeException on a context made by {@link #createContext(int)}, or when
   *     the connection was already used
   */
  @Override
  public void setClientID(String clientID) {
    checkOpen();
    if (!ownsConnectionSetup) {
      throw new IllegalStateRuntimeException(
          "setClientID on a JMSContext made by createContext(int) (Jakarta Messaging 6.3.1)");
    }
    try {
      connection.setClientID(clientID);
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public ConnectionMetaData getMetaData() {
    checkOpen();
    try {
      return connection.getMetaData();
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public ExceptionListener getExceptionListener() {
    checkOpen();
    try {
      return connection.getExceptionListener();
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public void setExceptionListener(ExceptionListener listener) {
    checkOpen();
    try {
      connection.setExceptionListener(listener);
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public void start() {
    checkOpen();
    try {
      connection.start();
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public void stop() {
    checkOpen();
    try {
      connection.stop();
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public void setAutoStart(boolean autoStart) {
    checkOpen();
    this.autoStart = autoStart;
  }

  @Override
  public boolean getAutoStart() {
    checkOpen();
    return autoStart;
  }

  /**
   * Closes the session, and the connection if no other context uses it. Idempotent.
   *
   * @throws IllegalStateRuntimeException if called from a message listener of this context, or of
   *     its connection when this is the connection's last context (Jakarta Messaging 6.1.8 and
   *     6.2.15 allow either failing or closing; this provider fails and the context stays open), or
   *     from a completion listener of its connection's sends (7.3.5)
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    checkMayClose();
    closed = true;
    try {
      synchronized (this) {
        if (session != null) {
          session.close();
        }
      }
      if (connectionUsers.decrementAndGet() == 0) {
        connection.close();
      }
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  /**
   * The checks of {@link #close()} before anything is closed, so that a refusal changes nothing.
   */
  private void checkMayClose() {
    WarrenSession s;
    synchronized (this) {
      s = session;
    }
    WarrenConnection own = s != null ? s.connection() : null;
    if (own == null && connection instanceof WarrenConnection wc) {
      own = wc;
    }
    try {
      if (own != null) {
        own.checkNotInCompletionListener("JMSContext.close");
        if (connectionUsers.get() == 1) {
          own.checkNotInMessageListener("JMSContext.close");
        }
      }
      if (s != null && s.inMessageListener()) {
        throw new jakarta.jms.IllegalStateException(
            "JMSContext.close must not be called from its MessageListener");
      }
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public BytesMessage createBytesMessage() {
    checkOpen();
    return new WarrenBytesMessage();
  }

  @Override
  public MapMessage createMapMessage() {
    checkOpen();
    return new WarrenMapMessage();
  }

  @Override
  public Message createMessage() {
    checkOpen();
    return new WarrenMessage();
  }

  @Override
  public ObjectMessage createObjectMessage() {
    checkOpen();
    return new WarrenObjectMessage();
  }

  @Override
  public ObjectMessage createObjectMessage(Serializable object) {
    checkOpen();
    WarrenObjectMessage m = new WarrenObjectMessage();
    try {
      m.setObject(object);
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
    return m;
  }

  @Override
  public StreamMessage createStreamMessage() {
    checkOpen();
    return new WarrenStreamMessage();
  }

  @Override
  public TextMessage createTextMessage() {
    checkOpen();
    return new WarrenTextMessage();
  }

  @Override
  public TextMessage createTextMessage(String text) {
    checkOpen();
    return new WarrenTextMessage(text);
  }

  @Override
  public boolean getTransacted() {
    checkOpen();
    return sessionMode == JMSContext.SESSION_TRANSACTED;
  }

  @Override
  public int getSessionMode() {
    checkOpen();
    return sessionMode;
  }

  @Override
  public void commit() {
    try {
      session().commit();
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public void rollback() {
    try {
      session().rollback();
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public void recover() {
    try {
      session().recover();
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  private interface ConsumerFactory {
    WarrenMessageConsumer create(WarrenSession session) throws JMSException;
  }

  private WarrenJMSConsumer consumer(ConsumerFactory factory) {
    WarrenMessageConsumer consumer;
    try {
      consumer = factory.create(session());
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
    autoStart();
    return new WarrenJMSConsumer(consumer);
  }

  @Override
  public WarrenJMSConsumer createConsumer(Destination destination) {
    return consumer(s -> s.createConsumer(destination));
  }

  @Override
  public WarrenJMSConsumer createConsumer(Destination destination, String messageSelector) {
    return consumer(s -> s.createConsumer(destination, messageSelector));
  }

  @Override
  public WarrenJMSConsumer createConsumer(
      Destination destination, String messageSelector, boolean noLocal) {
    return consumer(s -> s.createConsumer(destination, messageSelector, noLocal));
  }

  @Override
  public Queue createQueue(String queueName) {
    try {
      return session().createQueue(queueName);
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public Topic createTopic(String topicName) {
    try {
      return session().createTopic(topicName);
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public WarrenJMSConsumer createDurableConsumer(Topic topic, String name) {
    return consumer(s -> s.createDurableConsumer(topic, name));
  }

  @Override
  public WarrenJMSConsumer createDurableConsumer(
      Topic topic, String name, String messageSelector, boolean noLocal) {
    return consumer(s -> s.createDurableConsumer(topic, name, messageSelector, noLocal));
  }

  @Override
  public WarrenJMSConsumer createSharedDurableConsumer(Topic topic, String name) {
    return consumer(s -> s.createSharedDurableConsumer(topic, name));
  }

  @Override
  public WarrenJMSConsumer createSharedDurableConsumer(
      Topic topic, String name, String messageSelector) {
    return consumer(s -> s.createSharedDurableConsumer(topic, name, messageSelector));
  }

  @Override
  public WarrenJMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) {
    return consumer(s -> s.createSharedConsumer(topic, sharedSubscriptionName));
  }

  @Override
  public WarrenJMSConsumer createSharedConsumer(
      Topic topic, String sharedSubscriptionName, String messageSelector) {
    return consumer(s -> s.createSharedConsumer(topic, sharedSubscriptionName, messageSelector));
  }

  @Override
  public QueueBrowser createBrowser(Queue queue) {
    try {
      return session().createBrowser(queue);
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public QueueBrowser createBrowser(Queue queue, String messageSelector) {
    try {
      return session().createBrowser(queue, messageSelector);
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public TemporaryQueue createTemporaryQueue() {
    try {
      return session().createTemporaryQueue();
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public TemporaryTopic createTemporaryTopic() {
    try {
      return session().createTemporaryTopic();
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public void unsubscribe(String name) {
    try {
      session().unsubscribe(name);
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  /** Acknowledges every message consumed so far by this context (CLIENT_ACKNOWLEDGE mode). */
  @Override
  public void acknowledge() {
    try {
      session().acknowledgeFromMessage(null);
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }
}
