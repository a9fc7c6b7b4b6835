package io.warrenmq.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * A {@link BytesMessage}: an uninterpreted byte stream, written and read with the big-endian
 * encodings of {@link java.io.DataOutput} ({@code writeUTF} is modified UTF-8, at most 65,535
 * bytes). A new message is write-only; {@link #reset()} or delivery makes it read-only (Jakarta
 * Messaging 3.1, section 3.11.2).
 *
 * <p>Thread-safety: not thread-safe (see {@link WarrenMessage}).
 */
public final class WarrenBytesMessage extends WarrenMessage implements BytesMessage {

  private BodyBuffer written; // write mode: made by the first write (a received message has none)
  private DataOutputStream out; // over written
  private byte[] body; // set in read-only mode
  private DataInputStream in; // over body, made by the first read

  /**
   * The write-mode body. A buffer that is exactly full is handed out without a copy: any later
   * write must grow it, which allocates a new array, so the array handed out never changes (the one
   * 1 KB array of a message written in one {@code writeBytes} goes to the broker as is).
   */
  private static final class BodyBuffer extends ByteArrayOutputStream {
    /** The array a first small write gets (bytes). */
    private static final int FIRST_ARRAY = 32;

    BodyBuffer() {
      super(0); // the first write sizes the array
    }

    byte[] bytes() {
      return count == buf.length ? buf : toByteArray();
    }

    @Override
    public synchronized void write(int b) {
      if (buf.length == 0) {
        buf = new byte[FIRST_ARRAY];
      }
      super.write(b);
    }

    /**
     * A first write larger than {@link #FIRST_ARRAY} becomes the buffer: one exact copy of the
     * caller's bytes, instead of growing (allocating and zeroing) and then copying.
     */
    @Override
    public synchronized void write(byte[] b, int off, int len) {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (count == 0 && len > FIRST_ARRAY) {
        buf = java.util.Arrays.copyOfRange(b, off, off + len);
        count = len;
        return;
      }
      if (buf.length == 0) {
        buf = new byte[FIRST_ARRAY];
      }
      super.write(b, off, len);
    }
  }

  /** An empty, write-only bytes message. */
  public WarrenBytesMessage() {}

  @Override
  String bodyKind() {
    return MessageCodec.BYTES;
  }

  @Override
  byte[] bodyBytes() {
    return body != null ? body : written != null ? written.bytes() : new byte[0];
  }

  @Override
  void readBody(byte[] bytes) {
    body = bytes == null ? new byte[0] : bytes;
    written = null;
    out = null;
    in = null;
  }

  private DataInputStream reader() throws MessageNotReadableException {
    if (body == null) {
      throw new MessageNotReadableException("the BytesMessage is write-only; call reset() first");
    }
    if (in == null) {
      in = new DataInputStream(new ByteArrayInputStream(body));
    }
    return in;
  }

  /** The write-mode body, made by the first write. */
  private BodyBuffer buffer() throws JMSException {
    checkBodyWritable();
    if (written == null) {
      if (body != null) {
        throw new IllegalStateException("write after reset without clearBody");
      }
      written = new BodyBuffer();
    }
    return written;
  }

  /** A stream over {@link #buffer()} for the typed writes; it writes through, unbuffered. */
  private DataOutputStream writer() throws JMSException {
    BodyBuffer b = buffer();
    if (out == null) {
      out = new DataOutputStream(b);
    }
    return out;
  }

  /** The body length in bytes; only in read-only mode. */
  @Override
  public long getBodyLength() throws JMSException {
    reader();
    return body.length;
  }

  private interface Read<T> {
    T apply(DataInputStream in) throws IOException;
  }

  private <T> T read(Read<T> read) throws JMSException {
    DataInputStream r = reader();
    try {
      r.mark(Integer.MAX_VALUE);
      return read.apply(r);
    } catch (EOFException e) {
      resetToMark(r);
      throw new MessageEOFException("unexpected end of the BytesMessage body");
    } catch (IOException e) {
      resetToMark(r);
      MessageFormatException jmse =
          new MessageFormatException("cannot read the BytesMessage body: " + e.getMessage());
      jmse.initCause(e);
      throw jmse;
    }
  }

  private static void resetToMark(DataInputStream r) {
    try {
      r.reset();
    } catch (IOException ignored) {
      // ByteArrayInputStream always supports reset.
    }
  }

  @Override
  public boolean readBoolean() throws JMSException {
    return read(DataInputStream::readBoolean);
  }

  @Override
  public byte readByte() throws JMSException {
    return read(DataInputStream::readByte);
  }

  @Override
  public int readUnsignedByte() throws JMSException {
    return read(DataInputStream::readUnsignedByte);
  }

  @Override
  public short readShort() throws JMSException {
    return read(DataInputStream::readShort);
  }

  @Override
  public int readUnsignedShort() throws JMSException {
    return read(DataInputStream::readUnsignedShort);
  }

  @Override
  public char readChar() throws JMSException {
    return read(DataInputStream::readChar);
  }

