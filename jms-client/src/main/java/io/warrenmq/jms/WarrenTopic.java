package io.warrenmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.Topic;
import java.io.Serializable;
import java.util.Objects;

/**
 * A JMS topic of this provider: routing key {@code name} on the topic exchange {@code jms.topic}
 * (DESIGN.md, JMS mapping). Created by {@code Session.createTopic} or directly.
 *
 * <p>Thread-safety: immutable. Equal by name.
 */
public final class WarrenTopic implements Topic, WarrenDestination, Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;

  /**
   * @param name the topic name, not empty, at most 255 bytes of UTF-8; dots separate words for
   *     wildcard subscriptions
   * @throws IllegalArgumentException if the name is empty
   */
  public WarrenTopic(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("topic name must not be empty");
    }
    this.name = name;
  }

  @Override
  public String getTopicName() throws JMSException {
    return name;
  }

  @Override
  public String physicalName() {
    return name;
  }

  @Override
  public boolean isTopic() {
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarrenTopic q && q.name.equals(name);
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
