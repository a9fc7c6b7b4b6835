package io.warrenmq.store.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The group commit's sync stage ({@link SyncStage}) with a file sync the test controls: nothing is
 * confirmed before the sync that covers it, batches handed over during a sync share the next one,
 * and a failed sync fails its round.
 */
@Timeout(30)
class SyncStageTest {
  /** Each sync takes the next answer: null succeeds, an exception fails it. */
  private final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();

  private final AtomicInteger syncs = new AtomicInteger();
  private final WriterCounters counters = new WriterCounters();
  private final SyncStage stage =
      new SyncStage(
          "test",
          () -> {
            syncs.incrementAndGet();
            Object answer;
            try {
              answer = answers.take();
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
            if (answer instanceof IOException e) {
              throw e;
            }
          },
          counters);

  @AfterEach
  void stop() throws Exception {
    for (int i = 0; i < 10; i++) {
      answers.add("ok"); // whatever is still to be synced
    }
    assertTrue(stage.stop(10_000), "the stage's thread ended");
  }

  private static BatchOutcome committed(Op... ops) {
    return new BatchOutcome(List.of(ops), null, null, false, true);
  }

  private static Op settle(long id) {
    return new Op.Settle("/", "q", id, false);
  }

  private void awaitSyncs(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (syncs.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(n, syncs.get(), "syncs begun");
  }

  @Test
  void aBatchIsCompletedOnlyAfterTheSyncThatCoversItReturns() throws Exception {
    stage.start();
    Op op = settle(1);
    stage.submit(committed(op));
    awaitSyncs(1);
    Thread.sleep(50);
    assertFalse(op.future().toCompletableFuture().isDone(), "completed while its sync ran");
    answers.add("ok");
    op.future().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(1, counters.snapshot().syncs(), "the sync counted");
  }

  @Test
  void batchesHandedOverWhileASyncRunsShareTheNextSync() throws Exception {
    stage.start();
    Op first = settle(1);
    stage.submit(committed(first));
    awaitSyncs(1);
    List<Op> later = new ArrayList<>();
    for (int i = 2; i <= 4; i++) {
      Op op = settle(i);
      later.add(op);
      stage.submit(committed(op));
    }
    answers.add("ok"); // the first sync returns; the three later batches wait for the next one
    first.future().toCompletableFuture().get(10, TimeUnit.SECONDS);
    awaitSyncs(2);
    for (Op op : later) {
      assertFalse(op.future().toCompletableFuture().isDone(), "completed before its sync");
    }
    answers.add("ok");
    for (Op op : later) {
      op.future().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    stage.awaitIdle();
    assertEquals(2, syncs.get(), "one sync for the three batches handed over during the first");
  }

  @Test
  void aFailedSyncFailsEveryBatchOfItsRoundWithTheCause() throws Exception {
    stage.start();
    Op first = settle(1);
    stage.submit(committed(first));
    awaitSyncs(1);
    Op second = settle(2);
    Op third = settle(3);
    stage.submit(committed(second));
    stage.submit(committed(third));
    answers.add("ok");
    awaitSyncs(2);
    IOException disk = new IOException("disk gone");
    answers.add(disk);
    for (Op op : List.of(second, third)) {
      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () -> op.future().toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertSame(disk, e.getCause());
    }
    first.future().toCompletableFuture().get(1, TimeUnit.SECONDS); // its own sync succeeded
    Op after = settle(4);
    stage.submit(committed(after));
    answers.add("ok");
    after.future().toCompletableFuture().get(10, TimeUnit.SECONDS); // the stage goes on
  }

  @Test
  void aTransactionThatFailedKeepsItsFailureAndACommittedOneTakesTheSyncFailure() throws Exception {
    stage.start();
    RuntimeException refused = new RuntimeException("topology refused");
    Op topology = new Op.TopologyOp(Topology.storeVirtualHost("v"));
    Op message = settle(1);
    stage.submit(new BatchOutcome(List.of(topology, message), refused, null, false, true));
    IOException disk = new IOException("disk gone");
    answers.add(disk);
    ExecutionException t =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () -> topology.future().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertSame(refused, t.getCause(), "the topology transaction's own failure");
    ExecutionException m =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () -> message.future().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertSame(disk, m.getCause(), "the committed message transaction was not synced");
  }

  @Test
  void stopSyncsAndCompletesWhatWasHandedOver() throws Exception {
    stage.start();
    Op op = settle(1);
    stage.submit(committed(op));
    answers.add("ok");
    assertTrue(stage.stop(10_000));
    assertTrue(op.future().toCompletableFuture().isDone(), "completed before the stage ended");
    op.future().toCompletableFuture().get();
  }
}
