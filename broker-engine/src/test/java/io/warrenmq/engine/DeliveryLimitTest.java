package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code x-delivery-limit}: poison-message handling as RabbitMQ's quorum queues do it
 * (https://www.rabbitmq.com/docs/quorum-queues#poison-message-handling).
 */
@Timeout(30)
class DeliveryLimitTest {
  private Broker broker;
  private Connection connection;
  private Channel ch;
  private VirtualHost vhost;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    connection = broker.newConnection("/", null);
    ch = connection.createChannel();
    vhost = broker.virtualHost("/");
    ch.exchangeDeclare(ExchangeSpec.durable("dlx", "fanout"));
    ch.queueDeclare(QueueSpec.durable("dead"));
    ch.queueBind("dead", "dlx", "", null);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private void declare(Map<String, Object> args) {
    ch.queueDeclare(new QueueSpec("q", true, false, false, args));
  }

  @Test
  void aMessageReturnedMoreOftenThanTheLimitIsDeadLetteredWithReasonDeliveryLimit() {
    declare(Map.of("x-delivery-limit", 1, "x-dead-letter-exchange", "dlx"));
    ch.basicPublish("", "q", false, null, bytes("poison"));

    GetResponse first = ch.basicGet("q", false);
    assertFalse(first.delivery().redelivered());
    ch.basicNack(first.delivery().deliveryTag(), false, true);

    GetResponse second = ch.basicGet("q", false);
    assertTrue(second.delivery().redelivered());
    assertEquals(1L, second.delivery().properties().headers().get("x-delivery-count"));
    ch.basicNack(second.delivery().deliveryTag(), false, true);

    assertNull(ch.basicGet("q", false), "returned twice with limit 1: gone");
    Delivery dead = ch.basicGet("dead", true).delivery();
    assertEquals("poison", text(dead));
    @SuppressWarnings("unchecked")
    Map<String, Object> death =
        ((List<Map<String, Object>>) dead.properties().headers().get("x-death")).get(0);
    assertEquals("delivery_limit", death.get("reason"));
    assertEquals("q", death.get("queue"));
  }

  @Test
  void limitZeroDeadLettersOnTheFirstReturn() {
    declare(Map.of("x-delivery-limit", 0, "x-dead-letter-exchange", "dlx"));
    ch.basicPublish("", "q", false, null, bytes("m"));
    ch.basicReject(ch.basicGet("q", false).delivery().deliveryTag(), true);
    assertEquals(0, vhost.queueMessageCount("q"));
    assertEquals(1, vhost.queueMessageCount("dead"));
  }

  @Test
  void withoutDeadLetterExchangeThePoisonMessageIsDropped() {
    declare(Map.of("x-delivery-limit", 0));
    ch.basicPublish("", "q", false, null, bytes("m"));
    ch.basicReject(ch.basicGet("q", false).delivery().deliveryTag(), true);
    assertEquals(0, vhost.queueMessageCount("q"));
    assertEquals(0, vhost.queueMessageCount("dead"));
  }

  @Test
  void aClosedChannelReturningItsUnackedMessagesCountsAsADelivery() {
    declare(Map.of("x-delivery-limit", 0, "x-dead-letter-exchange", "dlx"));
    ch.basicPublish("", "q", false, null, bytes("m"));
    Channel other = connection.createChannel();
    other.basicGet("q", false);
    other.close();
    assertEquals(0, vhost.queueMessageCount("q"));
    assertEquals(1, vhost.queueMessageCount("dead"));
  }

  @Test
  void recoverCountsAsADeliveryToo() {
    declare(Map.of("x-delivery-limit", 1, "x-dead-letter-exchange", "dlx"));
    ch.basicPublish("", "q", false, null, bytes("m"));
    ch.basicGet("q", false);
    ch.basicRecover(true);
    ch.basicGet("q", false);
    ch.basicRecover(true);
    assertEquals(0, vhost.queueMessageCount("q"));
    assertEquals(1, vhost.queueMessageCount("dead"));
  }

  @Test
  void aConsumerSeesTheMessageLimitPlusOneTimes() {
    declare(Map.of("x-delivery-limit", 2, "x-dead-letter-exchange", "dlx"));
    TestSupport.Recorder r = new TestSupport.Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    ch.basicPublish("", "q", false, null, bytes("m"));
    for (int i = 0; i < 3; i++) {
      ch.basicNack(r.next().deliveryTag(), false, true);
    }
    TestSupport.await("dead-lettered", () -> vhost.queueMessageCount("dead") == 1);
    assertTrue(r.isEmpty());
  }

  @Test
  void withoutTheArgumentMessagesAreRequeuedForever() {
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.basicPublish("", "q", false, null, bytes("m"));
    for (int i = 0; i < 20; i++) {
      ch.basicNack(ch.basicGet("q", false).delivery().deliveryTag(), false, true);
    }
    assertEquals(1, vhost.queueMessageCount("q"));
  }
}
