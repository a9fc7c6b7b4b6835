package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.StoredEntry;
import io.warrenmq.engine.StoredMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One commit of many dequeues (a consumer's acknowledgements grouped by the writer) removes exactly
 * the dequeued entries, in whatever order they come: inline message rows, a shared message's entry
 * (its row stays while another queue holds it), and nothing of the entries between them that stay.
 * On H2 here; {@link DequeuesInOneCommitOnPostgresTest} runs the same on PostgreSQL.
 */
@Timeout(60)
class DequeuesInOneCommitTest {
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

  private static void await(CompletionStage<Void> stage) throws Exception {
    stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The seqs of a queue's entries; every entry here has its message id as its seq. */
  private static List<Long> seqs(JdbcMessageStore store, String queue) {
    List<Long> out = new ArrayList<>();
    for (StoredEntry e : store.readEntries("/", queue, Long.MIN_VALUE, 1000, 1L << 30)) {
      assertEquals(e.seq(), e.message().messageId(), "seq");
      out.add(e.seq());
    }
    return out;
  }

  @Test
  void oneCommitOfRunsOfDequeuesRemovesExactlyTheDequeuedEntries() throws Exception {
    List<Long> keptInQ = new ArrayList<>(List.of(25L));
    LongStream.rangeClosed(31, 40).forEach(keptInQ::add);
    try (JdbcMessageStore store = JdbcMessageStore.open(config, "dequeues")) {
      await(store.storeQueue("/", QueueSpec.durable("q")));
      await(store.storeQueue("/", QueueSpec.durable("r")));
      // ids 1..40 in q, except 15 (r's alone); 21 is one publish routed to both (shared)
      for (long id = 1; id <= 40; id++) {
        MessageStore.UnitOfWork unit = store.beginUnitOfWork();
        if (id != 15) {
          unit.enqueue("/", "q", id, message(id));
        }
        if (id == 15 || id == 21) {
          unit.enqueue("/", "r", id, message(id));
        }
        await(unit.commit());
      }
      assertEquals(40, StoreProbe.count(config, "warren_message"));
      assertEquals(2, StoreProbe.count(config, "warren_queue_entry"), "21's entries");

      // one commit dequeues q's 1..30 but 25 (21 is the shared one), in reverse order
      MessageStore.UnitOfWork acks = store.beginUnitOfWork();
      List<Long> dequeued = new ArrayList<>();
      LongStream.rangeClosed(1, 30).filter(id -> id != 15 && id != 25).forEach(dequeued::add);
      java.util.Collections.reverse(dequeued);
      for (long id : dequeued) {
        acks.dequeue("/", "q", id);
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
}
