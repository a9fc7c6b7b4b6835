package io.warrenmq.engine;

/**
 * Management of one queue over JMX, with the operations ActiveMQ Artemis users know from its {@code
 * org.apache.activemq.artemis.api.core.management.QueueControl} (and WildFly's {@code
 * jms-queue}/{@code queue} runtime operations built on it): count, list, remove, move and retry
 * messages, pause and resume delivery.
 *
 * <p>Registered by a {@link Broker} whose {@link BrokerConfig#jmx()} is on, one per queue, in the
 * platform MBean server, as {@code io.warrenmq:type=Queue,broker=<broker>,vhost=<vhost
 * quoted>,name=<queue quoted>} ({@link javax.management.ObjectName#quote}); registered when the
 * queue is declared or recovered, unregistered when it is deleted and when the broker closes.
 *
 * <p>What the operations act on: the queue's ready messages, paged-out ones included (they are read
 * from the store). Not on unacked messages (delivered and not acked yet: Artemis' "delivering"
 * messages, which its operations leave alone too), nor on messages held for a consumer's redelivery
 * delay, nor on messages that a recovered prepared XA branch holds.
 *
 * <p>Filters are JMS message selectors (the same syntax and identifiers as a consumer's {@code
 * x-jms-selector}: {@code JMSPriority}, {@code JMSMessageID}, {@code JMSCorrelationID}, {@code
 * JMSType}, {@code JMSTimestamp}, {@code JMSDeliveryMode} and the message's headers as properties);
 * null or empty selects every message, as in Artemis. A filter that does not parse fails with an
 * {@link IllegalArgumentException} naming the filter and the parse error.
 *
 * <p>Errors are JDK exceptions ({@link IllegalArgumentException}, {@link IllegalStateException}) so
 * that a remote JMX client (JConsole, jboss-cli) can read them without WarrenMQ's classes.
 *
 * <p>Concurrency: every method is thread-safe and may run while clients publish and consume. A
 * removal or move takes the matching messages out under the queue's lock; messages that arrive
 * meanwhile are not affected.
 */
public interface QueueControlMXBean {
  /** The queue's name (Artemis {@code getName}). */
  String getName();

  /** The virtual host the queue belongs to. */
  String getVirtualHost();

  /**
   * Ready messages, paged-out ones included, not counting unacked ones (Artemis {@code
   * getMessageCount} counts delivering ones too; RabbitMQ's {@code messages_ready} does not:
   * WarrenMQ follows RabbitMQ here, and reports unacked ones as {@link #getDeliveringCount}).
   */
  long getMessageCount();

  /** Active consumers (Artemis {@code getConsumerCount}). */
  int getConsumerCount();

  /**
   * Messages delivered to consumers (or {@code basic.get}) and not acked yet, auto-ack deliveries
   * excluded (Artemis {@code getDeliveringCount}; RabbitMQ's {@code messages_unacknowledged}).
   */
  int getDeliveringCount();

  /** Whether the queue was declared durable (Artemis {@code isDurable}). */
  boolean isDurable();

  /**
   * Whether the queue is exclusive to the connection that declared it (Artemis {@code
   * isExclusive}).
   */
  boolean isExclusive();

  /** Whether the queue is deleted when its last consumer goes (Artemis {@code isAutoDelete}). */
  boolean isAutoDelete();

  /** Whether delivery is paused, see {@link #pause()} (Artemis {@code isPaused}). */
  boolean isPaused();

  /** Every ready message (Artemis {@code countMessages()}). */
  long countMessages();

  /**
   * The ready messages that match {@code filter} (Artemis {@code countMessages(String)}). With a
   * filter, this reads the whole queue (the paged-out part from the store).
   *
   * @param filter a JMS selector; null or empty for every message
   * @throws IllegalArgumentException if the filter is not a JMS selector
   */
  long countMessages(String filter);

  /**
   * The ready messages that match {@code filter}, in delivery order (Artemis {@code
   * listMessages(String)}, which returns maps; here one {@link QueueMessage} per message, a type
   * JConsole shows as a table row). Reads the whole queue: meant for queues an operator can look
   * through, such as a dead-letter queue.
   *
   * @param filter a JMS selector; null or empty for every message
   * @throws IllegalArgumentException if the filter is not a JMS selector
   */
  QueueMessage[] listMessages(String filter);

  /**
   * Removes the ready messages that match {@code filter} (Artemis {@code removeMessages(String)}):
   * they leave the store as if acked. The messages that stay keep their order.
   *
   * @return how many were removed
   * @throws IllegalArgumentException if the filter is not a JMS selector
   * @throws IllegalStateException if the store failed (removed messages may then come back after a
   *     restart)
   */
  int removeMessages(String filter);

  /** Removes every ready message (Artemis {@code removeAllMessages}); like {@code queue.purge}. */
  int removeAllMessages();

  /**
   * Moves the ready messages that match {@code filter} to the queue {@code otherQueueName} of the
   * same virtual host, in their order (Artemis {@code moveMessages(String, String)}; WildFly's
   * {@code move-messages}). Crash-safe: each message is written to the destination's store and that
   * write commits before it is removed from this queue, so a crash in between leaves it in both
   * queues, never in neither. A moved message keeps its exchange, routing key, properties and body;
   * it arrives in the destination as a new, not redelivered message. Messages the destination
   * refuses ({@code x-overflow=reject-publish} at its length limit) stay here; a destination with
   * {@code x-overflow=reject-publish-dlx} also dead-letters a copy of each one it refuses, as it
   * does for a refused publish, so such a message is then both here and in that dead-letter queue.
   *
   * @return how many were moved
   * @throws IllegalArgumentException if the filter is not a JMS selector, or the destination does
   *     not exist or is this queue (nothing is moved then)
   * @throws IllegalStateException if the store failed (see above: duplicates at worst)
   */
  int moveMessages(String filter, String otherQueueName);

  /**
   * For a dead-letter queue: sends each ready message back to the queue it was dead-lettered from
   * (Artemis {@code retryMessages()}; RabbitMQ users re-drive a DLQ the same way with a shovel).
   * The origin is the {@code queue} of the first (newest) entry of the {@code x-death} header, as
   * RabbitMQ and WarrenMQ write it, or else the JMS property {@code WarrenDeadLetterOrigin} that
   * the resource adapter sets ({@code queue://<name>}). Messages without an origin, or whose origin
   * queue no longer exists, stay. Crash-safe as {@link #moveMessages}; the headers are kept.
   *
   * @return how many were sent back
   * @throws IllegalStateException if the store failed
   */
  int retryMessages();

  /**
   * Pauses delivery (Artemis {@code pause()}): the queue still accepts messages but hands none to
   * its consumers and none to {@code basic.get} (a JMS {@code receiveNoWait} gets nothing), until
   * {@link #resume()}. Messages already delivered stay with their consumers. Browsing, counting and
   * the other operations here still work. Not persistent: a broker restart resumes (Artemis' {@code
   * pause(true)} persists; WarrenMQ does not).
   */
  void pause();

  /** Resumes delivery after {@link #pause()} (Artemis {@code resume()}). */
  void resume();
}
