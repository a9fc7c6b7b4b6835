package io.warrenmq.jms;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Consumer;
import io.warrenmq.client.Delivery;
import io.warrenmq.jms.spi.RecoverableChannel;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * A JMS message consumer: one AMQP consumer ({@code basic.consume}) on the queue that backs its
 * destination or subscription. The broker pushes up to the connection's prefetch of messages into a
 * local buffer; {@code receive} takes from it, or a {@link MessageListener} is called with each.
 *
 * <p>Thread-safety: for the session's thread, as the spec says; {@link #close()} may be called from
 * any thread.
 */
public final class WarrenMessageConsumer implements QueueReceiver, TopicSubscriber {

  private static final System.Logger LOG = System.getLogger(WarrenMessageConsumer.class.getName());

  /**
   * Longest wait of {@link #close()} for the broker's cancel-ok, in ms; reached only when the
   * channel stops answering without closing.
   */
  private static final long CANCEL_OK_WAIT_MS = 10_000;

  /**
   * Set, for good, on each thread that has handed a delivery to a consumer of this provider: the
   * transports' dispatch threads, on which every message listener runs. A transport hands
   * deliveries only to threads of its own, never to an application's.
   */
  private static final ThreadLocal<Boolean> DISPATCHING = new ThreadLocal<>();

  /** Wakes a blocked receive() when the consumer closes. */
  private static final Delivery CLOSED_MARKER =
      new Delivery(null, 0, false, "", "", io.warrenmq.client.BasicProperties.EMPTY, new byte[0]);

  private final WarrenSession session;
  private final WarrenDestination destination;
  private final String queue;

  /**
   * Deliveries pushed by the broker and not yet handed to the application; a body refused by {@code
   * receiveBody} goes back to its head.
   */
  private final LinkedBlockingDeque<Delivery> buffer = new LinkedBlockingDeque<>();

  /** Opened by the cancel-ok of this consumer's {@code basic.cancel}, or by the broker's cancel. */
  private final java.util.concurrent.CountDownLatch cancelOk =
      new java.util.concurrent.CountDownLatch(1);

  private volatile MessageListener listener;
  private volatile String consumerTag;
  private volatile boolean closed;

  /** The JMSDestinations of this consumer's messages, the last one reused while it repeats. */
  private final MessageCodec.Destinations destinations = new MessageCodec.Destinations();

  private final String selector;
  private final boolean noLocal;
  private final boolean selectsOnQueue;

  /**
   * Whether {@link #start} asks to be the queue's only consumer (unshared durable subscriptions).
   */
  private boolean exclusive;

  /**
   * @param selector the JMS selector or null
   * @param noLocal drop messages published by this consumer's connection (topics)
   * @param selectsOnQueue whether the selector goes to the broker as a consumer argument (queues);
   *     for topics it is on the subscription's binding already
   */
  WarrenMessageConsumer(
      WarrenSession session,
      WarrenDestination destination,
      String queue,
      String selector,
      boolean noLocal,
      boolean selectsOnQueue) {
    this.session = session;
    this.destination = destination;
    this.queue = queue;
    this.selector = selector;
    this.noLocal = noLocal;
    this.selectsOnQueue = selectsOnQueue;
  }

  WarrenDestination destination() {
    return destination;
  }

  /**
   * Makes {@link #start} register an exclusive AMQP consumer, so that the broker refuses a second
   * consumer of the queue in any connection (an unshared durable subscription has at most one
   * active consumer). Call before {@link #start}.
   */
  void exclusive() {
    this.exclusive = true;
  }

  /** Registers the AMQP consumer. */
  void start() throws JMSException {
    session.prepareToConsume();
    try {
      consumerTag =
          session
              .channel()
              .basicConsume(
                  queue,
                  false,
                  "",
                  exclusive,
                  consumeArguments(),
                  new Consumer() {
                    @Override
                    public void handleDelivery(Delivery delivery) {
                      if (DISPATCHING.get() == null) {
                        DISPATCHING.set(Boolean.TRUE); // once per dispatch thread
                      }
                      onDelivery(delivery);
                    }

                    @Override
                    public void handleCancelOk(String tag) {
                      cancelOk.countDown();
                    }

                    @Override
                    public void handleCancel(String tag) {
                      cancelOk.countDown(); // no delivery follows, and no cancel-ok will
                      LOG.log(
                          Level.INFO,
                          "The broker cancelled the consumer of {0} (queue {1} deleted?)",
                          destination.toUri(),
                          queue);
                    }
                  });
    } catch (AmqpException e) {
      throw JmsExceptions.from("consume from " + destination.toUri(), e);
    }
  }

