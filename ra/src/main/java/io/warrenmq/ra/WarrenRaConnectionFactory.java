package io.warrenmq.ra;

import io.warrenmq.jms.WarrenJMSContext;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import java.io.Serializable;
import javax.naming.Reference;

/**
 * The JMS connection factory bound in JNDI by the application server (e.g. {@code
 * java:/jms/warren/ConnectionFactory}): each {@code createConnection} asks the container's {@link
 * ConnectionManager} for a pooled connection and returns a {@link WarrenConnectionHandle}.
 *
 * <p>Credentials: {@code createConnection(user, password)} logs in as that user
 * (application-managed sign-on); {@code createConnection()} uses the container's sign-on or the
 * connection definition's {@code userName}/{@code password} (see {@link
 * WarrenManagedConnectionFactory}). A refused login throws {@link jakarta.jms.JMSSecurityException}
 * naming the user and the broker.
 *
 * <p>Thread-safety: thread-safe. Serializable and {@link Referenceable} as Jakarta Connectors 2.1
 * section 17.5.3 requires for JNDI binding.
 */
public final class WarrenRaConnectionFactory
    implements ConnectionFactory,
        QueueConnectionFactory,
        TopicConnectionFactory,
        Serializable,
        Referenceable {
  private static final long serialVersionUID = 1L;

  private final WarrenManagedConnectionFactory managedConnectionFactory;
  private final transient ConnectionManager connectionManager;
  private Reference reference;

  WarrenRaConnectionFactory(
      WarrenManagedConnectionFactory managedConnectionFactory,
      ConnectionManager connectionManager) {
    this.managedConnectionFactory = managedConnectionFactory;
    this.connectionManager = connectionManager;
  }

  /**
   * A pooled connection.
   *
   * @throws JMSException with the {@link ResourceException} as cause and linked exception if the
   *     pool cannot provide one (adapter stopped, pool exhausted)
   */
  @Override
  public WarrenConnectionHandle createConnection() throws JMSException {
    return allocate(null, null);
  }

  @Override
  public Connection createConnection(String userName, String password) throws JMSException {
    return allocate(userName, password);
  }

  private WarrenConnectionHandle allocate(String userName, String password) throws JMSException {
    try {
      return (WarrenConnectionHandle)
          connectionManager.allocateConnection(
              managedConnectionFactory, new WarrenConnectionRequestInfo(userName, password));
    } catch (ResourceException e) {
      JMSException jmse =
          e instanceof jakarta.resource.spi.SecurityException
              ? new jakarta.jms.JMSSecurityException(e.getMessage(), e.getErrorCode())
              : new JMSException(
                  "cannot get a WarrenMQ connection from the pool: " + e.getMessage());
      jmse.initCause(e);
      jmse.setLinkedException(e);
      throw jmse;
    }
  }

  @Override
  public QueueConnection createQueueConnection() throws JMSException {
    return allocate(null, null);
  }

  @Override
  public QueueConnection createQueueConnection(String userName, String password)
      throws JMSException {
    return allocate(userName, password);
  }

  @Override
  public TopicConnection createTopicConnection() throws JMSException {
    return allocate(null, null);
  }

  @Override
  public TopicConnection createTopicConnection(String userName, String password)
      throws JMSException {
    return allocate(userName, password);
  }

  /**
   * A {@link JMSContext} on a pooled connection (AUTO_ACKNOWLEDGE; inside a JTA transaction the
   * mode is ignored, Jakarta Messaging 3.1, 12.3). Closing the context returns the connection to
   * the pool.
   *
   * @throws JMSRuntimeException with the pool's cause if no connection can be had
   */
  @Override
  public JMSContext createContext() {
    return createContext(JMSContext.AUTO_ACKNOWLEDGE);
  }

  @Override
  public JMSContext createContext(String userName, String password) {
    return createContext(userName, password, JMSContext.AUTO_ACKNOWLEDGE);
  }

  @Override
  public JMSContext createContext(String userName, String password, int sessionMode) {
    try {
      return WarrenJMSContext.over(allocate(userName, password), sessionMode);
    } catch (JMSException e) {
      throw new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
    }
  }

  @Override
  public JMSContext createContext(int sessionMode) {
    return createContext(null, null, sessionMode);
  }

  @Override
  public void setReference(Reference reference) {
    this.reference = reference;
  }

  @Override
  public Reference getReference() {
    return reference;
  }
}
