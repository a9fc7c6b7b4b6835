package io.warrenmq.ra.internal;

import io.warrenmq.jms.WarrenConnection;
import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.jms.WarrenDestination;
import io.warrenmq.jms.WarrenMessageConsumer;
import io.warrenmq.jms.WarrenQueue;
import io.warrenmq.jms.WarrenSession;
import io.warrenmq.jms.WarrenTopic;
import io.warrenmq.jms.WarrenXASession;
import io.warrenmq.ra.WarrenActivationSpec;
import jakarta.jms.JMSException;
import jakarta.jms.Topic;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * One MDB's subscription: a JMS connection with {@code maxSession} sessions, each with one consumer
 * and its own endpoint, delivering one message at a time through the {@code WorkManager} (Jakarta
 * Connectors 2.1, 13.5).
 *
 * <p>Flow: the engine pushes at most one unacknowledged message to each session (prefetch 1); the
 * session's listener hands it to a {@link InboundDelivery} work item and returns, so no engine
 * dispatch thread waits on the application; the work calls {@code beforeDelivery}, {@code
 * onMessage}, {@code afterDelivery} and then acknowledges, or on failure returns the message to its
 * queue (redelivered, a session recover), or after {@code maxDeliveryAttempts} failed deliveries
 * moves it to {@code deadLetterQueue}. Concurrency is therefore at most {@code maxSession}.
 *
 * <p>Transacted delivery ({@code isDeliveryTransacted(onMessage)} true, e.g. a container-managed
 * MDB with REQUIRED): each session is a client-acknowledge XA session and its XAResource is passed
 * to {@code createEndpoint}; the container enlists it in {@code beforeDelivery}, the message is
 * acknowledged inside that branch, so a rollback (exception or setRollbackOnly) returns it to its
 * queue, redelivered with a higher {@code JMSXDeliveryCount}. A message received after {@code
 * maxDeliveryAttempts} failed deliveries is sent to {@code deadLetterQueue} and acknowledged in one
 * branch, without calling {@code onMessage}.
 *
 * <p>{@code redeliveryDelay} (ms, default 0) applies to both paths, and the broker applies it: the
 * activation's connection comes from {@link WarrenConnectionFactory#withRedeliveryDelay}, so each
 * consumer passes {@code x-redelivery-delay} and a message that comes back through a failure (the
 * session recover, or the rollback of the container's transaction through the session's XAResource)
 * is held by its queue for the delay before any session of the MDB, or any other consumer, can take
 * it again (ActiveMQ Artemis' {@code redelivery-delay}). No adapter thread or timer waits, and the
 * session that failed takes other messages meanwhile. Messages returned when the activation stops
 * (its connection closes) come back at once.
 *
 * <p>Topics: all sessions share one subscription queue (a shared non-durable subscription named
 * after this activation, or the durable subscription {@code subscriptionName}), so each message
 * reaches the MDB once.
 *
 * <p>Selectors: {@code messageSelector} is passed to every consumer (queue) or to the shared
 * subscription (topic), so the broker delivers only matching messages.
 *
 * <p>Reconnection: the connection has an {@code ExceptionListener}; when the broker connection
 * drops (a remote broker restarts, the network fails) a thread of this activation ({@code
 * warrenmq-ra-reconnect-<activation>}) waits for deliveries in progress (their acknowledgements
 * fail, so their messages come back redelivered; a transacted delivery's branch cannot commit),
 * closes the old connection and opens a new one with the same sessions and consumers, retrying with
 * a bounded exponential back-off: {@value #FIRST_RETRY_MS} ms before the first attempt, doubling,
 * at most {@value #MAX_RETRY_MS} ms between attempts, until it succeeds or {@link #stop()} is
 * called. A message is acknowledged at most once: an acknowledgement sent on the lost connection
 * either reached the broker (the message is gone) or did not (the broker redelivers it).
 *
 * <p>Thread-safety: {@link #start()} and {@link #stop()} are called by the adapter, once each;
 * reconnection runs on its own thread and is ended by {@link #stop()}.
 */
public final class EndpointActivation {
  private static final System.Logger LOG = System.getLogger(EndpointActivation.class.getName());

  /** How long {@link #stop()} waits for deliveries in progress, in ms. */
  private static final long STOP_TIMEOUT_MS = 30_000;

  /** Wait before the first reconnection attempt, in ms. */
  public static final long FIRST_RETRY_MS = 100;

  /** The longest wait between two reconnection attempts, in ms. */
  public static final long MAX_RETRY_MS = 5_000;

  private final WarrenConnectionFactory connectionFactory;
  private final WorkManager workManager;
  private final jakarta.transaction.TransactionSynchronizationRegistry tsr;
  private final MessageEndpointFactory factory;
  private final WarrenActivationSpec spec;
  private final List<InboundDelivery.SessionEndpoint> sessions = new ArrayList<>();
  private final InFlight inFlight = new InFlight();
  private WarrenConnection connection;
  private WarrenDestination destination;
  private final String subscription = "mdb-" + UUID.randomUUID();
  private final Object lock = new Object();
  private boolean stopping;
  private Thread reconnector;
  private boolean lostAgain;
  private final java.util.Map<String, String> lastFailures =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param connectionFactory the adapter's JMS connection factory (prefetch 1)
   * @param workManager the container's work manager, runs every delivery
   * @param factory the MDB's endpoint factory
   * @param spec a validated activation spec
   * @param tsr the container's registry, marks a transacted delivery rollback-only when onMessage
   *     throws; null if the container offers none
   */
  public EndpointActivation(
      WarrenConnectionFactory connectionFactory,
      WorkManager workManager,
      MessageEndpointFactory factory,
      WarrenActivationSpec spec,
      jakarta.transaction.TransactionSynchronizationRegistry tsr) {
    this.connectionFactory = connectionFactory;
    this.workManager = workManager;
    this.tsr = tsr;
    this.factory = factory;
    this.spec = spec;
  }

  /**
   * Opens the connection, sessions and consumers and starts delivery.
   *
   * @throws ResourceException with the JMS or naming cause attached if the subscription cannot be
   *     made; nothing stays open then
   */
  public void start() throws ResourceException {
    destination = resolveDestination();
    try {
      open();
    } catch (JMSException e) {
      throw new ResourceException(
          "cannot subscribe message endpoint "
              + factory.getActivationName()
              + " to "
              + destination.toUri()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The activation's broker as log lines name it: its URL without the password, or the adapter's.
   */
  private String brokerDescription() {
    String url = spec.getConnectionURL();
    return url == null || url.isBlank()
        ? "the adapter's broker"
        : io.warrenmq.client.Passwords.mask(url.trim());
  }

  /**
   * Opens a connection with {@code maxSession} sessions and consumers and starts it; on failure
   * closes what it opened.
   */
  private void open() throws JMSException {
    WarrenConnectionFactory cf = connectionFactory.withRedeliveryDelay(spec.getRedeliveryDelay());
    // the activation's own login (ActivationSpec user/password) wins over the URL's
    WarrenConnection c =
        spec.hasUser()
            ? cf.createConnection(spec.getUser(), spec.getPassword())
            : cf.createConnection();
    List<InboundDelivery.SessionEndpoint> opened = new ArrayList<>();
    try {
      if (spec.getClientId() != null && !spec.getClientId().isBlank()) {
        c.setClientID(spec.getClientId());
      }
      String selector = spec.getMessageSelector();
      if (selector != null && selector.isBlank()) {
        selector = null;
      }
      boolean transacted = isDeliveryTransacted();
      // completes a prepared branch on a new connection if this one is lost before its commit or
      // rollback (BranchCompletion); the same login as this connection
      BranchCompletion completion =
          new BranchCompletion(
              () ->
                  spec.hasUser()
                      ? connectionFactory.createConnection(spec.getUser(), spec.getPassword())
                      : connectionFactory.createConnection(),
              brokerDescription(),
              BranchCompletion.DEFAULT_WAIT_MILLIS);
      for (int i = 0; i < spec.getMaxSession(); i++) {
        // individual acknowledgement: a session's listener may hold the next message while a work
        // thread processes the previous one, which acknowledging "all consumed" would also settle
        WarrenXASession xaSession = transacted ? c.createIndividualAcknowledgeXASession() : null;
        WarrenSession session =
            transacted ? xaSession.getSession() : c.createIndividualAcknowledgeSession();
        WarrenMessageConsumer consumer;
        if (!destination.isTopic()) {
          consumer = session.createConsumer(destination, selector);
        } else if (spec.isDurable()) {
          consumer =
              session.createSharedDurableConsumer(
                  (Topic) destination, spec.getSubscriptionName(), selector);
        } else {
          consumer = session.createSharedConsumer((Topic) destination, subscription, selector);
        }
        InboundDelivery.SessionEndpoint endpoint =
            new InboundDelivery.SessionEndpoint(
                session, xaSession, completion, tsr, factory, workManager, inFlight, redelivery());
        opened.add(endpoint);
        consumer.setMessageListener(endpoint);
      }
      c.setExceptionListener(e -> connectionLost(c, e));
      synchronized (lock) {
        if (stopping) {
          throw new JMSException("the message endpoint is being deactivated");
        }
        connection = c;
        sessions.addAll(opened);
      }
      c.start();
      LOG.log(
          Level.INFO,
          "Delivering {0} to message endpoint {1} with {2} sessions",
          destination.toUri(),
          factory.getActivationName(),
          spec.getMaxSession());
    } catch (JMSException | RuntimeException e) {
      synchronized (lock) {
        if (connection == c) {
          connection = null;
          sessions.removeAll(opened);
        }
      }
      closeQuietly(c);
      for (InboundDelivery.SessionEndpoint s : opened) {
        s.release();
      }
      throw e;
    }
  }

  /** The connection's ExceptionListener: starts the reconnection thread, once at a time. */
  private void connectionLost(WarrenConnection lost, JMSException cause) {
    synchronized (lock) {
      if (stopping || lost != connection) {
        return; // deactivated, or a late report of a connection already replaced
      }
      if (reconnector != null) {
        lostAgain = true; // the connection the reconnector just opened failed: once more
        return;
      }
      LOG.log(
          Level.WARNING,
          "Message endpoint {0} lost its broker connection ({1}); reconnecting with back-off {2}"
              + " ms doubling to {3} ms",
          factory.getActivationName(),
          cause.getMessage(),
          String.valueOf(FIRST_RETRY_MS),
          String.valueOf(MAX_RETRY_MS));
      reconnector = new Thread(this::reconnect, "warrenmq-ra-reconnect-" + activationName());
      reconnector.setDaemon(true);
      reconnector.start();
    }
  }

  private String activationName() {
    try {
      return String.valueOf(factory.getActivationName());
    } catch (RuntimeException e) {
      return "endpoint";
    }
  }

  private void reconnect() {
    try {
      while (true) {
        tearDown(false);
        synchronized (lock) {
          lostAgain = false;
        }
        if (!openWithBackOff()) {
          return; // stopped
        }
        synchronized (lock) {
          if (!lostAgain || stopping) {
            reconnector = null;
            return;
          }
        }
      }
    } finally {
      synchronized (lock) {
        reconnector = null;
      }
    }
  }

  /** Opens anew with back-off; false if stopped first. */
  private boolean openWithBackOff() {
    long delay = FIRST_RETRY_MS;
    int attempt = 0;
    while (true) {
      synchronized (lock) {
        if (stopping) {
          return false;
        }
      }
      try {
        Thread.sleep(delay); // the back-off itself, not waiting for an outcome
      } catch (InterruptedException e) {
        return false; // stop() interrupts
      }
      attempt++;
      try {
        open();
        LOG.log(
            Level.INFO,
            "Message endpoint {0} reconnected after {1} attempt(s)",
            factory.getActivationName(),
            attempt);
        return true;
      } catch (JMSException | RuntimeException e) {
        delay = Math.min(delay * 2, MAX_RETRY_MS);
        LOG.log(
            attempt == 1 ? Level.WARNING : Level.DEBUG,
            "Message endpoint {0}: reconnection attempt {1} failed: {2}; next in {3} ms",
            factory.getActivationName(),
            attempt,
            e.getMessage(),
            String.valueOf(delay));
      }
    }
  }

  private static void closeQuietly(WarrenConnection c) {
    try {
      c.close();
    } catch (JMSException | RuntimeException e) {
      LOG.log(Level.DEBUG, "closing the endpoint connection: {0}", e.getMessage());
    }
  }

  private boolean isDeliveryTransacted() throws JMSException {
    try {
      return factory.isDeliveryTransacted(InboundDelivery.ON_MESSAGE);
    } catch (NoSuchMethodException e) {
      throw new JMSException("the endpoint has no onMessage(Message): " + e.getMessage());
    }
  }

  private InboundDelivery.Redelivery redelivery() {
    return new InboundDelivery.Redelivery(
        spec.getMaxDeliveryAttempts(), spec.getDeadLetterQueue(), lastFailures);
  }

  private WarrenDestination resolveDestination() throws ResourceException {
    String lookup = spec.getDestinationLookup();
    if (lookup != null && !lookup.isBlank()) {
      Object found;
      try {
        found = new InitialContext().lookup(lookup);
      } catch (NamingException e) {
        throw new ResourceException(
            "ActivationSpec property 'destinationLookup': cannot look up '" + lookup + "'", e);
      }
      if (found instanceof WarrenDestination d && d.isTopic() == spec.isTopic()) {
        return d;
      }
      throw new ResourceException(
          "ActivationSpec property 'destinationLookup': '"
              + lookup
              + "' is a "
              + (found == null ? "null" : found.getClass().getName())
              + ", not a WarrenMQ "
              + spec.getDestinationType());
    }
    return spec.isTopic()
        ? new WarrenTopic(spec.getDestination())
        : new WarrenQueue(spec.getDestination());
  }

  /**
   * Stops delivery: no new message starts, deliveries in progress finish (up to 30 s), then the
   * connection closes and unacknowledged messages return to their queue.
   */
  public void stop() {
    Thread r;
    synchronized (lock) {
      stopping = true;
      r = reconnector;
    }
    if (r != null) {
      r.interrupt();
      try {
        r.join(STOP_TIMEOUT_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    tearDown(true);
  }

  /**
   * Closes the current connection after deliveries in progress end (up to 30 s), then releases the
   * endpoints. {@code graceful}: stop the connection first so no new message starts (skipped after
   * a lost connection, where nothing can arrive).
   */
  private void tearDown(boolean graceful) {
    WarrenConnection c;
    List<InboundDelivery.SessionEndpoint> old;
    synchronized (lock) {
      c = connection;
      connection = null;
      old = new ArrayList<>(sessions);
      sessions.clear();
    }
    if (c == null) {
      return;
    }
    if (graceful) {
      try {
        c.stop();
      } catch (JMSException | RuntimeException e) {
        LOG.log(Level.DEBUG, "stopping the endpoint connection: {0}", e.getMessage());
      }
    }
    if (!inFlight.awaitIdle(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      LOG.log(
          Level.WARNING,
          "Message endpoint {0}: deliveries still running after {1} ms; closing anyway, their"
              + " messages will be redelivered",
          factory.getActivationName(),
          STOP_TIMEOUT_MS);
    }
    closeQuietly(c);
    for (InboundDelivery.SessionEndpoint s : old) {
      s.release();
    }
  }
}
