package io.warrenmq.server.internal;

import io.netty.buffer.ByteBuf;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.wire.AmqpMethod;
import io.warrenmq.client.wire.FrameWriter;

/**
 * Where a connection's outgoing frames go: the socket, through Netty's thread-safe write. Replies
 * come from the connection's command thread, deliveries and confirms from the engine's dispatch
 * threads; a channel's frames stay in order because each source writes a whole command at once.
 *
 * <p>It also measures what the socket holds unsent (Netty's pending outbound bytes: written, not
 * yet taken by the kernel), now and at its peak, for the tests of the slow-consumer bound.
 *
 * <p>Thread-safety: thread-safe.
 */
final class FrameSink {
  private final io.netty.channel.Channel socket;
  private volatile long frameMax = io.warrenmq.client.wire.Frame.MIN_FRAME_MAX;
  private final java.util.concurrent.atomic.AtomicLong peak =
      new java.util.concurrent.atomic.AtomicLong();

  FrameSink(io.netty.channel.Channel socket) {
    this.socket = socket;
  }

  void frameMax(long bytes) {
    this.frameMax = bytes;
  }

  /** The negotiated {@code frame_max} in bytes, frame overhead included. */
  long frameMax() {
    return frameMax;
  }

  void method(int channel, AmqpMethod method) {
    ByteBuf out = socket.alloc().buffer();
    FrameWriter.writeMethod(out, channel, method);
    socket.writeAndFlush(out, socket.voidPromise());
  }

  void content(int channel, AmqpMethod method, BasicProperties properties, byte[] body) {
    ByteBuf out = socket.alloc().buffer(body.length + 256);
    FrameWriter.writeContent(out, channel, method, properties, body, frameMax);
    socket.writeAndFlush(out, socket.voidPromise());
    long now = bufferedBytes(); // counted at once, also when the write is queued for the event loop
    if (now > peak.get()) {
      peak.accumulateAndGet(now, Math::max);
    }
  }

  /** Bytes written to the socket and not yet taken by the kernel, now; 0 once it is closed. */
  long bufferedBytes() {
    io.netty.channel.ChannelOutboundBuffer buffer = socket.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  /** The most {@link #bufferedBytes()} seen after a content write, since the socket opened. */
  long peakBufferedBytes() {
    return peak.get();
  }
}
