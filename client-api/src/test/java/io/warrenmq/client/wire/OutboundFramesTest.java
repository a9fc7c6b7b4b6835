package io.warrenmq.client.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link OutboundFrames} on a real Netty event executor: every command reaches the sink once, in
 * each writer's order, with one flush for what queued while the event loop was busy.
 */
@Timeout(30)
class OutboundFramesTest {

  private final DefaultEventExecutor loop = new DefaultEventExecutor();

  /** What the sink saw, on the event loop: ints written, and "flush" markers. */
  private final List<Object> seen = new ArrayList<>();

  private final OutboundFrames frames =
      new OutboundFrames(
          loop,
          new OutboundFrames.Sink() {
            @Override
            public void write(ByteBuf b) {
              assertTrue(loop.inEventLoop());
              seen.add(b.readInt());
              b.release();
            }

            @Override
            public void flush() {
              seen.add("flush");
            }
          });

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private static ByteBuf command(int n) {
    return Unpooled.buffer(4).writeInt(n);
  }

  /** Runs {@code r} on the event loop and waits for it. */
  private void onLoop(Runnable r) throws Exception {
    loop.submit(r).get(10, TimeUnit.SECONDS);
  }

  @Test
  void commandsQueuedWhileTheEventLoopIsBusyGoOutInOrderWithOneFlush() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    loop.execute(
        () -> {
          try {
            busy.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    for (int i = 0; i < 100; i++) {
      frames.enqueue(command(i));
    }
    assertEquals(400, frames.pendingBytes());
    busy.countDown();
    onLoop(() -> {});
    List<Object> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add(i);
    }
    expected.add("flush");
    onLoop(() -> assertEquals(expected, seen));
    assertEquals(0, frames.pendingBytes());
  }

  @Test
  void aDrainFlushesAfterItsLimitAndGoesOnInAnotherTask() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    loop.execute(
        () -> {
          try {
            busy.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    int n = OutboundFrames.DRAIN_LIMIT + 10;
    for (int i = 0; i < n; i++) {
      frames.enqueue(command(i));
    }
    busy.countDown();
    onLoop(() -> {});
    onLoop(() -> {});
    onLoop(
        () -> {
          assertEquals(n + 2, seen.size());
          assertEquals("flush", seen.get(OutboundFrames.DRAIN_LIMIT));
          assertEquals(OutboundFrames.DRAIN_LIMIT, seen.get(OutboundFrames.DRAIN_LIMIT + 1));
          assertEquals("flush", seen.get(n + 1));
        });
  }

  @Test
  void everyCommandOfConcurrentWritersArrivesOnceInEachWritersOrder() throws Exception {
    int writers = 4;
    int each = 5_000;
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int base = w * each;
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  frames.enqueue(command(base + i));
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (frames.pendingBytes() > 0 && System.nanoTime() < deadline) {
      onLoop(() -> {});
    }
    onLoop(
        () -> {
          int[] next = new int[writers];
          int count = 0;
          for (Object o : seen) {
            if (o instanceof Integer v) {
              int w = v / each;
              assertEquals(w * each + next[w], v, "order of writer " + w);
              next[w]++;
              count++;
            }
          }
          assertEquals(writers * each, count);
          assertEquals("flush", seen.get(seen.size() - 1));
        });
  }

  @Test
  void writeNowOnTheEventLoopGoesAfterWhatIsQueuedAndFlushes() throws Exception {
    CountDownLatch queued = new CountDownLatch(1);
    loop.execute(
        () -> {
          try {
            queued.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          frames.writeNow(command(99));
        });
    frames.enqueue(command(1));
    frames.enqueue(command(2));
    queued.countDown();
    onLoop(() -> {});
    onLoop(() -> assertEquals(List.of(1, 2, 99, "flush"), seen.subList(0, 4)));
  }

  @Test
  void writeNowOffTheEventLoopIsRefusedAndReleasesTheBuffer() {
    ByteBuf b = command(1);
    assertThrows(IllegalStateException.class, () -> frames.writeNow(b));
    assertEquals(0, b.refCnt());
  }

  @Test
  void commandsForAStoppedEventLoopAreReleasedUnsent() throws Exception {
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    ByteBuf b = command(1);
    frames.enqueue(b);
    assertEquals(0, b.refCnt());
    assertEquals(0, frames.pendingBytes());
    assertTrue(seen.isEmpty());
  }
}
