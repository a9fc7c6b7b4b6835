package io.warrenmq.ra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import java.io.Serializable;
import java.util.Objects;
import java.util.Set;

/**
 * How a message-driven bean consumes from WarrenMQ: the activation-config properties of Jakarta
 * Messaging 3.1 section 13 and Jakarta Enterprise Beans 4.0 section 5.4.17, as set in
 * {@code @MessageDriven(activationConfig = ...)} or {@code ejb-jar.xml}.
 *
 * <ul>
 *   <li>{@code destination}: physical name of the queue or topic; required unless {@code
 *       destinationLookup} is set.
 *   <li>{@code destinationLookup}: JNDI name of a WarrenMQ admin object (queue or topic); wins over
 *       {@code destination}.
 *   <li>{@code destinationType}: {@code jakarta.jms.Queue} or {@code jakarta.jms.Topic}; required.
 *   <li>{@code acknowledgeMode}: {@code Auto-acknowledge} (default) or {@code Dups-ok-acknowledge};
 *       both ack after {@code onMessage} returns.
 *   <li>{@code subscriptionDurability}: {@code NonDurable} (default) or {@code Durable}, for
 *       topics.
 *   <li>{@code subscriptionName}: name of a durable subscription; required when durable.
 *   <li>{@code clientId}: client identifier of the MDB's connection, scopes durable subscriptions.
 *   <li>{@code maxSession}: sessions that deliver in parallel, default 15, at least 1.
 *   <li>{@code messageSelector}: a JMS selector (Jakarta Messaging 3.8.1); on a queue the broker
 *       skips unselected messages, on a topic they never enter the MDB's subscription.
 *   <li>{@code connectionFactoryLookup}: accepted for portability and ignored: the adapter uses its
 *       own broker, or {@code connectionURL}.
 *   <li>{@code connectionURL}: an {@code amqp://} or {@code amqps://} URL of a remote broker for
 *       this MDB (the login is the URL's user, default {@code guest}); default empty: the resource
 *       adapter's broker (its {@code connectionURL}, else the embedded one). OpenMQ's spelling
 *       {@code ConnectionURL} sets the same property.
 *   <li>{@code virtualHost}: the virtual host the MDB consumes from; default empty: the URL's
 *       (remote), else {@code /}.
 *   <li>{@code user}: the user the MDB's connection logs in as, overriding the user of the
 *       connection URL (the activation's {@code connectionURL}, else the adapter's); default empty:
 *       the URL's user ({@code guest} if it names none). With the embedded broker a set {@code
 *       user} logs in to it too (instead of the trusted in-VM path). ActiveMQ Artemis' spelling,
 *       the same name.
 *   <li>{@code password}: the password of {@code user}; default empty. Never logged nor shown in
 *       errors or {@link #toString()}. Setting it without {@code user} is invalid. A login the
 *       broker refuses fails the activation with an error naming the user (and, after a lost
 *       connection, is retried with the back-off below, like any failed reconnection).
 *   <li>{@code maxDeliveryAttempts}: deliveries of one message before it is dead-lettered, default
 *       10 (as Artemis and WildFly messaging), at least 1. A delivery fails when {@code onMessage}
 *       throws, the endpoint's transaction rolls back or {@code afterDelivery} fails; the message
 *       then returns to its queue with {@code JMSRedelivered} set and {@code JMSXDeliveryCount} one
 *       higher.
 *   <li>{@code deadLetterQueue}: the queue that receives a message after {@code
 *       maxDeliveryAttempts} failed deliveries, default {@code DLQ}; declared durable on first use.
 *       The dead-lettered copy keeps body, headers and properties and gets the String properties
 *       {@value #DEAD_LETTER_REASON} and {@value #DEAD_LETTER_ORIGIN}.
 *   <li>{@code redeliveryDelay}: ms between a failed delivery and the next one of that message,
 *       default 0, at least 0; for transacted delivery (the container's transaction rolled back)
 *       and non-transacted delivery (onMessage threw) alike. The broker holds the message in its
 *       queue for the delay (consumer argument {@code x-redelivery-delay}, as ActiveMQ Artemis'
 *       {@code redelivery-delay}): no session and no work-manager thread waits, every session keeps
 *       delivering other messages, and none takes this one earlier. Messages returned when the
 *       endpoint is deactivated come back at once.
 * </ul>
 *
 * <p>Remote broker: when the broker connection drops (a broker restart, a network failure), the
 * activation reconnects by itself with a bounded exponential back-off (100 ms, doubling, at most 5
 * s between attempts, until it succeeds or the MDB is deactivated) and resumes delivery; messages
 * that were unacknowledged when the connection dropped come back from the broker redelivered.
 *
 * <p>For a topic with a non-durable subscription, all sessions of one activation share one
 * subscription, so each message reaches the MDB once.
 *
 * <p>Thread-safety: a JavaBean configured by the container before activation; not thread-safe.
 */
