package io.warrenmq.client.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The sending half of AMQP heartbeats (spec 4.2.7, "Heartbeat Frames": a peer that has sent nothing
 * for one negotiated interval sends a heartbeat frame): a pipeline handler that notes each flush
 * and, once a whole interval has passed without one, writes and flushes a heartbeat. The receiving
 * half (close after two silent intervals, as RabbitMQ does) stays with Netty's {@code
 * IdleStateHandler} reader timeout; {@link Heartbeats#install} adds both.
 *
 * <p>Why not {@code IdleStateHandler}'s writer timeout: it watches every write's completion, so it
 * turns each write's void promise into a real promise with a listener, an allocation and a listener
 * notification per command. In a JFR profile of the JMS wire client sending and consuming 150,000
 * messages a second, that was 11 % of its event loop's samples, the largest single item
 * (docs/performance.md). Here a flush costs one field write.
 *
 * <p>A flush counts as sending: frames flushed but still in the socket's buffer (a peer that does
 * not read) do not make a heartbeat more useful.
 *
 * <p>Thread-safety: a pipeline handler of one channel; everything runs on that channel's event
 * loop. Time is the event loop's {@code ticker()}, so tests can advance it.
 */
public final class WriteHeartbeats extends ChannelDuplexHandler {
  private final long intervalNanos;
  private long lastFlush;
  private Future<?> timer;

  /**
   * @param interval the negotiated heartbeat interval, more than 0
   * @param unit its unit (AMQP negotiates seconds)
   * @throws IllegalArgumentException for an interval of 0 or less
   */
  public WriteHeartbeats(long interval, TimeUnit unit) {
    if (interval <= 0) {
      throw new IllegalArgumentException("heartbeat interval must be > 0, was " + interval);
    }
    this.intervalNanos = unit.toNanos(interval);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    lastFlush = now(ctx);
    if (ctx.channel().isActive()) {
      schedule(ctx, intervalNanos);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (timer == null) {
      lastFlush = now(ctx);
      schedule(ctx, intervalNanos);
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    lastFlush = now(ctx);
    ctx.flush();
  }

  private void check(ChannelHandlerContext ctx) {
    timer = null;
    if (!ctx.channel().isOpen()) {
      return;
    }
    long idle = now(ctx) - lastFlush;
    if (idle < intervalNanos) {
      schedule(ctx, intervalNanos - idle);
      return;
    }
    ByteBuf out = ctx.alloc().buffer(Frame.OVERHEAD);
    FrameWriter.writeHeartbeat(out);
    ctx.writeAndFlush(out, ctx.voidPromise()); // toward the head: not through flush() above
    lastFlush = now(ctx);
    schedule(ctx, intervalNanos);
  }

  private void schedule(ChannelHandlerContext ctx, long delayNanos) {
    timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private static long now(ChannelHandlerContext ctx) {
    return ctx.executor().ticker().nanoTime();
  }
}
