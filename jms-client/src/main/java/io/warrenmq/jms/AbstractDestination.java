package io.warrenmq.jms;

import java.util.Objects;

/**
 * What this provider's destination classes share: equal when of the same class and physical name,
 * hashed by the name, shown as their URI ({@code queue://orders}). Holds no state, so that each
 * serializable subclass keeps its own fields and serialized form.
 */
abstract class AbstractDestination implements WarrenDestination {

  /**
   * The name a destination is created with.
   *
   * @param what for the message, e.g. {@code "queue"}
   * @throws NullPointerException if null
   * @throws IllegalArgumentException if empty
   */
  static String requireName(String name, String what) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException(what + " name must not be empty");
    }
    return name;
  }

  /** Equal to a destination of the same class with the same physical name. */
  @Override
  public final boolean equals(Object o) {
    return o != null
        && o.getClass() == getClass()
        && ((WarrenDestination) o).physicalName().equals(physicalName());
  }

  @Override
  public final int hashCode() {
    return physicalName().hashCode();
  }

  /** The destination's URI, see {@link #toUri()}. */
  @Override
  public final String toString() {
    return toUri();
  }
}
