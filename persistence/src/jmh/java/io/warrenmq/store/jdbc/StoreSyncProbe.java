package io.warrenmq.store.jdbc;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.engine.PreparedBranch;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.StoredMessage;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
/**
 * Counts what the store syncs, to check with {@code strace -f -e trace=fsync,fdatasync} that every
 * sync of {@link StoreStatistics} is one {@code fsync} (docs/performance.md, "Group commit batch
 * sizes"): awaits 100 enqueues one by one and one prepared XA branch on a fresh H2 store, then
 * prints the counters. Argument: the durability, default {@code POWER_LOSS}.
 */
public final class StoreSyncProbe {
  private StoreSyncProbe() {}

  public static void main(String[] a) throws Exception {
    JdbcStoreConfig c = JdbcStoreConfig.h2(Files.createTempDirectory("probe"));
    if (a.length > 0) c = c.withDurability(JdbcStoreConfig.Durability.valueOf(a[0]));
    BasicProperties p = BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();
    try (JdbcMessageStore s = JdbcMessageStore.open(c, "probe")) {
      s.storeQueue("/", QueueSpec.durable("q")).toCompletableFuture().get(60, TimeUnit.SECONDS);
      StoreStatistics before = s.statistics();
      System.out.println("MARK start " + System.nanoTime());
      for (int i = 1; i <= 100; i++) {
        s.enqueue("/", "q", i, new StoredMessage(i, "", "q", p, new byte[1024])).toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      s.prepareBranch(new PreparedBranch(1, new byte[] {1}, new byte[] {1}, List.of(), List.of(new PreparedBranch.Ack("/", "q", 1, PreparedBranch.AckKind.ACK)))).toCompletableFuture().get(60, TimeUnit.SECONDS);
      System.out.println("stats for 100 enqueues + 1 prepare: " + s.statistics().since(before));
    }
  }
}
