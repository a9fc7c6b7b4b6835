package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.StoredMessage;
import io.warrenmq.store.jdbc.internal.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JdbcMessageStore#fileBytes()}, behind the {@code warrenmq_store_file_bytes} gauge: the
 * embedded store's files' size as the file system reports it (the H2 file and the journal), growing
 * with commits (the journal grows ahead of its records, H2 appends chunks and reuses space only
 * after its 45 s retention time; README, "Durable store"), and nothing for a store whose data is in
 * a database server or for a broker without a store.
 */
@Timeout(60)
class StoreFileBytesTest {
  private static final BasicProperties PERSISTENT =
      BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();

  @TempDir Path dataDir;

  @Test
  void theEmbeddedStoreReportsItsFilesSizeWhichGrowsWithCommits() throws Exception {
    Path file = dataDir.resolve("warren.mv.db");
    try (JdbcMessageStore store =
        JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), "file-bytes")) {
      long opened = reportedBetweenTwoReadsOfTheFile(store, file);
      await(store.storeQueue("/", QueueSpec.durable("q")));
      for (int i = 1; i <= 200; i++) {
        await(
            store.enqueue("/", "q", i, new StoredMessage(i, "", "q", PERSISTENT, new byte[1024])));
      }
      long written = reportedBetweenTwoReadsOfTheFile(store, file);
      // 200 synced commits, each a journal record: the journal grew by a 4 MiB step
      assertTrue(
          written >= opened + 200 * 1024,
          "file " + opened + " bytes at open, " + written + " after 200 1 KiB enqueues");
    }
  }

  @Test
  void aStoreInPostgresqlReportsNoFile() {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    String schema = Databases.createSchema();
    try (JdbcMessageStore store =
        JdbcMessageStore.open(Databases.postgres(schema), "file-bytes-pg")) {
      assertEquals(OptionalLong.empty(), store.fileBytes());
    } finally {
      Databases.dropSchema(schema);
    }
  }

  @Test
  void aBrokerReportsItsStoresFileAndNoneWithoutAStore() throws Exception {
    BrokerConfig config = BrokerConfig.named("file-bytes-broker");
    try (Broker withStore =
        new Broker(config, JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), config.name()))) {
      long reported = withStore.storeFileBytes().orElseThrow();
      assertTrue(reported > 0, "an opened H2 file holds its header and schema: " + reported);
    }
    try (Broker inMemory = new Broker(BrokerConfig.named("file-bytes-memory"))) {
      assertEquals(OptionalLong.empty(), inMemory.storeFileBytes());
    }
  }

  /**
   * The store's answer, checked against the file system's size read just before and just after it
   * (H2 may write between the reads, but never outside them).
   */
  /** What the store reports, checked against the H2 file's and the journal's sizes around it. */
  private static long reportedBetweenTwoReadsOfTheFile(JdbcMessageStore store, Path file)
      throws Exception {
    long before = filesSize(file);
    long reported = store.fileBytes().orElseThrow();
    long after = filesSize(file);
    assertTrue(
        reported >= Math.min(before, after) && reported <= Math.max(before, after),
        "reported " + reported + " bytes, the files had " + before + " then " + after);
    return reported;
  }

  private static long filesSize(Path h2File) throws Exception {
    Path journal = h2File.resolveSibling(Journal.FILE_NAME);
    return Files.size(h2File) + (Files.exists(journal) ? Files.size(journal) : 0);
  }

  private static void await(CompletionStage<Void> stage) throws Exception {
    stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
