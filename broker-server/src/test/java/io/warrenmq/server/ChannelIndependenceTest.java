package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.store.jdbc.JdbcMessageStore;
import io.warrenmq.store.jdbc.JdbcStoreConfig;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AMQP 0-9-1 section 2.3.5: the channels of a connection are independent. A command that waits for
 * the store (here a {@code tx.commit} whose write a PostgreSQL table lock holds up, as a slow fsync
 * would) holds up its own channel, not the connection's other channels; a JMS connection's sessions
 * (the resource adapter's {@code maxSession} MDB sessions) are the channels of one connection.
 */
@Timeout(60)
class ChannelIndependenceTest {
  private String db; // its JDBC URL
  private Broker broker;
  private WarrenServer server;
  private Connection client;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(
        HaPair.sharedPostgresReachable(), "PostgreSQL not reachable on 127.0.0.1:5432: skipped");
    db = HaPair.createDatabase("warren_channels");
    BrokerConfig config = BrokerConfig.named("channels");
    broker =
        new Broker(
            config,
            JdbcMessageStore.open(JdbcStoreConfig.jdbc(db, "postgres", null), config.name()));
    server = WarrenServer.start(broker, ServerConfig.defaults());
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(server.port());
    f.setChannelRpcTimeout(10_000); // a command held up behind the commit fails in 10 s, not never
    client = f.newConnection();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.abort();
    }
    if (server != null) {
      server.close();
    }
    if (broker != null) {
      broker.close();
    }
    if (db != null) {
      HaPair.dropDatabase(db);
    }
  }

  @Test
  void aTxCommitWaitingForTheStoreDoesNotHoldUpTheConnectionsOtherChannels() throws Exception {
    Channel committing = client.createChannel();
    committing.queueDeclare("orders", true, false, false, null);
    committing.txSelect();
    committing.basicPublish(
        "", "orders", MessageProperties.PERSISTENT_BASIC, "o1".getBytes(StandardCharsets.UTF_8));
    Channel other = client.createChannel();
    CompletableFuture<AMQP.Tx.CommitOk> commit;
    try (java.sql.Connection lock = DriverManager.getConnection(db, "postgres", null)) {
      lock.setAutoCommit(false);
      try (Statement s = lock.createStatement()) {
        s.execute("LOCK TABLE warren_message IN ACCESS EXCLUSIVE MODE");
      }
      commit = CompletableFuture.supplyAsync(() -> txCommit(committing));
      awaitWriterBlockedOnTheLock(lock);
      assertFalse(commit.isDone(), "the commit did not wait for the locked table");

      // the other channel's commands run meanwhile: a declaration, a publish and a get
      String replies = other.queueDeclare().getQueue();
      other.basicPublish("", replies, null, "r1".getBytes(StandardCharsets.UTF_8));
      assertEquals(
          "r1", new String(other.basicGet(replies, true).getBody(), StandardCharsets.UTF_8));
      assertFalse(commit.isDone(), "the commit finished before the lock was released");
      lock.rollback(); // releases the lock
    }
    commit.get(20, TimeUnit.SECONDS);
    assertEquals(1, committing.messageCount("orders"), "the committed message is in its queue");
  }

  /** Until the store writer's insert waits for the lock this test holds (pg_locks says so). */
  private static void awaitWriterBlockedOnTheLock(java.sql.Connection lockHolder) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    try (java.sql.Connection observer =
            DriverManager.getConnection(lockHolder.getMetaData().getURL(), "postgres", null);
        java.sql.PreparedStatement waiting =
            observer.prepareStatement(
                "SELECT count(*) FROM pg_locks WHERE NOT granted"
                    + " AND relation = 'warren_message'::regclass")) {
      while (true) {
        try (java.sql.ResultSet r = waiting.executeQuery()) {
          r.next();
          if (r.getInt(1) > 0) {
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the store writer never waited for the table lock");
        }
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    }
  }

  private static AMQP.Tx.CommitOk txCommit(Channel channel) {
    try {
      return channel.txCommit();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
