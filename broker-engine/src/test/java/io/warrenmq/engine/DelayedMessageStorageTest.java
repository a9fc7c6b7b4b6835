package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ConfirmListener;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A persistent message held by a durable {@code x-delayed-message} exchange is written to the store
 * ({@link MessageStore#storeDelayedMessage}) and confirmed only once the store has it; transient
 * messages and transient exchanges stay in memory (issue 15, section 2).
 */
@Timeout(30)
class DelayedMessageStorageTest {
  private static final BasicProperties PERSISTENT_DELAYED =
      BasicProperties.builder()
          .deliveryMode(BasicProperties.PERSISTENT)
          .header("x-delay", 60_000)
          .build();

  private static void delayedExchange(Channel ch, String name, boolean durable) {
    ch.exchangeDeclare(
        new ExchangeSpec(
            name, "x-delayed-message", durable, false, false, Map.of("x-delayed-type", "direct")));
    ch.queueDeclare(QueueSpec.durable("q-" + name));
    ch.queueBind("q-" + name, name, "k", null);
  }

  @Test
  void aDelayedMessageIsNotConfirmedBeforeItIsStored() throws Exception {
    RecordingStore store = new RecordingStore();
    try (Broker b = new Broker(BrokerConfig.named("delayed"), store);
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      delayedExchange(ch, "d", true);
      ch.confirmSelect();
      CountDownLatch acked = new CountDownLatch(1);
      ch.addConfirmListener(
          new ConfirmListener() {
            @Override
            public void handleAck(long deliveryTag, boolean multiple) {
              acked.countDown();
            }

            @Override
            public void handleNack(long deliveryTag, boolean multiple) {}
          });
      long before = System.currentTimeMillis();
      ch.basicPublish("d", "k", false, PERSISTENT_DELAYED, bytes("held"));

      assertEquals(1, store.delayed.size(), "written to the store");
      StoredDelayedMessage m = store.delayed.get(0);
      assertEquals("/", m.virtualHost());
      assertEquals("d", m.message().exchange());
      assertEquals("k", m.message().routingKey());
      assertEquals(-60_000, m.message().properties().headers().get("x-delay"), "as released");
      assertTrue(m.dueAtMillis() >= before + 60_000, "due in a minute: " + m.dueAtMillis());
      assertFalse(acked.await(300, TimeUnit.MILLISECONDS), "confirmed before it was stored");

      store.delayedGate.complete(null);
      assertTrue(acked.await(10, TimeUnit.SECONDS), "confirmed once stored");
    }
  }

  @Test
  void transientDelayedMessagesAndMessagesOfTransientExchangesStayInMemory() {
    RecordingStore store = new RecordingStore();
    try (Broker b = new Broker(BrokerConfig.named("delayed"), store);
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      delayedExchange(ch, "durable", true);
      delayedExchange(ch, "transient", false);
      ch.basicPublish(
          "durable",
          "k",
          false,
          BasicProperties.builder().header("x-delay", 60_000).build(),
          bytes("transient message"));
      ch.basicPublish("transient", "k", false, PERSISTENT_DELAYED, bytes("transient exchange"));
      assertEquals(List.of(), store.delayed);
    }
  }
}
