package io.warrenmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import java.io.Serializable;

/**
 * A JMS queue of this provider: the durable queue of the same name (DESIGN.md, JMS mapping).
 * Created by {@code Session.createQueue} or directly.
 *
 * <p>Thread-safety: immutable. Equal by name.
 */
public final class WarrenQueue extends AbstractDestination implements Queue, Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;

  /**
   * @param name the queue's name, not empty, at most 255 bytes of UTF-8
   * @throws IllegalArgumentException if the name is empty
   */
  public WarrenQueue(String name) {
    this.name = requireName(name, "queue");
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
}
