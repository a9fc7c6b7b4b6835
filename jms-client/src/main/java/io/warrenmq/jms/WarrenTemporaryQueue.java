package io.warrenmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.TemporaryQueue;
import java.util.Objects;

/**
 * A {@link TemporaryQueue} (Jakarta Messaging 3.1, 6.2.8): the engine queue {@code
 * jms.temp.<uuid>}, exclusive to the connection that created it (only it may consume; the queue is
 * deleted with the connection), bound to {@code jms.queue} by its name so that anyone holding it,
 * e.g. from {@code JMSReplyTo}, can send to it.
 *
 * <p>Thread-safety: thread-safe. Equal by name.
 */
public final class WarrenTemporaryQueue implements TemporaryQueue, WarrenDestination {

  private final String name;
  private final transient WarrenConnection owner;

  /**
   * @param name the engine queue's name
   * @param owner the creating connection, or null for a copy received in a message
   */
  WarrenTemporaryQueue(String name, WarrenConnection owner) {
    this.name = Objects.requireNonNull(name, "name");
    this.owner = owner;
  }

  WarrenConnection owner() {
    return owner;
  }

  @Override
  public String getQueueName() {
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
  public boolean isTemporary() {
    return true;
  }

  /**
   * Deletes the queue and the messages in it.
   *
   * @throws jakarta.jms.IllegalStateException if it still has consumers
   * @throws JMSException if this connection did not create it
   */
  @Override
  public void delete() throws JMSException {
    if (owner == null) {
      throw new JMSException("only the connection that created " + toUri() + " may delete it");
    }
    owner.deleteTemporary(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarrenTemporaryQueue q && q.name.equals(name);
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
