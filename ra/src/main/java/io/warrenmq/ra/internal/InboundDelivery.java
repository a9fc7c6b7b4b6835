package io.warrenmq.ra.internal;

import io.warrenmq.jms.WarrenDestination;
import io.warrenmq.jms.WarrenQueue;
import io.warrenmq.jms.WarrenSession;
import io.warrenmq.ra.WarrenActivationSpec;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Delivery of one message to a message endpoint as a {@link Work} item.
 *
 * <p>After a failed delivery the message returns to its queue (redelivered, its delivery count one
 * higher): a session recover (non-transacted) or the rollback of the container's transaction
 * (transacted). The broker holds it there for {@code redeliveryDelay} ms before any session may
 * take it again: the activation's connections pass the delay as the consumer argument {@code
 * x-redelivery-delay} ({@link io.warrenmq.jms.WarrenConnectionFactory#withRedeliveryDelay}), so no
 * thread or timer of the adapter waits. The failed delivery that reaches {@link
 * Redelivery#maxAttempts()} moves it to the dead-letter queue instead: a copy is sent there on the
 * session, then the original is acknowledged. A crash between the two leaves the message in both
 * queues (at least once), never in neither.
 */
final class InboundDelivery implements Work {
  private static final System.Logger LOG = System.getLogger(InboundDelivery.class.getName());

  static final Method ON_MESSAGE;

  static {
    try {
      ON_MESSAGE = MessageListener.class.getMethod("onMessage", Message.class);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final SessionEndpoint owner;
  private final Message message;

  private InboundDelivery(SessionEndpoint owner, Message message) {
    this.owner = owner;
    this.message = message;
  }

  @Override
  public void run() {
    if (owner.xaSession != null) {
      try {
        runTransacted();
      } finally {
        owner.done();
        owner.inFlight.exit();
      }
      return;
    }
    try {
      String failure = deliver();
      if (failure == null) {
        message.acknowledge();
      } else if (deliveryCount() >= owner.redelivery.maxAttempts()) {
        deadLetter(failure);
        message.acknowledge();
      } else {
        owner.session.requeue(message); // the broker holds it for the redelivery delay
      }
    } catch (JMSException e) {
      LOG.log(Level.ERROR, "could not settle a message after delivery to an endpoint", e);
    } finally {
      owner.done();
      owner.inFlight.exit();
    }
  }

  /**
   * Transacted delivery: beforeDelivery (the container starts a transaction and enlists the
   * session's XAResource), acknowledge inside the branch, onMessage, afterDelivery (commit or
   * rollback). A message past maxDeliveryAttempts is dead-lettered in the branch instead.
   */
  private void runTransacted() {
    Redelivery r = owner.redelivery;
    String key = messageKey();
    MessageEndpoint endpoint;
    try {
      endpoint = owner.endpoint();
      endpoint.beforeDelivery(ON_MESSAGE);
    } catch (NoSuchMethodException | ResourceException e) {
      LOG.log(Level.ERROR, "beforeDelivery failed; the message will be redelivered", e);
      recover();
      return;
    }
    String failure = null;
    boolean deadLettered = false;
    try {
      if (deliveryCount() > r.maxAttempts()) {
        String last = key == null ? null : r.lastFailures().get(key);
        deadLetter(last == null ? "(not recorded)" : last);
        deadLettered = true;
        message.acknowledge();
      } else {
        message.acknowledge(); // in the branch: a rollback returns the message
        ((MessageListener) endpoint).onMessage(message);
      }
    } catch (JMSException e) {
      failure = "acknowledging in the transaction failed: " + e;
      LOG.log(Level.WARNING, "transacted delivery failed; the message will be redelivered", e);
      markRollbackOnly();
    } catch (RuntimeException e) {
      failure = "onMessage threw " + e;
      LOG.log(Level.WARNING, "the message endpoint threw; the message will be redelivered", e);
      markRollbackOnly();
    } finally {
      try {
        endpoint.afterDelivery();
      } catch (ResourceException e) {
        LOG.log(Level.WARNING, "afterDelivery failed; the message will be redelivered", e);
        if (failure == null) {
          failure = "afterDelivery failed: " + e;
        }
        deadLettered = false;
      }
    }
    if (key != null) {
      if (failure == null || deadLettered) {
        r.lastFailures().remove(key);
      } else {
        if (r.lastFailures().size() > 10_000) {
          r.lastFailures().clear();
        }
        r.lastFailures().put(key, failure);
      }
    }
  }

  private void markRollbackOnly() {
    jakarta.transaction.TransactionSynchronizationRegistry tsr = owner.tsr;
    if (tsr != null) {
      try {
        tsr.setRollbackOnly();
      } catch (RuntimeException e) {
        LOG.log(Level.DEBUG, "setRollbackOnly: {0}", e.getMessage());
      }
    }
  }

  private void recover() {
    try {
      owner.session.requeue(message);
    } catch (JMSException e) {
      LOG.log(Level.ERROR, "could not return a failed delivery to its queue", e);
    }
  }

  private String messageKey() {
    try {
      return message.getJMSMessageID();
    } catch (JMSException e) {
      return null;
    }
  }

  private int deliveryCount() {
    try {
      return message.getIntProperty("JMSXDeliveryCount");
    } catch (JMSException | NumberFormatException e) {
      return 1;
    }
  }

  /** Sends a copy of the message, with the reason, to the dead-letter queue. */
  private void deadLetter(String failure) throws JMSException {
    Redelivery r = owner.redelivery;
    Destination origin = message.getJMSDestination();
    String originalId = message.getJMSMessageID();
    List<String> names = new ArrayList<>();
    for (Object n : Collections.list(message.getPropertyNames())) {
      names.add((String) n);
    }
    List<Object> values = new ArrayList<>();
    for (String n : names) {
      values.add(message.getObjectProperty(n));
    }
    message.clearProperties();
    for (int i = 0; i < names.size(); i++) {
      if (!names.get(i).startsWith("JMSX")) {
        message.setObjectProperty(names.get(i), values.get(i));
      }
    }
    String reason =
        "maxDeliveryAttempts (" + r.maxAttempts() + ") deliveries failed; last: " + failure;
    message.setStringProperty(WarrenActivationSpec.DEAD_LETTER_REASON, reason);
    message.setStringProperty(
        WarrenActivationSpec.DEAD_LETTER_ORIGIN,
        origin instanceof WarrenDestination d ? d.toUri() : String.valueOf(origin));
    try (MessageProducer producer = owner.session.createProducer(new WarrenQueue(r.queue()))) {
      producer.send(message, message.getJMSDeliveryMode(), message.getJMSPriority(), 0);
    }
    // Both IDs: the failed message's (the one the application and its sender know) and its
    // dead-letter copy's (a new JMSMessageID, the one to look for in the dead-letter queue).
    LOG.log(
        Level.WARNING,
        "Message {0} from {1} moved to dead-letter queue {2} as {3}: {4}",
        originalId,
        origin,
        r.queue(),
        message.getJMSMessageID(),
        reason);
  }

  /**
   * beforeDelivery, onMessage, afterDelivery: afterDelivery is called exactly when beforeDelivery
   * succeeded (Jakarta Connectors 2.1, 13.5.6).
   *
   * @return null if the endpoint processed the message and its transaction (if any) completed, else
   *     what failed
   */
  private String deliver() {
    MessageEndpoint endpoint;
    try {
      endpoint = owner.endpoint();
    } catch (ResourceException e) {
      LOG.log(Level.WARNING, "message endpoint unavailable; the message will be redelivered", e);
      return "message endpoint unavailable: " + e;
    }
    try {
      endpoint.beforeDelivery(ON_MESSAGE);
    } catch (NoSuchMethodException | ResourceException e) {
      LOG.log(Level.ERROR, "beforeDelivery failed; the message will be redelivered", e);
      return "beforeDelivery failed: " + e;
    }
    String failure = null;
    try {
      ((MessageListener) endpoint).onMessage(message);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the message endpoint threw; the message will be redelivered", e);
      failure = "onMessage threw " + e;
    } finally {
      try {
        endpoint.afterDelivery();
      } catch (ResourceException e) {
        LOG.log(Level.WARNING, "afterDelivery failed; the message will be redelivered", e);
        if (failure == null) {
          failure = "afterDelivery failed: " + e;
        }
      }
    }
    return failure;
  }

  @Override
  public void release() {
    // Delivery of one message is short; nothing to interrupt.
  }

  /**
   * What happens after a failed delivery.
   *
   * <p>The redelivery delay is not here: the broker applies it (see the class comment).
   *
   * @param maxAttempts deliveries before dead-lettering, at least 1
   * @param queue the dead-letter queue's name
   * @param lastFailures transacted delivery: the last failure of a message, by JMSMessageID, for
   *     the dead-letter reason
   */
  record Redelivery(int maxAttempts, String queue, java.util.Map<String, String> lastFailures) {}

  /**
   * One inbound session's listener: hands each message to the work manager and returns at once.
   * Owns the session's message endpoint, created on first use and reused serially.
   */
  static final class SessionEndpoint implements MessageListener {
    private final WarrenSession session;
    private final io.warrenmq.jms.WarrenXASession xaSession;
    private final BranchCompletion completion;
    private final jakarta.transaction.TransactionSynchronizationRegistry tsr;
    private final MessageEndpointFactory factory;
    private final WorkManager workManager;
    private final InFlight inFlight;
    private final Redelivery redelivery;
    private MessageEndpoint endpoint;

    /** Messages that arrived while a delivery of this session was running (one at most). */
    private final java.util.ArrayDeque<Message> pending = new java.util.ArrayDeque<>();

    private boolean busy;

    SessionEndpoint(
        WarrenSession session,
        io.warrenmq.jms.WarrenXASession xaSession,
        BranchCompletion completion,
        jakarta.transaction.TransactionSynchronizationRegistry tsr,
        MessageEndpointFactory factory,
        WorkManager workManager,
        InFlight inFlight,
        Redelivery redelivery) {
      this.session = session;
      this.xaSession = xaSession;
      this.completion = completion;
      this.tsr = tsr;
      this.factory = factory;
      this.workManager = workManager;
      this.inFlight = inFlight;
      this.redelivery = redelivery;
    }

    synchronized MessageEndpoint endpoint() throws ResourceException {
      if (endpoint == null) {
        endpoint =
            factory.createEndpoint(
                xaSession == null
                    ? null
                    : new InboundXAResource(xaSession.getXAResource(), completion));
      }
      return endpoint;
    }

    synchronized void release() {
      if (endpoint != null) {
        endpoint.release();
        endpoint = null;
      }
    }

    @Override
    public void onMessage(Message message) {
      inFlight.enter();
      synchronized (pending) {
        if (busy) {
          pending.add(message);
          return;
        }
        busy = true;
      }
      schedule(message);
    }

    /**
     * Called when a delivery of this session ended: starts the next one, if a message arrived
     * meanwhile. Transacted delivery acknowledges inside the branch before {@code afterDelivery},
     * so the broker may push the next message before the endpoint is free again.
     */
    void done() {
      Message next;
      synchronized (pending) {
        next = pending.poll();
        if (next == null) {
          busy = false;
          return;
        }
      }
      schedule(next);
    }

    private void schedule(Message message) {
      try {
        workManager.scheduleWork(new InboundDelivery(this, message));
      } catch (WorkException e) {
        inFlight.exit();
        LOG.log(Level.WARNING, "the work manager refused a delivery; it will be redelivered", e);
        try {
          session.requeue(message);
        } catch (JMSException re) {
          LOG.log(Level.ERROR, "could not return a refused delivery to its queue", re);
        }
        done();
      }
    }
  }
}
