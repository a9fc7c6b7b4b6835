package io.warrenmq.client.wire;

import io.netty.buffer.ByteBuf;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AMQP 0-9-1 data types (spec 4.2.5) from a buffer that holds one frame's payload. Every read
 * checks the bytes left first and throws {@link WireFormatException} naming what was wrong, never
 * an {@code IndexOutOfBoundsException}: the bytes come from an untrusted peer.
 *
 * <p>Field tables and arrays use RabbitMQ's type tags (the 0-9-1 errata RabbitMQ implements):
 * {@code t} boolean, {@code b} int8, {@code B} uint8, {@code s} int16, {@code u} uint16, {@code I}
 * int32, {@code i} uint32, {@code l} int64, {@code f} float, {@code d} double, {@code D} decimal,
 * {@code S} long string, {@code x} byte array, {@code A} array, {@code T} timestamp (seconds),
 * {@code F} table, {@code V} void. Decoded Java types are the engine's header types ({@code
 * BasicProperties}): {@code Boolean}, {@code Byte}, {@code Short} ({@code s}, {@code B}), {@code
 * Integer} ({@code I}, {@code u}), {@code Long} ({@code l}, {@code i}), {@code Float}, {@code
 * Double}, {@code BigDecimal}, {@code String} (a {@code S} long string that is valid UTF-8;
 * otherwise its bytes, as pika does), {@code byte[]}, {@code List}, {@code Date} and {@code Map}
 * (in wire order; a repeated name keeps its last value, as RabbitMQ).
 *
 * <p>Thread-safety: stateless; the buffer belongs to the caller.
 */
public final class WireReader {
  /** Tables and arrays nested deeper than this are refused (a frame could nest thousands). */
  public static final int MAX_NESTING = 64;

  private WireReader() {}

  /** An octet, 0-255. */
  public static int readOctet(ByteBuf in, String field) {
    need(in, 1, field);
    return in.readUnsignedByte();
  }

  /** A short (16-bit unsigned), 0-65535. */
  public static int readShort(ByteBuf in, String field) {
    need(in, 2, field);
    return in.readUnsignedShort();
  }

  /** A long (32-bit unsigned), 0-4294967295. */
  public static long readLong(ByteBuf in, String field) {
    need(in, 4, field);
    return in.readUnsignedInt();
  }

  /** A long-long (64-bit); AMQP calls it unsigned, Java sees the same bits as signed. */
  public static long readLongLong(ByteBuf in, String field) {
    need(in, 8, field);
    return in.readLong();
  }

  /** A short string: length octet, then that many UTF-8 bytes. */
  public static String readShortString(ByteBuf in, String field) {
    int length = readOctet(in, field);
    need(in, length, field);
    return utf8(in, length, field);
  }

  /** A long string as bytes: 32-bit length, then that many bytes. */
  public static byte[] readLongStringBytes(ByteBuf in, String field) {
    int length = length(in, field);
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    return bytes;
  }

  /** A long string that must be UTF-8 text (mechanisms, locales). */
  public static String readLongString(ByteBuf in, String field) {
    int length = length(in, field);
    return utf8(in, length, field);
  }

  /** A field table: 32-bit size, then name/value pairs filling exactly that size. */
  public static Map<String, Object> readTable(ByteBuf in, String field) {
    return readTable(in, field, 0);
  }

  private static Map<String, Object> readTable(ByteBuf in, String field, int depth) {
    int size = length(in, field);
    if (size == 0) {
      return Map.of();
    }
    checkDepth(depth, field);
    ByteBuf table = in.readSlice(size);
    Map<String, Object> map = new LinkedHashMap<>();
    while (table.isReadable()) {
      String name = readShortString(table, field);
      map.put(name, readFieldValue(table, field, depth));
    }
    return Collections.unmodifiableMap(map);
  }

  private static List<Object> readArray(ByteBuf in, String field, int depth) {
    int size = length(in, field);
    checkDepth(depth, field);
    ByteBuf array = in.readSlice(size);
    List<Object> list = new ArrayList<>();
    while (array.isReadable()) {
      list.add(readFieldValue(array, field, depth));
    }
    return Collections.unmodifiableList(list);
  }

  private static Object readFieldValue(ByteBuf in, String field, int depth) {
    int tag = readOctet(in, field);
    switch (tag) {
      case 't':
        return readOctet(in, field) != 0;
      case 'b':
        need(in, 1, field);
        return in.readByte();
      case 'B':
        return (short) readOctet(in, field);
      case 's':
        need(in, 2, field);
        return in.readShort();
      case 'u':
        return readShort(in, field);
      case 'I':
        need(in, 4, field);
        return in.readInt();
      case 'i':
        return readLong(in, field);
      case 'l':
        return readLongLong(in, field);
      case 'f':
        need(in, 4, field);
        return in.readFloat();
      case 'd':
        need(in, 8, field);
        return in.readDouble();
      case 'D':
        int scale = readOctet(in, field);
        need(in, 4, field);
        return new BigDecimal(BigInteger.valueOf(in.readInt()), scale);
      case 'S':
        byte[] bytes = readLongStringBytes(in, field);
        String text = utf8OrNull(bytes);
        return text != null ? text : bytes;
      case 'x':
        return readLongStringBytes(in, field);
      case 'A':
        return readArray(in, field, depth + 1);
      case 'T':
        return new Date(readLongLong(in, field) * 1000);
      case 'F':
        return readTable(in, field, depth + 1);
      case 'V':
        return null;
      default:
        throw new WireFormatException("unknown field type '" + printable(tag) + "' in " + field);
    }
  }

  private static void checkDepth(int depth, String field) {
    if (depth >= MAX_NESTING) {
      throw new WireFormatException(
          field + " nests tables or arrays deeper than " + MAX_NESTING + " levels");
    }
  }

  private static int length(ByteBuf in, String field) {
    long length = readLong(in, field);
    if (length > in.readableBytes()) {
      throw new WireFormatException(
          field + " announces " + length + " bytes, only " + in.readableBytes() + " follow");
    }
    return (int) length;
  }

  private static void need(ByteBuf in, int bytes, String field) {
    if (in.readableBytes() < bytes) {
      throw new WireFormatException(
          field + " needs " + bytes + " more bytes, only " + in.readableBytes() + " follow");
    }
  }

  private static String utf8(ByteBuf in, int length, String field) {
    if (length == 0) {
      return "";
    }
    // one bulk copy out of the buffer; ASCII, the common case (names, routing keys, ids), then
    // becomes a String without a CharsetDecoder
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    boolean ascii = true;
    for (byte b : bytes) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    String s = utf8OrNull(bytes);
    if (s == null) {
      throw new WireFormatException(field + " is not valid UTF-8");
    }
    return s;
  }

  private static String utf8OrNull(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String printable(int tag) {
    return tag >= 0x20 && tag < 0x7f ? String.valueOf((char) tag) : String.format("0x%02x", tag);
  }
}
