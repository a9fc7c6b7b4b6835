package io.warrenmq.jms;

import jakarta.jms.TemporaryQueue;

/**
 * A {@link TemporaryQueue} (Jakarta Messaging 3.1, 6.2.8): the queue {@code jms.temp.<uuid>},
 * exclusive to the connection that created it (only it may consume; the queue is deleted with the
 * connection), bound to {@code jms.queue} by its name so that anyone holding it, e.g. from {@code
 * JMSReplyTo}, can send to it. {@link #delete()} deletes the queue and the messages in it.
 *
 * <p>Thread-safety: thread-safe. Equal by name.
 */
public final class WarrenTemporaryQueue extends TemporaryDestination implements TemporaryQueue {

  /**
   * @param name the queue's name
   * @param owner the creating connection, or null for a copy received in a message
   */
  WarrenTemporaryQueue(String name, WarrenConnection owner) {
    super(name, owner);
  }

  @Override
  public String getQueueName() {
    return physicalName();
  }

  @Override
  public boolean isTopic() {
    return false;
  }
}
