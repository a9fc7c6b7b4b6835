package io.warrenmq.ra;

import jakarta.jms.Topic;

/**
 * Administered object for a JMS topic (Jakarta Connectors 2.1, 13.4.2.3), bound in JNDI by the
 * application server, e.g. {@code java:/jms/warren/topic/order-events}.
 *
 * <p>Config property {@code name} (String, required): the topic name (routing key on jms.topic).
 *
 * <p>Thread-safety: configured once by the container, then read-only.
 */
// Not final: Jakarta Connectors 2.1 section 19.3 requires JavaBean classes the container
// instantiates to be non-final, and IronJacamar's archive validation reports final ones.
public class WarrenAdminTopic extends WarrenAdminDestination implements Topic {
  private static final long serialVersionUID = 1L;

  /** An unnamed topic; the container sets {@code name}. */
  public WarrenAdminTopic() {}

  @Override
  public String getTopicName() {
    return getName();
  }

  @Override
  public boolean isTopic() {
    return true;
  }
}
