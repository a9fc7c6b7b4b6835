package io.warrenmq.jms;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.Queue;
import jakarta.jms.QueueSender;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import java.util.UUID;

/**
 * A JMS message producer. A message to queue {@code Q} is published to the direct exchange {@code
 * jms.queue} with routing key {@code Q}; to topic {@code T}, to the topic exchange {@code
 * jms.topic} with routing key {@code T} (DESIGN.md). {@code send} returns once the broker has
 * routed the message (inside a transacted session: once it is buffered for commit).
 *
 * <p>Time to live becomes the AMQP {@code expiration} (ms); delivery delay the {@code x-delay}
 * header on a delayed exchange (see {@link #setDeliveryDelay}). Asynchronous send completes
 * synchronously and then calls the {@link CompletionListener}.
 *
 * <p>Thread-safety: for the session's thread, as the spec says.
 */
public final class WarrenMessageProducer implements QueueSender, TopicPublisher {

  private final WarrenSession session;
  private final WarrenDestination destination;
  private int deliveryMode = DeliveryMode.PERSISTENT;
  private int priority = Message.DEFAULT_PRIORITY;
  private long timeToLive;
  private long deliveryDelay;
  private boolean disableMessageId;
  private boolean disableTimestamp;
  private volatile boolean closed;

  /**
   * {@code JMSMessageID}s (Jakarta Messaging 3.1, 3.4.3: unique, prefixed {@code ID:}): a random
   * UUID drawn once per producer, then a counter. One {@code UUID.randomUUID()} per message drew
   * from the JVM's shared {@code SecureRandom}, a lock every sending thread took.
   */
  private final String messageIdPrefix = "ID:" + UUID.randomUUID() + ":";

  private long messageIds;

  WarrenMessageProducer(WarrenSession session, WarrenDestination destination) {
    this.session = session;
    this.destination = destination;
  }

  WarrenSession session() {
    return session;
  }

  private void checkOpen() throws IllegalStateException {
    if (closed || session.isClosed()) {
      throw new IllegalStateException("the producer is closed");
    }
  }

  @Override
  public void setDisableMessageID(boolean value) throws JMSException {
    checkOpen();
    disableMessageId = value;
  }

  @Override
  public boolean getDisableMessageID() throws JMSException {
    checkOpen();
    return disableMessageId;
  }

  @Override
  public void setDisableMessageTimestamp(boolean value) throws JMSException {
    checkOpen();
    disableTimestamp = value;
  }

  @Override
  public boolean getDisableMessageTimestamp() throws JMSException {
    checkOpen();
    return disableTimestamp;
  }

  @Override
  public void setDeliveryMode(int deliveryMode) throws JMSException {
    checkOpen();
    checkDeliveryMode(deliveryMode);
    this.deliveryMode = deliveryMode;
  }

  @Override
  public int getDeliveryMode() throws JMSException {
    checkOpen();
    return deliveryMode;
  }

  @Override
  public void setPriority(int defaultPriority) throws JMSException {
    checkOpen();
    checkPriority(defaultPriority);
    this.priority = defaultPriority;
  }

  @Override
  public int getPriority() throws JMSException {
    checkOpen();
    return priority;
  }

  /** Default time to live in ms; 0 means messages never expire. */
  @Override
  public void setTimeToLive(long timeToLive) throws JMSException {
    checkOpen();
    if (timeToLive < 0) {
      throw new JMSException("time to live must be >= 0 ms, was " + timeToLive);
    }
    this.timeToLive = timeToLive;
  }

  @Override
  public long getTimeToLive() throws JMSException {
    checkOpen();
    return timeToLive;
  }

  /**
   * Sets the delivery delay in ms (Jakarta Messaging 7.9): a message becomes visible to consumers
   * that long after it is sent; 0 (the default) means at once. Delayed messages are held by an
   * {@code x-delayed-message} exchange ({@code jms.queue.delayed}, {@code jms.topic.delayed}); a
   * persistent one is stored with its due time before its send returns, and is delivered when due
   * after a broker restart (late ones at once).
   *
   * @throws JMSException for a negative delay
   */
  @Override
  public void setDeliveryDelay(long deliveryDelay) throws JMSException {
    checkOpen();
    if (deliveryDelay < 0) {
      throw new JMSException("delivery delay must be >= 0 ms, was " + deliveryDelay);
    }
    this.deliveryDelay = deliveryDelay;
  }

