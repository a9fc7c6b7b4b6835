package io.warrenmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import java.io.Serializable;
import java.util.Objects;

/**
 * A JMS queue of this provider: the durable engine queue of the same name (DESIGN.md, JMS mapping).
 * Created by {@code Session.createQueue} or directly.
 *
 * <p>Thread-safety: immutable. Equal by name.
 */
public final class WarrenQueue implements Queue, WarrenDestination, Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;

  /**
   * @param name the queue's name, not empty, at most 255 bytes of UTF-8
   * @throws IllegalArgumentException if the name is empty
   */
  public WarrenQueue(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("queue name must not be empty");
    }
    this.name = name;
  }

  @Override
  public String getQueueName() throws JMSException {
    return name;
  }

  @Override
  public String physicalName() {
    return name;
  }

  @Override
  public boolean isTopic() {
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarrenQueue q && q.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return toUri();
  }
}
