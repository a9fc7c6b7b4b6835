package io.warrenmq.client.wire;

import static io.warrenmq.client.wire.WireReader.readLongLong;
import static io.warrenmq.client.wire.WireReader.readOctet;
import static io.warrenmq.client.wire.WireReader.readShort;
import static io.warrenmq.client.wire.WireReader.readShortString;
import static io.warrenmq.client.wire.WireReader.readTable;
import static io.warrenmq.client.wire.WireWriter.writeShortString;
import static io.warrenmq.client.wire.WireWriter.writeTable;

import io.netty.buffer.ByteBuf;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ReplyCode;

/**
 * A content header frame (spec 4.2.6.1): the content's class (60, basic), its body size and the
 * basic properties, each present when its bit in the property flags is set (spec 4.2.6.1 and
 * "basic" properties: content-type bit 15 down to the reserved cluster-id bit 2).
 *
 * <p>AMQP carries the timestamp in seconds; {@link BasicProperties#timestamp()} is in ms, so a
 * decoded timestamp is a whole second and an encoded one is truncated to the second.
 *
 * @param classId the content class; 60 for every method WarrenMQ knows
 * @param bodySize the body's size in bytes, over all body frames
 * @param properties the basic properties
 */
public record ContentHeader(int classId, long bodySize, BasicProperties properties) {
  private static final int CONTENT_TYPE = 1 << 15;
  private static final int CONTENT_ENCODING = 1 << 14;
  private static final int HEADERS = 1 << 13;
  private static final int DELIVERY_MODE = 1 << 12;
  private static final int PRIORITY = 1 << 11;
  private static final int CORRELATION_ID = 1 << 10;
  private static final int REPLY_TO = 1 << 9;
  private static final int EXPIRATION = 1 << 8;
  private static final int MESSAGE_ID = 1 << 7;
  private static final int TIMESTAMP = 1 << 6;
  private static final int TYPE = 1 << 5;
  private static final int USER_ID = 1 << 4;
  private static final int APP_ID = 1 << 3;
  private static final int CLUSTER_ID = 1 << 2;
  private static final int CONTINUATION = 1;

  /**
   * Decodes a content header frame's payload, all of it.
   *
   * @throws AmqpException 501 FRAME_ERROR when it does not decode, names which property
   */
  public static ContentHeader decode(ByteBuf in) {
    try {
      int classId = readShort(in, "class-id");
      readShort(in, "weight");
      long bodySize = readLongLong(in, "body-size");
      if (bodySize < 0) {
        throw new WireFormatException("body-size " + Long.toUnsignedString(bodySize));
      }
      int flags = readShort(in, "property-flags");
      if ((flags & CONTINUATION) != 0) {
        throw new WireFormatException("property flags continue past the basic properties");
      }
      if ((flags & 0b10) != 0) {
        throw new WireFormatException("property flag bit 1 is set; basic has no such property");
      }
      BasicProperties.Builder b = BasicProperties.builder();
      if ((flags & CONTENT_TYPE) != 0) {
        b.contentType(readShortString(in, "content-type"));
      }
      if ((flags & CONTENT_ENCODING) != 0) {
        b.contentEncoding(readShortString(in, "content-encoding"));
      }
      if ((flags & HEADERS) != 0) {
        b.headers(readTable(in, "headers"));
      }
      if ((flags & DELIVERY_MODE) != 0) {
        b.deliveryMode(readOctet(in, "delivery-mode"));
      }
      if ((flags & PRIORITY) != 0) {
        b.priority(readOctet(in, "priority"));
      }
      if ((flags & CORRELATION_ID) != 0) {
        b.correlationId(readShortString(in, "correlation-id"));
      }
      if ((flags & REPLY_TO) != 0) {
        b.replyTo(readShortString(in, "reply-to"));
      }
      if ((flags & EXPIRATION) != 0) {
        b.expiration(readShortString(in, "expiration"));
      }
      if ((flags & MESSAGE_ID) != 0) {
        b.messageId(readShortString(in, "message-id"));
      }
      if ((flags & TIMESTAMP) != 0) {
        b.timestamp(readLongLong(in, "timestamp") * 1000);
      }
      if ((flags & TYPE) != 0) {
        b.type(readShortString(in, "type"));
      }
      if ((flags & USER_ID) != 0) {
        b.userId(readShortString(in, "user-id"));
      }
      if ((flags & APP_ID) != 0) {
        b.appId(readShortString(in, "app-id"));
      }
      if ((flags & CLUSTER_ID) != 0) {
        readShortString(in, "cluster-id");
      }
      if (in.isReadable()) {
        throw new WireFormatException(in.readableBytes() + " bytes follow the last property");
      }
      return new ContentHeader(classId, bodySize, b.build());
    } catch (WireFormatException e) {
      throw new AmqpException(
          ReplyCode.FRAME_ERROR, "cannot decode content header: " + e.getMessage());
    }
  }

  /**
   * Writes this header as a content header frame's payload.
   *
   * @throws IllegalArgumentException for a property the wire cannot carry (a string over 255 bytes,
   *     a header value of an unknown type, a priority or delivery mode over 255)
   */
  public void encode(ByteBuf out) {
    BasicProperties p = properties;
    out.writeShort(classId);
    out.writeShort(0);
    out.writeLong(bodySize);
    int flagsAt = out.writerIndex();
    out.writeShort(0);
    int flags = 0;
    if (p.contentType() != null) {
      flags |= CONTENT_TYPE;
      writeShortString(out, p.contentType());
    }
    if (p.contentEncoding() != null) {
      flags |= CONTENT_ENCODING;
      writeShortString(out, p.contentEncoding());
    }
    if (!p.headers().isEmpty()) {
      flags |= HEADERS;
      writeTable(out, p.headers());
    }
    if (p.deliveryMode() != null) {
      flags |= DELIVERY_MODE;
      out.writeByte(octet(p.deliveryMode(), "delivery-mode"));
    }
    if (p.priority() != null) {
      flags |= PRIORITY;
      out.writeByte(octet(p.priority(), "priority"));
    }
    if (p.correlationId() != null) {
      flags |= CORRELATION_ID;
      writeShortString(out, p.correlationId());
    }
    if (p.replyTo() != null) {
      flags |= REPLY_TO;
      writeShortString(out, p.replyTo());
    }
    if (p.expiration() != null) {
      flags |= EXPIRATION;
      writeShortString(out, p.expiration());
    }
    if (p.messageId() != null) {
      flags |= MESSAGE_ID;
      writeShortString(out, p.messageId());
    }
    if (p.timestamp() != null) {
      flags |= TIMESTAMP;
      out.writeLong(p.timestamp() / 1000);
    }
    if (p.type() != null) {
      flags |= TYPE;
      writeShortString(out, p.type());
    }
    if (p.userId() != null) {
      flags |= USER_ID;
      writeShortString(out, p.userId());
    }
    if (p.appId() != null) {
      flags |= APP_ID;
      writeShortString(out, p.appId());
    }
    out.setShort(flagsAt, flags);
  }

  private static int octet(int value, String property) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException(property + " " + value + " is not an octet (0-255)");
    }
    return value;
  }
}
