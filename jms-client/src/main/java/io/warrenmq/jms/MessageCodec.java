package io.warrenmq.jms;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import java.util.Map;

/**
 * Converts between JMS messages and the engine's AMQP form (DESIGN.md, JMS mapping table): JMS
 * headers onto AMQP basic properties, JMS properties onto AMQP headers, and a few provider headers
 * ({@code x-jms-*}) for what AMQP has no field for.
 */
final class MessageCodec {

  /**
   * AMQP header naming the JMS message type: message, text, object, map, stream. A message without
   * it is a {@code BytesMessage}: this provider's BytesMessages are sent without it, and so are the
   * messages of AMQP 0-9-1 clients, whose body a JMS consumer can then read (as RabbitMQ's JMS
   * client receives them).
   */
  static final String MESSAGE_TYPE = "x-jms-message-type";

  /** The {@link #MESSAGE_TYPE} of a BytesMessage, accepted on receive though no longer sent. */
  static final String BYTES = "bytes";

  /** AMQP header with the absolute JMSExpiration (ms since the epoch). */
  static final String EXPIRATION = "x-jms-expiration";

  /**
   * AMQP header with JMSDeliveryTime (ms since the epoch). Sent only when JMSDeliveryTime differs
   * from JMSTimestamp (a delivery delay, or timestamps disabled): a message without it was
   * delivered at its timestamp (see {@link WarrenMessage#received}).
   */
  static final String DELIVERY_TIME = "x-jms-delivery-time";

  /**
   * AMQP header with JMSTimestamp in ms, sent when it is not a whole second: the AMQP 0-9-1 {@code
   * timestamp} property travels in seconds on the wire (spec 4.2.5.4), so a message crossing the
   * wire transport would otherwise lose its milliseconds.
   */
  static final String TIMESTAMP_MS = "x-jms-timestamp";

  /** The delayed-message exchange's header: the delivery delay in ms. */
  static final String DELAY = "x-delay";

  /**
   * AMQP header listing, comma-separated, the properties set to null (a String or object property
   * may be set to null and still exists, Jakarta Messaging 3.5.8): the engine's headers hold no
   * null values. Property names are identifiers, so they contain no comma.
   */
  static final String NULL_PROPERTIES = "x-jms-null-properties";

  /**
   * AMQP header, {@code true} on a TextMessage or ObjectMessage whose body is null (no text, no
   * object): its empty AMQP body would otherwise read back as the empty string.
   */
  static final String NULL_BODY = "x-jms-null-body";

  /** AMQP header with the id of the publishing connection, on topic messages (for noLocal). */
  static final String PUBLISHER_CONNECTION = "x-jms-connection";

  /** RabbitMQ's delivery counter header, set by the engine on redelivery. */
  static final String DELIVERY_COUNT = "x-delivery-count";

  /** Exchange that JMS queues are bound to, by their name. */
  static final String QUEUE_EXCHANGE = "jms.queue";

  /** Topic exchange that JMS topics publish to, with the topic name as routing key. */
  static final String TOPIC_EXCHANGE = "jms.topic";

  private MessageCodec() {}

  /**
   * The AMQP properties for a message being sent, whose JMS headers the producer has set, as a
   * builder so that the producer adds its send options before the one {@code build()}.
   */
  static BasicProperties.Builder encodeProperties(WarrenMessage message) throws JMSException {
    BasicProperties.Builder b = BasicProperties.builder();
    StringBuilder nulls = null;
    for (Map.Entry<String, Object> e : message.propertyMap().entrySet()) {
      if (e.getValue() != null) {
        b.header(e.getKey(), e.getValue());
      } else if (nulls == null) {
        nulls = new StringBuilder(e.getKey());
      } else {
        nulls.append(',').append(e.getKey());
      }
    }
    if (nulls != null) {
      b.header(NULL_PROPERTIES, nulls.toString());
    }
    String kind = message.bodyKind();
    if (!kind.equals(BYTES)) { // a message without the header is a BytesMessage (see decode)
      b.header(MESSAGE_TYPE, kind);
    }
    if (message.hasNullBody()) {
      b.header(NULL_BODY, true);
    }
    if (message.getJMSExpiration() != 0) {
      b.header(EXPIRATION, message.getJMSExpiration());
    }
    long deliveryTime = message.getJMSDeliveryTime();
    if (deliveryTime != 0 && deliveryTime != message.getJMSTimestamp()) {
      b.header(DELIVERY_TIME, deliveryTime);
    }
    b.deliveryMode(
        message.getJMSDeliveryMode() == DeliveryMode.PERSISTENT
            ? BasicProperties.PERSISTENT
            : BasicProperties.TRANSIENT);
    b.priority(message.getJMSPriority());
    b.messageId(message.getJMSMessageID());
    b.correlationId(message.getJMSCorrelationID());
    b.type(message.getJMSType());
    if (message.getJMSTimestamp() != 0) {
      b.timestamp(message.getJMSTimestamp());
      if (message.getJMSTimestamp() % 1000 != 0) {
        b.header(TIMESTAMP_MS, message.getJMSTimestamp());
      }
    }
    if (message.getJMSReplyTo() instanceof WarrenDestination d) {
      b.replyTo(d.toUri());
    }
    return b;
  }

