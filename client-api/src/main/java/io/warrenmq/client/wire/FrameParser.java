package io.warrenmq.client.wire;

import io.netty.buffer.ByteBuf;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;

/**
 * Cuts frames out of the bytes read from a socket (spec 4.2.3 "General frame format"): type octet,
 * channel short, payload size long, payload, frame-end octet {@code 0xCE}. A frame is returned only
 * once all of it has arrived; a frame whose size is over the negotiated {@code frame_max} is
 * refused as soon as its header is read, before its payload arrives, so an oversized announcement
 * never makes the broker buffer it.
 *
 * <p>Errors are 501 FRAME_ERROR connection errors with RabbitMQ's reasons: an unknown frame type, a
 * frame over {@code frame_max}, a wrong frame-end octet.
 *
 * <p>Thread-safety: one parser per connection, used by its event-loop thread only.
 */
public final class FrameParser {
  private long frameMax;

  /**
   * @param frameMax the largest frame in bytes, header and frame end included (AMQP's {@code
   *     frame_max}); before {@code connection.tune-ok} the spec's minimum, 4096
   */
  public FrameParser(long frameMax) {
    this.frameMax = frameMax;
  }

  /** Sets the negotiated {@code frame_max} (bytes, frame overhead included). */
  public void frameMax(long bytes) {
    this.frameMax = bytes;
  }

  /** The {@code frame_max} in force, in bytes. */
  public long frameMax() {
    return frameMax;
  }

  /**
   * The next whole frame in {@code in}, or null when it has not all arrived yet (nothing is
   * consumed then). The frame's payload is a slice of {@code in}.
   *
   * @throws AmqpException 501 FRAME_ERROR, see above
   */
  public Frame next(ByteBuf in) {
    if (in.readableBytes() < Frame.HEADER_SIZE) {
      return null;
    }
    int start = in.readerIndex();
    int type = in.getUnsignedByte(start);
    int channel = in.getUnsignedShort(start + 1);
    long size = in.getUnsignedInt(start + 3);
    if (type != Frame.METHOD
        && type != Frame.HEADER
        && type != Frame.BODY
        && type != Frame.HEARTBEAT) {
      throw new AmqpException(
          ReplyCode.FRAME_ERROR, "unknown frame type " + type + " on channel " + channel);
    }
    if (size > frameMax - Frame.OVERHEAD) {
      throw new AmqpException(
          ReplyCode.FRAME_ERROR,
          "frame of type "
              + type
              + " has a "
              + size
              + "-byte payload, over the "
              + (frameMax - Frame.OVERHEAD)
              + " that frame_max "
              + frameMax
              + " allows");
    }
    if (in.readableBytes() < Frame.OVERHEAD + size) {
      return null;
    }
    int end = in.getUnsignedByte(start + Frame.HEADER_SIZE + (int) size);
    if (end != Frame.FRAME_END) {
      throw new AmqpException(
          ReplyCode.FRAME_ERROR,
          "frame of type "
              + type
              + " on channel "
              + channel
              + " ends with "
              + String.format("0x%02x", end)
              + ", not the frame-end octet 0xce");
    }
    in.skipBytes(Frame.HEADER_SIZE);
    ByteBuf payload = in.readSlice((int) size);
    in.skipBytes(1);
    return new Frame(type, channel, payload);
  }
}
