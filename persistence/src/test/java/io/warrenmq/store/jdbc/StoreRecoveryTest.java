package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts a broker on the same store: durable topology and persistent messages come back. On the
 * default H2 file store here; {@link StoreRecoveryOnPostgresTest} runs the same on PostgreSQL.
 */
@Timeout(60)
class StoreRecoveryTest {
  @TempDir Path dataDir;

  /** The store every broker of a test opens. */
  JdbcStoreConfig store;

  @BeforeEach
  void useTheStore() {
    store = JdbcStoreConfig.h2(dataDir);
  }

  private Broker start() {
    BrokerConfig config = BrokerConfig.named("recovery");
    return new Broker(config, JdbcMessageStore.open(store, config.name()));
  }

  private static BasicProperties persistent() {
    return BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(GetResponse r) {
    return new String(r.delivery().body(), StandardCharsets.UTF_8);
  }

  @Test
  void durableTopologyComesBackAfterARestart() {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare(
          new ExchangeSpec(
              "orders", "topic", true, false, false, Map.of("alternate-exchange", "ae")));
      ch.exchangeDeclare(ExchangeSpec.durable("ae", "fanout"));
      ch.exchangeDeclare(new ExchangeSpec("transient-x", "direct", false, false, false, Map.of()));
      ch.queueDeclare(
          new QueueSpec(
              "q1", true, false, false, Map.of("x-max-length", 10L, "x-message-ttl", 60000L)));
      ch.queueDeclare(new QueueSpec("transient-q", false, false, false, Map.of()));
      ch.queueBind("q1", "orders", "eu.#", null);
      ch.queueBind("q1", "amq.direct", "k", Map.of("extra", "v"));
      ch.exchangeBind("ae", "orders", "x.*", null);
      ch.queueBind("transient-q", "orders", "t", null);
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      assertTrue(b.virtualHost("/").exchangeExists("orders"));
      assertTrue(b.virtualHost("/").exchangeExists("ae"));
      assertFalse(b.virtualHost("/").exchangeExists("transient-x"));
      assertTrue(b.virtualHost("/").queueExists("q1"));
      assertFalse(b.virtualHost("/").queueExists("transient-q"));
      Channel ch = c.createChannel();
      // same arguments: an equivalent re-declare succeeds; a different one is refused with 406
      ch.queueDeclare(
          new QueueSpec(
              "q1", true, false, false, Map.of("x-max-length", 10L, "x-message-ttl", 60000L)));
      AmqpException e =
          assertThrows(
              AmqpException.class, () -> c.createChannel().queueDeclare(QueueSpec.durable("q1")));
      assertEquals(ReplyCode.PRECONDITION_FAILED, e.replyCode());
      // bindings route again: topic, amq.direct with arguments, and exchange-to-exchange
      ch.basicPublish("orders", "eu.de", false, persistent(), text("1"));
      ch.basicPublish("amq.direct", "k", false, persistent(), text("2"));
      assertEquals(2, b.virtualHost("/").queueMessageCount("q1"));
      ch.queueDeclare(QueueSpec.durable("viaAe"));
      ch.queueBind("viaAe", "ae", "", null);
      ch.basicPublish("orders", "x.y", false, persistent(), text("3"));
      assertEquals(1, b.virtualHost("/").queueMessageCount("viaAe"));
    }
  }

