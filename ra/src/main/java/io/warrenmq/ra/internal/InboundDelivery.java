package io.warrenmq.ra.internal;

import io.warrenmq.jms.WarrenSession;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;

/** Delivery of one message to a message endpoint as a {@link Work} item. */
final class InboundDelivery implements Work {
  private static final System.Logger LOG = System.getLogger(InboundDelivery.class.getName());

  private static final Method ON_MESSAGE;

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
    try {
      if (deliver()) {
        message.acknowledge();
      } else {
        owner.session.recover();
      }
    } catch (JMSException e) {
      LOG.log(Level.ERROR, "could not settle a message after delivery to an endpoint", e);
    } finally {
      owner.inFlight.exit();
    }
  }

  /**
   * beforeDelivery, onMessage, afterDelivery: afterDelivery is called exactly when beforeDelivery
   * succeeded (Jakarta Connectors 2.1, 13.5.6).
   *
   * @return whether the endpoint processed the message and its transaction (if any) completed
   */
  private boolean deliver() {
    MessageEndpoint endpoint;
    try {
      endpoint = owner.endpoint();
    } catch (ResourceException e) {
      LOG.log(Level.WARNING, "message endpoint unavailable; the message will be redelivered", e);
      return false;
    }
    try {
      endpoint.beforeDelivery(ON_MESSAGE);
    } catch (NoSuchMethodException | ResourceException e) {
      LOG.log(Level.ERROR, "beforeDelivery failed; the message will be redelivered", e);
      return false;
    }
    boolean processed = false;
    try {
      ((MessageListener) endpoint).onMessage(message);
      processed = true;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the message endpoint threw; the message will be redelivered", e);
    } finally {
      try {
        endpoint.afterDelivery();
      } catch (ResourceException e) {
        LOG.log(Level.WARNING, "afterDelivery failed; the message will be redelivered", e);
        processed = false;
      }
    }
    return processed;
  }

  @Override
  public void release() {
    // Delivery of one message is short; nothing to interrupt.
  }

  /**
   * One inbound session's listener: hands each message to the work manager and returns at once.
   * Owns the session's message endpoint, created on first use and reused serially.
   */
  static final class SessionEndpoint implements MessageListener {
    private final WarrenSession session;
    private final MessageEndpointFactory factory;
    private final WorkManager workManager;
    private final InFlight inFlight;
    private MessageEndpoint endpoint;

    SessionEndpoint(
        WarrenSession session,
        MessageEndpointFactory factory,
        WorkManager workManager,
        InFlight inFlight) {
      this.session = session;
      this.factory = factory;
      this.workManager = workManager;
      this.inFlight = inFlight;
    }

    synchronized MessageEndpoint endpoint() throws ResourceException {
      if (endpoint == null) {
        endpoint = factory.createEndpoint(null);
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
      try {
        workManager.scheduleWork(new InboundDelivery(this, message));
      } catch (WorkException e) {
        inFlight.exit();
        LOG.log(Level.WARNING, "the work manager refused a delivery; it will be redelivered", e);
        try {
          session.recover();
        } catch (JMSException re) {
          LOG.log(Level.ERROR, "could not return a refused delivery to its queue", re);
        }
      }
    }
  }
}
