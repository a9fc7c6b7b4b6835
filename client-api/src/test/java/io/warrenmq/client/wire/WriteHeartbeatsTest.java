package io.warrenmq.client.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WriteHeartbeats} on Netty's embedded channel with its clock advanced by hand: spec 4.2.7,
 * a heartbeat frame after one interval in which nothing was flushed, none while frames flow.
 */
class WriteHeartbeatsTest {

  private final EmbeddedChannel channel = new EmbeddedChannel();

  /** The clock stands still but for {@link #advance}; the handler joins an active channel. */
  @BeforeEach
  void addTheHandlerToAnActiveChannelWithAFrozenClock() {
    channel.freezeTime();
    channel.pipeline().addLast(new WriteHeartbeats(1, TimeUnit.SECONDS));
  }

  /** Advances the channel's clock and runs what became due. */
  private void advance(long ms) {
    channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  private static void assertHeartbeat(ByteBuf frame) {
    try {
      assertEquals(Frame.OVERHEAD, frame.readableBytes(), "a heartbeat frame has no payload");
      assertEquals(Frame.HEARTBEAT, frame.readUnsignedByte(), "type");
      assertEquals(0, frame.readUnsignedShort(), "channel");
      assertEquals(0, frame.readInt(), "size");
      assertEquals(Frame.FRAME_END, frame.readUnsignedByte(), "frame end");
    } finally {
      frame.release();
    }
  }

  @Test
  void anIdleChannelSendsOneHeartbeatPerInterval() {
    advance(999);
    assertNull(channel.readOutbound(), "nothing before a whole interval");
    advance(1);
    assertHeartbeat(channel.readOutbound());
    assertNull(channel.readOutbound());
    advance(1000);
    assertHeartbeat(channel.readOutbound());
    assertNull(channel.readOutbound(), "one per interval");
    channel.finishAndReleaseAll();
  }

  @Test
  void aFlushWithinTheIntervalPutsTheHeartbeatOff() {
    advance(600);
    channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {42}));
    ByteBuf data = channel.readOutbound();
    assertEquals(42, data.readByte());
    data.release();
    advance(400); // 1 s since the start, 0.4 s since the flush
    assertNull(channel.readOutbound(), "no heartbeat 0.4 s after a flush");
    advance(599);
    assertNull(channel.readOutbound());
    advance(1); // a whole interval since the flush
    assertHeartbeat(channel.readOutbound());
    channel.finishAndReleaseAll();
  }

  @Test
  void aClosedChannelSendsNothing() {
    channel.close();
    advance(5000);
    assertNull(channel.readOutbound());
    channel.finishAndReleaseAll();
  }

  @Test
  void anIntervalOfZeroIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new WriteHeartbeats(0, TimeUnit.SECONDS));
    assertEquals("heartbeat interval must be > 0, was 0", e.getMessage());
  }
}
