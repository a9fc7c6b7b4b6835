package io.warrenmq.engine;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * One ready message as {@link QueueControlMXBean#listMessages} shows it (Artemis' {@code
 * listMessages} gives the same facts as a map). An MXBean maps it to a {@code CompositeData}, so
 * JConsole and jboss-cli show each message as a row without WarrenMQ's classes.
 *
 * <p>Immutable and thread-safe.
 */
public final class QueueMessage {
  private final String messageId;
  private final String correlationId;
  private final String exchange;
  private final String routingKey;
  private final int priority;
  private final long timestamp;
  private final boolean redelivered;
  private final boolean persistent;
  private final long bodySize;
  private final String contentType;
  private final String type;
  private final String expiration;
  private final Map<String, String> headers;

  /**
   * @param timestamp the AMQP timestamp in ms since the epoch, 0 if absent
   * @param bodySize in bytes
   * @param headers the message's headers with their values as text (an {@code x-death} table shows
   *     as its {@code toString})
   */
  public QueueMessage(
      String messageId,
      String correlationId,
      String exchange,
      String routingKey,
      int priority,
      long timestamp,
      boolean redelivered,
      boolean persistent,
      long bodySize,
      String contentType,
      String type,
      String expiration,
      Map<String, String> headers) {
    this.messageId = messageId;
    this.correlationId = correlationId;
    this.exchange = exchange;
    this.routingKey = routingKey;
    this.priority = priority;
    this.timestamp = timestamp;
    this.redelivered = redelivered;
    this.persistent = persistent;
    this.bodySize = bodySize;
    this.contentType = contentType;
    this.type = type;
    this.expiration = expiration;
    this.headers = Collections.unmodifiableMap(new TreeMap<>(headers));
  }

  /**
   * Rebuilds a message from its MXBean form (used by {@link javax.management.JMX#newMXBeanProxy}).
   */
  public static QueueMessage from(CompositeData d) {
    Map<String, String> headers = new TreeMap<>();
    Object h = d.get("headers");
    if (h instanceof TabularData table) {
      for (Object row : (Collection<?>) table.values()) {
        CompositeData r = (CompositeData) row;
        headers.put((String) r.get("key"), (String) r.get("value"));
      }
    }
    return new QueueMessage(
        (String) d.get("messageId"),
        (String) d.get("correlationId"),
        (String) d.get("exchange"),
        (String) d.get("routingKey"),
        (Integer) d.get("priority"),
        (Long) d.get("timestamp"),
        (Boolean) d.get("redelivered"),
        (Boolean) d.get("persistent"),
        (Long) d.get("bodySize"),
        (String) d.get("contentType"),
        (String) d.get("type"),
        (String) d.get("expiration"),
        headers);
  }

  /** The AMQP {@code message-id} (JMSMessageID), null if absent. */
  public String getMessageId() {
    return messageId;
  }

  /** The AMQP {@code correlation-id}, null if absent. */
  public String getCorrelationId() {
    return correlationId;
  }

  /** The exchange the message was published to ({@code ""}: the default exchange). */
  public String getExchange() {
    return exchange;
  }

  /** The routing key it was published with. */
  public String getRoutingKey() {
    return routingKey;
  }

  /** The AMQP priority, 0 if absent. */
  public int getPriority() {
    return priority;
  }

  /** The AMQP timestamp in ms since the epoch, 0 if absent. */
  public long getTimestamp() {
    return timestamp;
  }

  /** Whether it was delivered before (and returned to the queue). */
  public boolean isRedelivered() {
    return redelivered;
  }

  /** Whether its delivery mode is persistent (2). */
  public boolean isPersistent() {
    return persistent;
  }

  /** The body's size in bytes. */
  public long getBodySize() {
    return bodySize;
  }

  /** The AMQP {@code content-type}, null if absent. */
  public String getContentType() {
    return contentType;
  }

  /** The AMQP {@code type} (JMSType), null if absent. */
  public String getType() {
    return type;
  }

  /** The AMQP {@code expiration} in ms as text, null if absent. */
  public String getExpiration() {
    return expiration;
  }

  /** The headers (JMS properties among them), values as text; never null. */
  public Map<String, String> getHeaders() {
    return headers;
  }

  @Override
  public String toString() {
    return "QueueMessage[messageId="
        + messageId
        + ", bodySize="
        + bodySize
        + ", headers="
        + headers
        + "]";
  }
}
