package io.warrenmq.jms;

import jakarta.jms.TemporaryTopic;

/**
 * A {@link TemporaryTopic} (Jakarta Messaging 3.1, 6.2.8): its own fanout exchange {@code
 * jms.temp.<uuid>}, deleted with the connection that created it; only that connection may subscribe
 * (each subscriber's queue is bound to the exchange), anyone holding it, e.g. from {@code
 * JMSReplyTo}, may publish to it. {@link #delete()} deletes the exchange.
 *
 * <p>Thread-safety: thread-safe. Equal by name.
 */
public final class WarrenTemporaryTopic extends TemporaryDestination implements TemporaryTopic {

  /**
   * @param name the exchange's name
   * @param owner the creating connection, or null for a copy received in a message
   */
  WarrenTemporaryTopic(String name, WarrenConnection owner) {
    super(name, owner);
  }

  @Override
  public String getTopicName() {
    return physicalName();
  }

  @Override
  public boolean isTopic() {
    return true;
  }
}
