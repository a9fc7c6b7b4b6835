package io.warrenmq.ra;

import io.warrenmq.jms.WarrenDestination;
import jakarta.resource.Referenceable;
import java.io.Serializable;
import java.util.Objects;
import javax.naming.Reference;

/**
 * What the two administered destination objects (Jakarta Connectors 2.1, 13.4.2.3) share: the
 * config property {@code name}, the JNDI {@link Reference} the container sets, and equality by
 * class and name.
 *
 * <p>Thread-safety: configured once by the container, then read-only.
 */
// Not final, with a public constructor in each subclass: Jakarta Connectors 2.1 section 19.3
// requires JavaBean classes the container instantiates to be non-final.
public abstract class WarrenAdminDestination
    implements WarrenDestination, Referenceable, Serializable {
  private static final long serialVersionUID = 1L;

  private String name;
  private Reference reference;

  WarrenAdminDestination() {}

  /** The physical name (config property {@code name}); null until the container sets it. */
  public String getName() {
    return name;
  }

  /** Sets {@code name}. */
  public void setName(String name) {
    this.name = name;
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
  public void setReference(Reference reference) {
    this.reference = reference;
  }

  @Override
  public Reference getReference() {
    return reference;
  }

  /** Equal to an administered object of the same class and name. */
  @Override
  public boolean equals(Object o) {
    return o != null
        && o.getClass() == getClass()
        && Objects.equals(name, ((WarrenAdminDestination) o).name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass().getName(), name);
  }

  /** {@code queue://name} or {@code topic://name}. */
  @Override
  public String toString() {
    return (isTopic() ? "topic://" : "queue://") + name;
  }
}
