package io.warrenmq.jms;

import io.warrenmq.engine.AmqpException;
import io.warrenmq.engine.QueueSpec;
import io.warrenmq.engine.ReplyCode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import java.util.Map;
import java.util.UUID;

/**
 * The subscription queues of topic consumers (DESIGN.md "JMS onto the AMQP model"; Jakarta
 * Messaging 3.1, 8.3): the queue name of each kind of subscription, its declaration and binding
 * with the selector as binding argument, its replacement when the topic or selector changes, and
 * {@code unsubscribe}.
 *
 * <p>Queue names: non-durable {@code jms.nd.<uuid>}; shared non-durable {@code
 * jms.shared-nd.[<clientID>.]<name>}; durable (shared or not) {@code jms.sub.<clientID>.<name>}, or
 * {@code jms.shared.<name>} for a shared durable subscription without client ID.
 *
 * <p>Thread-safety: stateless.
 */
final class Subscriptions {

  /** Queue argument recording the topic of a named subscription. */
  static final String SUBSCRIPTION_TOPIC = "x-jms-topic";

  private Subscriptions() {}

  static String nonDurableQueue() {
    return "jms.nd." + UUID.randomUUID();
  }

  /** A shared non-durable subscription's queue; the spec scopes it by client ID, if any. */
  static String sharedNonDurableQueue(String clientId, String name) {
    return "jms.shared-nd." + (clientId == null ? "" : clientId + ".") + name;
  }

  /** A durable subscription's queue (an unshared one always has a client ID). */
  static String durableQueue(String clientId, String name) {
    return clientId == null ? "jms.shared." + name : "jms.sub." + clientId + "." + name;
  }

  /**
   * Arguments recording what a named subscription is, so that a later declaration with another
   * topic or selector is told apart by the broker (406 on the re-declaration).
   */
  static Map<String, Object> arguments(WarrenDestination topic, String selector) {
    return selector == null
        ? Map.of(SUBSCRIPTION_TOPIC, topic.toUri())
        : Map.of(SUBSCRIPTION_TOPIC, topic.toUri(), WarrenSession.SELECTOR_ARGUMENT, selector);
  }

  /**
   * @throws JMSException for a null or empty subscription name
   */
  static void checkName(String name) throws JMSException {
    if (name == null || name.isEmpty()) {
      throw new JMSException("subscription name must not be null or empty");
    }
  }

  /**
   * @throws InvalidDestinationException for a temporary topic (8.3.3: no durable subscription)
   */
  static void checkNotTemporary(WarrenDestination d) throws JMSException {
    if (d.isTemporary()) {
      throw new InvalidDestinationException(
          "a durable subscription cannot be made on " + d.toUri());
    }
  }

  /**
   * Declares a subscription queue and binds it to the topic with the selector as binding argument.
   * A named subscription that exists with another topic or selector is replaced when it has no
   * consumer (Jakarta Messaging 8.3.3: equivalent to unsubscribing and subscribing again), and
   * refused with {@link IllegalStateException} while it has one.
   */
  static void declare(
      WarrenConnection connection, WarrenDestination topic, QueueSpec spec, String selector)
      throws JMSException {
    Map<String, Object> bindingArguments =
        selector == null ? null : Map.of(WarrenSession.SELECTOR_ARGUMENT, selector);
    String doing = "subscribe to " + topic.toUri();
    try {
      connection.withTopologyChannel(doing, ch -> ch.queueDeclare(spec));
    } catch (IllegalStateException changed) {
      if (!(changed.getCause() instanceof AmqpException e)
          || e.replyCode() != ReplyCode.PRECONDITION_FAILED) {
        throw changed;
      }
      try {
        connection.withTopologyChannel(doing, ch -> ch.queueDelete(spec.name(), true, false));
      } catch (IllegalStateException inUse) {
        IllegalStateException ise =
            new IllegalStateException(
                "subscription "
                    + spec.name()
                    + " exists with another topic or selector and has active consumers");
        ise.initCause(inUse);
        throw ise;
      }
      connection.withTopologyChannel(doing, ch -> ch.queueDeclare(spec));
    }
    connection.withTopologyChannel(
        doing,
        ch -> ch.queueBind(spec.name(), topic.exchange(), topic.routingKey(), bindingArguments));
  }

  /**
   * Deletes a durable subscription (Jakarta Messaging 8.3.3).
   *
   * @throws InvalidDestinationException if it does not exist
   * @throws IllegalStateException if it has an active consumer
   */
  static void unsubscribe(WarrenConnection connection, String name) throws JMSException {
    checkName(name);
    String queue = durableQueue(connection.getClientID(), name);
    connection.withTopologyChannel(
        "unsubscribe durable subscription '" + name + "'",
        ch -> {
          ch.queueDeclarePassive(queue); // 404 when there is no such subscription
          ch.queueDelete(queue, true, false);
        });
  }
}
