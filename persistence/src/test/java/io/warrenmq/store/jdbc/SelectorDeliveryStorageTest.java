package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent message handed to a consumer with a JMS selector ({@code x-jms-selector}) and not
 * acked before a restart comes back {@code redelivered}, as one delivered without a selector does.
 */
@Timeout(60)
class SelectorDeliveryStorageTest {
  @TempDir Path dataDir;

  private Broker start() {
    BrokerConfig config = BrokerConfig.named("selector-store");
    return new Broker(config, JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), config.name()));
  }

  @Test
  void aMessageDeliveredThroughASelectorComesBackRedeliveredAfterARestart() throws Exception {
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("orders"));
      ch.confirmSelect();
      ch.basicPublish(
          "",
          "orders",
          false,
          BasicProperties.builder()
              .deliveryMode(BasicProperties.PERSISTENT)
              .headers(Map.of("region", "eu"))
              .build(),
          "order-1".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(10_000);
      BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
      c.createChannel()
          .basicConsume(
              "orders", false, null, false, Map.of("x-jms-selector", "region = 'eu'"), got::add);
      Delivery d = got.poll(10, TimeUnit.SECONDS);
      assertNotNull(d, "the selector matches");
      // not acked: the broker closes with the message unacked
    }
    try (Broker b = start();
        Connection c = b.newConnection("/", "t")) {
      GetResponse r = c.createChannel().basicGet("orders", true);
      assertNotNull(r);
      assertEquals("order-1", new String(r.delivery().body(), StandardCharsets.UTF_8));
      assertTrue(r.delivery().redelivered(), "it had been delivered before the restart");
    }
  }
}
