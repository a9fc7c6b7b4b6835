package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.StoredMessage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 database is opened through the write barrier at the default durability, and works
 * through it (messages stored, acked and recovered); under {@code PROCESS_CRASH} it is a plain H2
 * file. {@code WriteBarrierPowerLossTest} shows what the barrier protects.
 */
@Timeout(60)
class EmbeddedFileBarrierTest {
  private static final BasicProperties PERSISTENT =
      BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();

  @TempDir Path dataDir;

  @Test
  void theDefaultStoreWritesItsFileThroughTheBarrierAndRecoversFromIt() throws Exception {
    JdbcStoreConfig config = JdbcStoreConfig.h2(dataDir);
    try (JdbcMessageStore store = openWithQueue(config)) {
      assertTrue(databasePath(config).startsWith("warrenbarrier:"), databasePath(config));
      publishAndAck(store, 200);
    }
    AtomicInteger recovered = new AtomicInteger();
    try (JdbcMessageStore reopened = JdbcMessageStore.open(config, "barrier")) {
      reopened.recover(new CountingHandler(recovered));
    }
    assertEquals(1, recovered.get(), "the one message not acked comes back, nothing else");
  }

  @Test
  void underProcessCrashTheFileIsPlainH2() throws Exception {
    JdbcStoreConfig config =
        JdbcStoreConfig.h2(dataDir).withDurability(JdbcStoreConfig.Durability.PROCESS_CRASH);
    try (JdbcMessageStore store = openWithQueue(config)) {
      assertTrue(databasePath(config).startsWith("/"), databasePath(config));
      publishAndAck(store, 20);
      assertEquals(0, store.barrierSyncs());
    }
  }

  /** H2's name of the database file the store opened (without {@code .mv.db}). */
  private static String databasePath(JdbcStoreConfig config) throws SQLException {
    try (Connection c = StoreProbe.connect(config);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("CALL DATABASE_PATH()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static JdbcMessageStore openWithQueue(JdbcStoreConfig config) throws Exception {
    JdbcMessageStore store = JdbcMessageStore.open(config, "barrier");
    store.storeQueue("/", QueueSpec.durable("q")).toCompletableFuture().get(30, TimeUnit.SECONDS);
    return store;
  }

  /** Enqueues {@code messages} one by one and acks each (committed, not synced) but the last. */
  private static void publishAndAck(JdbcMessageStore store, int messages) throws Exception {
    for (long id = 1; id <= messages; id++) {
      StoredMessage m = new StoredMessage(id, "", "q", PERSISTENT, new byte[1024]);
      store.enqueue("/", "q", id, m).toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (id < messages) {
        store.dequeue("/", "q", id).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }
}
