package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.BrokerStats;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import io.warrenmq.engine.MessageStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counters behind the {@code warrenmq_*} Prometheus metrics on a real H2 store: the
 * group-commit writer's commits, batches, operations, syncs and batch time ({@link
 * MessageStore#stats()}), paging out and back in, and XA branches in doubt ({@link
 * Broker#stats()}).
 */
@Timeout(60)
class StoreMetricsTest {
  private static final int BODY = 1024;
  @TempDir Path dataDir;

  record TestXid(byte[] getGlobalTransactionId) implements Xid {
    @Override
    public int getFormatId() {
      return 1;
    }

    @Override
    public byte[] getBranchQualifier() {
      return new byte[] {1};
    }
  }

  @Test
  void groupCommitCountersPagingAndInDoubtBranchesMoveWithTheWork() throws Exception {
    BrokerConfig config = BrokerConfig.named("metrics").withQueueWindowBytes(16 * 1024);
    MessageStore.StoreStats idle;
    try (Broker b =
            new Broker(config, JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), config.name()));
        Connection c = b.newConnection("/", "t")) {
      idle = b.storeStats();
      BrokerStats start = b.stats();
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("paged"));
      ch.confirmSelect();
      BasicProperties persistent =
          BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();
      int n = 100; // 100 KiB through a 16 KiB window
      // in rounds: a committed entry of the tail is dropped from heap at the next enqueue
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < n / 5; i++) {
          ch.basicPublish("", "paged", false, persistent, new byte[BODY]);
        }
        ch.waitForConfirmsOrDie(30_000);
      }
      MessageStore.StoreStats written = b.storeStats();
      assertTrue(written.commits() > idle.commits(), written.toString());
      assertTrue(written.batches() > idle.batches(), written.toString());
      // every enqueue is an operation of some batch, and a batch holds at least one
      assertTrue(written.operations() - idle.operations() >= n, written.toString());
      assertTrue(written.syncs() > idle.syncs(), "power_loss durability syncs: " + written);
      assertTrue(written.syncNanos() > 0 && written.batchNanos() > 0, written.toString());
      long histogram = written.batchSizeCounts().stream().mapToLong(Long::longValue).sum();
      assertEquals(written.batches(), histogram, "every batch is in one size class");

      assertTrue(b.stats().pagedOut() > start.pagedOut(), "past the window: " + b.stats());
      for (int i = 0; i < n; i++) {
        GetResponse r = ch.basicGet("paged", true);
        assertNotNull(r, "message " + i);
      }
      BrokerStats drained = b.stats();
      assertTrue(drained.pagedIn() > start.pagedIn(), "read back: " + drained);
      assertEquals(start.getAutoAck() + n, drained.getAutoAck());

      Xid xid = new TestXid("in-doubt".getBytes(StandardCharsets.UTF_8));
      Channel xa = c.createChannel();
      xa.dtxStart(xid, XAResource.TMNOFLAGS);
      xa.basicPublish("", "paged", false, persistent, new byte[1]);
      xa.dtxEnd(xid, XAResource.TMSUCCESS);
      assertEquals(0, b.stats().xaBranchesInDoubt(), "not prepared yet");
      assertEquals(XAResource.XA_OK, xa.dtxPrepare(xid));
      assertEquals(1, b.stats().xaBranchesInDoubt());
      xa.dtxCommit(xid, false);
      assertEquals(0, b.stats().xaBranchesInDoubt());
    }
  }
}
