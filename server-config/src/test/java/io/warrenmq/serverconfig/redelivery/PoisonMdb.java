package io.warrenmq.serverconfig.redelivery;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/** An MDB that always throws: its messages end in {@code poison-dlq} after three deliveries. */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(propertyName = "destination", propertyValue = "poison-q"),
      @ActivationConfigProperty(
          propertyName = "destinationType",
          propertyValue = "jakarta.jms.Queue"),
      @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "1"),
      @ActivationConfigProperty(propertyName = "maxDeliveryAttempts", propertyValue = "3"),
      @ActivationConfigProperty(propertyName = "deadLetterQueue", propertyValue = "poison-dlq")
    })
public class PoisonMdb implements MessageListener {
  @EJB private Attempts attempts;

  @Override
  public void onMessage(Message message) {
    try {
      attempts.record(
          message.getStringProperty("key"), message.getIntProperty("JMSXDeliveryCount"));
    } catch (JMSException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("PoisonMdb always fails");
  }
}
