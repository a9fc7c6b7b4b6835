package io.warrenmq.ra;

import io.warrenmq.jms.WarrenDestination;
import jakarta.jms.Queue;
import jakarta.resource.Referenceable;
import java.io.Serializable;
import java.util.Objects;
import javax.naming.Reference;

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
public class WarrenAdminQueue implements Queue, WarrenDestination, Referenceable, Serializable {
  private static final long serialVersionUID = 1L;

  private String name;
  private Reference reference;

  /** An unnamed queue; the container sets {@code name}. */
  public WarrenAdminQueue() {}

  /** The physical queue name (config property {@code name}). */
  public String getName() {
    return name;
  }

  /** Sets {@code name}. */
  public void setName(String name) {
    this.name = name;
  }

  @Override
  public String getQueueName() {
    return name;
  }

  /**
   * @throws IllegalStateException if the {@code name} config property was never set
   */
  @Override
  public String physicalName() {
    if (name == null || name.isEmpty()) {
      throw new IllegalStateException("admin object config property 'name' is not set");
    }
    return name;
  }

  @Override
  public boolean isTopic() {
    return false;
  }

  @Override
  public void setReference(Reference reference) {
    this.reference = reference;
  }

  @Override
  public Reference getReference() {
    return reference;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarrenAdminQueue q && Objects.equals(name, q.name);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(name);
  }

  @Override
  public String toString() {
    return "queue://" + name;
  }
}
