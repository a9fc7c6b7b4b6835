package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.StoredEntry;
import io.warrenmq.engine.StoredMessage;
import io.warrenmq.store.jdbc.internal.MessageIds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dequeueAfter} and {@code dequeueRange} (the paged-out tail of a purged queue), {@code
 * readEntries} and {@code readEntriesById} on the store itself, as the engine's paging calls them,
 * and many dequeues in one commit. On H2 here; {@link DequeueAfterOnPostgresTest} runs the same on
 * PostgreSQL.
 */
@Timeout(60)
class DequeueAfterTest {
  private static final BasicProperties PERSISTENT =
      BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();

  @TempDir Path dataDir;

  /** The store every test opens. */
  JdbcStoreConfig config;

  @BeforeEach
  void useTheStore() {
    config = JdbcStoreConfig.h2(dataDir);
  }

  private static StoredMessage message(long id) {
    return new StoredMessage(id, "", "k", PERSISTENT, ("m" + id).getBytes());
  }

  /**
   * A message published to {@code queue} alone: its id is the one the store makes from the queue
   * and the position (schema version 8), as the broker asks for it.
   */
  private static StoredMessage alone(JdbcMessageStore store, String queue, long seq, String body) {
    long id = store.messageIdFor("/", queue, seq);
    assertTrue(id >= MessageIds.QUEUE_MADE, "a queue-made id for " + queue + ": " + id);
    return new StoredMessage(id, "", "k", PERSISTENT, body.getBytes());
  }

