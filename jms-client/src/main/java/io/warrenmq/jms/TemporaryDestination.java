package io.warrenmq.jms;

import jakarta.jms.JMSException;
import java.util.Objects;

/**
 * What {@link WarrenTemporaryQueue} and {@link WarrenTemporaryTopic} share (Jakarta Messaging 3.1,
 * 6.2.8): a name {@code jms.temp.<uuid>}, the connection that created it and may delete it, and
 * {@code delete()}. Not serializable: a temporary destination lives as long as its connection.
 *
 * <p>Thread-safety: thread-safe.
 */
abstract class TemporaryDestination extends AbstractDestination {

  private final String name;
  private final transient WarrenConnection owner;

  /**
   * @param name the queue's or exchange's name
   * @param owner the creating connection, or null for a copy received in a message
   */
  TemporaryDestination(String name, WarrenConnection owner) {
    this.name = Objects.requireNonNull(name, "name");
    this.owner = owner;
  }

  @Override
  public final String physicalName() {
    return name;
  }

  @Override
  public final boolean isTemporary() {
    return true;
  }

  /**
   * Deletes the temporary destination: a temporary queue and the messages in it, or a temporary
   * topic's exchange.
   *
   * @throws jakarta.jms.IllegalStateException if it still has consumers (subscribers)
   * @throws JMSException if this connection did not create it
   */
  public final void delete() throws JMSException {
    if (owner == null) {
      throw new JMSException("only the connection that created " + toUri() + " may delete it");
    }
    owner.deleteTemporary(this);
  }
}
