package io.warrenmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.TemporaryTopic;
import java.util.Objects;

/**
 * A {@link TemporaryTopic} (Jakarta Messaging 3.1, 6.2.8): its own fanout exchange {@code
 * jms.temp.<uuid>}, deleted with the connection that created it; only that connection may subscribe
 * (each subscriber's queue is bound to the exchange), anyone holding it, e.g. from {@code
 * JMSReplyTo}, may publish to it.
 *
 * <p>Thread-safety: thread-safe. Equal by name.
 */
public final class WarrenTemporaryTopic implements TemporaryTopic, WarrenDestination {

  private final String name;
  private final transient WarrenConnection owner;

  /**
   * @param name the exchange's name
   * @param owner the creating connection, or null for a copy received in a message
   */
  WarrenTemporaryTopic(String name, WarrenConnection owner) {
    this.name = Objects.requireNonNull(name, "name");
    this.owner = owner;
  }

  WarrenConnection owner() {
    return owner;
  }

  @Override
  public String getTopicName() {
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
  public boolean isTemporary() {
    return true;
  }

  /**
   * Deletes the topic's exchange.
   *
   * @throws jakarta.jms.IllegalStateException if it still has subscribers
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
    return o instanceof WarrenTemporaryTopic q && q.name.equals(name);
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