// Not final: Jakarta Connectors 2.1 section 19.3 requires JavaBean classes the container
// instantiates to be non-final, and IronJacamar's archive validation reports final ones.
public class WarrenActivationSpec implements ActivationSpec, Serializable {
  private static final long serialVersionUID = 1L;

  /** {@code destinationType} of a queue. */
  public static final String QUEUE_TYPE = "jakarta.jms.Queue";

  /** {@code destinationType} of a topic. */
  public static final String TOPIC_TYPE = "jakarta.jms.Topic";

  /** Property of a dead-lettered message: why it was dead-lettered. */
  public static final String DEAD_LETTER_REASON = "WarrenDeadLetterReason";

  /** Property of a dead-lettered message: the URI of the destination it came from. */
  public static final String DEAD_LETTER_ORIGIN = "WarrenDeadLetterOrigin";

  /** The default of {@code maxDeliveryAttempts}. */
  public static final int DEFAULT_MAX_DELIVERY_ATTEMPTS = 10;

  /** The default of {@code deadLetterQueue}. */
  public static final String DEFAULT_DEAD_LETTER_QUEUE = "DLQ";

  private static final Set<String> ACK_MODES = Set.of("Auto-acknowledge", "Dups-ok-acknowledge");
  private static final Set<String> DURABILITIES = Set.of("Durable", "NonDurable");

  private String destination;
  private String destinationLookup;
  private String destinationType;
  private String messageSelector;
  private String acknowledgeMode = "Auto-acknowledge";
  private String subscriptionDurability = "NonDurable";
  private String subscriptionName;
  private String clientId;
  private String connectionFactoryLookup;
  private Integer maxSession = 15;
  private Integer maxDeliveryAttempts = DEFAULT_MAX_DELIVERY_ATTEMPTS;
  private String deadLetterQueue = DEFAULT_DEAD_LETTER_QUEUE;
  private Long redeliveryDelay = 0L;
  private String connectionURL;
  private String virtualHost;
  private String user;
  private String password;
  private transient ResourceAdapter resourceAdapter;

  /** An empty spec; the container sets the properties. */
  public WarrenActivationSpec() {}

