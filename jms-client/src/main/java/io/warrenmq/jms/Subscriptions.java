package io.warrenmq.jms;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
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
 * jms.shared-nd.[<clientID>.]<name>}; unshared durable {@code jms.sub.<clientID>.<name>}; shared
 * durable {@code jms.shared.[<clientID>.]<name>}. An unshared and a shared durable subscription of
 * one name and client ID are thus two queues, and each refuses to be created while the other exists
 * (Jakarta Messaging 3.1, "Shared durable subscriptions": the two may not have the same name and
 * client identifier). An unshared durable subscription's consumer is an exclusive AMQP consumer, so
 * the broker refuses a second active one in any connection.
 *
 * <p>Thread-safety: stateless, except for a lock that makes the check for a subscription of the
 * other kind and the declaration of a durable subscription one step for all connections of this JVM
 * (the in-VM transport's brokers all live in it).
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

  /**
   * Held while a durable subscription is checked against one of the other kind and declared, so
   * that a shared and an unshared subscription of one name created at once cannot both succeed.
   */
  private static final Object DURABLE_DECLARATIONS = new Object();

  /** An unshared durable subscription's queue (it always has a client ID). */
  static String durableQueue(String clientId, String name) {
    return "jms.sub." + clientId + "." + name;
  }

  /** A shared durable subscription's queue; the client ID scopes the name when set. */
  static String sharedDurableQueue(String clientId, String name) {
    return "jms.shared." + (clientId == null ? "" : clientId + ".") + name;
  }

  /** Creates the consumer on a subscription queue once it is declared. */
  interface Subscribe {
    WarrenMessageConsumer on(String queue) throws JMSException;
  }

  /**
   * Declares a durable subscription (see {@link #declare}) after checking that none of the other
   * kind (shared or unshared) exists with the same name and client ID, and creates its consumer.
   * For an unshared subscription, a consumer that is already active (in any connection of the
   * broker) is refused before this session's channel is touched; the consumer is exclusive, so the
   * broker also refuses any that comes later.
   *
   * @param shared whether this is a shared durable subscription
   * @param subscribe creates the consumer on the queue (exclusive when unshared)
   * @throws JMSException if a durable subscription of the other kind exists with this name and
   *     client ID; if this unshared one already has an active consumer; or if it exists with
   *     another topic or selector and has an active consumer
   */
  static WarrenMessageConsumer subscribeDurable(
      WarrenConnection connection,
      WarrenDestination topic,
      String name,
      boolean shared,
      String selector,
      Subscribe subscribe)
      throws JMSException {
    String clientId = connection.getClientID();
    String queue = shared ? sharedDurableQueue(clientId, name) : durableQueue(clientId, name);
    String other =
        shared
            ? (clientId == null ? null : durableQueue(clientId, name))
            : sharedDurableQueue(clientId, name);
    synchronized (DURABLE_DECLARATIONS) {
      if (other != null && exists(connection, other)) {
        throw new JMSException(
            "cannot create "
                + (shared ? "a shared" : "an unshared")
                + " durable subscription '"
                + name
                + "'"
                + (clientId == null ? "" : " for client ID '" + clientId + "'")
                + ": "
                + (shared ? "an unshared" : "a shared")
                + " durable subscription of that name and client ID exists (Jakarta Messaging"
                + " 3.1: shared and unshared durable subscriptions may not have the same name and"
                + " client identifier); unsubscribe it first");
      }
      if (!shared && consumerCount(connection, queue) > 0) {
        throw activeConsumer(clientId, name);
      }
      declare(
          connection,
          topic,
          new QueueSpec(queue, true, false, false, arguments(topic, selector)),
          selector);
      try {
        return subscribe.on(queue);
      } catch (JMSException e) {
        if (shared
            || !(e.getCause() instanceof AmqpException a)
            || a.replyCode() != ReplyCode.ACCESS_REFUSED) {
          throw e;
        }
        // 403: another connection's consumer came first (e.g. through another class loader)
        JMSException active = activeConsumer(clientId, name);
        active.initCause(e);
        active.setLinkedException(a);
        throw active;
      }
    }
  }

  /** The consumers of the queue, 0 if it does not exist. */
  private static int consumerCount(WarrenConnection connection, String queue) throws JMSException {
    int[] count = {0};
    try {
      connection.withTopologyChannel(
          "look up " + queue, ch -> count[0] = ch.queueDeclarePassive(queue).consumerCount());
    } catch (InvalidDestinationException absent) { // 404 NOT_FOUND
      return 0;
    }
    return count[0];
  }

  /**
   * The {@link JMSException} that Jakarta Messaging 3.1 specifies for a second active consumer of
   * an unshared durable subscription ({@code Session.createDurableConsumer}).
   */
  private static JMSException activeConsumer(String clientId, String name) {
    return new JMSException(
        "unshared durable subscription '"
            + name
            + "' of client ID '"
            + clientId
            + "' already has an active consumer; an unshared durable subscription has at most one"
            + " at a time (Jakarta Messaging 3.1, unshared durable subscriptions)");
  }

  /** Whether the queue exists (a passive declare on the connection's topology channel). */
  private static boolean exists(WarrenConnection connection, String queue) throws JMSException {
    try {
      connection.withTopologyChannel("look up " + queue, ch -> ch.queueDeclarePassive(queue));
      return true;
    } catch (InvalidDestinationException absent) { // 404 NOT_FOUND
      return false;
    }
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
   * refused with a {@link JMSException} while it has one (as the API docs of {@code
   * createSharedConsumer}, {@code createDurableConsumer} and {@code createSharedDurableConsumer}
   * say).
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
        JMSException ise =
            new JMSException(
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
   * Deletes a durable subscription (Jakarta Messaging 8.3.3): the unshared one of this name and
   * client ID if it exists, else the shared one.
   *
   * @throws InvalidDestinationException if neither exists
   * @throws IllegalStateException if it has an active consumer
   */
  static void unsubscribe(WarrenConnection connection, String name) throws JMSException {
    checkName(name);
    String clientId = connection.getClientID();
    String queue =
        clientId != null && exists(connection, durableQueue(clientId, name))
            ? durableQueue(clientId, name)
            : sharedDurableQueue(clientId, name);
    connection.withTopologyChannel(
        "unsubscribe durable subscription '" + name + "'",
        ch -> {
          ch.queueDeclarePassive(queue); // 404 when there is no such subscription
          ch.queueDelete(queue, true, false);
        });
  }
}
