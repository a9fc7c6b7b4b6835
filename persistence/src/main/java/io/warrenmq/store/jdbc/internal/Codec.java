package io.warrenmq.store.jdbc.internal;

import io.warrenmq.client.BasicProperties;
import java.math.BigDecimal;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of message properties and of declaration arguments: a compact, versioned binary
 * encoding that keeps header order and value types (the AMQP field-table types the engine accepts:
 * strings, integers of every width, booleans, floats, decimals, timestamps, byte arrays, nested
 * tables and arrays). Not Java serialization: the format is stable across class changes.
 *
 * <p>Stateless and thread-safe.
 */
public final class Codec {
  private static final int VERSION = 1;

  private Codec() {}

  /**
   * A growable big-endian byte array with {@code DataOutputStream}'s encodings (so the stored bytes
   * are the same) but without a stream: {@code DataOutputStream} writes an int as four virtual
   * one-byte writes, and message properties are encoded by the publishing thread under its queue's
   * lock, where that was most of the cost.
   */
  /** A growable big-endian byte buffer (also the journal's, {@link JournalCodec}). */
  static final class Buffer {
    private byte[] buf;
    private int count;

    Buffer(int size) {
      buf = new byte[size];
    }

    private void ensure(int more) {
      if (count + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
      }
    }

    void writeByte(int b) {
      ensure(1);
      buf[count++] = (byte) b;
    }

    void writeBoolean(boolean b) {
      writeByte(b ? 1 : 0);
    }

    void writeShort(int v) {
      ensure(2);
      buf[count++] = (byte) (v >>> 8);
      buf[count++] = (byte) v;
    }

    void writeInt(int v) {
      ensure(4);
      buf[count++] = (byte) (v >>> 24);
      buf[count++] = (byte) (v >>> 16);
      buf[count++] = (byte) (v >>> 8);
      buf[count++] = (byte) v;
    }

    void writeLong(long v) {
      writeInt((int) (v >>> 32));
      writeInt((int) v);
    }

    void writeFloat(float v) {
      writeInt(Float.floatToIntBits(v));
    }

    void writeDouble(double v) {
      writeLong(Double.doubleToLongBits(v));
    }

    void write(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, count, b.length);
      count += b.length;
    }