  @Test
  void persistentMessagesComeBackInOrderWithPropertiesAndBodies() {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("s", "text");
    headers.put("i", 7);
    headers.put("l", 8L);
    headers.put("b", true);
    headers.put("d", new BigDecimal("1.25"));
    headers.put("bytes", new byte[] {1, 2, 3});
    headers.put("nested", Map.of("k", "v"));
    headers.put("list", List.of("a", 1));
    BasicProperties props =
        BasicProperties.builder()
            .deliveryMode(BasicProperties.PERSISTENT)
            .contentType("application/octet-stream")
            .contentEncoding("gzip")
            .priority(3)
            .correlationId("corr")
            .replyTo("reply")
            .messageId("m-1")
            .timestamp(1_700_000_000_123L)
            .type("order")
            .userId("guest")
            .appId("app")
            .headers(headers)
            .build();
    byte[] binary = new byte[4096];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) (i * 31);
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      ch.basicPublish("", "q", false, props, binary);
      for (int i = 0; i < 100; i++) {
        ch.basicPublish("", "q", false, persistent(), text("m" + i));
      }
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      GetResponse first = ch.basicGet("q", true);
      assertNotNull(first);
      BasicProperties p = first.delivery().properties();
      assertEquals(props.contentType(), p.contentType());
      assertEquals(props.contentEncoding(), p.contentEncoding());
      assertEquals(props.priority(), p.priority());
      assertEquals(props.correlationId(), p.correlationId());
      assertEquals(props.replyTo(), p.replyTo());
      assertEquals(props.messageId(), p.messageId());
      assertEquals(props.timestamp(), p.timestamp());
      assertEquals(props.type(), p.type());
      assertEquals(props.userId(), p.userId());
      assertEquals(props.appId(), p.appId());
      assertEquals(List.copyOf(headers.keySet()), List.copyOf(p.headers().keySet()));
      assertEquals("text", p.headers().get("s"));
      assertEquals(7, p.headers().get("i"));
      assertEquals(8L, p.headers().get("l"));
      assertEquals(true, p.headers().get("b"));
      assertEquals(new BigDecimal("1.25"), p.headers().get("d"));
      assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) p.headers().get("bytes"));
      assertEquals(Map.of("k", "v"), p.headers().get("nested"));
      assertEquals(List.of("a", 1), p.headers().get("list"));
      assertArrayEquals(binary, first.delivery().body());
      assertFalse(first.delivery().redelivered());
      assertEquals("", first.delivery().exchange());
      assertEquals("q", first.delivery().routingKey());
      for (int i = 0; i < 100; i++) {
        assertEquals("m" + i, text(ch.basicGet("q", true)));
      }
      assertNull(ch.basicGet("q", true));
    }
  }

  @Test
  void ackedAndTransientMessagesAndTransientQueuesDoNotComeBack() {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      ch.queueDeclare(new QueueSpec("tq", false, false, false, Map.of()));
      ch.basicPublish("", "q", false, persistent(), text("acked"));
      ch.basicPublish("", "q", false, BasicProperties.EMPTY, text("transient"));
      ch.basicPublish("", "q", false, persistent(), text("kept"));
      ch.basicPublish("", "tq", false, persistent(), text("in a transient queue"));
      GetResponse r = ch.basicGet("q", false);
      assertEquals("acked", text(r));
      ch.basicAck(r.delivery().deliveryTag(), false);
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      assertEquals(1, b.virtualHost("/").queueMessageCount("q"));
      GetResponse r = ch.basicGet("q", true);
      assertEquals("kept", text(r));
      assertFalse(r.delivery().redelivered());
      assertFalse(b.virtualHost("/").queueExists("tq"));
    }
    try (Broker b = start()) {
      assertEquals(0, b.virtualHost("/").queueMessageCount("q"));
    }
  }

  @Test
  void deliveredButUnackedMessagesComeBackRedelivered() {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      ch.basicPublish("", "q", false, persistent(), text("seen"));
      ch.basicPublish("", "q", false, persistent(), text("unseen"));
      assertEquals("seen", text(ch.basicGet("q", false))); // never acked
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      GetResponse seen = ch.basicGet("q", true);
      assertEquals("seen", text(seen));
      assertTrue(seen.delivery().redelivered());
      GetResponse unseen = ch.basicGet("q", true);
      assertEquals("unseen", text(unseen));
      assertFalse(unseen.delivery().redelivered());
    }
  }

  @Test
  void afterAnUncleanStopEveryStoredMessageComesBackRedeliveredButLaterOnesDoNot()
      throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      for (int i = 0; i < 3; i++) {
        ch.basicPublish("", "q", false, persistent(), text("before" + i));
      }
      // while a broker runs, its store is marked as not closed: a kill leaves it so
      assertEquals(1, StoreProbe.countWhere(store, "warren_store_state", "clean_shutdown = FALSE"));
    }
    assertEquals(1, StoreProbe.countWhere(store, "warren_store_state", "clean_shutdown = TRUE"));
    try (java.sql.Connection probe = StoreProbe.connect(store);
        java.sql.Statement s = probe.createStatement()) {
      s.execute("UPDATE warren_store_state SET clean_shutdown = FALSE"); // as after a SIGKILL
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      GetResponse first = c.createChannel().basicGet("q", true);
      assertEquals("before0", text(first));
      assertTrue(first.delivery().redelivered(), "never delivered, but stored before the kill");
      c.createChannel().basicPublish("", "q", false, persistent(), text("after"));
    }
    // a clean restart keeps the flag of the messages stored before the kill, and only theirs
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      for (int i = 1; i < 3; i++) {
        GetResponse r = ch.basicGet("q", true);
        assertEquals("before" + i, text(r));
        assertTrue(r.delivery().redelivered());
      }
      GetResponse after = ch.basicGet("q", true);
      assertEquals("after", text(after));
      assertFalse(after.delivery().redelivered());
    }
  }

  /**
   * A message published to one queue takes a queue-made id (schema version 8) once the store's
   * writer knows the queue's id: one row in queue order, no entry row. The queue's first message,
   * published before that, takes a global id and an entry row; both kinds come back in publish
   * order, and go with their acks.
   */
  @Test
  void aMessageOfOneQueueTakesAnIdMadeFromItsQueueAndPosition() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      ch.confirmSelect();
      for (int i = 0; i < 4; i++) {
        ch.basicPublish("", "q", false, persistent(), text("m" + i));
        ch.waitForConfirmsOrDie(10_000); // each publish after the writer saw the one before
      }
    }
    long queueMade =
        StoreProbe.countWhere(
            store,
            "warren_message",
            "id >= "
                + io.warrenmq.store.jdbc.internal.MessageIds.QUEUE_MADE
                + " AND queue_id = (SELECT id FROM warren_queue WHERE name = 'q')");
    assertTrue(queueMade >= 3, "queue-made rows: " + queueMade);
    assertEquals(4 - queueMade, StoreProbe.count(store, "warren_queue_entry"));
    assertEquals(4, StoreProbe.entries(store));
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      for (int i = 0; i < 4; i++) {
        GetResponse r = ch.basicGet("q", true);
        assertEquals("m" + i, text(r));
        assertFalse(r.delivery().redelivered());
      }
      assertNull(ch.basicGet("q", true));
    }
    assertEquals(0, StoreProbe.count(store, "warren_message"));
    assertEquals(0, StoreProbe.count(store, "warren_queue_entry"));
  }

  @Test
  void aMessageRoutedToTwoQueuesIsStoredOnceAndGoesWithItsLastAck() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("a"));
      ch.queueDeclare(QueueSpec.durable("b"));
      ch.queueBind("a", "amq.fanout", "", null);
      ch.queueBind("b", "amq.fanout", "", null);
      ch.basicPublish("amq.fanout", "", false, persistent(), text("both"));
      ch.confirmSelect(); // a barrier: confirms come after the commit
      ch.basicPublish("amq.fanout", "", false, persistent(), text("barrier"));
      ch.waitForConfirmsOrDie(10_000);
      assertEquals(2, StoreProbe.count(store, "warren_message"));
      assertEquals(4, StoreProbe.count(store, "warren_queue_entry"));
      GetResponse r = ch.basicGet("a", false);
      ch.basicAck(r.delivery().deliveryTag(), false);
    }
    assertEquals(2, StoreProbe.count(store, "warren_message"));
    assertEquals(3, StoreProbe.count(store, "warren_queue_entry"));
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      assertEquals("barrier", text(ch.basicGet("a", true)));
      assertEquals("both", text(ch.basicGet("b", true)));
      assertEquals("barrier", text(ch.basicGet("b", true)));
    }
    assertEquals(0, StoreProbe.count(store, "warren_message"));
    assertEquals(0, StoreProbe.count(store, "warren_queue_entry"));
  }

  @Test
  void deletedQueuesAndExchangesAndUnboundBindingsStayDeleted() {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.exchangeDeclare(ExchangeSpec.durable("x", "direct"));
      ch.queueDeclare(QueueSpec.durable("gone"));
      ch.queueDeclare(QueueSpec.durable("kept"));
      ch.basicPublish("", "gone", false, persistent(), text("lost with its queue"));
      ch.queueBind("kept", "x", "k1", null);
      ch.queueBind("kept", "x", "k2", null);
      ch.queueUnbind("kept", "x", "k2", null);
      ch.queueDelete("gone", false, false);
      ch.exchangeDeclare(ExchangeSpec.durable("y", "direct"));
      ch.exchangeDelete("y", false);
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      assertFalse(b.virtualHost("/").queueExists("gone"));
      assertFalse(b.virtualHost("/").exchangeExists("y"));
      Channel ch = c.createChannel();
      ch.basicPublish("x", "k1", false, persistent(), text("1"));
      ch.basicPublish("x", "k2", false, persistent(), text("2"));
      assertEquals(1, b.virtualHost("/").queueMessageCount("kept"));
    }
    // only "kept"'s message is left: nothing of the deleted queue
    assertEquals(1, StoreProbe.entries(store));
    assertEquals(1, StoreProbe.count(store, "warren_message"));
    assertEquals(
        0,
        StoreProbe.countWhere(
            store, "warren_message", "queue_id NOT IN (SELECT id FROM warren_queue)"));
  }

  @Test
  void aCommittedTransactionIsStoredAndARolledBackOneIsNot() {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      ch.basicPublish("", "q", false, persistent(), text("to ack"));
      ch.txSelect();
      GetResponse r = ch.basicGet("q", false);
      ch.basicAck(r.delivery().deliveryTag(), false);
      ch.basicPublish("", "q", false, persistent(), text("committed"));
      ch.txCommit();
      // txCommit returned: the store holds the transaction
      assertEquals(1, StoreProbe.entries(store));
      ch.basicPublish("", "q", false, persistent(), text("rolled back"));
      ch.txRollback();
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      assertEquals("committed", text(ch.basicGet("q", true)));
      assertNull(ch.basicGet("q", true));
    }
  }

  @Test
  void powerLossDurabilityConfirmsAfterTheSyncAndRecovers() throws Exception {
    store = store.withDurability(JdbcStoreConfig.Durability.POWER_LOSS);
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      ch.confirmSelect();
      for (int i = 0; i < 20; i++) {
        ch.basicPublish("", "q", false, persistent(), text("m" + i));
      }
      ch.waitForConfirmsOrDie(10_000);
      assertEquals(20, StoreProbe.entries(store));
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      for (int i = 0; i < 20; i++) {
        assertEquals("m" + i, text(ch.basicGet("q", true)));
      }
    }
  }
}
