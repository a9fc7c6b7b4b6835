package io.warrenmq.server.internal;

import io.netty.buffer.ByteBuf;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.wire.AmqpMethod;
import io.warrenmq.client.wire.FrameWriter;
import io.warrenmq.client.wire.OutboundFrames;

/**
 * Where a connection's outgoing frames go: the socket. Replies come from the connection's command
 * thread, deliveries and confirms from the engine's dispatch threads; a channel's frames stay in
 * order because each source writes a whole command at once, through one {@link OutboundFrames}
 * queue that the socket's event loop writes with one flush per batch (a dispatch thread handing
 * over 200 deliveries costs one system call, not 200). A command written on the event loop itself
 * goes out at once, after what is queued.
 *
 * <p>It also measures what the socket holds unsent (queued here plus Netty's pending outbound
 * bytes: written, not yet taken by the kernel), now and at its peak, for the tests of the
 * slow-consumer bound, and tells the engine whether it may hand over more deliveries ({@link
 * #writable}).
 *
 * <p>Thread-safety: thread-safe.
 */
final class FrameSink {
  private final io.netty.channel.Channel socket;
  private final OutboundFrames outbound;
  private volatile long frameMax = io.warrenmq.client.wire.Frame.MIN_FRAME_MAX;
  private final java.util.concurrent.atomic.AtomicLong peak =
      new java.util.concurrent.atomic.AtomicLong();

  /** Set when {@link #writable} said no because of the queue: a drain then says when to resume. */
  private volatile boolean refused;

  private volatile Runnable onWritable = () -> {};

  FrameSink(io.netty.channel.Channel socket) {
    this.socket = socket;
    this.outbound =
        new OutboundFrames(
            socket.eventLoop(),
            new OutboundFrames.Sink() {
              @Override
              public void write(ByteBuf frames) {
                socket.write(frames, socket.voidPromise());
              }

              @Override
              public void flush() {
                socket.flush();
              }

              @Override
              public void drained() {
                if (refused && writable()) {
                  refused = false;
                  onWritable.run();
                }
              }
            });
  }

  void frameMax(long bytes) {
    this.frameMax = bytes;
  }

  /** The negotiated {@code frame_max} in bytes, frame overhead included. */
  long frameMax() {
    return frameMax;
  }

  /**
   * Whether the socket takes more deliveries: Netty's outbound buffer is under its high water mark
   * and, with what is queued here, still under it. When the queue alone made the answer no, {@code
   * onWritable} (set by {@link #onWritable}) runs once a drain has brought it back under; when
   * Netty's buffer did, Netty's {@code channelWritabilityChanged} tells.
   */
  boolean writable() {
    if (!socket.isWritable()) {
      return false;
    }
    if (outbound.pendingBytes() <= socket.bytesBeforeUnwritable()) {
      return true;
    }
    refused = true;
    // a drain may have emptied the queue, and found no refusal, between the check and the flag:
    // look again, so that either this call or that drain's drained() sees the room
    return outbound.pendingBytes() <= socket.bytesBeforeUnwritable();
  }

  /** What to run, on the event loop, when the queue no longer holds deliveries back. */
  void onWritable(Runnable r) {
    this.onWritable = java.util.Objects.requireNonNull(r, "r");
  }

  void method(int channel, AmqpMethod method) {
    ByteBuf out = socket.alloc().buffer();
    FrameWriter.writeMethod(out, channel, method);
    write(out);
  }

  void content(int channel, AmqpMethod method, BasicProperties properties, byte[] body) {
    ByteBuf out = socket.alloc().buffer(body.length + 256);
    FrameWriter.writeContent(out, channel, method, properties, body, frameMax);
    write(out);
    long now = bufferedBytes(); // counted at once, also while the write waits for the event loop
    if (now > peak.get()) {
      peak.accumulateAndGet(now, Math::max);
    }
  }

  private void write(ByteBuf out) {
    if (socket.eventLoop().inEventLoop()) {
      outbound.writeNow(out);
    } else {
      outbound.enqueue(out);
    }
  }

  /** Bytes written and not yet taken by the kernel (queued here or in Netty's buffer), now. */
  long bufferedBytes() {
    io.netty.channel.ChannelOutboundBuffer buffer = socket.unsafe().outboundBuffer();
    return outbound.pendingBytes() + (buffer == null ? 0 : buffer.totalPendingWriteBytes());
  }

  /** The most {@link #bufferedBytes()} seen after a content write, since the socket opened. */
  long peakBufferedBytes() {
    return peak.get();
  }
}