  @Override
  public long getDeliveryDelay() throws JMSException {
    checkOpen();
    return deliveryDelay;
  }

  @Override
  public Destination getDestination() throws JMSException {
    checkOpen();
    return destination;
  }

  @Override
  public Queue getQueue() throws JMSException {
    return (Queue) getDestination();
  }

  @Override
  public Topic getTopic() throws JMSException {
    return (Topic) getDestination();
  }

  /**
   * Closes the producer once its asynchronous sends are complete and their completion listeners
   * have returned (Jakarta Messaging 7.3.5). Idempotent.
   *
   * @throws IllegalStateException if called from a completion listener (7.3.5)
   */
  @Override
  public void close() throws JMSException {
    session.connection().checkNotInCompletionListener("MessageProducer.close");
    if (closed) {
      return;
    }
    if (!session.isClosed()) {
      session.awaitAsyncSends();
    }
    closed = true;
  }

  @Override
  public void send(Message message) throws JMSException {
    send(message, deliveryMode, priority, timeToLive);
  }

  @Override
  public void send(Message message, int deliveryMode, int priority, long timeToLive)
      throws JMSException {
    sendToOwn(message, deliveryMode, priority, timeToLive, null);
  }

  @Override
  public void send(Destination destination, Message message) throws JMSException {
    send(destination, message, deliveryMode, priority, timeToLive);
  }

  @Override
  public void send(
      Destination destination, Message message, int deliveryMode, int priority, long timeToLive)
      throws JMSException {
    sendToGiven(destination, message, deliveryMode, priority, timeToLive, null);
  }

  @Override
  public void send(Message message, CompletionListener completionListener) throws JMSException {
    send(message, deliveryMode, priority, timeToLive, completionListener);
  }

  @Override
  public void send(
      Message message,
      int deliveryMode,
      int priority,
      long timeToLive,
      CompletionListener completionListener)
      throws JMSException {
    checkListener(completionListener);
    sendToOwn(message, deliveryMode, priority, timeToLive, completionListener);
  }

  @Override
  public void send(Destination destination, Message message, CompletionListener completionListener)
      throws JMSException {
    send(destination, message, deliveryMode, priority, timeToLive, completionListener);
  }

  @Override
  public void send(
      Destination destination,
      Message message,
      int deliveryMode,
      int priority,
      long timeToLive,
      CompletionListener completionListener)
      throws JMSException {
    checkListener(completionListener);
    sendToGiven(destination, message, deliveryMode, priority, timeToLive, completionListener);
  }

  private void sendToOwn(
      Message message, int deliveryMode, int priority, long timeToLive, CompletionListener l)
      throws JMSException {
    if (destination == null) {
      throw new UnsupportedOperationException(
          "this producer has no destination; use send(destination, message)");
    }
    doSend(destination, message, deliveryMode, priority, timeToLive, l);
  }

  private void sendToGiven(
      Destination destination,
      Message message,
      int deliveryMode,
      int priority,
      long timeToLive,
      CompletionListener l)
      throws JMSException {
    if (this.destination != null) {
      throw new UnsupportedOperationException(
          "this producer was created with a destination; use send(message)");
    }
    WarrenDestination d = WarrenSession.warrenDestination(destination);
    session.connection().ensureDestination(d);
    doSend(d, message, deliveryMode, priority, timeToLive, l);
  }

  @Override
  public void send(Queue queue, Message message) throws JMSException {
    send((Destination) queue, message);
  }

  @Override
  public void send(Queue queue, Message message, int deliveryMode, int priority, long timeToLive)
      throws JMSException {
    send((Destination) queue, message, deliveryMode, priority, timeToLive);
  }

  @Override
  public void publish(Message message) throws JMSException {
    send(message);
  }

  @Override
  public void publish(Message message, int deliveryMode, int priority, long timeToLive)
      throws JMSException {
    send(message, deliveryMode, priority, timeToLive);
  }

  @Override
  public void publish(Topic topic, Message message) throws JMSException {
    send(topic, message);
  }

  @Override
  public void publish(Topic topic, Message message, int deliveryMode, int priority, long timeToLive)
      throws JMSException {
    send(topic, message, deliveryMode, priority, timeToLive);
  }

