package io.warrenmq.serverconfig.redelivery;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * A container-managed (REQUIRED, so transacted delivery) MDB whose first two deliveries of each
 * message throw; the third succeeds.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(propertyName = "destination", propertyValue = "flaky-q"),
      @ActivationConfigProperty(
          propertyName = "destinationType",
          propertyValue = "jakarta.jms.Queue"),
      @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "1")
    })
public class FlakyMdb implements MessageListener {
  @EJB private Attempts attempts;

  @Override
  public void onMessage(Message message) {
    int seen;
    try {
      seen =
          attempts.record(
              message.getStringProperty("key"), message.getIntProperty("JMSXDeliveryCount"));
    } catch (JMSException e) {
      throw new IllegalStateException(e);
    }
    if (seen <= 2) {
      throw new IllegalStateException("FlakyMdb fails delivery " + seen + " on purpose");
    }
  }
}