  /**
   * Checks the properties (Jakarta Connectors 2.1, 13.4.2.1).
   *
   * @throws InvalidPropertyException whose message names the invalid property and says what is
   *     allowed
   */
  @Override
  public void validate() throws InvalidPropertyException {
    if (isBlank(destination) && isBlank(destinationLookup)) {
      throw invalid(
          "destination",
          "ActivationSpec property 'destination' is required: the name of the queue or topic"
              + " the message-driven bean consumes (or set 'destinationLookup')");
    }
    if (destinationType == null) {
      throw invalid(
          "destinationType",
          "ActivationSpec property 'destinationType' is required: jakarta.jms.Queue or"
              + " jakarta.jms.Topic");
    }
    if (!QUEUE_TYPE.equals(destinationType) && !TOPIC_TYPE.equals(destinationType)) {
      throw invalid(
          "destinationType",
          "ActivationSpec property 'destinationType' is '"
              + destinationType
              + "'; allowed: jakarta.jms.Queue, jakarta.jms.Topic");
    }
    if (!ACK_MODES.contains(acknowledgeMode)) {
      throw invalid(
          "acknowledgeMode",
          "ActivationSpec property 'acknowledgeMode' is '"
              + acknowledgeMode
              + "'; allowed: Auto-acknowledge, Dups-ok-acknowledge");
    }
    if (!DURABILITIES.contains(subscriptionDurability)) {
      throw invalid(
          "subscriptionDurability",
          "ActivationSpec property 'subscriptionDurability' is '"
              + subscriptionDurability
              + "'; allowed: Durable, NonDurable");
    }
    if (isDurable() && isBlank(subscriptionName)) {
      throw invalid(
          "subscriptionName",
          "ActivationSpec property 'subscriptionName' is required for a durable subscription");
    }
    if (maxSession == null || maxSession < 1) {
      throw invalid(
          "maxSession",
          "ActivationSpec property 'maxSession' must be at least 1, was " + maxSession);
    }
    if (maxDeliveryAttempts == null || maxDeliveryAttempts < 1) {
      throw invalid(
          "maxDeliveryAttempts",
          "ActivationSpec property 'maxDeliveryAttempts' must be at least 1, was "
              + maxDeliveryAttempts);
    }
    if (isBlank(deadLetterQueue)) {
      throw invalid(
          "deadLetterQueue",
          "ActivationSpec property 'deadLetterQueue' must name a queue, was '"
              + deadLetterQueue
              + "'");
    }
    if (redeliveryDelay == null || redeliveryDelay < 0) {
      throw invalid(
          "redeliveryDelay",
          "ActivationSpec property 'redeliveryDelay' must be at least 0 ms, was "
              + redeliveryDelay);
    }
    if (!isBlank(connectionURL) && !io.warrenmq.ra.internal.RemoteUrl.isRemote(connectionURL)) {
      throw invalid(
          "connectionURL",
          "ActivationSpec property 'connectionURL' is '"
              + io.warrenmq.client.Passwords.mask(connectionURL)
              + "'; allowed: amqp://... or amqps://..., or empty for the adapter's broker");
    }
    if (isBlank(user) && !isBlank(password)) {
      throw invalid(
          "user",
          "ActivationSpec property 'password' is set but 'user' is not: set both, or neither for"
              + " the connection URL's user");
    }
    if (!isBlank(messageSelector)) {
      try {
        io.warrenmq.client.MessageSelector.parse(messageSelector);
      } catch (IllegalArgumentException e) {
        throw invalid(
            "messageSelector",
            "ActivationSpec property 'messageSelector' is not a valid JMS selector: '"
                + messageSelector
                + "': "
                + e.getMessage());
      }
    }
  }

