package io.warrenmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The value conversions of {@code MapMessage} and {@code StreamMessage} (Jakarta Messaging 3.1,
 * section 3.11.3: a value written as the row type can be read as the column types), and the binary
 * form in which both bodies travel: a tag byte per value followed by its big-endian encoding.
 */
final class TypedValues {

  private static final byte NULL = 0;
  private static final byte BOOLEAN = 1;
  private static final byte BYTE = 2;
  private static final byte SHORT = 3;
  private static final byte CHAR = 4;
  private static final byte INT = 5;
  private static final byte LONG = 6;
  private static final byte FLOAT = 7;
  private static final byte DOUBLE = 8;
  private static final byte STRING = 9;
  private static final byte BYTES = 10;

  private TypedValues() {}

  /** Whether {@code value} is a type these bodies can hold. */
  static boolean isSupported(Object value) {
    return value == null
        || value instanceof Boolean
        || value instanceof Byte
        || value instanceof Short
        || value instanceof Character
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Float
        || value instanceof Double
        || value instanceof String
        || value instanceof byte[];
  }

  static boolean toBoolean(Object v) throws JMSException {
    if (v == null || v instanceof String) {
      return Boolean.parseBoolean((String) v);
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw conversion(v, "boolean");
  }

  static byte toByte(Object v) throws JMSException {
    if (v == null || v instanceof String) {
      return Byte.parseByte(requireText(v));
    }
    if (v instanceof Byte b) {
      return b;
    }
    throw conversion(v, "byte");
  }

  static short toShort(Object v) throws JMSException {
    if (v == null || v instanceof String) {
      return Short.parseShort(requireText(v));
    }
    if (v instanceof Byte || v instanceof Short) {
      return ((Number) v).shortValue();
    }
    throw conversion(v, "short");
  }

  static char toChar(Object v) throws JMSException {
    if (v == null) {
      throw new NullPointerException("the value is null and cannot be read as char (3.11.3)");
    }
    if (v instanceof Character c) {
      return c;
    }
    throw conversion(v, "char");
  }

  static int toInt(Object v) throws JMSException {
    if (v == null || v instanceof String) {
      return Integer.parseInt(requireText(v));
    }
    if (v instanceof Byte || v instanceof Short || v instanceof Integer) {
      return ((Number) v).intValue();
    }
    throw conversion(v, "int");
  }

  static long toLong(Object v) throws JMSException {
    if (v == null || v instanceof String) {
      return Long.parseLong(requireText(v));
    }
    if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw conversion(v, "long");
  }

  static float toFloat(Object v) throws JMSException {
    if (v == null || v instanceof String) {
      return Float.parseFloat(requireText(v));
    }
    if (v instanceof Float f) {
      return f;
    }
    throw conversion(v, "float");
  }

  static double toDouble(Object v) throws JMSException {
    if (v == null || v instanceof String) {
      return Double.parseDouble(requireText(v));
    }
    if (v instanceof Float || v instanceof Double) {
      return ((Number) v).doubleValue();
    }
    throw conversion(v, "double");
  }

  static String toText(Object v) throws JMSException {
    if (v instanceof byte[]) {
      throw conversion(v, "String");
    }
    return v == null ? null : v.toString();
  }

  static byte[] toBytes(Object v) throws JMSException {
    if (v == null || v instanceof byte[]) {
      return (byte[]) v;
    }
    throw conversion(v, "byte[]");
  }

  /** Null reads as a number fail with NumberFormatException, as {@code valueOf(null)} does. */
  private static String requireText(Object v) {
    if (v == null) {
      throw new NumberFormatException("null cannot be read as a number (3.11.3)");
    }
    return (String) v;
  }

  private static MessageFormatException conversion(Object value, String target) {
    return new MessageFormatException(
        "a "
            + (value instanceof byte[] ? "byte[]" : value.getClass().getSimpleName())
            + " value cannot be read as "
            + target
            + " (Jakarta Messaging 3.11.3)");
  }

  /** Encodes a sequence of values (a StreamMessage body). */
  static byte[] encodeList(List<Object> values) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(values.size());
      for (Object v : values) {
        write(out, v);
      }
    } catch (IOException e) {
      throw new IllegalStateException("in-memory stream failed", e);
    }
    return bytes.toByteArray();
  }

  /** Encodes name-value pairs (a MapMessage body). */
  static byte[] encodeMap(Map<String, Object> values) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(values.size());
      for (Map.Entry<String, Object> e : values.entrySet()) {
        out.writeUTF(e.getKey());
        write(out, e.getValue());
      }
    } catch (IOException e) {
      throw new IllegalStateException("in-memory stream failed", e);
    }
    return bytes.toByteArray();
  }

  static void decodeList(byte[] body, List<Object> into) throws JMSException {
    if (body == null || body.length == 0) {
      return;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        into.add(read(in));
      }
    } catch (IOException e) {
      throw malformed("StreamMessage", e);
    }
  }

  static void decodeMap(byte[] body, Map<String, Object> into) throws JMSException {
    if (body == null || body.length == 0) {
      return;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        into.put(name, read(in));
      }
    } catch (IOException e) {
      throw malformed("MapMessage", e);
    }
  }

  private static MessageFormatException malformed(String type, IOException e) {
    MessageFormatException jmse =
        new MessageFormatException("malformed " + type + " body: " + e.getMessage());
    jmse.initCause(e);
    jmse.setLinkedException(e);
    return jmse;
  }

  private static void write(DataOutputStream out, Object v) throws IOException {
    if (v == null) {
      out.writeByte(NULL);
    } else if (v instanceof Boolean b) {
      out.writeByte(BOOLEAN);
      out.writeBoolean(b);
    } else if (v instanceof Byte b) {
      out.writeByte(BYTE);
      out.writeByte(b);
    } else if (v instanceof Short s) {
      out.writeByte(SHORT);
      out.writeShort(s);
    } else if (v instanceof Character c) {
      out.writeByte(CHAR);
      out.writeChar(c);
    } else if (v instanceof Integer i) {
      out.writeByte(INT);
      out.writeInt(i);
    } else if (v instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (v instanceof Float f) {
      out.writeByte(FLOAT);
      out.writeFloat(f);
    } else if (v instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeDouble(d);
    } else if (v instanceof String s) {
      // Not writeUTF: that caps strings at 65,535 encoded bytes.
      byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.writeByte(STRING);
      out.writeInt(utf8.length);
      out.write(utf8);
    } else if (v instanceof byte[] b) {
      out.writeByte(BYTES);
      out.writeInt(b.length);
      out.write(b);
    } else {
      throw new IllegalArgumentException("unsupported value type " + v.getClass());
    }
  }

  private static Object read(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case NULL -> null;
      case BOOLEAN -> in.readBoolean();
      case BYTE -> in.readByte();
      case SHORT -> in.readShort();
      case CHAR -> in.readChar();
      case INT -> in.readInt();
      case LONG -> in.readLong();
      case FLOAT -> in.readFloat();
      case DOUBLE -> in.readDouble();
      case STRING -> {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        yield new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
      }
      case BYTES -> {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        yield b;
      }
      default -> throw new IOException("unknown value tag " + tag);
    };
  }
}
