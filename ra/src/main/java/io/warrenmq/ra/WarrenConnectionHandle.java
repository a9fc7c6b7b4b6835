package io.warrenmq.ra;

import io.warrenmq.jms.WarrenSession;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
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
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The JMS connection an application gets from {@link WarrenRaConnectionFactory} inside an
 * application server: a handle on a pooled {@link WarrenManagedConnection}. Closing it closes the
 * sessions made through it and returns the managed connection to the pool.
 *
 * <p>As Jakarta Messaging 3.1 section 12.2 requires in the web and EJB containers, {@link
 * #setClientID}, {@link #setExceptionListener}, {@link #stop} and the connection-consumer methods
 * throw {@link IllegalStateException}.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class WarrenConnectionHandle implements QueueConnection, TopicConnection {

  private volatile WarrenManagedConnection managedConnection;
  private final List<WarrenSession> sessions = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  WarrenConnectionHandle(WarrenManagedConnection managedConnection) {
    this.managedConnection = managedConnection;
  }

  /** Moves this handle to another managed connection; returns the previous one. */
  WarrenManagedConnection reassociate(WarrenManagedConnection target) {
    WarrenManagedConnection previous = managedConnection;
    managedConnection = target;
    return previous;
  }

  /** Closes the sessions of this handle; the handle is unusable afterwards. */
  void invalidate() {
    closeSessions();
    closed = true;
  }

  private void closeSessions() {
    for (WarrenSession s : sessions) {
      try {
        s.close();
      } catch (JMSException e) {
        System.getLogger(WarrenConnectionHandle.class.getName())
            .log(System.Logger.Level.DEBUG, "closing a session of a handle: {0}", e.getMessage());
      }
    }
    sessions.clear();
  }

  private WarrenManagedConnection checkOpen() throws IllegalStateException {
    WarrenManagedConnection mc = managedConnection;
    if (closed || mc == null) {
      throw new IllegalStateException("the connection is closed");
    }
    return mc;
  }

  private static IllegalStateException notInContainer(String method) {
    return new IllegalStateException(
        method
            + " must not be called in the Jakarta EE web or EJB container (Jakarta Messaging"
            + " 3.1, 12.2)");
  }

  @Override
  public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
    return track(checkOpen().createSession(transacted, acknowledgeMode));
  }

  @Override
  public Session createSession(int sessionMode) throws JMSException {
    return track(checkOpen().createSession(sessionMode == Session.SESSION_TRANSACTED, sessionMode));
  }

  @Override
  public Session createSession() throws JMSException {
    return track(checkOpen().createSession(false, Session.AUTO_ACKNOWLEDGE));
  }

  @Override
  public QueueSession createQueueSession(boolean transacted, int acknowledgeMode)
      throws JMSException {
    return track(checkOpen().createSession(transacted, acknowledgeMode));
  }

  @Override
  public TopicSession createTopicSession(boolean transacted, int acknowledgeMode)
      throws JMSException {
    return track(checkOpen().createSession(transacted, acknowledgeMode));
  }

  private WarrenSession track(WarrenSession session) {
    sessions.add(session);
    return session;
  }

  @Override
  public String getClientID() throws JMSException {
    return checkOpen().physical().getClientID();
  }

  @Override
  public void setClientID(String clientID) throws JMSException {
    throw notInContainer("Connection.setClientID");
  }

  @Override
  public ConnectionMetaData getMetaData() throws JMSException {
    return checkOpen().physical().getMetaData();
  }

  @Override
  public ExceptionListener getExceptionListener() throws JMSException {
    checkOpen();
    return null;
  }

  @Override
  public void setExceptionListener(ExceptionListener listener) throws JMSException {
    throw notInContainer("Connection.setExceptionListener");
  }

  /** Starts delivery to consumers of this connection's sessions ({@code receive}). */
  @Override
  public void start() throws JMSException {
    checkOpen().physical().start();
  }

  @Override
  public void stop() throws JMSException {
    throw notInContainer("Connection.stop");
  }

  /** Closes the sessions made through this handle and returns the connection to the pool. */
  @Override
  public void close() throws JMSException {
    if (closed) {
      return;
    }
    closeSessions();
    closed = true;
    WarrenManagedConnection mc = managedConnection;
    if (mc != null) {
      mc.handleClosed(this);
    }
  }

  @Override
  public ConnectionConsumer createConnectionConsumer(
      Destination destination, String selector, ServerSessionPool pool, int maxMessages)
      throws JMSException {
    throw notInContainer("Connection.createConnectionConsumer");
  }

  @Override
  public ConnectionConsumer createConnectionConsumer(
      Queue queue, String selector, ServerSessionPool pool, int maxMessages) throws JMSException {
    throw notInContainer("QueueConnection.createConnectionConsumer");
  }

  @Override
  public ConnectionConsumer createConnectionConsumer(
      Topic topic, String selector, ServerSessionPool pool, int maxMessages) throws JMSException {
    throw notInContainer("TopicConnection.createConnectionConsumer");
  }

  @Override
  public ConnectionConsumer createSharedConnectionConsumer(
      Topic topic, String name, String selector, ServerSessionPool pool, int maxMessages)
      throws JMSException {
    throw notInContainer("Connection.createSharedConnectionConsumer");
  }

  @Override
  public ConnectionConsumer createDurableConnectionConsumer(
      Topic topic, String name, String selector, ServerSessionPool pool, int maxMessages)
      throws JMSException {
    throw notInContainer("Connection.createDurableConnectionConsumer");
  }

  @Override
  public ConnectionConsumer createSharedDurableConnectionConsumer(
      Topic topic, String name, String selector, ServerSessionPool pool, int maxMessages)
      throws JMSException {
    throw notInContainer("Connection.createSharedDurableConnectionConsumer");
  }
}
