package io.warrenmq.serverconfig.bad;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/** An MDB whose activation config lacks the required {@code destination}: must not deploy. */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(
          propertyName = "destinationType",
          propertyValue = "jakarta.jms.Queue")
    })
public class MdbWithoutDestination implements MessageListener {

  @Override
  public void onMessage(Message message) {
    // Never activated.
  }
}
