package io.warrenmq.store.jdbc;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.StoredBinding;
import io.warrenmq.engine.StoredEntry;
import io.warrenmq.engine.StoredMessage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link StoreMemoryTest}, started with a small heap: stores a large backlog in
 * one queue through the store alone (the engine's paging is not involved), with the ids the engine
 * gives messages of one queue ({@link JdbcMessageStore#messageIdFor}), reads it back page by page,
 * restarts, recovers, and acks it all. Prints {@code HEAP <bytes>;} (heap used after a full GC with
 * the whole backlog stored), {@code READ <entries> <delivered>;}, {@code RECOVERED <entries>;} and
 * {@code DONE;}.
 *
 * <p>Arguments: {@code <dataDir> <entries>}.
 */
public final class StoreMemoryChild {
  private static final int WINDOW = 10_000;

  private StoreMemoryChild() {}

  public static void main(String[] args) throws Exception {
    JdbcStoreConfig config = JdbcStoreConfig.h2(Path.of(args[0]));
    int n = Integer.parseInt(args[1]);
    BasicProperties persistent =
        BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();
    byte[] body = new byte[100];
    try (JdbcMessageStore store = JdbcMessageStore.open(config, "memory")) {
      await(store.storeQueue("/", QueueSpec.durable("q")));
      CompletionStage<Void> last = null;
      for (int i = 1; i <= n; i++) {
        long id = idOf(store, i);
        last = store.enqueue("/", "q", i, new StoredMessage(id, "", "q", persistent, body));
        if (i % 10 == 0) {
          store.markDelivered("/", "q", id); // 10% delivered: the writer flushes its marks
        }
        if (i % WINDOW == 0) {
          await(last);
        }
      }
      await(last);
      System.gc();
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      System.out.println("HEAP " + used + ";");
      long read = 0;
      long delivered = 0;
      long after = Long.MIN_VALUE;
      List<StoredEntry> page;
      while (!(page = store.readEntries("/", "q", after, 1024, 1L << 20)).isEmpty()) {
        for (StoredEntry e : page) {
          read++;
          delivered += e.delivered() ? 1 : 0;
          after = e.seq();
        }
      }
      System.out.println("READ " + read + " " + delivered + ";");
    }
    try (JdbcMessageStore store = JdbcMessageStore.open(config, "memory")) {
      long[] recovered = new long[1];
      store.recover(
          new MessageStore.RecoveryHandler() {
            @Override
            public void exchange(String virtualHost, ExchangeSpec spec) {}

            @Override
            public void queue(String virtualHost, QueueSpec spec) {}

            @Override
            public void binding(StoredBinding binding) {}

            @Override
            public void queueEntries(
                String virtualHost, String queue, long entries, long bodyBytes, long lastSeq) {
              recovered[0] += entries;
            }

            @Override
            public void lastMessageId(long messageId) {}
          });
      System.out.println("RECOVERED " + recovered[0] + ";");
      CompletionStage<Void> last = null;
      for (int i = 1; i <= n; i++) {
        last = store.dequeue("/", "q", idOf(store, i));
        if (i % WINDOW == 0) {
          await(last);
        }
      }
      await(last);
    }
    System.out.println("DONE;");
  }

  /**
   * The id the engine gives a message of one queue: made by the store from the queue and the
   * position, so the backlog is the queue's range of the message table (its production layout).
   */
  private static long idOf(JdbcMessageStore store, long seq) {
    long id = store.messageIdFor("/", "q", seq);
    if (id == 0) {
      throw new IllegalStateException("no queue-made id for a stored queue at position " + seq);
    }
    return id;
  }

  private static void await(CompletionStage<Void> stage) throws Exception {
    stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