  /**
   * The {@code basic.consume} arguments: the selector of a queue consumer, and the connection's
   * redelivery delay; null when there are none.
   */
  private Map<String, Object> consumeArguments() {
    Map<String, Object> args = new LinkedHashMap<>();
    if (selectsOnQueue && selector != null) {
      args.put(WarrenSession.SELECTOR_ARGUMENT, selector);
    }
    long delay = session.connection().redeliveryDelayMs();
    if (delay > 0) {
      args.put(WarrenSession.REDELIVERY_DELAY_ARGUMENT, delay);
    }
    return args.isEmpty() ? null : args;
  }

  private void onDelivery(Delivery delivery) {
    if (closed) {
      // Arrived after cancel: give it back at once.
      try {
        session.channel().basicRelease(delivery.deliveryTag());
      } catch (AmqpException e) {
        LOG.log(Level.DEBUG, "could not requeue a late delivery: {0}", e.getMessage());
      }
      return;
    }
    if (noLocal
        && session
            .connection()
            .id()
            .equals(delivery.properties().headers().get(MessageCodec.PUBLISHER_CONNECTION))) {
      // noLocal: a message of our own connection is consumed without being seen (8.3.2).
      try {
        session.channel().basicAck(delivery.deliveryTag(), false);
      } catch (AmqpException e) {
        LOG.log(Level.DEBUG, "could not drop a local message: {0}", e.getMessage());
      }
      return;
    }
    if (listener != null && session.deliverDirectly(this, delivery)) {
      return;
    }
    buffer.add(delivery);
    if (listener != null) {
      session.dispatchToListeners();
    }
  }

  /**
   * Calls the listener with {@code delivery} at once, without the buffer, if that keeps the order
   * and the rules: a listener is set, the consumer is open, the connection is started and nothing
   * of this consumer is buffered ahead of it. The caller holds the session's listener lock.
   *
   * @return false if the delivery must be buffered instead
   */
  boolean deliverDirectlyLocked(Delivery delivery) {
    MessageListener l = listener;
    if (l == null || closed || !buffer.isEmpty() || !session.connection().isStarted()) {
      return false;
    }
    deliverToListener(l, delivery);
    return true;
  }

  /** Delivers buffered messages to the listener; the caller holds the session's listener lock. */
  void drainToListener() {
    MessageListener l = listener;
    if (l == null) {
      return;
    }
    Delivery d;
    while (!closed && session.connection().isStarted() && (d = buffer.poll()) != null) {
      if (d == CLOSED_MARKER) {
        return;
      }
      if (stale(d)) {
        continue;
      }
      deliverToListener(l, d);
    }
  }

  /**
   * Decodes one delivery, calls the listener and settles it as the session mode says (a listener
   * that throws gets it back at once in AUTO/DUPS_OK mode). The caller holds the session's listener
   * lock.
   */
  private void deliverToListener(MessageListener l, Delivery d) {
    WarrenMessage message;
    try {
      message = decode(d);
    } catch (JMSException e) {
      LOG.log(Level.ERROR, "dropping an undecodable message from " + queue, e);
      return;
    }
    session.beforeConsume(message);
    try {
      l.onMessage(message);
    } catch (RuntimeException e) {
      // Jakarta Messaging 8.7: with AUTO/DUPS_OK the message is redelivered at once.
      LOG.log(
          Level.WARNING,
          "MessageListener of " + destination.toUri() + " threw; the message is redelivered",
          e);
      try {
        session.recover();
      } catch (JMSException re) {
        LOG.log(Level.ERROR, "could not recover the session after a listener failure", re);
      }
      return;
    }
    try {
      session.afterConsume(message);
    } catch (JMSException e) {
      LOG.log(Level.ERROR, "could not acknowledge a message of " + destination.toUri(), e);
    }
  }

