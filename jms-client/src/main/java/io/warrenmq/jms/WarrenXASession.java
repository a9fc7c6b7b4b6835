package io.warrenmq.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueSession;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XATopicSession;
import java.io.Serializable;

/**
 * An XA session (Jakarta Messaging 3.1 chapter 11): a {@link WarrenSession} in {@code
 * AUTO_ACKNOWLEDGE} mode whose work a transaction manager assigns to XA branches through {@link
 * #getXAResource()}; the application is given {@link #getSession()}.
 *
 * <p>While the XAResource is associated with a branch ({@code start} to {@code end}), the session's
 * sends belong to the branch and every message its consumers hand to the application ({@code
 * receive} returning it, {@code onMessage} returning) is acknowledged in the branch: the branch's
 * commit makes both final, its rollback discards the sends and returns the messages to their
 * queues, marked redelivered with their delivery count raised. Without an association the session
 * behaves as a non-transacted {@code AUTO_ACKNOWLEDGE} session (the spec's recommendation for a
 * session used outside a JTA transaction): sends are immediate and received messages are
 * acknowledged at once.
 *
 * <p>{@link #getTransacted()} is always true, and {@link #commit()} and {@link #rollback()} always
 * throw {@link TransactionInProgressException}, as {@link jakarta.jms.XASession} says; {@link
 * #getSession()}'s own {@code commit}/{@code rollback} throw it while a branch is associated and
 * {@link jakarta.jms.IllegalStateException} (not transacted) otherwise.
 *
 * <p>Closing: a session closed while associated keeps its channel until the XAResource's {@code
 * end}; keep the connection open until the transaction completes (completion uses a channel of the
 * connection once the session's is closed).
 *
 * <p>Thread-safety: as {@link WarrenSession}, for one thread at a time; the XAResource is
 * thread-safe.
 */
public final class WarrenXASession implements XAQueueSession, XATopicSession {

  private final WarrenSession session;
  private final WarrenXAResource xaResource;

  /**
   * @param session a new {@code AUTO_ACKNOWLEDGE} session, owned from now on by this XA session
   */
  WarrenXASession(WarrenSession session) {
    this.session = session;
    this.xaResource = session.enableXa();
  }

  /**
   * The session handed to the application: its work belongs to the branch the XAResource is
   * associated with.
   *
   * @throws jakarta.jms.IllegalStateException if the session is closed
   */
  @Override
  public WarrenSession getSession() throws JMSException {
    session.checkOpen();
    return session;
  }

  /** As {@link #getSession()}. */
  @Override
  public QueueSession getQueueSession() throws JMSException {
    return getSession();
  }

  /** As {@link #getSession()}. */
  @Override
  public TopicSession getTopicSession() throws JMSException {
    return getSession();
  }

  /** The XAResource that associates this session with XA branches; the same object every time. */
  @Override
  public WarrenXAResource getXAResource() {
    return xaResource;
  }

  /**
   * Always true (Jakarta Messaging {@link jakarta.jms.XASession#getTransacted()}).
   *
   * @throws jakarta.jms.IllegalStateException if the session is closed
   */
  @Override
  public boolean getTransacted() throws JMSException {
    session.checkOpen();
    return true;
  }

  /**
   * {@code SESSION_TRANSACTED} while a branch is associated, {@code AUTO_ACKNOWLEDGE} otherwise.
   *
   * @throws jakarta.jms.IllegalStateException if the session is closed
   */
  @Override
  public int getAcknowledgeMode() throws JMSException {
    return session.getAcknowledgeMode();
  }

  /**
   * Always throws: an XA session's transaction is completed by its transaction manager.
   *
   * @throws TransactionInProgressException always
   */
  @Override
  public void commit() throws JMSException {
    throw new TransactionInProgressException(
        "commit() on an XASession; its transaction manager commits through the XAResource");
  }

