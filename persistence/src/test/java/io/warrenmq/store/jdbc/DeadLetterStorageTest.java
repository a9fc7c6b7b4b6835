package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent message dead-lettered to several durable queues is written once and referenced per
 * queue (issue 4: "written once and referenced N times"), and survives a restart there.
 */
@Timeout(60)
class DeadLetterStorageTest {
  @TempDir Path dataDir;

  private Broker start() {
    BrokerConfig config = BrokerConfig.named("dlx-store");
    return new Broker(config, JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), config.name()));
  }

  @Test
  void aMessageDeadLetteredToTwoDurableQueuesIsStoredOnceAndComesBackInBoth() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare(ExchangeSpec.durable("dlx", "fanout"));
      ch.queueDeclare(QueueSpec.durable("dead-1"));
      ch.queueDeclare(QueueSpec.durable("dead-2"));
      ch.queueBind("dead-1", "dlx", "", null);
      ch.queueBind("dead-2", "dlx", "", null);
      ch.queueDeclare(
          new QueueSpec("work", true, false, false, Map.of("x-dead-letter-exchange", "dlx")));
      ch.confirmSelect();
      ch.basicPublish(
          "",
          "work",
          false,
          BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build(),
          "poison".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(10_000);
      GetResponse r = ch.basicGet("work", false);
      assertNotNull(r);
      ch.basicReject(r.delivery().deliveryTag(), false);
      assertEquals(1, b.virtualHost("/").queueMessageCount("dead-1"));
      assertEquals(1, b.virtualHost("/").queueMessageCount("dead-2"));
    }
    // closed cleanly: everything issued is written
    assertEquals(1, StoreProbe.count(dataDir, "warren_message"), "one copy of the message");
    assertEquals(2, StoreProbe.count(dataDir, "warren_queue_entry"), "one entry per dead queue");
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      for (String q : new String[] {"dead-1", "dead-2"}) {
        GetResponse r = ch.basicGet(q, true);
        assertNotNull(r, q);
        assertEquals("poison", new String(r.delivery().body(), StandardCharsets.UTF_8));
        assertTrue(r.delivery().properties().headers().containsKey("x-death"), q);
      }
    }
  }
}
