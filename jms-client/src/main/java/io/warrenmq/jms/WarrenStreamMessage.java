package io.warrenmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.StreamMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StreamMessage}: a sequence of typed values read back in order with the conversions of
 * Jakarta Messaging 3.1 section 3.11.3. A new message is write-only; {@link #reset()} or delivery
 * makes it read-only. A read that fails with a conversion error leaves the position unchanged.
 * {@code byte[]} values may be read in chunks with {@link #readBytes(byte[])}.
 *
 * <p>Thread-safety: not thread-safe (see {@link WarrenMessage}).
 */
public final class WarrenStreamMessage extends WarrenMessage implements StreamMessage {

  private final List<Object> values = new ArrayList<>();
  private boolean reading;
  private int position;

  /** Offset into the byte[] value at {@link #position} being read in chunks; -1 when none. */
  private int bytesOffset = -1;

  /** An empty, write-only stream message. */
  public WarrenStreamMessage() {}

  @Override
  String bodyKind() {
    return "stream";
  }

  @Override
  byte[] bodyBytes() {
    return TypedValues.encodeList(values);
  }

  @Override
  void readBody(byte[] body) throws JMSException {
    values.clear();
    TypedValues.decodeList(body, values);
    startReading();
  }

  private void startReading() {
    reading = true;
    position = 0;
    bytesOffset = -1;
  }

  private interface Convert<T> {
    T apply(Object value) throws JMSException;
  }

  private <T> T next(Convert<T> convert) throws JMSException {
    if (!reading) {
      throw new MessageNotReadableException("the StreamMessage is write-only; call reset() first");
    }
    if (bytesOffset >= 0) {
      throw new MessageFormatException("a byte[] value is being read; finish it with readBytes");
    }
    if (position >= values.size()) {
      throw new MessageEOFException("no more values in the StreamMessage");
    }
    T result = convert.apply(values.get(position));
    position++;
    return result;
  }

  @Override
  public boolean readBoolean() throws JMSException {
    return next(TypedValues::toBoolean);
  }

  @Override
  public byte readByte() throws JMSException {
    return next(TypedValues::toByte);
  }

  @Override
  public short readShort() throws JMSException {
    return next(TypedValues::toShort);
  }

  @Override
  public char readChar() throws JMSException {
    return next(TypedValues::toChar);
  }

  @Override
  public int readInt() throws JMSException {
    return next(TypedValues::toInt);
  }

  @Override
  public long readLong() throws JMSException {
    return next(TypedValues::toLong);
  }

  @Override
  public float readFloat() throws JMSException {
    return next(TypedValues::toFloat);
  }

  @Override
  public double readDouble() throws JMSException {
    return next(TypedValues::toDouble);
  }

  @Override
  public String readString() throws JMSException {
    return next(TypedValues::toText);
  }

  @Override
  public Object readObject() throws JMSException {
    return next(v -> v instanceof byte[] b ? b.clone() : v);
  }

  /**
   * Reads the next chunk of a {@code byte[]} value (Jakarta Messaging {@code
   * StreamMessage.readBytes}).
   *
   * @return bytes copied; -1 once the whole value has been read (and for a null value)
   */
  @Override
  public int readBytes(byte[] value) throws JMSException {
    if (!reading) {
      throw new MessageNotReadableException("the StreamMessage is write-only; call reset() first");
    }
    if (position >= values.size()) {
      throw new MessageEOFException("no more values in the StreamMessage");
    }
    byte[] bytes = TypedValues.toBytes(values.get(position));
    if (bytesOffset < 0) {
      if (bytes == null) {
        position++;
        return -1;
      }
      if (bytes.length == 0) {
        position++;
        return 0;
      }
      bytesOffset = 0;
    }
    int remaining = bytes.length - bytesOffset;
    if (remaining == 0) {
      // The previous chunk filled the buffer exactly: this call ends the value.
      bytesOffset = -1;
      position++;
      return -1;
    }
    int n = Math.min(remaining, value.length);
    System.arraycopy(bytes, bytesOffset, value, 0, n);
    bytesOffset += n;
    if (n < value.length) {
      bytesOffset = -1;
      position++;
    }
    return n;
  }

  private void add(Object value) throws JMSException {
    checkBodyWritable();
    values.add(value);
  }

  @Override
  public void writeBoolean(boolean value) throws JMSException {
    add(value);
  }

  @Override
  public void writeByte(byte value) throws JMSException {
    add(value);
  }

  @Override
  public void writeShort(short value) throws JMSException {
    add(value);
  }

  @Override
  public void writeChar(char value) throws JMSException {
    add(value);
  }

  @Override
  public void writeInt(int value) throws JMSException {
    add(value);
  }

  @Override
  public void writeLong(long value) throws JMSException {
    add(value);
  }

  @Override
  public void writeFloat(float value) throws JMSException {
    add(value);
  }

  @Override
  public void writeDouble(double value) throws JMSException {
    add(value);
  }

  @Override
  public void writeString(String value) throws JMSException {
    add(value);
  }

  @Override
  public void writeBytes(byte[] value) throws JMSException {
    add(value == null ? null : value.clone());
  }

  @Override
  public void writeBytes(byte[] value, int offset, int length) throws JMSException {
    add(java.util.Arrays.copyOfRange(value, offset, offset + length));
  }

  /**
   * @throws MessageFormatException if the value is not a boxed primitive, String or byte[]
   */
  @Override
  public void writeObject(Object value) throws JMSException {
    if (!TypedValues.isSupported(value)) {
      throw new MessageFormatException(
          "StreamMessage.writeObject does not take " + value.getClass().getName());
    }
    add(value instanceof byte[] b ? b.clone() : value);
  }

  /** Makes the body read-only and positions the reader at the first value. */
  @Override
  public void reset() throws JMSException {
    markBodyReadOnly();
    startReading();
  }

  @Override
  public void clearBody() throws JMSException {
    super.clearBody();
    values.clear();
    reading = false;
    position = 0;
    bytesOffset = -1;
  }

  /**
   * @throws MessageFormatException always: a StreamMessage body has no single Java type (Jakarta
   *     Messaging 3.11, {@code getBody})
   */
  @Override
  public <T> T getBody(Class<T> c) throws JMSException {
    throw new MessageFormatException("a StreamMessage body cannot be returned by getBody");
  }

  @Override
  @SuppressWarnings("rawtypes")
  public boolean isBodyAssignableTo(Class c) {
    return false;
  }
}