  private static void await(CompletionStage<Void> stage) throws Exception {
    stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static List<Long> seqs(JdbcMessageStore store, String queue) {
    List<Long> out = new ArrayList<>();
    for (StoredEntry e : store.readEntries("/", queue, Long.MIN_VALUE, 1000, 1L << 30)) {
      out.add(e.seq());
    }
    return out;
  }

  private JdbcMessageStore openWithQueues(String... queues) throws Exception {
    JdbcMessageStore store = JdbcMessageStore.open(config, "paging");
    for (String q : queues) {
      await(store.storeQueue("/", QueueSpec.durable(q)));
    }
    return store;
  }

  @Test
  void dequeueAfterRemovesTheEntriesAboveItsSeqAndCompletesAfterTheCommit() throws Exception {
    try (JdbcMessageStore store = openWithQueues("q", "r")) {
      for (int seq = 0; seq < 10; seq++) {
        store.enqueue("/", "q", seq, alone(store, "q", seq, "m" + (seq + 1)));
        store.enqueue("/", "r", seq, message(seq + 101));
      }
      CompletionStage<Void> purged = store.dequeueAfter("/", "q", 4);
      // issued after the call: kept, even if written in the same group commit
      CompletionStage<Void> later = store.enqueue("/", "q", 10, alone(store, "q", 10, "m11"));
      await(purged);
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L), seqs(store, "q").subList(0, 5));
      await(later);
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 10L), seqs(store, "q"));
      assertEquals(10, seqs(store, "r").size(), "another queue is untouched");
      assertEquals(6 + 10, StoreProbe.count(config, "warren_message"));
    }
    try (JdbcMessageStore reopened = JdbcMessageStore.open(config, "again")) {
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 10L), seqs(reopened, "q"));
    }
  }

  @Test
  void aSharedMessageLosesItsRowWithItsLastEntryWhetherDequeuedOrCutOff() throws Exception {
    try (JdbcMessageStore store = openWithQueues("q", "r")) {
      // one publish routed to both queues: one unit of work, one message row
      for (long id = 1; id <= 3; id++) {
        long seq = id;
        MessageStore.UnitOfWork unit = store.beginUnitOfWork();
        unit.enqueue("/", "q", 10 + seq, message(seq));
        unit.enqueue("/", "r", seq, message(seq));
        await(unit.commit());
      }
      assertEquals(3, StoreProbe.count(config, "warren_message"));
      assertEquals(6, StoreProbe.count(config, "warren_queue_entry"));
      // r's entry of message 3 goes first: the cut of q below then removes its last entry
      await(store.dequeue("/", "r", 3));
      assertEquals(3, StoreProbe.count(config, "warren_message"), "q still holds message 3");
      await(store.dequeueAfter("/", "q", 10));
      assertEquals(2, StoreProbe.count(config, "warren_message"), "r still holds 1 and 2");
      assertEquals(2, StoreProbe.count(config, "warren_queue_entry"));
      assertEquals(List.of(), seqs(store, "q"));
      await(store.dequeue("/", "r", 1));
      assertEquals(1, StoreProbe.count(config, "warren_message"));
      assertEquals(List.of(2L), seqs(store, "r"));
    }
    assertEquals(1, StoreProbe.count(config, "warren_message"));
  }

  @Test
  void anEnqueueOfAUnitStillOpenOnAnotherThreadIsCutOffToo() throws Exception {
    try (JdbcMessageStore store = openWithQueues("q")) {
      await(store.enqueue("/", "q", 0, message(1)));
      CountDownLatch enqueued = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<CompletionStage<Void>> unit = new CompletableFuture<>();
      Thread t =
          new Thread(
              () -> {
                MessageStore.UnitOfWork u = store.beginUnitOfWork();
                u.enqueue("/", "q", 1, message(2));
                enqueued.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                unit.complete(u.commit());
              });
      t.start();
      assertTrue(enqueued.await(10, TimeUnit.SECONDS));
      await(store.dequeueAfter("/", "q", 0)); // the engine saw seq 1 before this call
      release.countDown();
      await(unit.get(10, TimeUnit.SECONDS));
      assertEquals(List.of(0L), seqs(store, "q"));
      assertEquals(1, StoreProbe.count(config, "warren_message"));
    }
  }

  @Test
  void readEntriesMergesSharedAndSingleQueueEntriesInSeqOrderPageByPage() throws Exception {
    try (JdbcMessageStore store = openWithQueues("q", "r")) {
      for (int seq = 0; seq < 30; seq++) {
        long id = seq + 1;
        if (seq % 3 == 0) {
          MessageStore.UnitOfWork unit = store.beginUnitOfWork();
          unit.enqueue("/", "q", id - 1, message(id));
          unit.enqueue("/", "r", id - 1, message(id));
          unit.commit();
        } else {
          store.enqueue("/", "q", seq, alone(store, "q", seq, "m" + id));
        }
      }
      // held by the writer, not written yet
      await(store.markDelivered("/", "q", store.messageIdFor("/", "q", 1)));
      await(store.markDelivered("/", "q", 4)); // a shared entry
      List<Long> seen = new ArrayList<>();
      List<Long> delivered = new ArrayList<>();
      long after = Long.MIN_VALUE;
      while (true) {
        List<StoredEntry> page = store.readEntries("/", "q", after, 7, 1L << 20);
        if (page.isEmpty()) {
          break;
        }
        assertTrue(page.size() <= 7);
        for (StoredEntry e : page) {
          seen.add(e.seq());
          assertEquals(
              e.seq() % 3 == 0 ? e.seq() + 1 : store.messageIdFor("/", "q", e.seq()),
              e.message().messageId());
          assertEquals("m" + (e.seq() + 1), new String(e.message().body()));
          if (e.delivered()) {
            delivered.add(e.seq());
          }
          after = e.seq();
        }
      }
      List<Long> expected = new ArrayList<>();
      for (long s = 0; s < 30; s++) {
        expected.add(s);
      }
      assertEquals(expected, seen);
      assertEquals(List.of(1L, 3L), delivered);
      // maxBytes: stops after the entry that reaches it (bodies are 2 or 3 bytes)
      assertEquals(2, store.readEntries("/", "q", Long.MIN_VALUE, 100, 3).size());
      assertEquals(1, store.readEntries("/", "q", Long.MIN_VALUE, 100, 1).size());
    }
  }

  @Test
  void dequeueRangeRemovesOnlyTheEntriesStrictlyBetweenItsBoundsInlineAndShared() throws Exception {
    try (JdbcMessageStore store = openWithQueues("q", "r")) {
      for (int seq = 0; seq < 8; seq++) {
        store.enqueue("/", "q", seq, alone(store, "q", seq, "m" + (seq + 1)));
      }
      // message 50 is shared by q (seq 8) and r: its q entry goes, its r entry stays
      MessageStore.UnitOfWork u1 = store.beginUnitOfWork();
      u1.enqueue("/", "q", 8, message(50));
      u1.enqueue("/", "r", 0, message(50));
      await(u1.commit());
      MessageStore.UnitOfWork u2 = store.beginUnitOfWork();
      u2.dequeueRange("/", "q", 1, 3);
      u2.dequeueRange("/", "q", 3, 6);
      u2.dequeueRange("/", "q", 6, Long.MAX_VALUE);
      await(u2.commit());
      assertEquals(List.of(0L, 1L, 3L, 6L), seqs(store, "q"));
      assertEquals(List.of(0L), seqs(store, "r"));
    }
  }

  @Test
  void readEntriesByIdReturnsTheQueuesEntriesOfThoseMessagesInSeqOrder() throws Exception {
    try (JdbcMessageStore store = openWithQueues("q", "r")) {
      for (int seq = 0; seq < 5; seq++) {
        store.enqueue("/", "q", seq, message(seq + 1));
      }
      MessageStore.UnitOfWork u3 = store.beginUnitOfWork();
      u3.enqueue("/", "q", 5, message(60));
      u3.enqueue("/", "r", 0, message(60));
      await(u3.commit());
      await(store.markDelivered("/", "q", 4));
      List<StoredEntry> read = store.readEntriesById("/", "q", List.of(60L, 4L, 2L, 99L));
      assertEquals(List.of(1L, 3L, 5L), read.stream().map(StoredEntry::seq).toList());
      assertEquals(List.of(2L, 4L, 60L), read.stream().map(e -> e.message().messageId()).toList());
      assertEquals("m4", new String(read.get(1).message().body()));
      assertTrue(read.get(1).delivered(), "its delivered mark");
      assertEquals(List.of(), store.readEntriesById("/", "r", List.of(2L)), "not r's message");
      assertEquals(List.of(), store.readEntriesById("/", "nope", List.of(2L)), "no such queue");
    }
  }

  /**
   * One commit of many dequeues (a consumer's acknowledgements grouped by the writer) removes
   * exactly the dequeued entries, in whatever order they come: inline message rows, a shared
   * message's entry (its row stays while another queue holds it), and none of the entries between
   * them.
   */
  @Test
  void oneCommitOfManyDequeuesRemovesExactlyTheDequeuedEntries() throws Exception {
    List<Long> keptInQ = new ArrayList<>(List.of(25L));
    LongStream.rangeClosed(31, 40).forEach(keptInQ::add);
    java.util.Map<Long, Long> ids = new java.util.HashMap<>();
    try (JdbcMessageStore store = JdbcMessageStore.open(config, "dequeues")) {
      await(store.storeQueue("/", QueueSpec.durable("q")));
      await(store.storeQueue("/", QueueSpec.durable("r")));
      // seqs 1..40 in q, except 15 (r's alone); 21 is one publish routed to both (shared, a
      // global id); the others are queue-made ids
      for (long seq = 1; seq <= 40; seq++) {
        MessageStore.UnitOfWork unit = store.beginUnitOfWork();
        if (seq == 21) {
          unit.enqueue("/", "q", seq, message(21));
          unit.enqueue("/", "r", seq, message(21));
          ids.put(seq, 21L);
        } else if (seq == 15) {
          unit.enqueue("/", "r", seq, alone(store, "r", seq, "m15"));
        } else {
          StoredMessage m = alone(store, "q", seq, "m" + seq);
          ids.put(seq, m.messageId());
          unit.enqueue("/", "q", seq, m);
        }
        await(unit.commit());
      }
      assertEquals(40, StoreProbe.count(config, "warren_message"));
      assertEquals(2, StoreProbe.count(config, "warren_queue_entry"), "21's entries");

      // one commit dequeues q's 1..30 but 25 (21 is the shared one), in reverse order
      MessageStore.UnitOfWork acks = store.beginUnitOfWork();
      List<Long> dequeued = new ArrayList<>();
      LongStream.rangeClosed(1, 30).filter(id -> id != 15 && id != 25).forEach(dequeued::add);
      Collections.reverse(dequeued);
      for (long seq : dequeued) {
        acks.dequeue("/", "q", ids.get(seq));
      }
      await(acks.commit());

      assertEquals(keptInQ, seqs(store, "q"));
      assertEquals(List.of(15L, 21L), seqs(store, "r"), "r's entries, 21's included, stay");
      assertEquals(keptInQ.size() + 2, StoreProbe.count(config, "warren_message"));
      assertEquals(1, StoreProbe.count(config, "warren_queue_entry"), "r's entry of 21");
    }
    try (JdbcMessageStore reopened = JdbcMessageStore.open(config, "again")) {
      assertEquals(keptInQ, seqs(reopened, "q"));
      assertEquals(List.of(15L, 21L), seqs(reopened, "r"));
    }
  }

  /**
   * Acks of consecutive queue-made ids are deleted by one range statement per run ({@code
   * MessageTables.DELETE_INLINE_RUN}); the runs leave ids of other queues, shared messages and ids
   * outside the run alone.
   */
  @Test
  void runsOfAcksRemoveExactlyTheirMessagesAndLeaveTheOthers() throws Exception {
    try (JdbcMessageStore store = openWithQueues("q", "r")) {
      List<Long> ids = new ArrayList<>();
      for (long seq = 1; seq <= 30; seq++) {
        StoredMessage m = alone(store, "q", seq, "m" + seq);
        ids.add(m.messageId());
        store.enqueue("/", "q", seq, m);
        store.enqueue("/", "r", seq, alone(store, "r", seq, "r" + seq));
      }
      MessageStore.UnitOfWork shared = store.beginUnitOfWork();
      shared.enqueue("/", "q", 31, message(7));
      shared.enqueue("/", "r", 31, message(7));
      await(shared.commit());

      MessageStore.UnitOfWork acks = store.beginUnitOfWork();
      LongStream.rangeClosed(3, 12).forEach(seq -> acks.dequeue("/", "q", ids.get((int) seq - 1)));
      LongStream.rangeClosed(20, 22).forEach(seq -> acks.dequeue("/", "q", ids.get((int) seq - 1)));
      acks.dequeue("/", "q", 7); // the shared message's entry in q
      await(acks.commit());

      List<Long> keptInQ = new ArrayList<>(List.of(1L, 2L));
      LongStream.rangeClosed(13, 19).forEach(keptInQ::add);
      LongStream.rangeClosed(23, 30).forEach(keptInQ::add);
      assertEquals(keptInQ, seqs(store, "q"));
      assertEquals(31, seqs(store, "r").size(), "r untouched, its entry of 7 included");
      assertEquals(keptInQ.size() + 31, StoreProbe.count(config, "warren_message"));
    }
  }

  /**
   * A queue-made id names one queue's row ({@link JdbcMessageStore#messageIdFor}); a unit that
   * enqueues it to a second queue fails at commit, naming the id and the queue, and writes nothing.
   */
  @Test
  void aQueueMadeIdEnqueuedToASecondQueueFailsItsUnitNamingItAndWritesNothing() throws Exception {
    try (JdbcMessageStore store = openWithQueues("q", "r")) {
      StoredMessage m = alone(store, "q", 1, "m1");
      MessageStore.UnitOfWork unit = store.beginUnitOfWork();
      unit.enqueue("/", "q", 1, m);
      unit.enqueue("/", "r", 1, m);
      java.util.concurrent.ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              java.util.concurrent.ExecutionException.class, () -> await(unit.commit()));
      assertTrue(e.getCause() instanceof IllegalArgumentException, e.toString());
      assertTrue(e.getCause().getMessage().contains("message id " + m.messageId()), e.toString());
      assertTrue(e.getCause().getMessage().contains("queue 'r'"), e.toString());
      assertEquals(0, StoreProbe.count(config, "warren_message"));
      assertEquals(List.of(), seqs(store, "q"));
    }
  }
}
