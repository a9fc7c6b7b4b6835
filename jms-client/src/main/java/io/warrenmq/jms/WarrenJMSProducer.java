package io.warrenmq.jms;

import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The simplified API's {@link JMSProducer} (Jakarta Messaging 3.1, 7.3): fluent delivery options,
 * message properties and headers applied to every message it sends, and bodies sent directly
 * ({@code String} → TextMessage, {@code Map} → MapMessage, {@code byte[]} → BytesMessage, {@code
 * Serializable} → ObjectMessage). Sends go through an anonymous producer of the context's session,
 * so they follow {@link WarrenMessageProducer}'s rules (async send completes before the listener is
 * called).
 *
 * <p>Thread-safety: for the context's thread, as the spec says.
 */
public final class WarrenJMSProducer implements JMSProducer {

  private final WarrenJMSContext context;

  /** Holds the producer's properties, validated and converted as message properties are. */
  private final WarrenMessage properties = new WarrenMessage();

  private WarrenMessageProducer producer;
  private int deliveryMode = DeliveryMode.PERSISTENT;
  private int priority = Message.DEFAULT_PRIORITY;
  private long timeToLive;
  private long deliveryDelay;
  private boolean disableMessageId;
  private boolean disableTimestamp;
  private CompletionListener completionListener;
  private String correlationId;
  private String type;
  private Destination replyTo;

  WarrenJMSProducer(WarrenJMSContext context) {
    this.context = context;
  }

  private interface Body {
    Message create(WarrenJMSContext context) throws JMSException;
  }

