package io.warrenmq.jms;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Capabilities;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.MessageSelector;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.jms.spi.RecoverableChannel;
import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A JMS session: one {@link AmqpChannel} (DESIGN.md). A transacted session is a channel in {@code
 * tx.select} mode: sends and acknowledgements are applied by {@link #commit()}; {@link #rollback()}
 * discards sends and returns consumed messages to their queues, marked redelivered.
 *
 * <p>Acknowledgement: {@code AUTO_ACKNOWLEDGE} and {@code DUPS_OK_ACKNOWLEDGE} ack each message
 * when {@code receive} returns it or its listener returns; {@code CLIENT_ACKNOWLEDGE} acks every
 * message consumed so far by the session when {@link jakarta.jms.Message#acknowledge()} is called.
 *
 * <p>Subscriptions (DESIGN.md, JMS mapping): a non-durable subscriber owns the exclusive,
 * auto-delete queue {@code jms.nd.<uuid>}; a shared non-durable subscription is the auto-delete
 * queue {@code jms.shared-nd.<name>} ({@code jms.shared-nd.<clientID>.<name>} when the connection
 * has a client ID, because Jakarta Messaging 6.2.5 scopes the name by client ID); an unshared
 * durable subscription is the durable queue {@code jms.sub.<clientID>.<name>}, a shared one {@code
 * jms.shared.[<clientID>.]<name>} (see {@link Subscriptions} for the rules between them). Each is
 * bound to {@code jms.topic} with the topic name as binding key.
 *
 * <p>Not offered (each throws a {@link JMSException} saying so): a session-level message listener
 * and {@code run()} (optional application-server facilities).
 *
 * <p>Thread-safety: as the spec says, a session is for one thread at a time; message listeners of
 * one session run one at a time. {@link #close()} may be called from any thread.
 */
public final class WarrenSession implements QueueSession, TopicSession {

  /** The AMQP argument carrying a JMS selector (consumers and bindings). */
  static final String SELECTOR_ARGUMENT = "x-jms-selector";

  /**
   * The consumer argument asking for a redelivery delay in ms (see {@link
   * WarrenConnectionFactory#withRedeliveryDelay}).
   */
  static final String REDELIVERY_DELAY_ARGUMENT = "x-redelivery-delay";

  private final WarrenConnection connection;
  private final AmqpChannel channel;
  private final int sessionMode;
  private final List<WarrenMessageConsumer> consumers = new CopyOnWriteArrayList<>();

  /**
   * CLIENT_ACKNOWLEDGE and transacted: delivery tags handed to the application and not yet
   * acknowledged (or committed).
   */
  private final DeliveryTags unacknowledged = new DeliveryTags();

  /** Message.acknowledge() acks that message only ({@link #enableIndividualAcknowledge()}). */
  private volatile boolean individualAcknowledge;

  /**
   * AUTO_ACKNOWLEDGE and DUPS_OK_ACKNOWLEDGE: the delivery tag of the message the application holds
   * now (a listener running, or {@code receive} returning), 0 for none (tags start at 1). There is
   * at most one: a session runs one listener at a time, and {@code receive} acks its message before
   * it returns.
   */
  private volatile long consuming;

  /** Held while a message listener of this session runs, so that they run one at a time. */
  private final ReentrantLock listenerLock = new ReentrantLock();

  private volatile boolean closed;

  /** The XAResource when this is the session of a {@link WarrenXASession}, else null. */
  private volatile WarrenXAResource xaResource;

  /** Guards {@link #consumedOnChannel}, {@link #qosSent} and {@link #channelReleased}. */
  private final Object consumeSetUp = new Object();

  /** Whether a consumer or browser was created: the channel has delivered (or may deliver). */
  private boolean consumedOnChannel;

  private boolean qosSent;

  /** Set by {@link #releaseChannel}. */
  private boolean channelReleased;

  /**
   * The messaging domain a session was created for: {@code createSession} gives a unified one,
   * {@code createQueueSession} and {@code createTopicSession} the legacy domain-specific ones
   * (Jakarta Messaging 2.8, and the {@code QueueSession}/{@code TopicSession} API docs).
   */
  enum Domain {
    UNIFIED,
    QUEUE,
    TOPIC
  }

  private volatile Domain domain = Domain.UNIFIED;

  WarrenSession(WarrenConnection connection, AmqpChannel channel, int sessionMode)
      throws JMSException {
    this.connection = connection;
    this.channel = channel;
    this.sessionMode = sessionMode;
    try {
      if (sessionMode == Session.SESSION_TRANSACTED) {
        channel.txSelect();
      }
    } catch (AmqpException e) {
      throw JmsExceptions.from("open a session", e);
    }
  }

  /**
   * Called before the session's channel first delivers to it (a consumer or a browser): sets the
   * channel's prefetch ({@code basic.qos}), once. A session that only sends never pays that round
   * trip, and its channel stays reusable ({@link #releaseChannel}).
   *
   * @throws JMSException if the broker refuses the prefetch
   */
  void prepareToConsume() throws JMSException {
    synchronized (consumeSetUp) {
      consumedOnChannel = true;
      if (!qosSent) {
        try {
          boolean byteWindows = connection.hasCapability(Capabilities.PREFETCH_SIZE);
          Prefetch p = connection.prefetch();
          channel.basicQos(p.bytesFor(byteWindows), p.messagesFor(byteWindows), false);
        } catch (AmqpException e) {
          throw JmsExceptions.from("set the session's prefetch", e);
        }
        qosSent = true;
      }
    }
  }

  /**
   * Closes the session's channel, or, for an XA session whose channel never delivered to it, hands
   * the open channel to the connection for its next XA session ({@link
   * WarrenConnection#recycleXaChannel}): opening a channel, selecting dtx mode and setting its
   * timeout are round trips to a remote broker, and the resource adapter opens an XA session for
   * every transaction. After this the session does not use the channel again. Called once the
   * session is closed and its channel is not associated with a branch.
   */
  void releaseChannel() {
    boolean reusable;
    synchronized (consumeSetUp) {
      reusable = xaResource != null && !consumedOnChannel && !channelReleased;
      channelReleased = true;
    }
    if (reusable) {
      connection.recycleXaChannel(channel);
    } else {
      channel.close();
    }
  }

  /** Whether {@link #releaseChannel} ran: the channel is closed or in another session's hands. */
  boolean channelReleased() {
    synchronized (consumeSetUp) {
      return channelReleased;
    }
  }

  AmqpChannel channel() {
    return channel;
  }

  /** Makes this a domain-specific session; returns it. */
  WarrenSession restrictTo(Domain d) {
    domain = d;
    return this;
  }

  /**
   * Throws {@link IllegalStateException} if this is a session of the other domain than {@code
   * needed}: a {@code QueueSession} refuses the publish/subscribe methods, a {@code TopicSession}
   * the point-to-point ones (their API docs).
   */
  private void checkDomain(Domain needed, String method) throws IllegalStateException {
    Domain d = domain;
    if (d != Domain.UNIFIED && d != needed) {
      throw new IllegalStateException(
          method
              + " on a "
              + (d == Domain.QUEUE ? "QueueSession" : "TopicSession")
              + ", which cannot create objects of the "
              + (d == Domain.QUEUE ? "publish/subscribe" : "point-to-point")
              + " domain");
    }
  }

  /** Whether the calling thread is running a message listener of this session. */
  boolean inMessageListener() {
    return listenerLock.isHeldByCurrentThread();
  }

  /** Makes this AUTO_ACKNOWLEDGE session the session of an XA session; returns its XAResource. */
  WarrenXAResource enableXa() {
    xaResource = new WarrenXAResource(this);
    return xaResource;
  }

  /** Whether this is an XA session's session currently associated with an XA branch. */
  boolean inXaBranch() {
    WarrenXAResource xa = xaResource;
    return xa != null && xa.inBranch();
  }

  private void checkNotInXaBranch(String method) throws JMSException {
    if (inXaBranch()) {
      throw new jakarta.jms.TransactionInProgressException(
          method + " on a session in an XA transaction; its transaction manager completes it");
    }
  }

  WarrenConnection connection() {
    return connection;
  }

  void checkOpen() throws IllegalStateException {
    if (closed) {
      throw new IllegalStateException("the session is closed");
    }
  }

  // ---- messages ----

  @Override
  public WarrenMessage createMessage() throws JMSException {
    checkOpen();
    return new WarrenMessage();
  }

  @Override
  public WarrenTextMessage createTextMessage() throws JMSException {
    checkOpen();
    return new WarrenTextMessage();
  }

  @Override
  public WarrenTextMessage createTextMessage(String text) throws JMSException {
    checkOpen();
    return new WarrenTextMessage(text);
  }

  @Override
  public WarrenObjectMessage createObjectMessage() throws JMSException {
    checkOpen();
    return new WarrenObjectMessage();
  }

  @Override
  public WarrenObjectMessage createObjectMessage(Serializable object) throws JMSException {
    WarrenObjectMessage m = createObjectMessage();
    m.setObject(object);
    return m;
  }

  @Override
  public BytesMessage createBytesMessage() throws JMSException {
    checkOpen();
    return new WarrenBytesMessage();
  }

  @Override
  public MapMessage createMapMessage() throws JMSException {
    checkOpen();
    return new WarrenMapMessage();
  }

  @Override
  public StreamMessage createStreamMessage() throws JMSException {
    checkOpen();
    return new WarrenStreamMessage();
  }

  // ---- destinations ----

  @Override
  public Queue createQueue(String queueName) throws JMSException {
    checkOpen();
    checkDomain(Domain.QUEUE, "createQueue");
    if (queueName == null || queueName.isEmpty()) {
      throw new InvalidDestinationException("queue name must not be null or empty");
    }
    return new WarrenQueue(queueName);
  }

  @Override
  public Topic createTopic(String topicName) throws JMSException {
    checkOpen();
    checkDomain(Domain.TOPIC, "createTopic");
    if (topicName == null || topicName.isEmpty()) {
      throw new InvalidDestinationException("topic name must not be null or empty");
    }
    return new WarrenTopic(topicName);
  }

  /** A temporary queue of this session's connection (an exclusive queue). */
  @Override
  public TemporaryQueue createTemporaryQueue() throws JMSException {
    checkOpen();
    checkDomain(Domain.QUEUE, "createTemporaryQueue");
    return connection.createTemporaryQueue();
  }

  /** A temporary topic of this session's connection (its own fanout exchange). */
  @Override
  public TemporaryTopic createTemporaryTopic() throws JMSException {
    checkOpen();
    checkDomain(Domain.TOPIC, "createTemporaryTopic");
    return connection.createTemporaryTopic();
  }

  /**
   * The destination as this provider's, or {@link InvalidDestinationException} naming the foreign
   * class (Jakarta Messaging 7.3: a provider may refuse destinations it did not create).
   */
  static WarrenDestination warrenDestination(Destination destination) throws JMSException {
    if (destination == null) {
      throw new InvalidDestinationException("destination must not be null");
    }
    if (destination instanceof WarrenDestination d) {
      return d;
    }
    throw new InvalidDestinationException(
        "destination "
            + destination
            + " of class "
            + destination.getClass().getName()
            + " is not a WarrenMQ destination; create it with Session.createQueue/createTopic or"
            + " look up the resource adapter's admin object");
  }

  // ---- producers ----

  @Override
  public WarrenMessageProducer createProducer(Destination destination) throws JMSException {
    checkOpen();
    WarrenDestination d = destination == null ? null : warrenDestination(destination);
    if (d != null) {
      connection.ensureDestination(d);
    }
    return new WarrenMessageProducer(this, d);
  }

  @Override
  public QueueSender createSender(Queue queue) throws JMSException {
    return createProducer(queue);
  }

  @Override
  public TopicPublisher createPublisher(Topic topic) throws JMSException {
    return createProducer(topic);
  }

  // ---- consumers ----

  @Override
  public WarrenMessageConsumer createConsumer(Destination destination) throws JMSException {
    return createConsumer(destination, null, false);
  }

  @Override
  public WarrenMessageConsumer createConsumer(Destination destination, String messageSelector)
      throws JMSException {
    return createConsumer(destination, messageSelector, false);
  }

  /**
   * Creates a consumer (Jakarta Messaging 8.2). On a queue, the selector is a consumer argument:
   * the broker skips messages it does not select and keeps them for other consumers. On a topic,
   * the consumer gets its own subscription queue, bound with the selector, so unselected messages
   * never enter it. {@code noLocal} (topics only) drops messages published by this connection.
   *
   * @throws InvalidSelectorException if the selector is not valid, naming the position
   */
  @Override
  public WarrenMessageConsumer createConsumer(
      Destination destination, String messageSelector, boolean noLocal) throws JMSException {
    checkOpen();
    WarrenDestination d = warrenDestination(destination);
    String selector = parseSelector(messageSelector);
    connection.checkConsumable(d);
    if (!d.isTopic()) {
      connection.ensureDestination(d);
      return subscribe(d, d.physicalName(), selector, false, false);
    }
    String queue = Subscriptions.nonDurableQueue();
    Subscriptions.declare(
        connection, d, new QueueSpec(queue, false, true, true, Map.of()), selector);
    return subscribe(d, queue, selector, noLocal, true);
  }

  @Override
  public QueueReceiver createReceiver(Queue queue) throws JMSException {
    return createConsumer(queue);
  }

  @Override
  public QueueReceiver createReceiver(Queue queue, String messageSelector) throws JMSException {
    return createConsumer(queue, messageSelector);
  }

  @Override
  public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
    return createConsumer(topic);
  }

  @Override
  public TopicSubscriber createSubscriber(Topic topic, String messageSelector, boolean noLocal)
      throws JMSException {
    return createConsumer(topic, messageSelector, noLocal);
  }

  /**
   * Creates a consumer on a shared non-durable subscription (Jakarta Messaging 8.3): every consumer
   * of the same subscription name (and client ID) shares its messages.
   */
  @Override
  public WarrenMessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName)
      throws JMSException {
    return createSharedConsumer(topic, sharedSubscriptionName, null);
  }

  @Override
  public WarrenMessageConsumer createSharedConsumer(
      Topic topic, String sharedSubscriptionName, String messageSelector) throws JMSException {
    checkOpen();
    checkDomain(Domain.TOPIC, "createSharedConsumer");
    WarrenDestination d = warrenDestination(topic);
    String selector = parseSelector(messageSelector);
    Subscriptions.checkName(sharedSubscriptionName);
    connection.checkConsumable(d);
    String queue =
        Subscriptions.sharedNonDurableQueue(connection.getClientID(), sharedSubscriptionName);
    Subscriptions.declare(
        connection,
        d,
        new QueueSpec(queue, false, false, true, Subscriptions.arguments(d, selector)),
        selector);
    return subscribe(d, queue, selector, false, true);
  }

  @Override
  public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
    return createDurableConsumer(topic, name, null, false);
  }

  @Override
  public TopicSubscriber createDurableSubscriber(
      Topic topic, String name, String messageSelector, boolean noLocal) throws JMSException {
    return createDurableConsumer(topic, name, messageSelector, noLocal);
  }

  /**
   * Creates the consumer of an unshared durable subscription (Jakarta Messaging 8.3.3), which needs
   * the connection's client ID. The subscription has at most one active consumer in any connection
   * of the broker, and may not share its name and client ID with a shared durable subscription (see
   * {@link Subscriptions}).
   *
   * @throws IllegalStateException if the connection has no client ID
   * @throws JMSException if the subscription already has an active consumer, or a shared durable
   *     subscription of this name and client ID exists (as the API doc says: a {@code
   *     JMSException}, not its {@code IllegalStateException} subclass)
   */
  @Override
  public WarrenMessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
    return createDurableConsumer(topic, name, null, false);
  }

  @Override
  public WarrenMessageConsumer createDurableConsumer(
      Topic topic, String name, String messageSelector, boolean noLocal) throws JMSException {
    checkOpen();
    checkDomain(Domain.TOPIC, "createDurableConsumer");
    WarrenDestination d = warrenDestination(topic);
    String selector = parseSelector(messageSelector);
    Subscriptions.checkName(name);
    Subscriptions.checkNotTemporary(d);
    String clientId = connection.getClientID();
    if (clientId == null) {
      throw new IllegalStateException(
          "an unshared durable subscription needs a client ID on the connection");
    }
    return Subscriptions.subscribeDurable(
        connection, d, name, false, selector, q -> subscribe(d, q, selector, noLocal, true, true));
  }

  /**
   * Creates a consumer on a shared durable subscription (Jakarta Messaging 8.3.4), scoped by the
   * connection's client ID when it has one.
   *
   * @throws JMSException if an unshared durable subscription of this name and client ID exists, or
   *     this one exists with another topic or selector and has an active consumer
   */
  @Override
  public WarrenMessageConsumer createSharedDurableConsumer(Topic topic, String name)
      throws JMSException {
    return createSharedDurableConsumer(topic, name, null);
  }

  @Override
  public WarrenMessageConsumer createSharedDurableConsumer(
      Topic topic, String name, String messageSelector) throws JMSException {
    checkOpen();
    checkDomain(Domain.TOPIC, "createSharedDurableConsumer");
    WarrenDestination d = warrenDestination(topic);
    String selector = parseSelector(messageSelector);
    Subscriptions.checkName(name);
    Subscriptions.checkNotTemporary(d);
    return Subscriptions.subscribeDurable(
        connection, d, name, true, selector, q -> subscribe(d, q, selector, false, true));
  }

  /**
   * Deletes a durable subscription (Jakarta Messaging 8.3.3).
   *
   * @throws InvalidDestinationException if it does not exist
   * @throws IllegalStateException if it has an active consumer
   */
  @Override
  public void unsubscribe(String name) throws JMSException {
    checkOpen();
    checkDomain(Domain.TOPIC, "unsubscribe");
    Subscriptions.unsubscribe(connection, name);
  }

  @Override
  public QueueBrowser createBrowser(Queue queue) throws JMSException {
    return createBrowser(queue, null);
  }

  /**
   * A browser of the queue's ready messages (see {@link WarrenQueueBrowser}).
   *
   * @throws InvalidDestinationException for a null or foreign queue, or a topic
   * @throws InvalidSelectorException for an invalid selector
   * @throws JMSException error code 540 over the wire to a broker without the {@code
   *     warrenmq.browse} capability (RabbitMQ; docs/protocol-browse.md)
   */
  @Override
  public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
    checkOpen();
    checkDomain(Domain.QUEUE, "createBrowser");
    WarrenDestination d = warrenDestination(queue);
    if (d.isTopic()) {
      throw new InvalidDestinationException("a queue browser needs a queue, not " + d.toUri());
    }
    String selector = parseSelector(messageSelector);
    connection.requireCapability(Capabilities.BROWSE, "a QueueBrowser");
    connection.ensureDestination(d);
    return new WarrenQueueBrowser(this, d, selector);
  }

  /**
   * The selector to use, or null for none (null or blank, Jakarta Messaging 3.8.1).
   *
   * @throws InvalidSelectorException naming what is wrong and where
   */
  static String parseSelector(String messageSelector) throws JMSException {
    if (messageSelector == null || messageSelector.isBlank()) {
      return null;
    }
    try {
      MessageSelector.parse(messageSelector);
    } catch (IllegalArgumentException e) {
      InvalidSelectorException ise =
          new InvalidSelectorException(
              "invalid message selector '" + messageSelector + "': " + e.getMessage());
      ise.initCause(e);
      throw ise;
    }
    return messageSelector;
  }

  /** Whether an open consumer of this session reads {@code d}. */
  boolean hasConsumerOn(WarrenDestination d) {
    for (WarrenMessageConsumer c : consumers) {
      if (c.destination().equals(d)) {
        return true;
      }
    }
    return false;
  }

  private WarrenMessageConsumer subscribe(
      WarrenDestination d, String queue, String selector, boolean noLocal, boolean topic)
      throws JMSException {
    return subscribe(d, queue, selector, noLocal, topic, false);
  }

  /**
   * @param exclusive whether the consumer must be the queue's only one (unshared durable
   *     subscriptions); the broker refuses it while another consumer exists, and refuses others
   *     while it is open
   */
  private WarrenMessageConsumer subscribe(
      WarrenDestination d,
      String queue,
      String selector,
      boolean noLocal,
      boolean topic,
      boolean exclusive)
      throws JMSException {
    WarrenMessageConsumer consumer =
        new WarrenMessageConsumer(this, d, queue, selector, noLocal && topic, !topic);
    if (exclusive) {
      consumer.exclusive();
    }
    consumers.add(consumer);
    consumer.start();
    return consumer;
  }

  void consumerClosed(WarrenMessageConsumer consumer) {
    consumers.remove(consumer);
  }

  /** Confirm mode of the channel and the asynchronous sends waiting for their confirm. */
  private final AsyncSends asyncSends = new AsyncSends(this);

  /**
   * Waits until every asynchronous send of this session is confirmed and its completion listener
   * has returned (Jakarta Messaging 7.3.5, for a producer's close).
   */
  void awaitAsyncSends() {
    asyncSends.awaitConfirmed();
    connection.awaitCompletions();
  }

  /** Puts the channel in confirm mode once (see {@link AsyncSends#ensureConfirms}). */
  void ensureConfirms() {
    asyncSends.ensureConfirms();
  }

  /** Registers the listener of the asynchronous send about to be published as {@code seq}. */
  void expectCompletion(
      long seq, jakarta.jms.CompletionListener listener, jakarta.jms.Message message) {
    asyncSends.expect(seq, listener, message);
  }

  // ---- acknowledgement and transactions ----

  /**
   * Records that the application now holds this delivery; acks it at once in AUTO and DUPS_OK modes
   * after the caller is done (see {@link #afterConsume}).
   */
  void beforeConsume(WarrenMessage message) {
    if (acksEachMessage()) {
      consuming = message.deliveryTag;
    } else {
      unacknowledged.add(message.deliveryTag);
    }
  }

  /**
   * Called when {@code receive} returns or a listener returns: acks in AUTO/DUPS_OK mode, unless
   * the listener called {@link #recover()}, which sent the message back for redelivery (Jakarta
   * Messaging 6.2.11).
   */
  void afterConsume(WarrenMessage message) throws JMSException {
    if (acksEachMessage()) {
      long tag = message.deliveryTag;
      if (consuming != tag) {
        return; // recovered: requeued, not to be acked
      }
      consuming = 0;
      try {
        channel.basicAck(tag, false);
      } catch (AmqpException e) {
        throw JmsExceptions.from("acknowledge message " + message.getJMSMessageID(), e);
      }
    }
  }

  /** Whether this session acknowledges each message as it is consumed (AUTO and DUPS_OK). */
  boolean acksEachMessage() {
    return sessionMode == Session.AUTO_ACKNOWLEDGE || sessionMode == Session.DUPS_OK_ACKNOWLEDGE;
  }

  /** Takes every delivery the application holds unacknowledged, oldest first. */
  private long[] drainConsumed() {
    if (acksEachMessage()) {
      long tag = consuming;
      consuming = 0;
      return tag == 0 ? new long[0] : new long[] {tag};
    }
    return unacknowledged.drain();
  }

  /**
   * {@code Message.acknowledge()}: acks everything consumed so far in CLIENT_ACKNOWLEDGE mode, or
   * only {@code message} in a session with individual acknowledgement ({@link
   * #enableIndividualAcknowledge()}).
   *
   * @param message the message whose {@code acknowledge()} was called; null for {@code
   *     JMSContext.acknowledge()}, which acks everything consumed
   */
  void acknowledgeFromMessage(WarrenMessage message) throws JMSException {
    checkOpen();
    if (sessionMode != Session.CLIENT_ACKNOWLEDGE) {
      return;
    }
    if (!individualAcknowledge || message == null) {
      ackAllConsumed("acknowledge");
      return;
    }
    long tag = takeConsumed(message);
    if (tag == 0) {
      return; // acknowledged before, or recovered
    }
    try {
      channel.basicAck(tag, false);
    } catch (AmqpException e) {
      throw JmsExceptions.from("acknowledge message " + message.getJMSMessageID(), e);
    }
  }

  /**
   * Takes one message's delivery tag out of the consumed, unacknowledged ones of an individually
   * acknowledging session; 0 if the message is not this session's or was settled already.
   */
  private long takeConsumed(jakarta.jms.Message message) {
    return message instanceof WarrenMessage m
            && m.session == this
            && unacknowledged.remove(m.deliveryTag)
        ? m.deliveryTag
        : 0;
  }

  /**
   * Makes {@code Message.acknowledge()} of this CLIENT_ACKNOWLEDGE session acknowledge that one
   * message only, as ActiveMQ's INDIVIDUAL_ACKNOWLEDGE mode does: for the resource adapter's
   * inbound sessions, whose listener hands each message to a work thread and may hold the next one
   * while the previous one is processed. Acknowledging everything consumed there would ack (or, in
   * an XA branch, tie to the branch's outcome) a message that has not been processed yet.
   */
  void enableIndividualAcknowledge() {
    if (sessionMode != Session.CLIENT_ACKNOWLEDGE) {
      throw new java.lang.IllegalStateException(
          "individual acknowledgement needs a CLIENT_ACKNOWLEDGE session");
    }
    individualAcknowledge = true;
  }

  /**
   * Returns one consumed, unacknowledged message of a session with individual acknowledgement to
   * its queue ({@code basic.reject} with requeue: it is delivered again, marked redelivered, after
   * the queue's redelivery delay if it has one); the other consumed messages stay as they are. A
   * message acknowledged or returned before is left alone.
   *
   * @throws IllegalStateException if the session is closed or does not acknowledge individually
   * @throws JMSException if the channel refuses the reject
   */
  public void requeue(jakarta.jms.Message message) throws JMSException {
    checkOpen();
    if (!individualAcknowledge) {
      throw new IllegalStateException(
          "requeue(Message) is for sessions that acknowledge individually; use recover()");
    }
    long tag = takeConsumed(message);
    if (tag == 0) {
      return;
    }
    try {
      channel.basicReject(tag, true);
    } catch (AmqpException e) {
      throw JmsExceptions.from("requeue message " + message.getJMSMessageID(), e);
    }
  }

  /**
   * Acks every consumed message; one that fails (a message of a lost connection settled in an XA
   * branch, which dooms the branch) does not keep the others from being acked, so that none stays
   * unacknowledged on the channel with nobody holding its tag; the first failure is thrown.
   */
  private void ackAllConsumed(String doing) throws JMSException {
    long[] tags = drainConsumed();
    AmqpException first = null;
    for (long tag : tags) {
      try {
        channel.basicAck(tag, false);
      } catch (AmqpException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw JmsExceptions.from(doing, first);
    }
  }

  private void requeueAllConsumed(String doing) throws JMSException {
    long[] tags = drainConsumed();
    try {
      for (long tag : tags) {
        channel.basicReject(tag, true);
      }
    } catch (AmqpException e) {
      throw JmsExceptions.from(doing, e);
    }
  }

  @Override
  public boolean getTransacted() throws JMSException {
    checkOpen();
    return sessionMode == Session.SESSION_TRANSACTED || inXaBranch();
  }

  @Override
  public int getAcknowledgeMode() throws JMSException {
    checkOpen();
    return inXaBranch() ? Session.SESSION_TRANSACTED : sessionMode;
  }

  /**
   * Commits the sends and receives of the current transaction ({@code tx.commit}).
   *
   * @throws IllegalStateException if the session is not transacted
   * @throws jakarta.jms.TransactionInProgressException if it is in an XA transaction
   */
  @Override
  public void commit() throws JMSException {
    checkOpen();
    checkNotInXaBranch("commit()");
    if (sessionMode != Session.SESSION_TRANSACTED) {
      throw new IllegalStateException("commit() on a session that is not transacted");
    }
    connection.checkNotInCompletionListener("Session.commit");
    connection.awaitCompletions();
    long[] tags = drainConsumed();
    if (channel instanceof RecoverableChannel r && transactionLost(r, tags)) {
      throw rollBackAfterLoss(tags);
    }
    try {
      for (long tag : tags) {
        channel.basicAck(tag, false);
      }
      channel.txCommit();
    } catch (AmqpException e) {
      if (channel instanceof RecoverableChannel r && r.takeTransactionLost()) {
        throw rollBackAfterLoss(tags);
      }
      throw JmsExceptions.from("commit", e);
    }
  }

  /**
   * Whether the transaction lost part of its work with a lost connection (a reconnecting transport,
   * {@link RecoverableChannel}): publishes that went to the lost connection, or a message consumed
   * from it.
   */
  private static boolean transactionLost(RecoverableChannel r, long[] tags) {
    boolean lost = r.takeTransactionLost();
    for (long tag : tags) {
      lost |= r.isStale(tag);
    }
    return lost;
  }

  /**
   * Rolls back what the transaction did on the new connection (its publishes; its consumed messages
   * go back to their queues), as {@link #rollback()}; the broker rolled back the part on the lost
   * connection (Jakarta Messaging 6.2.13: {@code commit} throws {@code
   * TransactionRolledBackException} when the transaction was rolled back).
   */
  private jakarta.jms.TransactionRolledBackException rollBackAfterLoss(long[] tags) {
    try {
      channel.txRollback();
      for (long tag : tags) {
        channel.basicReject(tag, true); // stale tags are dropped by the channel
      }
      channel.txCommit();
    } catch (AmqpException e) {
      System.getLogger(WarrenSession.class.getName())
          .log(
              System.Logger.Level.DEBUG,
              "rolling back after a lost connection failed: {0}",
              e.getMessage());
    }
    return new jakarta.jms.TransactionRolledBackException(
        "the transaction was rolled back: the connection to the broker was lost and reopened"
            + " during it; its messages will be redelivered and its sends were discarded");
  }

  /**
   * Rolls back: discards the transaction's sends and returns its consumed messages to their queues,
   * marked redelivered.
   *
   * @throws IllegalStateException if the session is not transacted
   * @throws jakarta.jms.TransactionInProgressException if it is in an XA transaction
   */
  @Override
  public void rollback() throws JMSException {
    checkOpen();
    checkNotInXaBranch("rollback()");
    if (sessionMode != Session.SESSION_TRANSACTED) {
      throw new IllegalStateException("rollback() on a session that is not transacted");
    }
    connection.checkNotInCompletionListener("Session.rollback");
    try {
      channel.txRollback();
      requeueAllConsumed("roll back");
      // Requeues made inside tx mode are applied by a commit of their own.
      channel.txCommit();
    } catch (AmqpException e) {
      throw JmsExceptions.from("roll back", e);
    }
  }

  /**
   * Redelivers every message consumed and not acknowledged (Jakarta Messaging 6.2.10).
   *
   * @throws IllegalStateException if the session is transacted
   */
  @Override
  public void recover() throws JMSException {
    checkOpen();
    if (sessionMode == Session.SESSION_TRANSACTED) {
      throw new IllegalStateException("recover() on a transacted session; use rollback()");
    }
    requeueAllConsumed("recover");
  }

  // ---- listeners ----

  @Override
  public MessageListener getMessageListener() throws JMSException {
    checkOpen();
    throw JmsExceptions.notSupported("a session's distinguished MessageListener");
  }

  @Override
  public void setMessageListener(MessageListener listener) throws JMSException {
    checkOpen();
    throw JmsExceptions.notSupported("a session's distinguished MessageListener");
  }

  @Override
  public void run() {
    throw new UnsupportedOperationException(
        "Session.run() belongs to the optional application server facilities, not offered");
  }

  /**
   * Delivers buffered messages to the message listeners of this session's consumers, one at a time,
   * while the connection is started. Called by the transport's thread after a delivery and by
   * {@link WarrenConnection#start()}.
   */
  void dispatchToListeners() {
    if (!connection.isStarted() || closed) {
      return;
    }
    listenerLock.lock();
    try {
      for (WarrenMessageConsumer c : consumers) {
        c.drainToListener();
      }
    } finally {
      listenerLock.unlock();
    }
  }

  /**
   * Hands {@code delivery} straight to {@code consumer}'s listener, without its buffer, when that
   * keeps the order (see {@link WarrenMessageConsumer#deliverDirectlyLocked}); one listener of the
   * session runs at a time, as with {@link #dispatchToListeners()}. Called on the delivering
   * thread.
   *
   * @return false if the delivery must be buffered instead
   */
  boolean deliverDirectly(WarrenMessageConsumer consumer, Delivery delivery) {
    if (!connection.isStarted() || closed) {
      return false;
    }
    listenerLock.lock();
    try {
      return consumer.deliverDirectlyLocked(delivery);
    } finally {
      listenerLock.unlock();
    }
  }

  /** Returns once no listener of this session is running. */
  void awaitListenerIdle() {
    if (listenerLock.isHeldByCurrentThread()) {
      return;
    }
    listenerLock.lock();
    listenerLock.unlock();
  }

  /**
   * Closes the consumers and the channel: a transaction in progress rolls back, and messages not
   * acknowledged return to their queues, marked redelivered (Jakarta Messaging 6.2.15). An XA
   * session's channel associated with a branch stays open until the XAResource's {@code end}.
   * Idempotent.
   *
   * @throws IllegalStateException if called from a message listener of this session (Jakarta
   *     Messaging 6.2.15 allows either failing or closing; this provider fails and the session
   *     stays open) or from a completion listener of its connection's sends (7.3.5)
   */
  @Override
  public void close() throws JMSException {
    connection.checkNotInCompletionListener("Session.close");
    if (closed) {
      return;
    }
    if (inMessageListener()) {
      throw new IllegalStateException("Session.close must not be called from its MessageListener");
    }
    for (WarrenMessageConsumer c : consumers) {
      c.close();
    }
    asyncSends.awaitConfirmed();
    connection.awaitCompletions();
    closed = true;
    awaitListenerIdle();
    drainConsumed(); // the channel's close returns them to their queues
    WarrenXAResource xa = xaResource;
    if (xa == null || !xa.deferCloseUntilEnd()) {
      releaseChannel(); // else released by the XAResource's end, which the TM still has to call
    }
    connection.sessionClosed(this);
  }

  boolean isClosed() {
    return closed;
  }
}
