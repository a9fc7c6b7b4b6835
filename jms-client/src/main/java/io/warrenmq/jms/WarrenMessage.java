package io.warrenmq.jms;

import io.warrenmq.client.BasicProperties;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A JMS message of this provider without a body ({@code Session.createMessage()}), and the base of
 * the typed messages. Headers and properties follow Jakarta Messaging 3.1 chapter 3: property
 * values are {@code boolean, byte, short, int, long, float, double} and {@code String}, read with
 * the conversions of section 3.5.4; a received message's properties and body are read-only until
 * {@link #clearProperties()} / {@link #clearBody()}.
 *
 * <p>Thread-safety: not thread-safe, as the spec allows (a message belongs to one session's
 * thread).
 */
public class WarrenMessage implements Message {

  private static final Set<String> RESERVED_WORDS =
      Set.of("NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE");

  private String messageId;
  private long timestamp;
  private String correlationId;
  private Destination replyTo;
  private Destination destination;
  private int deliveryMode = DeliveryMode.PERSISTENT;
  private boolean redelivered;
  private String type;
  private long expiration;
  private long deliveryTime;
  private int priority = Message.DEFAULT_PRIORITY;

  /**
   * A received message's AMQP properties, not yet read into JMSMessageID, JMSTimestamp,
   * JMSCorrelationID, JMSReplyTo, JMSDeliveryMode, JMSType and JMSPriority: that happens on the
   * first get or set of any of them ({@link #readReceived()}), so a listener that reads none skips
   * the work. Null once done, and on messages being sent.
   */
  private BasicProperties receivedProperties;

  /** The properties in the order set; made on first use (most messages have none). */
  private Map<String, Object> properties;

  /**
   * A received message's AMQP headers, not yet turned into {@link #properties}: that happens on the
   * first use of the properties ({@link #props()}), so a listener that reads none pays nothing for
   * them. Null once done, and on messages being sent.
   */
  private Map<String, Object> receivedHeaders;

  /**
   * A received message's AMQP headers, not yet read for {@link #getJMSExpiration()} and {@link
   * #getJMSDeliveryTime()}: that happens on the first get or set of either, so a listener that
   * reads neither skips two header look-ups. Null once done, and on messages being sent.
   */
  private Map<String, Object> timeHeaders;

  private boolean propertiesReadOnly;
  private boolean bodyReadOnly;

  /** Set on received messages: the session that acknowledges them. */
  WarrenSession session;

  /** The engine delivery tag of a received message, 0 for a message being sent. */
  long deliveryTag;

  /** Creates an empty, writable message. */
  public WarrenMessage() {}

  /** The type name written in the {@code x-jms-message-type} header. */
  String bodyKind() {
    return "message";
  }

  /** The body as bytes for the engine (empty for a plain message). */
  byte[] bodyBytes() throws JMSException {
    return new byte[0];
  }

  /** Whether the body is null (a TextMessage without text, an ObjectMessage without object). */
  boolean hasNullBody() {
    return false;
  }

  /** Sets the body from engine bytes on receive. */
  void readBody(byte[] body) throws JMSException {}

  void markReadOnly() {
    propertiesReadOnly = true;
    bodyReadOnly = true;
  }

  /** Makes only the body read-only (BytesMessage/StreamMessage {@code reset()}). */
  final void markBodyReadOnly() {
    bodyReadOnly = true;
  }

  /**
   * Throws {@link MessageNotWriteableException} if the body is read-only (received and not
   * cleared).
   */
  final void checkBodyWritable() throws MessageNotWriteableException {
    if (bodyReadOnly) {
      throw new MessageNotWriteableException(
          "the message body is read-only; call clearBody() first");
    }
  }

  /**
   * The properties, after turning a received message's headers into them if that is still to do:
   * every header whose name does not start with {@code x-} (provider headers), converted by {@link
   * MessageCodec#jmsValue}, the properties set to null ({@link MessageCodec#NULL_PROPERTIES}), then
   * {@code JMSXDeliveryCount}.
   */
  private Map<String, Object> props() {
    if (properties == null) {
      properties = new LinkedHashMap<>();
    }
    Map<String, Object> headers = receivedHeaders;
    if (headers != null) {
      receivedHeaders = null;
      for (Map.Entry<String, Object> e : headers.entrySet()) {
        if (!e.getKey().startsWith("x-")) {
          properties.put(e.getKey(), MessageCodec.jmsValue(e.getValue()));
        }
      }
      Object nulls = headers.get(MessageCodec.NULL_PROPERTIES);
      if (nulls != null) {
        for (String name : nulls.toString().split(",")) {
          properties.put(name, null);
        }
      }
      // the broker's x-delivery-count counts earlier deliveries (RabbitMQ); JMSX counts this one
      Object previous = headers.get(MessageCodec.DELIVERY_COUNT);
      properties.put("JMSXDeliveryCount", (previous instanceof Number n ? n.intValue() : 0) + 1);
    }
    return properties;
  }

  /** Reads JMSExpiration and JMSDeliveryTime from a received message's headers, once. */
  private void readTimes() {
    readReceived();
    Map<String, Object> headers = timeHeaders;
    if (headers != null) {
      timeHeaders = null;
      if (headers.get(MessageCodec.EXPIRATION) instanceof Number n) {
        expiration = n.longValue();
      }
      if (headers.get(MessageCodec.DELIVERY_TIME) instanceof Number n) {
        deliveryTime = n.longValue();
      }
    }
  }

  /**
   * Sets a received message's header fields from its AMQP properties, and its properties, {@code
   * JMSXDeliveryCount}, JMSExpiration and JMSDeliveryTime from its AMQP headers, each read on first
   * use (see {@link #readReceived()}, {@link #props()} and {@link #readTimes()}). Without an {@code
   * x-jms-delivery-time} header JMSDeliveryTime is the AMQP timestamp: the sender leaves the header
   * out when the two are equal (no delivery delay), and a message from an AMQP 0-9-1 client was
   * deliverable when it was sent.
   */
  final void received(BasicProperties p) {
    receivedProperties = p;
    Map<String, Object> headers = p.headers();
    receivedHeaders = headers;
    timeHeaders = headers;
  }

  /** Reads the header fields of a received message from its AMQP properties, once. */
  private void readReceived() {
    BasicProperties p = receivedProperties;
    if (p != null) {
      receivedProperties = null;
      messageId = p.messageId();
      correlationId = p.correlationId();
      type = p.type();
      timestamp =
          p.headers().get(MessageCodec.TIMESTAMP_MS) instanceof Number ms
              ? ms.longValue()
              : p.timestamp() == null ? 0 : p.timestamp();
      deliveryMode = p.isPersistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT;
      priority = Math.min(9, Math.max(0, p.priorityOrZero()));
      replyTo = MessageCodec.destinationFromUri(p.replyTo());
      // readTimes has not run (it runs this first): the header, if any, replaces this
      deliveryTime = timestamp;
    }
  }

  /** The properties, for the encoder (a received message sent on carries them). */
  final Map<String, Object> propertyMap() {
    return properties == null && receivedHeaders == null ? Map.of() : props();
  }

  @Override
  public String getJMSMessageID() {
    readReceived();
    return messageId;
  }

  @Override
  public void setJMSMessageID(String id) {
    readReceived();
    messageId = id;
  }

  @Override
  public long getJMSTimestamp() {
    readReceived();
    return timestamp;
  }

  @Override
  public void setJMSTimestamp(long timestamp) {
    readReceived();
    this.timestamp = timestamp;
  }

  @Override
  public byte[] getJMSCorrelationIDAsBytes() {
    readReceived();
    return correlationId == null
        ? null
        : correlationId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void setJMSCorrelationIDAsBytes(byte[] correlationId) {
    readReceived();
    this.correlationId =
        correlationId == null
            ? null
            : new String(correlationId, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void setJMSCorrelationID(String correlationId) {
    readReceived();
    this.correlationId = correlationId;
  }

  @Override
  public String getJMSCorrelationID() {
    readReceived();
    return correlationId;
  }

  @Override
  public Destination getJMSReplyTo() {
    readReceived();
    return replyTo;
  }

  @Override
  public void setJMSReplyTo(Destination replyTo) {
    readReceived();
    this.replyTo = replyTo;
  }

  @Override
  public Destination getJMSDestination() {
    return destination;
  }

  @Override
  public void setJMSDestination(Destination destination) {
    this.destination = destination;
  }

  @Override
  public int getJMSDeliveryMode() {
    readReceived();
    return deliveryMode;
  }

  @Override
  public void setJMSDeliveryMode(int deliveryMode) throws JMSException {
    if (deliveryMode != DeliveryMode.PERSISTENT && deliveryMode != DeliveryMode.NON_PERSISTENT) {
      throw new JMSException(
          "JMSDeliveryMode must be PERSISTENT or NON_PERSISTENT: " + deliveryMode);
    }
    readReceived();
    this.deliveryMode = deliveryMode;
  }

  @Override
  public boolean getJMSRedelivered() {
    return redelivered;
  }

  @Override
  public void setJMSRedelivered(boolean redelivered) {
    this.redelivered = redelivered;
  }

  @Override
  public String getJMSType() {
    readReceived();
    return type;
  }

  @Override
  public void setJMSType(String type) {
    readReceived();
    this.type = type;
  }

  @Override
  public long getJMSExpiration() {
    readTimes();
    return expiration;
  }

  @Override
  public void setJMSExpiration(long expiration) {
    readTimes();
    this.expiration = expiration;
  }

  @Override
  public long getJMSDeliveryTime() {
    readTimes();
    return deliveryTime;
  }

  @Override
  public void setJMSDeliveryTime(long deliveryTime) {
    readTimes();
    this.deliveryTime = deliveryTime;
  }

  @Override
  public int getJMSPriority() {
    readReceived();
    return priority;
  }

  @Override
  public void setJMSPriority(int priority) throws JMSException {
    if (priority < 0 || priority > 9) {
      throw new JMSException("JMSPriority must be 0-9: " + priority);
    }
    readReceived();
    this.priority = priority;
  }

  @Override
  public void clearProperties() {
    props().clear();
    propertiesReadOnly = false;
  }

  @Override
  public boolean propertyExists(String name) {
    return props().containsKey(name);
  }

  @Override
  public boolean getBooleanProperty(String name) throws JMSException {
    Object v = props().get(name);
    if (v == null || v instanceof String) {
      return Boolean.parseBoolean((String) v);
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw conversion(name, v, "boolean");
  }

  @Override
  public byte getByteProperty(String name) throws JMSException {
    Object v = props().get(name);
    if (v == null || v instanceof String) {
      return Byte.valueOf((String) v);
    }
    if (v instanceof Byte b) {
      return b;
    }
    throw conversion(name, v, "byte");
  }

  @Override
  public short getShortProperty(String name) throws JMSException {
    Object v = props().get(name);
    if (v == null || v instanceof String) {
      return Short.valueOf((String) v);
    }
    if (v instanceof Byte || v instanceof Short) {
      return ((Number) v).shortValue();
    }
    throw conversion(name, v, "short");
  }

  @Override
  public int getIntProperty(String name) throws JMSException {
    Object v = props().get(name);
    if (v == null || v instanceof String) {
      return Integer.valueOf((String) v);
    }
    if (v instanceof Byte || v instanceof Short || v instanceof Integer) {
      return ((Number) v).intValue();
    }
    throw conversion(name, v, "int");
  }

  @Override
  public long getLongProperty(String name) throws JMSException {
    Object v = props().get(name);
    if (v == null || v instanceof String) {
      return Long.valueOf((String) v);
    }
    if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw conversion(name, v, "long");
  }

  @Override
  public float getFloatProperty(String name) throws JMSException {
    Object v = props().get(name);
    if (v == null || v instanceof String) {
      return Float.valueOf((String) v);
    }
    if (v instanceof Float f) {
      return f;
    }
    throw conversion(name, v, "float");
  }

  @Override
  public double getDoubleProperty(String name) throws JMSException {
    Object v = props().get(name);
    if (v == null || v instanceof String) {
      return Double.valueOf((String) v);
    }
    if (v instanceof Float || v instanceof Double) {
      return ((Number) v).doubleValue();
    }
    throw conversion(name, v, "double");
  }

  @Override
  public String getStringProperty(String name) {
    Object v = props().get(name);
    return v == null ? null : v.toString();
  }

  @Override
  public Object getObjectProperty(String name) {
    return props().get(name);
  }

  @Override
  public Enumeration<String> getPropertyNames() {
    return Collections.enumeration(props().keySet());
  }

  @Override
  public void setBooleanProperty(String name, boolean value) throws JMSException {
    putProperty(name, value);
  }

  @Override
  public void setByteProperty(String name, byte value) throws JMSException {
    putProperty(name, value);
  }

  @Override
  public void setShortProperty(String name, short value) throws JMSException {
    putProperty(name, value);
  }

  @Override
  public void setIntProperty(String name, int value) throws JMSException {
    putProperty(name, value);
  }

  @Override
  public void setLongProperty(String name, long value) throws JMSException {
    putProperty(name, value);
  }

  @Override
  public void setFloatProperty(String name, float value) throws JMSException {
    putProperty(name, value);
  }

  @Override
  public void setDoubleProperty(String name, double value) throws JMSException {
    putProperty(name, value);
  }

  @Override
  public void setStringProperty(String name, String value) throws JMSException {
    putProperty(name, value);
  }

  @Override
  public void setObjectProperty(String name, Object value) throws JMSException {
    if (value != null
        && !(value instanceof Boolean
            || value instanceof Byte
            || value instanceof Short
            || value instanceof Integer
            || value instanceof Long
            || value instanceof Float
            || value instanceof Double
            || value instanceof String)) {
      throw new MessageFormatException(
          "property '"
              + name
              + "' has type "
              + value.getClass().getName()
              + "; allowed: Boolean, Byte, Short, Integer, Long, Float, Double, String");
    }
    putProperty(name, value);
  }

  private void putProperty(String name, Object value) throws JMSException {
    checkPropertyName(name);
    if (propertiesReadOnly) {
      throw new MessageNotWriteableException(
          "the message properties are read-only; call clearProperties() first");
    }
    props().put(name, value);
  }

  private static void checkPropertyName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("property name must not be null or empty");
    }
    if (!Character.isJavaIdentifierStart(name.charAt(0))
        || !name.chars().skip(1).allMatch(Character::isJavaIdentifierPart)
        || RESERVED_WORDS.contains(name.toUpperCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException(
          "property name '" + name + "' is not a valid JMS identifier (Jakarta Messaging 3.8.1.1)");
    }
  }

  private static MessageFormatException conversion(String name, Object value, String target) {
    return new MessageFormatException(
        "property '"
            + name
            + "' of type "
            + value.getClass().getSimpleName()
            + " cannot be read as "
            + target
            + " (Jakarta Messaging 3.5.4)");
  }

  @Override
  public void acknowledge() throws JMSException {
    if (session != null) {
      session.acknowledgeFromMessage(this);
    }
  }

  @Override
  public void clearBody() throws JMSException {
    bodyReadOnly = false;
  }

  @Override
  public <T> T getBody(Class<T> c) throws JMSException {
    return null;
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public boolean isBodyAssignableTo(Class c) {
    return true;
  }
}