  /** The JMS message for an engine delivery, read-only, tied to its session for acks. */
  static WarrenMessage decode(Delivery delivery, WarrenSession session) throws JMSException {
    return decode(delivery, session, null);
  }

  /**
   * A consumer's JMSDestinations by exchange and routing key, remembering the last one: a
   * consumer's messages mostly share one, so it is made once, not once per message. A temporary
   * destination is made each time. Safe to use from any thread: the remembered entry is one
   * immutable record, replaced whole.
   */
  static final class Destinations {
    private record Last(String exchange, String routingKey, WarrenDestination destination) {}

    private Last last;

    WarrenDestination of(String exchange, String routingKey) {
      Last l = last;
      if (l != null
          && java.util.Objects.equals(l.exchange(), exchange)
          && java.util.Objects.equals(l.routingKey(), routingKey)) {
        return l.destination();
      }
      WarrenDestination d = destinationOf(exchange, routingKey);
      if (d instanceof WarrenQueue || d instanceof WarrenTopic) {
        last = new Last(exchange, routingKey, d);
      }
      return d;
    }
  }

  /**
   * As {@link #decode(Delivery, WarrenSession)}, the JMSDestination taken from {@code destinations}
   * (null: made for this message).
   */
  static WarrenMessage decode(Delivery delivery, WarrenSession session, Destinations destinations)
      throws JMSException {
    BasicProperties p = delivery.properties();
    Map<String, Object> headers = p.headers();
    Object kind = headers.get(MESSAGE_TYPE);
    WarrenMessage m =
        kind == null
            ? new WarrenBytesMessage() // a BytesMessage, or an AMQP client's message
            : switch (kind.toString()) {
              case "text" -> new WarrenTextMessage();
              case "object" -> new WarrenObjectMessage();
              case BYTES -> new WarrenBytesMessage();
              case "map" -> new WarrenMapMessage();
              case "stream" -> new WarrenStreamMessage();
              default -> new WarrenMessage();
            };
    m.readBody(kind != null && headers.containsKey(NULL_BODY) ? null : delivery.body());
    m.received(p); // header fields, properties and times: read on first use
    m.setJMSRedelivered(delivery.redelivered());
    m.setJMSDestination(
        destinations == null
            ? destinationOf(delivery.exchange(), delivery.routingKey())
            : destinations.of(delivery.exchange(), delivery.routingKey()));
    m.session = session;
    m.deliveryTag = delivery.deliveryTag();
    m.markReadOnly();
    return m;
  }

  /** AMQP header values that JMS has no type for (e.g. byte[] from a non-JMS publisher). */
  static Object jmsValue(Object v) {
    if (v instanceof Boolean
        || v instanceof Byte
        || v instanceof Short
        || v instanceof Integer
        || v instanceof Long
        || v instanceof Float
        || v instanceof Double
        || v instanceof String) {
      return v;
    }
    return v == null ? null : v.toString();
  }

  /** Prefix of the names of temporary queues and of temporary topics' exchanges. */
  static final String TEMPORARY_PREFIX = "jms.temp.";

  static WarrenDestination destinationOf(String exchange, String routingKey) {
    if (TOPIC_EXCHANGE.equals(exchange)) {
      return new WarrenTopic(routingKey);
    }
    if (exchange != null && exchange.startsWith(TEMPORARY_PREFIX)) {
      return new WarrenTemporaryTopic(exchange, null);
    }
    if (routingKey == null || routingKey.isEmpty()) {
      return null;
    }
    return routingKey.startsWith(TEMPORARY_PREFIX)
        ? new WarrenTemporaryQueue(routingKey, null)
        : new WarrenQueue(routingKey);
  }

  static WarrenDestination destinationFromUri(String uri) {
    if (uri == null || uri.isEmpty()) {
      return null;
    }
    String[][] schemes = {{"topic://"}, {"queue://"}, {"temp-topic://"}, {"temp-queue://"}};
    for (String[] scheme : schemes) {
      if (uri.startsWith(scheme[0])) {
        String name = uri.substring(scheme[0].length());
        return switch (scheme[0]) {
          case "topic://" -> new WarrenTopic(name);
          case "temp-topic://" -> new WarrenTemporaryTopic(name, null);
          case "temp-queue://" -> new WarrenTemporaryQueue(name, null);
          default -> new WarrenQueue(name);
        };
      }
    }
    return new WarrenQueue(uri);
  }
}