  @Override
  public String getMessageSelector() throws JMSException {
    checkOpen();
    return selector;
  }

  @Override
  public MessageListener getMessageListener() throws JMSException {
    checkOpen();
    return listener;
  }

  /**
   * Sets the listener that receives this consumer's messages asynchronously (Jakarta Messaging
   * 8.7); messages already buffered go to it once the connection is started.
   */
  @Override
  public void setMessageListener(MessageListener listener) throws JMSException {
    checkOpen();
    this.listener = listener;
    if (listener != null) {
      session.dispatchToListeners();
    }
  }

  @Override
  public Message receive() throws JMSException {
    return receive(0);
  }

  /**
   * Receives the next message, waiting up to {@code timeout} ms (0 = forever), while the connection
   * is started.
   *
   * @return the message, or null on timeout or when the consumer is closed
   * @throws IllegalStateException if a message listener is set or the consumer is closed
   */
  @Override
  public Message receive(long timeout) throws JMSException {
    Delivery d = nextDelivery(timeout);
    return d == null ? null : consume(d);
  }

  /** The JMS message for a delivery of this consumer. */
  private WarrenMessage decode(Delivery d) throws JMSException {
    return MessageCodec.decode(d, session, destinations);
  }

  /** Decodes a delivery and settles it as the session mode says. */
  private WarrenMessage consume(Delivery d) throws JMSException {
    WarrenMessage message = decode(d);
    session.beforeConsume(message);
    session.afterConsume(message);
    return message;
  }

  /**
   * {@code JMSConsumer.receiveBody} (Jakarta Messaging 3.1, 8.6): the next message's body as {@code
   * type}. When the body cannot be returned as that type the message is not acknowledged: in
   * AUTO/DUPS_OK mode it goes back to the head of this consumer's buffer, as if the call had not
   * happened (the API doc: delivered again before any later message, not as a redelivery, so
   * JMSRedelivered and JMSXDeliveryCount stay as they were); in the other modes it counts as
   * delivered but unacknowledged.
   *
   * @return the body, or null on timeout or when the consumer is closed
   * @throws jakarta.jms.MessageFormatException if the message is a plain Message or a
   *     StreamMessage, has no body, its body is not assignable to {@code type}, or an ObjectMessage
   *     body cannot be deserialized
   */
  <T> T receiveBody(Class<T> type, long timeout) throws JMSException {
    Delivery d = nextDelivery(timeout);
    if (d == null) {
      return null;
    }
    WarrenMessage message = decode(d);
    String kind = message.bodyKind();
    T body = null;
    jakarta.jms.MessageFormatException refused = null;
    if (kind.equals("message") || kind.equals("stream") || !message.isBodyAssignableTo(type)) {
      refused =
          new jakarta.jms.MessageFormatException(
              "the body of this " + kind + " message cannot be returned as " + type.getName());
    } else {
      try {
        body = message.getBody(type);
        if (body == null) {
          refused =
              new jakarta.jms.MessageFormatException(
                  "this " + kind + " message has no body to return as " + type.getName());
        }
      } catch (jakarta.jms.MessageFormatException e) {
        refused = e; // e.g. an ObjectMessage whose body cannot be deserialized
      }
    }
    if (refused != null) {
      if (session.acksEachMessage()) {
        buffer.addFirst(d);
      } else {
        session.beforeConsume(message);
      }
      throw refused;
    }
    session.beforeConsume(message);
    session.afterConsume(message);
    return body;
  }

  /**
   * Whether a buffered delivery came from a connection lost since (a reconnecting transport, {@link
   * RecoverableChannel}): the broker delivers that message again, marked redelivered, so this copy
   * is dropped unseen.
   */
  private boolean stale(Delivery d) {
    return session.channel() instanceof RecoverableChannel r && r.isStale(d.deliveryTag());
  }