  private static InvalidPropertyException invalid(String property, String message) {
    InvalidPropertyException e = new InvalidPropertyException(message);
    try {
      e.setInvalidPropertyDescriptors(
          new java.beans.PropertyDescriptor[] {
            new java.beans.PropertyDescriptor(property, WarrenActivationSpec.class)
          });
    } catch (java.beans.IntrospectionException ignored) {
      // The message already names the property.
    }
    return e;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** Whether the destination type is {@code jakarta.jms.Topic}. */
  public boolean isTopic() {
    return TOPIC_TYPE.equals(destinationType);
  }

  /** Whether {@code subscriptionDurability} is {@code Durable}. */
  public boolean isDurable() {
    return "Durable".equals(subscriptionDurability);
  }

  public String getDestination() {
    return destination;
  }

  public void setDestination(String destination) {
    this.destination = destination;
  }

  public String getDestinationLookup() {
    return destinationLookup;
  }

  public void setDestinationLookup(String destinationLookup) {
    this.destinationLookup = destinationLookup;
  }

  public String getDestinationType() {
    return destinationType;
  }

  public void setDestinationType(String destinationType) {
    this.destinationType = destinationType;
  }

  public String getMessageSelector() {
    return messageSelector;
  }

  public void setMessageSelector(String messageSelector) {
    this.messageSelector = messageSelector;
  }

  public String getAcknowledgeMode() {
    return acknowledgeMode;
  }

  public void setAcknowledgeMode(String acknowledgeMode) {
    this.acknowledgeMode = acknowledgeMode;
  }

  public String getSubscriptionDurability() {
    return subscriptionDurability;
  }

  public void setSubscriptionDurability(String subscriptionDurability) {
    this.subscriptionDurability = subscriptionDurability;
  }

  public String getSubscriptionName() {
    return subscriptionName;
  }

  public void setSubscriptionName(String subscriptionName) {
    this.subscriptionName = subscriptionName;
  }

  public String getClientId() {
    return clientId;
  }

  public void setClientId(String clientId) {
    this.clientId = clientId;
  }

  public String getConnectionFactoryLookup() {
    return connectionFactoryLookup;
  }

  public void setConnectionFactoryLookup(String connectionFactoryLookup) {
    this.connectionFactoryLookup = connectionFactoryLookup;
  }

  public Integer getMaxSession() {
    return maxSession;
  }

  public void setMaxSession(Integer maxSession) {
    this.maxSession = maxSession;
  }

  /** {@code maxDeliveryAttempts}: deliveries of one message before it is dead-lettered. */
  public Integer getMaxDeliveryAttempts() {
    return maxDeliveryAttempts;
  }

  public void setMaxDeliveryAttempts(Integer maxDeliveryAttempts) {
    this.maxDeliveryAttempts = maxDeliveryAttempts;
  }

  /** {@code deadLetterQueue}: the queue of messages that used up {@code maxDeliveryAttempts}. */
  public String getDeadLetterQueue() {
    return deadLetterQueue;
  }

  public void setDeadLetterQueue(String deadLetterQueue) {
    this.deadLetterQueue = deadLetterQueue;
  }

  /**
   * {@code redeliveryDelay}: ms between a failed delivery (transacted or not) and the next delivery
   * of that message; default 0, at least 0 (see the class comment).
   */
  public Long getRedeliveryDelay() {
    return redeliveryDelay;
  }

  public void setRedeliveryDelay(Long redeliveryDelay) {
    this.redeliveryDelay = redeliveryDelay;
  }

  /** {@code connectionURL}: this MDB's remote broker, or empty for the adapter's broker. */
  public String getConnectionURL() {
    return connectionURL;
  }

  public void setConnectionURL(String connectionURL) {
    this.connectionURL = connectionURL;
  }

  /** {@code virtualHost}: the virtual host; empty for the URL's, else {@code /}. */
  public String getVirtualHost() {
    return virtualHost;
  }

  public void setVirtualHost(String virtualHost) {
    this.virtualHost = virtualHost;
  }

  /** {@code user}: the login of the MDB's connection, or empty for the URL's user. */
  public String getUser() {
    return user;
  }

  public void setUser(String user) {
    this.user = user;
  }

  /** {@code password}: the password of {@code user}; never logged. */
  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  /** Whether {@code user} is set: the activation logs in as that user, not the URL's. */
  public boolean hasUser() {
    return !isBlank(user);
  }

  @Override
  public ResourceAdapter getResourceAdapter() {
    return resourceAdapter;
  }

  @Override
  public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
    this.resourceAdapter = ra;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarrenActivationSpec s
        && Objects.equals(destination, s.destination)
        && Objects.equals(destinationLookup, s.destinationLookup)
        && Objects.equals(destinationType, s.destinationType)
        && Objects.equals(messageSelector, s.messageSelector)
        && Objects.equals(acknowledgeMode, s.acknowledgeMode)
        && Objects.equals(subscriptionDurability, s.subscriptionDurability)
        && Objects.equals(subscriptionName, s.subscriptionName)
        && Objects.equals(clientId, s.clientId)
        && Objects.equals(maxSession, s.maxSession)
        && Objects.equals(maxDeliveryAttempts, s.maxDeliveryAttempts)
        && Objects.equals(deadLetterQueue, s.deadLetterQueue)
        && Objects.equals(redeliveryDelay, s.redeliveryDelay)
        && Objects.equals(connectionURL, s.connectionURL)
        && Objects.equals(virtualHost, s.virtualHost)
        && Objects.equals(user, s.user)
        && Objects.equals(password, s.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(destination, destinationLookup, destinationType, subscriptionName);
  }

  @Override
  public String toString() {
    return "WarrenActivationSpec[destination="
        + destination
        + ", destinationLookup="
        + destinationLookup
        + ", destinationType="
        + destinationType
        + ", subscriptionDurability="
        + subscriptionDurability
        + ", subscriptionName="
        + subscriptionName
        + ", maxSession="
        + maxSession
        + ", maxDeliveryAttempts="
        + maxDeliveryAttempts
        + ", deadLetterQueue="
        + deadLetterQueue
        + ", redeliveryDelay="
        + redeliveryDelay
        + ", connectionURL="
        + io.warrenmq.client.Passwords.mask(connectionURL)
        + ", virtualHost="
        + virtualHost
        + ", user="
        + user
        + (isBlank(password) ? "" : ", password=****")
        + "]";
  }
}
