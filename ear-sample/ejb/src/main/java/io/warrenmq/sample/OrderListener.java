package io.warrenmq.sample;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;

/**
 * Consumes the queue {@code orders} through the server's default resource adapter for MDBs (the
 * WarrenMQ RA) and records each order id in the {@link OrderLedger}.
 *
 * <p>Thread-safety: the container runs up to {@code maxSession} instances in parallel, one message
 * per instance at a time; the ledger is safe for that.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(propertyName = "destination", propertyValue = "orders"),
      @ActivationConfigProperty(
          propertyName = "destinationType",
          propertyValue = "jakarta.jms.Queue")
    })
public class OrderListener implements MessageListener {

  @EJB private OrderLedger ledger;

  /**
   * Records the order carried by {@code message}.
   *
   * @param message a {@link TextMessage} whose body is the order id
   * @throws EJBException if the message is not a text message or its body cannot be read, so the
   *     resource adapter redelivers or dead-letters it
   */
  @Override
  public void onMessage(Message message) {
    try {
      if (!(message instanceof TextMessage text)) {
        throw new EJBException("Expected a TextMessage order, got " + message.getClass().getName());
      }
      ledger.recordProcessed(text.getText());
    } catch (JMSException e) {
      throw new EJBException("Cannot read the order id", e);
    }
  }
}