  /** The next delivery from the buffer, waiting up to {@code timeout} ms (0 = forever). */
  private Delivery nextDelivery(long timeout) throws JMSException {
    checkOpen();
    if (listener != null) {
      throw new IllegalStateException("receive() on a consumer with a MessageListener");
    }
    long deadline = timeout <= 0 ? Long.MAX_VALUE : System.nanoTime() + timeout * 1_000_000L;
    while (!closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      if (!session.connection().isStarted()) {
        // A stopped connection delivers nothing (6.1.5); check again shortly.
        waitWhileStopped(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        continue;
      }
      Delivery d;
      try {
        d = buffer.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      if (d == CLOSED_MARKER) {
        return null;
      }
      if (d != null && !stale(d)) {
        return d;
      }
    }
    return null;
  }

  private static void waitWhileStopped(long nanos) {
    java.util.concurrent.locks.LockSupport.parkNanos(nanos);
  }

  @Override
  public Message receiveNoWait() throws JMSException {
    checkOpen();
    if (!session.connection().isStarted()) {
      return null;
    }
    Delivery d = buffer.poll();
    while (d != null && d != CLOSED_MARKER && stale(d)) {
      d = buffer.poll();
    }
    return d == null || d == CLOSED_MARKER ? null : consume(d);
  }

  private void checkOpen() throws IllegalStateException {
    if (closed || session.isClosed()) {
      throw new IllegalStateException("the consumer is closed");
    }
  }

  /**
   * Waits, off the delivering threads, for the cancel-ok: until then a delivery handed over while
   * cancelling may still arrive, and {@link #onDelivery} returns it to the queue.
   */
  private void awaitCancelOk() {
    if (DISPATCHING.get() != null) {
      return;
    }
    long deadline = System.nanoTime() + CANCEL_OK_WAIT_MS * 1_000_000;
    try {
      while (!cancelOk.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        if (!session.channel().isOpen() || System.nanoTime() - deadline > 0) {
          LOG.log(Level.DEBUG, "no cancel-ok for the consumer of {0}", destination.toUri());
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // close completes without the wait; the flag stays set
    }
  }

  /**
   * Cancels the AMQP consumer and returns buffered, undelivered messages to the queue. A receive in
   * progress returns null. Called from another thread while a listener of the session runs, it
   * returns once the listener has; called from this consumer's own listener, it returns at once and
   * the listener completes normally (Jakarta Messaging 8.8). Idempotent.
   *
   * <p>Called on a thread that is not delivering messages, it returns after the broker's cancel-ok,
   * when a delivery that was being handed over has been returned to the queue too: a browser or
   * consumer created next sees every message this consumer did not take. On a delivering thread
   * (any listener) it does not wait, since the cancel-ok may queue behind that very thread.
   */
  @Override
  public void close() throws JMSException {
    if (closed) {
      return;
    }
    closed = true;
    session.awaitListenerIdle();
    try {
      if (consumerTag != null && session.channel().isOpen()) {
        session.channel().basicCancel(consumerTag);
        awaitCancelOk();
      }
      Delivery d;
      while ((d = buffer.poll()) != null) {
        if (d != CLOSED_MARKER && session.channel().isOpen()) {
          session.channel().basicRelease(d.deliveryTag());
        }
      }
    } catch (AmqpException e) {
      throw JmsExceptions.from("close the consumer of " + destination.toUri(), e);
    } finally {
      buffer.add(CLOSED_MARKER);
      session.consumerClosed(this);
    }
  }

  /**
   * @throws IllegalStateException if the consumer is closed (Jakarta Messaging 6.2.15), or reads a
   *     topic
   */
  @Override
  public Queue getQueue() throws JMSException {
    checkOpen();
    if (destination instanceof Queue q) {
      return q;
    }
    throw new IllegalStateException("this consumer reads a topic, not a queue");
  }

  /**
   * @throws IllegalStateException if the consumer is closed (Jakarta Messaging 6.2.15), or reads a
   *     queue
   */
  @Override
  public Topic getTopic() throws JMSException {
    checkOpen();
    if (destination instanceof Topic t) {
      return t;
    }
    throw new IllegalStateException("this consumer reads a queue, not a topic");
  }

  @Override
  public boolean getNoLocal() throws JMSException {
    checkOpen();
    return noLocal;
  }
}