  private JMSProducer sendBody(Destination destination, Body body) {
    try {
      return send(destination, body.create(context));
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  /**
   * Sends the message with this producer's options, properties and headers.
   *
   * @throws jakarta.jms.InvalidDestinationRuntimeException for a null or foreign destination
   * @throws MessageFormatRuntimeException for a null message
   */
  @Override
  public JMSProducer send(Destination destination, Message message) {
    if (message == null) {
      throw new MessageFormatRuntimeException("message must not be null");
    }
    try {
      for (String name : getPropertyNames()) {
        message.setObjectProperty(name, properties.getObjectProperty(name));
      }
      if (correlationId != null) {
        message.setJMSCorrelationID(correlationId);
      }
      if (type != null) {
        message.setJMSType(type);
      }
      if (replyTo != null) {
        message.setJMSReplyTo(replyTo);
      }
      WarrenMessageProducer p = producer();
      if (completionListener != null) {
        p.send(destination, message, deliveryMode, priority, timeToLive, completionListener);
      } else {
        p.send(destination, message, deliveryMode, priority, timeToLive);
      }
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
    return this;
  }

  private WarrenMessageProducer producer() throws JMSException {
    WarrenSession session = context.session();
    if (producer == null || producer.session() != session) {
      producer = session.createProducer(null);
      producer.setDisableMessageID(disableMessageId);
      producer.setDisableMessageTimestamp(disableTimestamp);
      producer.setDeliveryDelay(deliveryDelay);
    }
    return producer;
  }

  @Override
  public JMSProducer send(Destination destination, String body) {
    return sendBody(destination, c -> c.createTextMessage(body));
  }

  @Override
  public JMSProducer send(Destination destination, Map<String, Object> body) {
    return sendBody(
        destination,
        c -> {
          WarrenMapMessage m = new WarrenMapMessage();
          if (body != null) {
            for (Map.Entry<String, Object> e : body.entrySet()) {
              m.setObject(e.getKey(), e.getValue());
            }
          }
          return m;
        });
  }

  @Override
  public JMSProducer send(Destination destination, byte[] body) {
    return sendBody(
        destination,
        c -> {
          WarrenBytesMessage m = new WarrenBytesMessage();
          if (body != null) {
            m.writeBytes(body);
          }
          return m;
        });
  }

  @Override
  public JMSProducer send(Destination destination, Serializable body) {
    return sendBody(destination, c -> c.createObjectMessage(body));
  }

  @Override
  public JMSProducer setDisableMessageID(boolean value) {
    disableMessageId = value;
    producer = null;
    return this;
  }

  @Override
  public boolean getDisableMessageID() {
    return disableMessageId;
  }

  @Override
  public JMSProducer setDisableMessageTimestamp(boolean value) {
    disableTimestamp = value;
    producer = null;
    return this;
  }

  @Override
  public boolean getDisableMessageTimestamp() {
    return disableTimestamp;
  }

  @Override
  public JMSProducer setDeliveryMode(int deliveryMode) {
    if (deliveryMode != DeliveryMode.PERSISTENT && deliveryMode != DeliveryMode.NON_PERSISTENT) {
      throw new JMSRuntimeException(
          "delivery mode must be PERSISTENT or NON_PERSISTENT, was " + deliveryMode);
    }
    this.deliveryMode = deliveryMode;
    return this;
  }

  @Override
  public int getDeliveryMode() {
    return deliveryMode;
  }

  @Override
  public JMSProducer setPriority(int priority) {
    if (priority < 0 || priority > 9) {
      throw new JMSRuntimeException("priority must be 0-9, was " + priority);
    }
    this.priority = priority;
    return this;
  }

  @Override
  public int getPriority() {
    return priority;
  }

  /** Time to live in ms; 0 means never expires. */
  @Override
  public JMSProducer setTimeToLive(long timeToLive) {
    if (timeToLive < 0) {
      throw new JMSRuntimeException("time to live must be >= 0 ms, was " + timeToLive);
    }
    this.timeToLive = timeToLive;
    return this;
  }

  @Override
  public long getTimeToLive() {
    return timeToLive;
  }

  /**
   * Delivery delay in ms (see {@link WarrenMessageProducer#setDeliveryDelay}).
   *
   * @throws JMSRuntimeException for a negative delay
   */
  @Override
  public JMSProducer setDeliveryDelay(long deliveryDelay) {
    if (deliveryDelay < 0) {
      throw new JMSRuntimeException("delivery delay must be >= 0 ms, was " + deliveryDelay);
    }
    this.deliveryDelay = deliveryDelay;
    producer = null;
    return this;
  }

  @Override
  public long getDeliveryDelay() {
    return deliveryDelay;
  }

  @Override
  public JMSProducer setAsync(CompletionListener completionListener) {
    this.completionListener = completionListener;
    return this;
  }

  @Override
  public CompletionListener getAsync() {
    return completionListener;
  }

  private interface PropertyWrite {
    void apply() throws JMSException;
  }

  private JMSProducer property(PropertyWrite write) {
    try {
      write.apply();
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
    return this;
  }

  @Override
  public JMSProducer setProperty(String name, boolean value) {
    return property(() -> properties.setBooleanProperty(name, value));
  }

  @Override
  public JMSProducer setProperty(String name, byte value) {
    return property(() -> properties.setByteProperty(name, value));
  }

  @Override
  public JMSProducer setProperty(String name, short value) {
    return property(() -> properties.setShortProperty(name, value));
  }

  @Override
  public JMSProducer setProperty(String name, int value) {
    return property(() -> properties.setIntProperty(name, value));
  }

  @Override
  public JMSProducer setProperty(String name, long value) {
    return property(() -> properties.setLongProperty(name, value));
  }

  @Override
  public JMSProducer setProperty(String name, float value) {
    return property(() -> properties.setFloatProperty(name, value));
  }

  @Override
  public JMSProducer setProperty(String name, double value) {
    return property(() -> properties.setDoubleProperty(name, value));
  }

  @Override
  public JMSProducer setProperty(String name, String value) {
    return property(() -> properties.setStringProperty(name, value));
  }

  @Override
  public JMSProducer setProperty(String name, Object value) {
    return property(() -> properties.setObjectProperty(name, value));
  }

  @Override
  public JMSProducer clearProperties() {
    properties.clearProperties();
    return this;
  }

  @Override
  public boolean propertyExists(String name) {
    return properties.propertyExists(name);
  }

  private interface PropertyRead<T> {
    T apply() throws JMSException;
  }

  private static <T> T read(PropertyRead<T> read) {
    try {
      return read.apply();
    } catch (JMSException e) {
      throw JmsExceptions.unchecked(e);
    }
  }

  @Override
  public boolean getBooleanProperty(String name) {
    return read(() -> properties.getBooleanProperty(name));
  }

  @Override
  public byte getByteProperty(String name) {
    return read(() -> properties.getByteProperty(name));
  }

  @Override
  public short getShortProperty(String name) {
    return read(() -> properties.getShortProperty(name));
  }

  @Override
  public int getIntProperty(String name) {
    return read(() -> properties.getIntProperty(name));
  }

  @Override
  public long getLongProperty(String name) {
    return read(() -> properties.getLongProperty(name));
  }

  @Override
  public float getFloatProperty(String name) {
    return read(() -> properties.getFloatProperty(name));
  }

  @Override
  public double getDoubleProperty(String name) {
    return read(() -> properties.getDoubleProperty(name));
  }

  @Override
  public String getStringProperty(String name) {
    return properties.getStringProperty(name);
  }

  @Override
  public Object getObjectProperty(String name) {
    return properties.getObjectProperty(name);
  }

  @Override
  public Set<String> getPropertyNames() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(properties.propertyMap().keySet()));
  }

  @Override
  public JMSProducer setJMSCorrelationIDAsBytes(byte[] correlationID) {
    correlationId =
        correlationID == null
            ? null
            : new String(correlationID, java.nio.charset.StandardCharsets.UTF_8);
    return this;
  }

  @Override
  public byte[] getJMSCorrelationIDAsBytes() {
    return correlationId == null
        ? null
        : correlationId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public JMSProducer setJMSCorrelationID(String correlationID) {
    correlationId = correlationID;
    return this;
  }

  @Override
  public String getJMSCorrelationID() {
    return correlationId;
  }

  @Override
  public JMSProducer setJMSType(String type) {
    this.type = type;
    return this;
  }

  @Override
  public String getJMSType() {
    return type;
  }

  @Override
  public JMSProducer setJMSReplyTo(Destination replyTo) {
    this.replyTo = replyTo;
    return this;
  }

  @Override
  public Destination getJMSReplyTo() {
    return replyTo;
  }
}
