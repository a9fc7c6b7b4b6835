package io.warrenmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.Topic;
import java.io.Serializable;

/**
 * A JMS topic of this provider: routing key {@code name} on the topic exchange {@code jms.topic}
 * (DESIGN.md, JMS mapping). Created by {@code Session.createTopic} or directly.
 *
 * <p>Thread-safety: immutable. Equal by name.
 */
public final class WarrenTopic extends AbstractDestination implements Topic, Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;

  /**
   * @param name the topic name, not empty, at most 255 bytes of UTF-8; dots separate words for
   *     wildcard subscriptions
   * @throws IllegalArgumentException if the name is empty
   */
  public WarrenTopic(String name) {
    this.name = requireName(name, "topic");
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
}
