package io.warrenmq.ra;

import jakarta.jms.Queue;

/**
 * Administered object for a JMS queue (Jakarta Connectors 2.1, 13.4.2.3), bound in JNDI by the
 * application server, e.g. {@code java:/jms/warren/queue/orders}.
 *
 * <p>Config property {@code name} (String, required): the queue's physical name.
 *
 * <p>Thread-safety: configured once by the container, then read-only.
 */
// Not final: Jakarta Connectors 2.1 section 19.3 requires JavaBean classes the container
// instantiates to be non-final, and IronJacamar's archive validation reports final ones.
public class WarrenAdminQueue extends WarrenAdminDestination implements Queue {
  private static final long serialVersionUID = 1L;

  /** An unnamed queue; the container sets {@code name}. */
  public WarrenAdminQueue() {}

  @Override
  public String getQueueName() {
    return getName();
  }

  @Override
  public boolean isTopic() {
    return false;
  }
}