  @Override
  public int readInt() throws JMSException {
    return read(DataInputStream::readInt);
  }

  @Override
  public long readLong() throws JMSException {
    return read(DataInputStream::readLong);
  }

  @Override
  public float readFloat() throws JMSException {
    return read(DataInputStream::readFloat);
  }

  @Override
  public double readDouble() throws JMSException {
    return read(DataInputStream::readDouble);
  }

  @Override
  public String readUTF() throws JMSException {
    return read(r -> r.readUTF());
  }

  /**
   * Reads up to {@code value.length} bytes.
   *
   * @return the number of bytes read, or -1 at the end of the body
   */
  @Override
  public int readBytes(byte[] value) throws JMSException {
    return readBytes(value, value.length);
  }

  @Override
  public int readBytes(byte[] value, int length) throws JMSException {
    if (length < 0 || length > value.length) {
      throw new IndexOutOfBoundsException(
          "length " + length + " outside 0.." + value.length + " (the array's length)");
    }
    DataInputStream r = reader();
    try {
      int n = r.read(value, 0, length);
      return length == 0 ? 0 : n;
    } catch (IOException e) {
      throw new MessageFormatException("cannot read the BytesMessage body: " + e.getMessage());
    }
  }

  private interface Write {
    void apply(DataOutputStream out) throws IOException;
  }

  private void write(Write write) throws JMSException {
    try {
      write.apply(writer());
    } catch (IOException e) {
      throw new MessageFormatException("cannot write the BytesMessage body: " + e.getMessage());
    }
  }

  @Override
  public void writeBoolean(boolean value) throws JMSException {
    write(o -> o.writeBoolean(value));
  }

  @Override
  public void writeByte(byte value) throws JMSException {
    write(o -> o.writeByte(value));
  }

  @Override
  public void writeShort(short value) throws JMSException {
    write(o -> o.writeShort(value));
  }

  @Override
  public void writeChar(char value) throws JMSException {
    write(o -> o.writeChar(value));
  }

  @Override
  public void writeInt(int value) throws JMSException {
    write(o -> o.writeInt(value));
  }

  @Override
  public void writeLong(long value) throws JMSException {
    write(o -> o.writeLong(value));
  }

  @Override
  public void writeFloat(float value) throws JMSException {
    write(o -> o.writeFloat(value));
  }

  @Override
  public void writeDouble(double value) throws JMSException {
    write(o -> o.writeDouble(value));
  }

  /**
   * @throws MessageFormatException if the modified UTF-8 form exceeds 65,535 bytes
   */
  @Override
  public void writeUTF(String value) throws JMSException {
    write(o -> o.writeUTF(value));
  }

  @Override
  public void writeBytes(byte[] value) throws JMSException {
    buffer().write(value, 0, value.length); // no stream: a 1 KB body is one copy and no wrapper
  }

  /**
   * @throws IndexOutOfBoundsException if {@code offset} and {@code length} are not a range of
   *     {@code value}
   */
  @Override
  public void writeBytes(byte[] value, int offset, int length) throws JMSException {
    buffer().write(value, offset, length);
  }

  /**
   * Writes a boxed primitive, String or byte[] with the matching {@code writeX}.
   *
   * @throws MessageFormatException for another type
   * @throws NullPointerException for null, as the spec says
   */
  @Override
  public void writeObject(Object value) throws JMSException {
    if (value == null) {
      throw new NullPointerException("BytesMessage.writeObject(null)");
    }
    if (value instanceof Boolean v) {
      writeBoolean(v);
    } else if (value instanceof Byte v) {
      writeByte(v);
    } else if (value instanceof Short v) {
      writeShort(v);
    } else if (value instanceof Character v) {
      writeChar(v);
    } else if (value instanceof Integer v) {
      writeInt(v);
    } else if (value instanceof Long v) {
      writeLong(v);
    } else if (value instanceof Float v) {
      writeFloat(v);
    } else if (value instanceof Double v) {
      writeDouble(v);
    } else if (value instanceof String v) {
      writeUTF(v);
    } else if (value instanceof byte[] v) {
      writeBytes(v);
    } else {
      throw new MessageFormatException(
          "BytesMessage.writeObject does not take " + value.getClass().getName());
    }
  }

  /** Makes the body read-only and positions the reader at its start. */
  @Override
  public void reset() throws JMSException {
    readBody(bodyBytes());
    markBodyReadOnly();
  }

  @Override
  public void clearBody() throws JMSException {
    super.clearBody();
    body = null;
    in = null;
    written = null;
    out = null;
  }

  @Override
  public <T> T getBody(Class<T> c) throws JMSException {
    byte[] b = bodyBytes();
    if (b.length == 0) {
      return null;
    }
    if (!c.isAssignableFrom(byte[].class)) {
      throw new MessageFormatException(
          "a BytesMessage body cannot be returned as " + c.getName() + " (Jakarta Messaging 3.11)");
    }
    return c.cast(b.clone());
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public boolean isBodyAssignableTo(Class c) {
    return bodyBytes().length == 0 || c.isAssignableFrom(byte[].class);
  }
}
