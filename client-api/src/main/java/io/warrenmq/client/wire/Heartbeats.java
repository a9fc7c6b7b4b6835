package io.warrenmq.client.wire;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Both halves of AMQP heartbeats (spec 4.2.7, "Heartbeat Frames") on a connection's pipeline, the
 * same for the broker and the client once {@code connection.tune-ok} has fixed the interval:
 *
 * <ul>
 *   <li>sending: {@link WriteHeartbeats}, a heartbeat frame after one interval without a flush;
 *   <li>receiving: Netty's {@link IdleStateHandler} reader timeout of two intervals, which fires an
 *       {@code IdleStateEvent} ({@code READER_IDLE}) at the connection's handler; that handler
 *       closes the connection, as RabbitMQ does after two missed heartbeats.
 * </ul>
 *
 * <p>Thread-safety: call on the channel's event loop (a handler's own callback).
 */
public final class Heartbeats {
  private Heartbeats() {}

  /**
   * Adds both halves in front of {@code ctx}'s handler.
   *
   * @param ctx the context of the connection's frame handler
   * @param intervalSeconds the negotiated interval, 1-65535 s
   * @return the receiving half, whose read timeout the caller may reset (a broker that stopped
   *     reading a socket restarts the count when it reads again)
   * @throws IllegalArgumentException for an interval of 0 or less (no heartbeats: install nothing)
   */
  public static IdleStateHandler install(ChannelHandlerContext ctx, int intervalSeconds) {
    WriteHeartbeats sender = new WriteHeartbeats(intervalSeconds, TimeUnit.SECONDS);
    IdleStateHandler receiver = new IdleStateHandler(2L * intervalSeconds, 0, 0, TimeUnit.SECONDS);
    ctx.pipeline().addBefore(ctx.name(), "heartbeat", receiver);
    ctx.pipeline().addBefore(ctx.name(), "heartbeat-sender", sender);
    return receiver;
  }
}
