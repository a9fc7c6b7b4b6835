package io.warrenmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageFormatException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link MapMessage}: name-value pairs whose values are Java primitives (boxed), {@code String}
 * or {@code byte[]}, read with the conversions of Jakarta Messaging 3.1 section 3.11.3. {@code
 * byte[]} values are copied on set and on get.
 *
 * <p>Thread-safety: not thread-safe (see {@link WarrenMessage}).
 */
public final class WarrenMapMessage extends WarrenMessage implements MapMessage {

  private final Map<String, Object> entries = new LinkedHashMap<>();

  /** An empty, writable map message. */
  public WarrenMapMessage() {}

  @Override
  String bodyKind() {
    return "map";
  }

  @Override
  byte[] bodyBytes() {
    return TypedValues.encodeMap(entries);
  }

  @Override
  void readBody(byte[] body) throws JMSException {
    entries.clear();
    TypedValues.decodeMap(body, entries);
  }

  private Object get(String name) {
    return entries.get(name);
  }

  private void put(String name, Object value) throws JMSException {
    checkBodyWritable();
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("MapMessage names must not be null or empty");
    }
    entries.put(name, value);
  }

  @Override
  public boolean getBoolean(String name) throws JMSException {
    return TypedValues.toBoolean(get(name));
  }

  @Override
  public byte getByte(String name) throws JMSException {
    return TypedValues.toByte(get(name));
  }

  @Override
  public short getShort(String name) throws JMSException {
    return TypedValues.toShort(get(name));
  }

  @Override
  public char getChar(String name) throws JMSException {
    return TypedValues.toChar(get(name));
  }

  @Override
  public int getInt(String name) throws JMSException {
    return TypedValues.toInt(get(name));
  }

  @Override
  public long getLong(String name) throws JMSException {
    return TypedValues.toLong(get(name));
  }

  @Override
  public float getFloat(String name) throws JMSException {
    return TypedValues.toFloat(get(name));
  }

  @Override
  public double getDouble(String name) throws JMSException {
    return TypedValues.toDouble(get(name));
  }

  @Override
  public String getString(String name) throws JMSException {
    return TypedValues.toText(get(name));
  }

  @Override
  public byte[] getBytes(String name) throws JMSException {
    byte[] b = TypedValues.toBytes(get(name));
    return b == null ? null : b.clone();
  }

  @Override
  public Object getObject(String name) {
    Object v = get(name);
    return v instanceof byte[] b ? b.clone() : v;
  }

  @Override
  public Enumeration<String> getMapNames() {
    return Collections.enumeration(entries.keySet());
  }

  @Override
  public void setBoolean(String name, boolean value) throws JMSException {
    put(name, value);
  }

  @Override
  public void setByte(String name, byte value) throws JMSException {
    put(name, value);
  }

  @Override
  public void setShort(String name, short value) throws JMSException {
    put(name, value);
  }

  @Override
  public void setChar(String name, char value) throws JMSException {
    put(name, value);
  }

  @Override
  public void setInt(String name, int value) throws JMSException {
    put(name, value);
  }

  @Override
  public void setLong(String name, long value) throws JMSException {
    put(name, value);
  }

  @Override
  public void setFloat(String name, float value) throws JMSException {
    put(name, value);
  }

  @Override
  public void setDouble(String name, double value) throws JMSException {
    put(name, value);
  }

  @Override
  public void setString(String name, String value) throws JMSException {
    put(name, value);
  }

  @Override
  public void setBytes(String name, byte[] value) throws JMSException {
    put(name, value == null ? null : value.clone());
  }

  @Override
  public void setBytes(String name, byte[] value, int offset, int length) throws JMSException {
    put(name, java.util.Arrays.copyOfRange(value, offset, offset + length));
  }

  /**
   * @throws MessageFormatException if the value is not a boxed primitive, String or byte[]
   */
  @Override
  public void setObject(String name, Object value) throws JMSException {
    if (!TypedValues.isSupported(value)) {
      throw new MessageFormatException(
          "MapMessage value '" + name + "' has unsupported type " + value.getClass().getName());
    }
    put(name, value instanceof byte[] b ? b.clone() : value);
  }

  @Override
  public boolean itemExists(String name) {
    return entries.containsKey(name);
  }

  @Override
  public void clearBody() throws JMSException {
    super.clearBody();
    entries.clear();
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public <T> T getBody(Class<T> c) throws JMSException {
    if (entries.isEmpty()) {
      return null;
    }
    if (!c.isAssignableFrom(Map.class)) {
      throw new MessageFormatException(
          "a MapMessage body cannot be returned as " + c.getName() + " (Jakarta Messaging 3.11)");
    }
    return (T) new LinkedHashMap(entries);
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public boolean isBodyAssignableTo(Class c) {
    return entries.isEmpty() || c.isAssignableFrom(Map.class);
  }
}