    /**
     * A string as its UTF-8 length (int) and bytes; ASCII, the usual case for header names and
     * values, is written without an intermediate array.
     */
    void writeString(String s) {
      int n = s.length();
      ensure(4 + n);
      int start = count + 4;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) { // not ASCII: the bytes copied so far are overwritten
          byte[] b = s.getBytes(StandardCharsets.UTF_8);
          writeInt(b.length);
          write(b);
          return;
        }
        buf[start + i] = (byte) c;
      }
      writeInt(n);
      count += n;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, count);
    }

    /** The backing array: valid up to {@link #size()}; replaced when the buffer grows. */
    byte[] array() {
      return buf;
    }

    int size() {
      return count;
    }

    /** Forgets everything after the first {@code size} bytes. */
    void truncate(int size) {
      count = size;
    }
  }

  /** Scratch buffers above this size (bytes) are not kept for the thread's next encode. */
  private static final int KEPT_SCRATCH_BYTES = 4096;

  /**
   * Each publishing thread's scratch buffer for {@link #encode(BasicProperties)}: the properties
   * are written into it and copied out once at their exact size, instead of into a new buffer that
   * is then trimmed by a second copy.
   */
  private static final ThreadLocal<Buffer> SCRATCH = ThreadLocal.withInitial(() -> new Buffer(256));

  /** Encodes message properties. Thread-safe. */
  public static byte[] encode(BasicProperties p) {
    Buffer out = SCRATCH.get();
    out.count = 0;
    try {
      writeProperties(out, p);
      return out.toByteArray();
    } finally {
      if (out.buf.length > KEPT_SCRATCH_BYTES) {
        SCRATCH.set(new Buffer(256)); // a large header table does not stay with the thread
      }
    }
  }

  private static void writeProperties(Buffer out, BasicProperties p) {
    out.writeByte(VERSION);
    writeString(out, p.contentType());
    writeString(out, p.contentEncoding());
    writeMap(out, p.headers());
    writeValue(out, p.deliveryMode());
    writeValue(out, p.priority());
    writeString(out, p.correlationId());
    writeString(out, p.replyTo());
    writeString(out, p.expiration());
    writeString(out, p.messageId());
    writeValue(out, p.timestamp());
    writeString(out, p.type());
    writeString(out, p.userId());
    writeString(out, p.appId());
  }

  /**
   * Decodes what {@link #encode(BasicProperties)} wrote. Reads the array in place (a {@link
   * ByteBuffer}, big-endian as {@code DataOutputStream} wrote it): a page-in decodes thousands of
   * these, and a {@code DataInputStream} took a synchronized call per byte.
   *
   * @throws IllegalStateException when the bytes are not such an encoding (truncated, an unknown
   *     version or value type)
   */
  public static BasicProperties decodeProperties(byte[] data) {
    try {
      ByteBuffer in = ByteBuffer.wrap(data);
      checkVersion(in);
      return BasicProperties.builder()
          .contentType(readString(in))
          .contentEncoding(readString(in))
          .headers(readMap(in))
          .deliveryMode((Integer) readValue(in))
          .priority((Integer) readValue(in))
          .correlationId(readString(in))
          .replyTo(readString(in))
          .expiration(readString(in))
          .messageId(readString(in))
          .timestamp((Long) readValue(in))
          .type(readString(in))
          .userId(readString(in))
          .appId(readString(in))
          .build();
    } catch (CorruptException | BufferUnderflowException | ClassCastException e) {
      throw new IllegalStateException("corrupt stored message properties", e);
    }
  }

  /** Encodes declaration or binding arguments. */
  public static byte[] encode(Map<String, Object> arguments) {
    Buffer out = new Buffer(32);
    out.writeByte(VERSION);
    writeMap(out, arguments);
    return out.toByteArray();
  }

  /** Decodes what {@link #encode(Map)} wrote. */
  public static Map<String, Object> decodeArguments(byte[] data) {
    try {
      ByteBuffer in = ByteBuffer.wrap(data);
      checkVersion(in);
      Map<String, Object> m = readMap(in);
      return m == null ? Map.of() : m;
    } catch (CorruptException | BufferUnderflowException e) {
      throw new IllegalStateException("corrupt stored arguments", e);
    }
  }

  /** What the decoder found wrong in stored bytes; callers wrap it. */
  private static final class CorruptException extends Exception {
    CorruptException(String message) {
      super(message, null, false, false);
    }
  }

  private static void checkVersion(ByteBuffer in) throws CorruptException {
    int v = Byte.toUnsignedInt(in.get());
    if (v != VERSION) {
      throw new CorruptException("unknown encoding version " + v);
    }
  }

  private static void writeString(Buffer out, String s) {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    out.writeString(s);
  }

  private static String readString(ByteBuffer in) throws CorruptException {
    int n = in.getInt();
    if (n < 0) {
      return null;
    }
    if (n > in.remaining()) {
      throw new CorruptException("truncated string");
    }
    int at = in.position();
    in.position(at + n);
    return new String(in.array(), in.arrayOffset() + at, n, StandardCharsets.UTF_8);
  }

  private static void writeMap(Buffer out, Map<?, ?> m) {
    if (m == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(m.size());
    m.forEach( // not entrySet(): message headers make their entry views only when asked
        (k, v) -> {
          writeString(out, String.valueOf(k));
          writeValue(out, v);
        });
  }

  private static Map<String, Object> readMap(ByteBuffer in) throws CorruptException {
    int n = in.getInt();
    if (n < 0) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String k = readString(in);
      m.put(k, readValue(in));
    }
    return m;
  }

  private static void writeValue(Buffer out, Object v) {
    if (v == null) {
      out.writeByte('V');
    } else if (v instanceof String s) {
      out.writeByte('S');
      writeString(out, s);
    } else if (v instanceof Integer i) {
      out.writeByte('I');
      out.writeInt(i);
    } else if (v instanceof Long l) {
      out.writeByte('l');
      out.writeLong(l);
    } else if (v instanceof Short s) {
      out.writeByte('s');
      out.writeShort(s);
    } else if (v instanceof Byte b) {
      out.writeByte('b');
      out.writeByte(b);
    } else if (v instanceof Boolean b) {
      out.writeByte('t');
      out.writeBoolean(b);
    } else if (v instanceof Double d) {
      out.writeByte('d');
      out.writeDouble(d);
    } else if (v instanceof Float f) {
      out.writeByte('f');
      out.writeFloat(f);
    } else if (v instanceof BigDecimal d) {
      out.writeByte('D');
      writeString(out, d.toString());
    } else if (v instanceof Date d) {
      out.writeByte('T');
      out.writeLong(d.getTime());
    } else if (v instanceof byte[] b) {
      out.writeByte('x');
      out.writeInt(b.length);
      out.write(b);
    } else if (v instanceof Map<?, ?> m) {
      out.writeByte('F');
      writeMap(out, m);
    } else if (v instanceof List<?> list) {
      out.writeByte('A');
      out.writeInt(list.size());
      for (Object o : list) {
        writeValue(out, o);
      }
    } else if (v instanceof CharSequence cs) {
      out.writeByte('S');
      writeString(out, cs.toString());
    } else {
      throw new IllegalArgumentException(
          "cannot store a header or argument value of type " + v.getClass().getName());
    }
  }

  private static Object readValue(ByteBuffer in) throws CorruptException {
    int type = Byte.toUnsignedInt(in.get());
    switch (type) {
      case 'V':
        return null;
      case 'S':
        return readString(in);
      case 'I':
        return in.getInt();
      case 'l':
        return in.getLong();
      case 's':
        return in.getShort();
      case 'b':
        return in.get();
      case 't':
        return in.get() != 0;
      case 'd':
        return in.getDouble();
      case 'f':
        return in.getFloat();
      case 'D':
        return new BigDecimal(readString(in));
      case 'T':
        return new Date(in.getLong());
      case 'x':
        {
          int n = in.getInt();
          if (n < 0 || n > in.remaining()) {
            throw new CorruptException("truncated byte array");
          }
          byte[] b = new byte[n];
          in.get(b);
          return b;
        }
      case 'F':
        return readMap(in);
      case 'A':
        {
          int n = in.getInt();
          List<Object> list = new ArrayList<>(Math.min(n, 1024));
          for (int i = 0; i < n; i++) {
            list.add(readValue(in));
          }
          return list;
        }
      default:
        throw new CorruptException("unknown value type " + type);
    }
  }
}
