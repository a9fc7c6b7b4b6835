package io.warrenmq.client.wire;

import io.netty.buffer.ByteBuf;

/**
 * One AMQP 0-9-1 frame (spec 2.3.5, 4.2.3): type, channel and payload. The frame end octet has been
 * checked and is not part of the payload.
 *
 * @param type {@link #METHOD}, {@link #HEADER}, {@link #BODY} or {@link #HEARTBEAT}
 * @param channel 0-65535; 0 is the connection
 * @param payload the payload, a slice of the read buffer: valid until the caller releases that
 *     buffer
 */
public record Frame(int type, int channel, ByteBuf payload) {
  /** A method frame. */
  public static final int METHOD = 1;

  /** A content header frame. */
  public static final int HEADER = 2;

  /** A content body frame. */
  public static final int BODY = 3;

  /** A heartbeat frame (always channel 0, empty payload). */
  public static final int HEARTBEAT = 8;

  /** The octet that ends every frame. */
  public static final int FRAME_END = 0xCE;

  /** Type, channel and size: the bytes before the payload. */
  public static final int HEADER_SIZE = 7;

  /** Header plus frame end: what a frame adds to its payload (RabbitMQ's frame_max minus 8). */
  public static final int OVERHEAD = HEADER_SIZE + 1;

  /** The smallest frame_max a peer may ask for (spec 4.2.3: 4096 octets). */
  public static final int MIN_FRAME_MAX = 4096;
}
