package io.warrenmq.client.wire;

import io.netty.buffer.ByteBuf;
import io.warrenmq.client.BasicProperties;

/**
 * Writes frames (spec 4.2.3): a method, a content header and the body frames of a content, each
 * body frame at most {@code frame_max} bytes including the frame's 8 bytes of overhead (spec
 * 4.2.6.2), and heartbeats.
 *
 * <p>Thread-safety: stateless; the buffer belongs to the caller.
 */
public final class FrameWriter {
  private FrameWriter() {}

  /** A method frame. */
  public static void writeMethod(ByteBuf out, int channel, AmqpMethod method) {
    int start = begin(out, Frame.METHOD, channel);
    MethodCodec.encode(method, out);
    end(out, start);
  }

  /**
   * A method with content: the method frame, the content header frame and as many body frames as
   * {@code frameMax} requires (none for an empty body).
   *
   * @param frameMax the negotiated frame_max in bytes (0 = no limit)
   */
  public static void writeContent(
      ByteBuf out,
      int channel,
      AmqpMethod method,
      BasicProperties properties,
      byte[] body,
      long frameMax) {
    writeMethod(out, channel, method);
    int start = begin(out, Frame.HEADER, channel);
    new ContentHeader(method.id().classId(), body.length, properties).encode(out);
    end(out, start);
    int chunk =
        frameMax <= 0 || frameMax - Frame.OVERHEAD > Integer.MAX_VALUE
            ? Integer.MAX_VALUE
            : (int) (frameMax - Frame.OVERHEAD);
    for (int offset = 0; offset < body.length; offset += chunk) {
      int length = Math.min(chunk, body.length - offset);
      out.writeByte(Frame.BODY);
      out.writeShort(channel);
      out.writeInt(length);
      out.writeBytes(body, offset, length);
      out.writeByte(Frame.FRAME_END);
    }
  }

  /** A heartbeat frame: type 8, channel 0, no payload. */
  public static void writeHeartbeat(ByteBuf out) {
    out.writeByte(Frame.HEARTBEAT);
    out.writeShort(0);
    out.writeInt(0);
    out.writeByte(Frame.FRAME_END);
  }

  private static int begin(ByteBuf out, int type, int channel) {
    int start = out.writerIndex();
    out.writeByte(type);
    out.writeShort(channel);
    out.writeInt(0);
    return start;
  }

  private static void end(ByteBuf out, int start) {
    out.setInt(start + 3, out.writerIndex() - start - Frame.HEADER_SIZE);
    out.writeByte(Frame.FRAME_END);
  }
}
