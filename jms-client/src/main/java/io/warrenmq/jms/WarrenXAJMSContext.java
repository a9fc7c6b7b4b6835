package io.warrenmq.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
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
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.XAJMSContext;
import java.io.Serializable;

/**
 * An XA {@link JMSContext} (Jakarta Messaging 3.1 chapter 11): a {@link WarrenJMSContext} over the
 * session of a {@link WarrenXASession}, on a connection of its own. Its work belongs to the XA
 * branch its {@link #getXAResource() XAResource} is associated with, and it behaves as an {@code
 * AUTO_ACKNOWLEDGE} context outside any branch (see {@link WarrenXASession}).
 *
 * <p>{@link #getTransacted()} is always true; {@link #commit()} and {@link #rollback()} always
 * throw {@link TransactionInProgressRuntimeException} ({@link XAJMSContext}). Closing it closes its
 * session and connection; keep it open until the transaction completes.
 *
 * <p>Thread-safety: as {@link WarrenJMSContext}, for one thread at a time; the XAResource is
 * thread-safe.
 */
public final class WarrenXAJMSContext implements XAJMSContext {

  private final WarrenJMSContext context;
  private final WarrenXAResource xaResource;

  /**
   * @param connection a new connection, owned from now on by this context
   * @throws jakarta.jms.JMSException if the session cannot be created
   */
  WarrenXAJMSContext(WarrenConnection connection) throws jakarta.jms.JMSException {
    WarrenXASession xa = connection.createXASession();
    this.xaResource = xa.getXAResource();
    this.context = WarrenJMSContext.withSession(connection, xa.getSession());
  }

  /** The context handed to the application; its work belongs to the associated branch. */
  @Override
  public JMSContext getContext() {
    return context;
  }

  /** The XAResource that associates this context's session with XA branches. */
  @Override
  public WarrenXAResource getXAResource() {
    return xaResource;
  }

  /**
   * Always true ({@link XAJMSContext#getTransacted()}).
   *
   * @throws jakarta.jms.IllegalStateRuntimeException if the context is closed
   */
  @Override
  public boolean getTransacted() {
    context.getSessionMode(); // checks that the context is open
    return true;
  }

  /**
   * Always throws: the transaction manager completes the transaction.
   *
   * @throws TransactionInProgressRuntimeException always
   */
  @Override
  public void commit() {
    throw new TransactionInProgressRuntimeException(
        "commit() on an XAJMSContext; its transaction manager commits through the XAResource");
  }

  /**
   * Always throws: the transaction manager completes the transaction.
   *
   * @throws TransactionInProgressRuntimeException always
   */
  @Override
  public void rollback() {
    throw new TransactionInProgressRuntimeException(
        "rollback() on an XAJMSContext; its transaction manager rolls back through the XAResource");
  }

  /** Closes the session and the connection. Idempotent. */
  @Override
  public void close() {
    context.close();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public JMSContext createContext(int sessionMode) {
    return context.createContext(sessionMode);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public JMSProducer createProducer() {
    return context.createProducer();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public String getClientID() {
    return context.getClientID();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public void setClientID(String clientID) {
    context.setClientID(clientID);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public ConnectionMetaData getMetaData() {
    return context.getMetaData();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public ExceptionListener getExceptionListener() {
    return context.getExceptionListener();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public void setExceptionListener(ExceptionListener listener) {
    context.setExceptionListener(listener);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public void start() {
    context.start();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public void stop() {
    context.stop();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public void setAutoStart(boolean autoStart) {
    context.setAutoStart(autoStart);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public boolean getAutoStart() {
    return context.getAutoStart();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public BytesMessage createBytesMessage() {
    return context.createBytesMessage();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public MapMessage createMapMessage() {
    return context.createMapMessage();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public Message createMessage() {
    return context.createMessage();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public ObjectMessage createObjectMessage() {
    return context.createObjectMessage();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public ObjectMessage createObjectMessage(Serializable object) {
    return context.createObjectMessage(object);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public StreamMessage createStreamMessage() {
    return context.createStreamMessage();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public TextMessage createTextMessage() {
    return context.createTextMessage();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public TextMessage createTextMessage(String text) {
    return context.createTextMessage(text);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public int getSessionMode() {
    return context.getSessionMode();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public void recover() {
    context.recover();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public JMSConsumer createConsumer(Destination destination) {
    return context.createConsumer(destination);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public JMSConsumer createConsumer(Destination destination, String messageSelector) {
    return context.createConsumer(destination, messageSelector);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public JMSConsumer createConsumer(
      Destination destination, String messageSelector, boolean noLocal) {
    return context.createConsumer(destination, messageSelector, noLocal);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public Queue createQueue(String queueName) {
    return context.createQueue(queueName);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public Topic createTopic(String topicName) {
    return context.createTopic(topicName);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public JMSConsumer createDurableConsumer(Topic topic, String name) {
    return context.createDurableConsumer(topic, name);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public JMSConsumer createDurableConsumer(
      Topic topic, String name, String messageSelector, boolean noLocal) {
    return context.createDurableConsumer(topic, name, messageSelector, noLocal);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
    return context.createSharedDurableConsumer(topic, name);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector) {
    return context.createSharedDurableConsumer(topic, name, messageSelector);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) {
    return context.createSharedConsumer(topic, sharedSubscriptionName);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public JMSConsumer createSharedConsumer(
      Topic topic, String sharedSubscriptionName, String messageSelector) {
    return context.createSharedConsumer(topic, sharedSubscriptionName, messageSelector);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public QueueBrowser createBrowser(Queue queue) {
    return context.createBrowser(queue);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public QueueBrowser createBrowser(Queue queue, String messageSelector) {
    return context.createBrowser(queue, messageSelector);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public TemporaryQueue createTemporaryQueue() {
    return context.createTemporaryQueue();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public TemporaryTopic createTemporaryTopic() {
    return context.createTemporaryTopic();
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public void unsubscribe(String name) {
    context.unsubscribe(name);
  }

  /** As the {@link #getContext() context}'s. */
  @Override
  public void acknowledge() {
    context.acknowledge();
  }
}
