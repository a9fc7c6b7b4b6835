package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ConfirmListener;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class GroupCommitTest {
  private static final int PUBLISHERS = 8;
  private static final int PER_PUBLISHER = 2_000;
  private static final BasicProperties PERSISTENT =
      BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();

  @TempDir Path dataDir;

  @Test
  void concurrentPublishersAreAllConfirmedWithFarFewerCommitsThanMessagesOnH2() throws Exception {
    concurrentPublishers(JdbcStoreConfig.h2(dataDir));
  }

  @Test
  void concurrentPublishersAreAllConfirmedWithFarFewerCommitsThanMessagesOnPostgres()
      throws Exception {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    String schema = Databases.createSchema();
    try {
      concurrentPublishers(Databases.postgres(schema));
    } finally {
      Databases.dropSchema(schema);
    }
  }

  private void concurrentPublishers(JdbcStoreConfig storeConfig) throws Exception {
    BrokerConfig config = BrokerConfig.named("group-commit");
    JdbcMessageStore store = JdbcMessageStore.open(storeConfig, config.name());
    int total = PUBLISHERS * PER_PUBLISHER;
    try (Broker broker = new Broker(config, store)) {
      try (Connection c = broker.newConnection("/", "setup")) {
        c.createChannel().queueDeclare(QueueSpec.durable("q"));
      }
      long commitsBefore = store.commitCount();
      CountDownLatch acked = new CountDownLatch(total);
      AtomicInteger nacks = new AtomicInteger();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> threads = new ArrayList<>();
      List<Connection> connections = new ArrayList<>();
      byte[] body = new byte[1024];
      for (int p = 0; p < PUBLISHERS; p++) {
        Connection conn = broker.newConnection("/", "publisher-" + p);
        connections.add(conn);
        Channel ch = conn.createChannel();
        ch.confirmSelect();
        ch.addConfirmListener(
            new ConfirmListener() {
              @Override
              public void handleAck(long deliveryTag, boolean multiple) {
                acked.countDown();
              }

              @Override
              public void handleNack(long deliveryTag, boolean multiple) {
                nacks.incrementAndGet();
                acked.countDown();
              }
            });
        Thread t =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < PER_PUBLISHER; i++) {
                      ch.basicPublish("", "q", false, PERSISTENT, body);
                    }
                  } catch (RuntimeException e) {
                    failure.set(e);
                  }
                },
                "publisher-" + p);
        threads.add(t);
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(null, failure.get());
      assertTrue(acked.await(60, TimeUnit.SECONDS), "all confirms arrive");
      assertEquals(0, nacks.get());
      long commits = store.commitCount() - commitsBefore;
      assertTrue(
          commits < total / 10, "group commit: " + commits + " commits for " + total + " messages");
      assertEquals(total, broker.virtualHost("/").queueMessageCount("q"));
      connections.forEach(Connection::close);
    }
    try (JdbcMessageStore reopened = JdbcMessageStore.open(storeConfig, "check")) {
      AtomicInteger recovered = new AtomicInteger();
      reopened.recover(new CountingHandler(recovered));
      assertEquals(total, recovered.get());
    }
  }

  @Test
  void aLonePublisherWaitingForEachConfirmIsConfirmedAfterEachCommit() throws Exception {
    BrokerConfig config = BrokerConfig.named("lone");
    JdbcMessageStore store = JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), config.name());
    try (Broker broker = new Broker(config, store);
        Connection c = broker.newConnection("/", "lone")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      ch.confirmSelect();
      ch.basicPublish("", "q", false, PERSISTENT, new byte[1]); // after the declaration's commit
      assertTrue(ch.waitForConfirms(5_000));
      long before = store.commitCount();
      for (int i = 0; i < 50; i++) {
        ch.basicPublish("", "q", false, PERSISTENT, new byte[] {(byte) i});
        assertTrue(ch.waitForConfirms(5_000));
        // confirmed means committed: the row is there
        assertEquals(i + 2, StoreProbe.entries(dataDir));
      }
      assertEquals(50, store.commitCount() - before, "one commit per confirm, none deferred");
    }
  }

  @Test
  void transientMessagesAreConfirmedWithoutAnyCommit() throws Exception {
    BrokerConfig config = BrokerConfig.named("transient");
    JdbcMessageStore store = JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), config.name());
    try (Broker broker = new Broker(config, store);
        Connection c = broker.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      ch.queueDeclare(new QueueSpec("tq", false, false, false, java.util.Map.of()));
      ch.confirmSelect();
      // a barrier commit, so that the queue declaration is not counted below
      ch.basicPublish("", "q", false, PERSISTENT, new byte[1]);
      assertTrue(ch.waitForConfirms(5_000));
      long before = store.commitCount();
      for (int i = 0; i < 100; i++) {
        ch.basicPublish("", "q", false, BasicProperties.EMPTY, new byte[1]);
        ch.basicPublish("", "tq", false, PERSISTENT, new byte[1]);
      }
      assertTrue(ch.waitForConfirms(5_000));
      assertEquals(before, store.commitCount());
    }
  }

  @Test
  void aStoreThatCannotWriteNacksThePublishAndTheBrokerGoesOn() throws Exception {
    BrokerConfig config = BrokerConfig.named("broken");
    JdbcMessageStore store = JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), config.name());
    try (Broker broker = new Broker(config, store);
        Connection c = broker.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      ch.confirmSelect();
      ch.basicPublish("", "q", false, PERSISTENT, new byte[] {1});
      assertTrue(ch.waitForConfirms(5_000));
      try (java.sql.Connection probe = StoreProbe.connect(dataDir);
          java.sql.Statement s = probe.createStatement()) {
        s.execute("ALTER TABLE warren_message RENAME TO warren_message_away");
        ch.basicPublish("", "q", false, PERSISTENT, new byte[] {2});
        assertEquals(false, ch.waitForConfirms(5_000), "the publish is nacked");
        s.execute("ALTER TABLE warren_message_away RENAME TO warren_message");
      }
      ch.basicPublish("", "q", false, PERSISTENT, new byte[] {3});
      assertTrue(ch.waitForConfirms(5_000), "the store writes again");
      assertTrue(ch.isOpen());
    }
  }

  @Test
  void aHeaderTheStoreCannotEncodeNacksThatPublishOnlyAndTheNextOneIsStored() throws Exception {
    BrokerConfig config = BrokerConfig.named("unencodable");
    JdbcMessageStore store = JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), config.name());
    try (Broker broker = new Broker(config, store);
        Connection c = broker.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      ch.confirmSelect();
      BasicProperties unencodable =
          BasicProperties.builder()
              .deliveryMode(BasicProperties.PERSISTENT)
              .header("x-object", new Object())
              .build();
      ch.basicPublish("", "q", false, unencodable, new byte[] {1});
      assertEquals(false, ch.waitForConfirms(5_000), "the publish is nacked");
      ch.basicPublish("", "q", false, PERSISTENT, new byte[] {2});
      assertTrue(ch.waitForConfirms(5_000), "the next publish is stored and confirmed");
      assertTrue(ch.isOpen());
    }
    try (Broker broker =
            new Broker(config, JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), config.name()));
        Connection c = broker.newConnection("/", "after-restart")) {
      Channel ch = c.createChannel();
      io.warrenmq.client.GetResponse got = ch.basicGet("q", true);
      assertEquals(2, got.delivery().body()[0], "the stored message survives a restart");
      assertEquals(null, ch.basicGet("q", true), "the nacked one was never stored");
    }
  }
}