  /**
   * A persistent send returns only after the broker's store has committed the message (DESIGN.md,
   * Transactions: publisher confirms); with the in-memory store the confirm is immediate.
   */
  private void awaitStored(WarrenDestination d) throws JMSException {
    boolean acked;
    try {
      acked = session.channel().waitForConfirms(STORE_TIMEOUT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JMSException("interrupted while the broker stored a message for " + d.toUri());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new JMSException(
          "the broker did not confirm storing a message for "
              + d.toUri()
              + " within "
              + STORE_TIMEOUT_MS
              + " ms");
    }
    if (!acked) {
      throw new jakarta.jms.ResourceAllocationException(
          "the broker refused a message for "
              + d.toUri()
              + " (store failure, or a queue with x-overflow=reject-publish is full)");
    }
  }

  /** How long a persistent send waits for the store's commit, in ms. */
  private static final long STORE_TIMEOUT_MS = 60_000;

  private static void checkListener(CompletionListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("completionListener must not be null");
    }
  }

  private static void checkDeliveryMode(int mode) throws JMSException {
    if (mode != DeliveryMode.PERSISTENT && mode != DeliveryMode.NON_PERSISTENT) {
      throw new JMSException("delivery mode must be PERSISTENT or NON_PERSISTENT, was " + mode);
    }
  }

  private static void checkPriority(int priority) throws JMSException {
    if (priority < 0 || priority > 9) {
      throw new JMSException("priority must be 0-9, was " + priority);
    }
  }

  /**
   * Sends; with a completion listener (asynchronous send, Jakarta Messaging 7.3) the call returns
   * once the message is routed, and the listener is called on the connection's completion thread,
   * never the caller's, in send order: in a non-transacted session when the broker confirms the
   * message (for a persistent one, after the store commit), in a transacted one at once. Errors
   * found while sending (closed producer, bad destination, bad message) are thrown by the send; a
   * refusal by the broker goes to {@code onException}.
   */
  private void doSend(
      WarrenDestination d,
      Message message,
      int deliveryMode,
      int priority,
      long timeToLive,
      CompletionListener listener)
      throws JMSException {
    checkOpen();
    if (message == null) {
      throw new MessageFormatException("message must not be null");
    }
    WarrenMessage m = message instanceof WarrenMessage own ? own : ForeignMessages.copyOf(message);
    checkDeliveryMode(deliveryMode);
    checkPriority(priority);
    if (timeToLive < 0) {
      throw new JMSException("time to live must be >= 0 ms, was " + timeToLive);
    }
    long now = System.currentTimeMillis();
    m.setJMSDestination(d);
    m.setJMSDeliveryMode(deliveryMode);
    m.setJMSPriority(priority);
    m.setJMSExpiration(timeToLive == 0 ? 0 : now + timeToLive);
    m.setJMSDeliveryTime(now + deliveryDelay);
    m.setJMSTimestamp(disableTimestamp ? 0 : now);
    m.setJMSMessageID(disableMessageId ? null : messageIdPrefix + ++messageIds);
    BasicProperties.Builder b = MessageCodec.encodeProperties(m);
    if (timeToLive > 0) {
      // JMSExpiration counts from the send; the queue's TTL counts from the (delayed) enqueue
      b.expiration(Long.toString(Math.max(0, timeToLive - deliveryDelay)));
    }
    if (deliveryDelay > 0) {
      b.header(MessageCodec.DELAY, deliveryDelay);
    }
    if (d.isTopic()) {
      // lets noLocal subscribers recognise messages of their own connection
      b.header(MessageCodec.PUBLISHER_CONNECTION, session.connection().id());
    }
    BasicProperties props = b.build();
    byte[] body = m.bodyBytes();
    String exchange = d.exchange();
    String routingKey = d.routingKey();
    if (deliveryDelay > 0) {
      exchange = session.connection().ensureDelayedRoute(d);
      routingKey = d.physicalName();
    }
    boolean transacted = session.getTransacted();
    boolean confirmed =
        !transacted && (listener != null || deliveryMode == DeliveryMode.PERSISTENT);
    try {
      if (confirmed) {
        session.ensureConfirms();
        if (listener != null) {
          session.expectCompletion(session.channel().getNextPublishSeqNo(), listener, message);
        }
      }
      session
          .channel()
          .basicPublish(exchange, routingKey, false, props, body == null ? new byte[0] : body);
      if (confirmed && listener == null) {
        awaitStored(d);
      }
    } catch (AmqpException e) {
      throw JmsExceptions.from("send to " + d.toUri(), e);
    }
    if (listener != null && transacted) {
      session.connection().completions().execute(() -> listener.onCompletion(message));
    }
    if (m != message) {
      ForeignMessages.copyHeadersBack(m, message);
    }
  }
}
