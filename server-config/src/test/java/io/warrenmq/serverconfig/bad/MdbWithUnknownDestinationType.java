package io.warrenmq.serverconfig.bad;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/** An MDB whose {@code destinationType} is neither Queue nor Topic: must not deploy. */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(propertyName = "destination", propertyValue = "orders"),
      @ActivationConfigProperty(
          propertyName = "destinationType",
          propertyValue = "jakarta.jms.Nope")
    })
public class MdbWithUnknownDestinationType implements MessageListener {

  @Override
  public void onMessage(Message message) {
    // Never activated.
  }
}
