package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.PreparedBranch;
import io.warrenmq.engine.StoredMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable means on disk: which completions of the store wait for a sync (fsync), counted by {@link
 * JdbcMessageStore#statistics()}, and that concurrent callers share one sync (group commit). On H2
 * here; {@link StoreDurabilityOnPostgresTest} runs the same on PostgreSQL.
 */
@Timeout(180) // a sync may take tens of ms on a loaded machine
class StoreDurabilityTest {
  private static final BasicProperties PERSISTENT =
      BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();

  @TempDir Path dataDir;

  /** The store every test opens, at its default durability. */
  JdbcStoreConfig config;

  @BeforeEach
  void useTheStore() {
    config = JdbcStoreConfig.h2(dataDir);
  }

  private static StoredMessage message(long id) {
    return new StoredMessage(id, "", "q", PERSISTENT, new byte[1024]);
  }

  private static void await(java.util.concurrent.CompletionStage<Void> stage) throws Exception {
    stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static PreparedBranch branch(byte gtrid) {
    return new PreparedBranch(
        4711,
        new byte[] {gtrid},
        new byte[] {1},
        List.of(new PreparedBranch.Publish("/", "", "q", PERSISTENT, new byte[] {7}, List.of("q"))),
        List.of());
  }

  private JdbcMessageStore openWithQueue(JdbcStoreConfig c) throws Exception {
    JdbcMessageStore store = JdbcMessageStore.open(c, "durability");
    await(store.storeQueue("/", QueueSpec.durable("q")));
    return store;
  }

  /** The store's sync count when {@code stage} completes. */
  private static long syncsWhenDone(
      JdbcMessageStore store, java.util.concurrent.CompletionStage<Void> stage) throws Exception {
    AtomicLong at = new AtomicLong(-1);
    CompletableFuture<Void> seen =
        stage.toCompletableFuture().thenRun(() -> at.set(store.statistics().syncs()));
    seen.get(60, TimeUnit.SECONDS);
    return at.get();
  }

  @Test
  void aConfirmedEnqueueIsSyncedBeforeItCompletesAtTheDefaultDurability() throws Exception {
    assertEquals(JdbcStoreConfig.Durability.POWER_LOSS, config.durability());
    try (JdbcMessageStore store = openWithQueue(config)) {
      long before = store.statistics().syncs();
      long atCompletion = syncsWhenDone(store, store.enqueue("/", "q", 1, message(1)));
      assertEquals(before + 1, atCompletion, "one sync, done before the enqueue completed");
    }
  }

  @Test
  void aDeclaredQueueIsSyncedBeforeItsDeclarationCompletesAtTheDefaultDurability()
      throws Exception {
    try (JdbcMessageStore store = JdbcMessageStore.open(config, "durability")) {
      long before = store.statistics().syncs();
      // a batch with a topology change only (no message transaction) is synced too
      long atCompletion = syncsWhenDone(store, store.storeQueue("/", QueueSpec.durable("q")));
      assertEquals(before + 1, atCompletion);
    }
  }

  @Test
  void plainAcksAreCommittedWithoutASyncAtTheDefaultDurability() throws Exception {
    try (JdbcMessageStore store = openWithQueue(config)) {
      await(store.enqueue("/", "q", 1, message(1)));
      await(store.markDelivered("/", "q", 1));
      StoreStatistics before = store.statistics();
      await(store.dequeue("/", "q", 1));
      StoreStatistics done = store.statistics().since(before);
      assertEquals(1, done.commits(), "the ack is committed");
      assertEquals(0, done.syncs(), "a plain ack waits for no fsync, as in RabbitMQ");
    }
  }

  @Test
  void acksInAUnitOfWorkAreSyncedAtTheDefaultDurability() throws Exception {
    try (JdbcMessageStore store = openWithQueue(config)) {
      await(store.enqueue("/", "q", 1, message(1)));
      long before = store.statistics().syncs();
      // as tx.commit writes its acks: in one unit of work
      io.warrenmq.engine.MessageStore.UnitOfWork unit = store.beginUnitOfWork();
      unit.dequeue("/", "q", 1);
      assertEquals(before + 1, syncsWhenDone(store, unit.commit()));
    }
  }

  @Test
  void underProcessCrashAnEnqueueIsCommittedWithoutASync() throws Exception {
    try (JdbcMessageStore store =
        openWithQueue(config.withDurability(JdbcStoreConfig.Durability.PROCESS_CRASH))) {
      StoreStatistics before = store.statistics();
      await(store.enqueue("/", "q", 1, message(1)));
      StoreStatistics done = store.statistics().since(before);
      assertEquals(1, done.commits());
      assertEquals(0, done.syncs(), "PROCESS_CRASH: committed, not synced");
    }
  }

  @Test
  void preparedBranchIsSyncedEvenUnderProcessCrash() throws Exception {
    try (JdbcMessageStore store =
        openWithQueue(config.withDurability(JdbcStoreConfig.Durability.PROCESS_CRASH))) {
      long before = store.statistics().syncs();
      long atCompletion = syncsWhenDone(store, store.prepareBranch(branch((byte) 1)));
      assertEquals(before + 1, atCompletion, "the prepare completed only after its sync");
    }
  }

  @Test
  void committingAPreparedBranchIsSyncedEvenUnderProcessCrash() throws Exception {
    try (JdbcMessageStore store =
        openWithQueue(config.withDurability(JdbcStoreConfig.Durability.PROCESS_CRASH))) {
      await(store.prepareBranch(branch((byte) 2)));
      long before = store.statistics().syncs();
      // as the engine commits a prepared branch: its effects and the forget in one unit of work
      io.warrenmq.engine.MessageStore.UnitOfWork unit = store.beginUnitOfWork();
      unit.enqueue("/", "q", 1, message(1));
      unit.forgetBranch(4711, new byte[] {2}, new byte[] {1});
      java.util.concurrent.CompletionStage<Void> committed = unit.commit();
      assertEquals(before + 1, syncsWhenDone(store, committed));
    }
  }

  @Test
  void aLoneCallerPaysOneSyncPerCommit() throws Exception {
    try (JdbcMessageStore store = openWithQueue(config)) {
      StoreStatistics before = store.statistics();
      for (int i = 1; i <= 10; i++) {
        await(store.enqueue("/", "q", i, message(i)));
      }
      StoreStatistics done = store.statistics().since(before);
      assertEquals(10, done.batches());
      assertEquals(10, done.syncs());
      assertEquals(10, done.operations());
      assertEquals(10L, done.batchSizeCounts().get(0), "every batch held one operation");
      assertTrue(done.syncNanos() > 0);
    }
  }

  /**
   * Group commit (issue 15, section 1): every enqueue that arrives while a sync is in flight goes
   * into the next one. 4 threads, released together, each issue 16 enqueues without waiting (a
   * burst of microseconds against a sync of about half a millisecond), so most of the 64 arrive
   * during a sync. With one thread per enqueue, as before, 64 threads woke one after another over a
   * span comparable to a sync on 2 busy cores, and the batch sizes measured the scheduler.
   */
  @Test
  void concurrentCommitsShareOneSync() throws Exception {
    int threadCount = 4;
    int perThread = 16;
    int callers = threadCount * perThread;
    try (JdbcMessageStore store = openWithQueue(config)) {
      StoreStatistics before = store.statistics();
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        done.add(new CompletableFuture<>());
      }
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < threadCount; t++) {
        int first = t * perThread;
        Thread thread =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    done.forEach(f -> f.completeExceptionally(e));
                    return;
                  }
                  for (int i = first; i < first + perThread; i++) {
                    CompletableFuture<Void> f = done.get(i);
                    long id = i + 1;
                    store
                        .enqueue("/", "q", id, message(id))
                        .whenComplete(
                            (v, e) -> {
                              if (e == null) {
                                f.complete(null);
                              } else {
                                f.completeExceptionally(e);
                              }
                            });
                  }
                });
        threads.add(thread);
        thread.start();
      }
      go.countDown();
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      StoreStatistics s = store.statistics().since(before);
      assertEquals(callers, s.operations(), "every caller's enqueue was written");
      assertEquals(s.batches(), s.syncs(), "one sync per batch");
      assertTrue(
          s.syncs() <= callers / 2,
          s.syncs() + " syncs for " + callers + " concurrent callers; batch sizes " + s);
      assertTrue(s.maxBatchOperations() > 1, s.toString());
      assertEquals(callers, store.readEntries("/", "q", Long.MIN_VALUE, 1000, 1L << 30).size());
    }
  }
}
