package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.StoredEntry;
import io.warrenmq.engine.StoredMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@link MessageStore.UnitOfWork} on the JDBC store: its operations commit together
 * or not at all, nothing is written before {@code commit}, and a unit is committed once.
 */
@Timeout(60)
class UnitOfWorkTest {
  private static final BasicProperties PERSISTENT =
      BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();

  @TempDir Path dataDir;

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

  private static List<Long> ids(JdbcMessageStore store, String queue) {
    List<Long> out = new ArrayList<>();
    for (StoredEntry e : store.readEntries("/", queue, Long.MIN_VALUE, 1000, 1L << 30)) {
      out.add(e.message().messageId());
    }
    return out;
  }

  private JdbcMessageStore openWithQueues(String... queues) throws Exception {
    JdbcMessageStore store = JdbcMessageStore.open(config, "unit");
    for (String q : queues) {
      await(store.storeQueue("/", QueueSpec.durable(q)));
    }
    return store;
  }

  /** Completes after the writer has handled every operation queued before it. */
  private static void barrier(JdbcMessageStore store) throws Exception {
    await(store.storeQueue("/", QueueSpec.durable("barrier")));
  }

  @Test
  void unitOfWorkCommitsItsOperationsTogether() throws Exception {
    try (JdbcMessageStore store = openWithQueues("q", "r")) {
      await(store.enqueue("/", "q", 0, message(1)));
      MessageStore.UnitOfWork unit = store.beginUnitOfWork();
      CompletionStage<Void> first = unit.enqueue("/", "q", 1, message(2));
      CompletionStage<Void> second = unit.enqueue("/", "r", 0, message(2));
      unit.dequeue("/", "q", 1);
      barrier(store);
      assertEquals(List.of(1L), ids(store, "q"), "nothing of the unit is written before commit");
      assertEquals(List.of(), ids(store, "r"));
      assertFalse(first.toCompletableFuture().isDone());

      CompletionStage<Void> done = unit.commit();
      assertSame(done, first, "an enqueue's stage is the unit's");
      assertSame(done, second);
      await(done);
      assertEquals(List.of(2L), ids(store, "q"));
      assertEquals(List.of(2L), ids(store, "r"));
      assertEquals(1, StoreProbe.count(config, "warren_message"), "the shared message once");
      assertEquals(2, StoreProbe.count(config, "warren_queue_entry"), "an entry per queue");
    }
    try (JdbcMessageStore reopened = JdbcMessageStore.open(config, "again")) {
      assertEquals(List.of(2L), ids(reopened, "q"));
      assertEquals(List.of(2L), ids(reopened, "r"));
    }
  }

  @Test
  void unitOfWorkCannotBeCommittedTwice() throws Exception {
    try (JdbcMessageStore store = openWithQueues("q")) {
      MessageStore.UnitOfWork unit = store.beginUnitOfWork();
      unit.enqueue("/", "q", 0, message(1));
      await(unit.commit());
      assertThrows(IllegalStateException.class, unit::commit);
      assertThrows(IllegalStateException.class, () -> unit.enqueue("/", "q", 1, message(2)));
      assertThrows(IllegalStateException.class, () -> unit.dequeue("/", "q", 1));
      assertThrows(IllegalStateException.class, () -> unit.dequeueRange("/", "q", 0, 5));
      assertThrows(
          IllegalStateException.class, () -> unit.forgetBranch(1, new byte[1], new byte[1]));
      barrier(store);
      assertEquals(List.of(1L), ids(store, "q"), "a use after commit changes nothing");
    }
  }

  @Test
  void aFailedOperationMidUnitCommitsNothingOfTheUnit() throws Exception {
    try (JdbcMessageStore store = openWithQueues("q", "r")) {
      await(store.enqueue("/", "q", 0, message(1)));
      BasicProperties unstorable =
          PERSISTENT.toBuilder().headers(Map.of("not-a-field-value", new Object())).build();
      MessageStore.UnitOfWork unit = store.beginUnitOfWork();
      unit.enqueue("/", "q", 1, message(2));
      unit.dequeue("/", "q", 1);
      unit.enqueue("/", "r", 0, new StoredMessage(3, "", "k", unstorable, new byte[] {1}));
      unit.enqueue("/", "r", 1, message(4));
      ExecutionException failed =
          assertThrows(
              ExecutionException.class,
              () -> unit.commit().toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertInstanceOf(IllegalArgumentException.class, failed.getCause());
      barrier(store);
      assertEquals(List.of(1L), ids(store, "q"), "neither the enqueue nor the dequeue");
      assertEquals(List.of(), ids(store, "r"));
      assertEquals(1, StoreProbe.count(config, "warren_message"));
      // the store goes on
      await(store.enqueue("/", "r", 2, message(5)));
      assertEquals(List.of(5L), ids(store, "r"));
    }
  }

  @Test
  void anEmptyUnitOfWorkCommitsAtOnceAndWritesNothing() throws Exception {
    try (JdbcMessageStore store = openWithQueues("q")) {
      long commits = store.commitCount();
      CompletionStage<Void> done = store.beginUnitOfWork().commit();
      assertTrue(done.toCompletableFuture().isDone());
      await(done);
      assertEquals(commits, store.commitCount());
    }
  }
}