  /**
   * Always throws: an XA session's transaction is completed by its transaction manager.
   *
   * @throws TransactionInProgressException always
   */
  @Override
  public void rollback() throws JMSException {
    throw new TransactionInProgressException(
        "rollback() on an XASession; its transaction manager rolls back through the XAResource");
  }

  /**
   * Closes the session (see the class comment for a session closed inside a branch). Idempotent.
   */
  @Override
  public void close() throws JMSException {
    session.close();
  }

  /** Not offered, as for {@link WarrenSession#getMessageListener()}. */
  @Override
  public MessageListener getMessageListener() throws JMSException {
    return session.getMessageListener();
  }

  /** Not offered, as for {@link WarrenSession#setMessageListener}. */
  @Override
  public void setMessageListener(MessageListener listener) throws JMSException {
    session.setMessageListener(listener);
  }

  /** Not offered, as for {@link WarrenSession#run()}. */
  @Override
  public void run() {
    session.run();
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public BytesMessage createBytesMessage() throws JMSException {
    return session.createBytesMessage();
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public MapMessage createMapMessage() throws JMSException {
    return session.createMapMessage();
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public Message createMessage() throws JMSException {
    return session.createMessage();
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public ObjectMessage createObjectMessage() throws JMSException {
    return session.createObjectMessage();
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
    return session.createObjectMessage(object);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public StreamMessage createStreamMessage() throws JMSException {
    return session.createStreamMessage();
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public TextMessage createTextMessage() throws JMSException {
    return session.createTextMessage();
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public TextMessage createTextMessage(String text) throws JMSException {
    return session.createTextMessage(text);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public MessageProducer createProducer(Destination destination) throws JMSException {
    return session.createProducer(destination);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public MessageConsumer createConsumer(Destination destination) throws JMSException {
    return session.createConsumer(destination);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public MessageConsumer createConsumer(Destination destination, String messageSelector)
      throws JMSException {
    return session.createConsumer(destination, messageSelector);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public MessageConsumer createConsumer(
      Destination destination, String messageSelector, boolean noLocal) throws JMSException {
    return session.createConsumer(destination, messageSelector, noLocal);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName)
      throws JMSException {
    return session.createSharedConsumer(topic, sharedSubscriptionName);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public MessageConsumer createSharedConsumer(
      Topic topic, String sharedSubscriptionName, String messageSelector) throws JMSException {
    return session.createSharedConsumer(topic, sharedSubscriptionName, messageSelector);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public Queue createQueue(String queueName) throws JMSException {
    return session.createQueue(queueName);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public Topic createTopic(String topicName) throws JMSException {
    return session.createTopic(topicName);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
    return session.createDurableSubscriber(topic, name);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public TopicSubscriber createDurableSubscriber(
      Topic topic, String name, String messageSelector, boolean noLocal) throws JMSException {
    return session.createDurableSubscriber(topic, name, messageSelector, noLocal);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
    return session.createDurableConsumer(topic, name);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public MessageConsumer createDurableConsumer(
      Topic topic, String name, String messageSelector, boolean noLocal) throws JMSException {
    return session.createDurableConsumer(topic, name, messageSelector, noLocal);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
    return session.createSharedDurableConsumer(topic, name);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public MessageConsumer createSharedDurableConsumer(
      Topic topic, String name, String messageSelector) throws JMSException {
    return session.createSharedDurableConsumer(topic, name, messageSelector);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public QueueBrowser createBrowser(Queue queue) throws JMSException {
    return session.createBrowser(queue);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
    return session.createBrowser(queue, messageSelector);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public TemporaryQueue createTemporaryQueue() throws JMSException {
    return session.createTemporaryQueue();
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public TemporaryTopic createTemporaryTopic() throws JMSException {
    return session.createTemporaryTopic();
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public void unsubscribe(String name) throws JMSException {
    session.unsubscribe(name);
  }

  /** As the {@link WarrenSession}'s. */
  @Override
  public void recover() throws JMSException {
    session.recover();
  }

  @Override
  public String toString() {
    return "WarrenXASession over " + session.channel();
  }
}
