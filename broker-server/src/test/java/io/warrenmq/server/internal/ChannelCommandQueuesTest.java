package io.warrenmq.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order of one connection's commands (AMQP 0-9-1 section 2.3.5: a channel's commands in order,
 * channels independent): a command that waits (a commit waiting for its fsync) holds up its own
 * channel only.
 */
@Timeout(30)
class ChannelCommandQueuesTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final AtomicInteger afterCommand = new AtomicInteger();

  /** A permit per run of the hook, which runs after a command no longer counts as pending. */
  private final java.util.concurrent.Semaphore commandsDone = new java.util.concurrent.Semaphore(0);

  private final ChannelCommandQueues queues =
      new ChannelCommandQueues(
          pool,
          () -> {
            afterCommand.incrementAndGet();
            commandsDone.release();
          });

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void aWaitingCommandOfOneChannelDoesNotHoldUpAnotherChannel() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch otherRan = new CountDownLatch(1);
    queues.channel(1, () -> await(release)); // a tx.commit waiting for the store
    queues.channel(2, otherRan::countDown);
    assertTrue(otherRan.await(5, TimeUnit.SECONDS), "channel 2 ran while channel 1 waited");
    assertTrue(commandsDone.tryAcquire(5, TimeUnit.SECONDS), "channel 2's command finished");
    assertEquals(1, queues.pending(), "channel 1's command still counts");
    release.countDown();
  }

  @Test
  void theCommandsOfOneChannelRunOneAtATimeInArrivalOrder() throws Exception {
    List<Integer> ran = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlapping = new AtomicInteger();
    queues.channel(1, () -> await(release));
    for (int i = 0; i < 200; i++) {
      int n = i;
      queues.channel(
          1,
          () -> {
            if (running.incrementAndGet() > 1) {
              overlapping.incrementAndGet();
            }
            ran.add(n);
            running.decrementAndGet();
          });
    }
    assertTrue(ran.isEmpty(), "nothing overtook the waiting command");
    release.countDown();
    CountDownLatch done = new CountDownLatch(1);
    queues.channel(1, done::countDown);
    assertTrue(done.await(5, TimeUnit.SECONDS));
    assertEquals(200, ran.size());
    for (int i = 0; i < 200; i++) {
      assertEquals(i, ran.get(i));
    }
    assertEquals(0, overlapping.get(), "two commands of one channel ran at once");
  }

  @Test
  void afterAllWaitsForTheCommandsQueuedOnEveryChannel() throws Exception {
    CountDownLatch release1 = new CountDownLatch(1);
    CountDownLatch release3 = new CountDownLatch(1);
    queues.channel(1, () -> await(release1));
    queues.channel(3, () -> await(release3));
    CountDownLatch closed = new CountDownLatch(1);
    queues.afterAll(closed::countDown); // the engine connection's close
    assertFalse(closed.await(200, TimeUnit.MILLISECONDS), "ran before channel 1 and 3");
    release1.countDown();
    assertFalse(closed.await(200, TimeUnit.MILLISECONDS), "ran before channel 3");
    release3.countDown();
    assertTrue(closed.await(5, TimeUnit.SECONDS));
  }

  @Test
  void afterAllRunsAtOnceWhenNothingIsQueued() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    queues.afterAll(closed::countDown);
    assertTrue(closed.await(5, TimeUnit.SECONDS));
  }

  @Test
  void aReusedChannelNumberRunsAfterTheEarlierChannelsCommands() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    queues.channel(
        5,
        () -> {
          await(release);
          ran.add("close of the first channel 5");
        });
    queues.channel(5, () -> ran.add("open of the second channel 5"));
    release.countDown();
    CountDownLatch done = new CountDownLatch(1);
    queues.channel(5, done::countDown);
    assertTrue(done.await(5, TimeUnit.SECONDS));
    assertEquals(List.of("close of the first channel 5", "open of the second channel 5"), ran);
  }

  @Test
  void pendingCountsEveryChannelsCommandsAndTheHookRunsAfterEach() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    for (int channel = 1; channel <= 3; channel++) {
      queues.channel(channel, () -> await(release));
      queues.channel(channel, () -> {});
    }
    assertEquals(6, queues.pending());
    release.countDown();
    assertTrue(commandsDone.tryAcquire(6, 5, TimeUnit.SECONDS), "the hook ran after each command");
    assertEquals(0, queues.pending(), "the hook runs once pending no longer counts its command");
    assertEquals(6, afterCommand.get());
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aCommandRunsOnTheCallingThreadOnlyWhenItsChannelHasNothingQueuedOrRunning()
      throws Exception {
    Thread caller = Thread.currentThread();
    List<String> ran = new CopyOnWriteArrayList<>();
    assertTrue(
        queues.channelIfIdle(1, () -> ran.add("inline on " + (Thread.currentThread() == caller))));
    assertEquals(List.of("inline on true"), ran);
    assertEquals(0, queues.pending(), "a command run in place is not counted as queued");

    CountDownLatch release = new CountDownLatch(1);
    queues.channel(1, () -> await(release)); // a commit waiting for the store
    assertFalse(
        queues.channelIfIdle(1, () -> ran.add("overtook the commit")),
        "a busy channel keeps its order: the caller queues the command instead");
    queues.channel(1, () -> ran.add("after the commit"));
    assertTrue(
        queues.channelIfIdle(2, () -> ran.add("another channel")),
        "another channel's idle queue still runs in place");
    release.countDown();
    assertTrue(commandsDone.tryAcquire(2, 5, TimeUnit.SECONDS));
    assertEquals(List.of("inline on true", "another channel", "after the commit"), ran);

    // the pool thread leaves the channel's queue just after the command's hook has run
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    boolean inPlace = false;
    while (!inPlace && System.nanoTime() < deadline) {
      inPlace = queues.channelIfIdle(1, () -> ran.add("idle again"));
    }
    assertTrue(inPlace, "once its queue has drained, the channel runs in place again");
    assertEquals("idle again", ran.get(ran.size() - 1));
  }

  @Test
  void aHeldCommandHoldsItsChannelUntilItsStageCompletesWithoutHoldingAThread() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    java.util.concurrent.CompletableFuture<Void> stored =
        new java.util.concurrent.CompletableFuture<>();
    CountDownLatch handed = new CountDownLatch(1);
    queues.channelStep(
        1,
        () -> {
          ran.add("commit handed to the store");
          handed.countDown();
          return stored; // a dtx.commit waiting for its fsync
        });
    queues.channel(1, () -> ran.add("next command of channel 1"));
    CountDownLatch otherRan = new CountDownLatch(1);
    queues.channel(2, otherRan::countDown);
    assertTrue(otherRan.await(5, TimeUnit.SECONDS), "another channel runs meanwhile");
    // channel 2 may run before channel 1's first command even starts, on another thread
    assertTrue(handed.await(5, TimeUnit.SECONDS), "channel 1's held command ran");
    assertTrue(commandsDone.tryAcquire(5, TimeUnit.SECONDS), "channel 2's command finished");
    assertEquals(List.of("commit handed to the store"), ran, "channel 1 waits for the stage");
    assertEquals(2, queues.pending(), "the held command and the one behind it still count");
    CountDownLatch closed = new CountDownLatch(1);
    queues.afterAll(closed::countDown);
    assertFalse(closed.await(200, TimeUnit.MILLISECONDS), "afterAll waits for the held command");

    stored.complete(null); // the store's writer answers
    assertTrue(closed.await(5, TimeUnit.SECONDS));
    assertEquals(List.of("commit handed to the store", "next command of channel 1"), ran);
    // the hooks of the held command, the one behind it and afterAll's on channels 0, 1 and 2
    assertTrue(commandsDone.tryAcquire(5, 5, TimeUnit.SECONDS));
    assertEquals(0, queues.pending());
  }

  @Test
  void aHeldCommandRunInPlaceQueuesTheChannelsNextCommandsBehindItsStage() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    java.util.concurrent.CompletableFuture<Void> stored =
        new java.util.concurrent.CompletableFuture<>();
    assertTrue(
        queues.channelStepIfIdle(
            1,
            () -> {
              ran.add("commit on the event loop");
              return stored;
            }));
    assertFalse(
        queues.channelIfIdle(1, () -> ran.add("overtook the commit")),
        "the channel is busy while the commit is held: the caller queues instead");
    queues.channel(1, () -> ran.add("after the commit"));
    assertFalse(
        commandsDone.tryAcquire(200, TimeUnit.MILLISECONDS),
        "nothing ends while the commit is held");
    assertEquals(List.of("commit on the event loop"), ran);

    stored.completeExceptionally(new IllegalStateException("the store failed"));
    assertTrue(commandsDone.tryAcquire(5, TimeUnit.SECONDS), "a failed stage ends it too");
    assertEquals(List.of("commit on the event loop", "after the commit"), ran);
  }

  @Test
  void aStageAlreadyCompleteEndsTheCommandAtOnce() throws Exception {
    assertTrue(
        queues.channelStepIfIdle(
            1, () -> java.util.concurrent.CompletableFuture.completedStage(null)));
    assertEquals(0, queues.pending());
    assertTrue(queues.channelIfIdle(1, () -> {}), "the channel is idle again at once");
  }
}
