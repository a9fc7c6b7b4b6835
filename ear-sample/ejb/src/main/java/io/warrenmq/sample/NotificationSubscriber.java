package io.warrenmq.sample;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * One of the two subscribers of the topic {@code order-events} (the other is {@link
 * AuditSubscriber}): publish/subscribe means each of them receives every event. Counts the events
 * it receives in the {@link OrderLedger}.
 *
 * <p>Thread-safety: the container may run several instances in parallel; the ledger is safe for
 * that.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(propertyName = "destination", propertyValue = "order-events"),
      @ActivationConfigProperty(
          propertyName = "destinationType",
          propertyValue = "jakarta.jms.Topic")
    })
public class NotificationSubscriber implements MessageListener {

  @EJB private OrderLedger ledger;

  /**
   * Counts one order event.
   *
   * @param message the event; its body is the order id
   */
  @Override
  public void onMessage(Message message) {
    ledger.recordNotificationEvent();
  }
}
