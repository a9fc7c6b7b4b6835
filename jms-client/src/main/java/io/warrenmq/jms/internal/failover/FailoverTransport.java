package io.warrenmq.jms.internal.failover;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.jms.spi.ConnectionInfo;
import io.warrenmq.jms.spi.Transport;
import io.warrenmq.jms.spi.TransportConnection;
import java.util.List;
import java.util.Objects;

/**
 * A list of brokers with automatic reconnection: {@link #connect} opens a {@link
 * FailoverConnection} to the first broker of the list that answers, which reconnects by itself
 * after a lost connection as its {@link ReconnectPolicy} says (to the next broker of the list),
 * re-declares what it had declared and opens its channels and consumers again. The JMS layer sees
 * one logical connection; its {@code ExceptionListener} hears only when reconnection gives up.
 *
 * <p>The brokers are meant to be one logical broker (a cluster, or one broker restarted): durable
 * subscriptions and queued messages resume only where the broker reconnected to holds them.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class FailoverTransport implements Transport {

  private final List<Transport> brokers;
  private final ReconnectPolicy policy;
  private final String name;

  /**
   * @param brokers the brokers, in the order they are tried; not empty
   * @param policy when to reconnect
   * @param name the list without passwords, for messages, e.g. {@code
   *     amqp://app@h1:5672/%2F,amqp://app@h2:5672/%2F}
   */
  public FailoverTransport(List<? extends Transport> brokers, ReconnectPolicy policy, String name) {
    if (brokers.isEmpty()) {
      throw new IllegalArgumentException("no broker in the list");
    }
    this.brokers = List.copyOf(brokers);
    this.policy = Objects.requireNonNull(policy, "policy");
    this.name = Objects.requireNonNull(name, "name");
  }

  /** The brokers' names, comma-separated (no passwords). */
  @Override
  public String brokerName() {
    return name;
  }

  /** When to reconnect. */
  public ReconnectPolicy policy() {
    return policy;
  }

  /** The brokers, in the order they are tried. */
  public List<Transport> brokers() {
    return brokers;
  }

  /**
   * Connects to the first broker of the list that accepts the connection, each tried once, in order
   * (no back-off: an application learns at once that none is there).
   *
   * @throws AmqpException 403 ACCESS_REFUSED or 530 NOT_ALLOWED as the first broker that answers
   *     refuses the login or the virtual host (the next brokers would refuse it too)
   * @throws IllegalStateException if no broker of the list can be reached, naming each with its
   *     error
   */
  @Override
  public TransportConnection connect(ConnectionInfo info) {
    StringBuilder errors = new StringBuilder();
    for (int i = 0; i < brokers.size(); i++) {
      Transport t = brokers.get(i);
      try {
        return new FailoverConnection(this, info, i, t.connect(info));
      } catch (AmqpException e) {
        if (e.replyCode() == ReplyCode.ACCESS_REFUSED || e.replyCode() == ReplyCode.NOT_ALLOWED) {
          throw e;
        }
        errors.append("; ").append(t.brokerName()).append(": ").append(e.getMessage());
      } catch (IllegalStateException e) {
        errors.append("; ").append(t.brokerName()).append(": ").append(e.getMessage());
      }
    }
    throw new IllegalStateException("no broker of " + name + " can be reached" + errors);
  }

  @Override
  public String toString() {
    return name;
  }
}
