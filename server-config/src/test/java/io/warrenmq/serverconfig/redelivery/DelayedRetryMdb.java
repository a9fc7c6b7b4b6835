package io.warrenmq.serverconfig.redelivery;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * A container-managed (REQUIRED, so transacted delivery) MDB with two sessions and {@code
 * redeliveryDelay} 1000 ms whose first delivery of each message throws (the container rolls the
 * transaction back) and whose second succeeds. It records when each delivery started and when the
 * first one failed, so the test can tell that the second started at least the delay after the
 * failure, although the other session was free to take the message at once.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(propertyName = "destination", propertyValue = "delayed-q"),
      @ActivationConfigProperty(
          propertyName = "destinationType",
          propertyValue = "jakarta.jms.Queue"),
      @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "2"),
      @ActivationConfigProperty(propertyName = "redeliveryDelay", propertyValue = "1000")
    })
public class DelayedRetryMdb implements MessageListener {
  @EJB private Attempts attempts;

  @Override
  public void onMessage(Message message) {
    long started = System.nanoTime();
    String key;
    int seen;
    try {
      key = message.getStringProperty("key");
      seen = attempts.record(key, message.getIntProperty("JMSXDeliveryCount"), started);
    } catch (JMSException e) {
      throw new IllegalStateException(e);
    }
    if (seen == 1) {
      attempts.failed(key, System.nanoTime());
      throw new IllegalStateException("DelayedRetryMdb fails delivery 1 on purpose");
    }
  }
}
