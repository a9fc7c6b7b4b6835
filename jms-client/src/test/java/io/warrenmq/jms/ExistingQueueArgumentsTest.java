package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Channel;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JMS queue whose engine queue already exists with arguments of its own (as a definitions import
 * or an AMQP 0-9-1 client makes it) is used as it is by producers, consumers and browsers, as with
 * RabbitMQ's JMS client, instead of failing with 406 PRECONDITION_FAILED.
 */
@Timeout(20)
class ExistingQueueArgumentsTest extends JmsTestSupport {

  private Channel admin;

  @BeforeEach
  void declareQueuesThroughTheEngine() {
    admin = broker.newConnection("/", "admin").createChannel();
    admin.exchangeDeclare(ExchangeSpec.durable("dlx", "fanout"));
    admin.queueDeclare(QueueSpec.durable("dead"));
    admin.queueBind("dead", "dlx", "", null);
    admin.queueDeclare(
        new QueueSpec(
            "orders",
            true,
            false,
            false,
            Map.of("x-dead-letter-exchange", "dlx", "x-message-ttl", 60_000L)));
    admin.queueDeclare(
        new QueueSpec(
            "short-lived",
            true,
            false,
            false,
            Map.of("x-message-ttl", 50L, "x-dead-letter-exchange", "dlx")));
  }

  @Test
  void producerConsumerAndBrowserUseAQueueThatExistsWithADeadLetterExchangeAndATtl()
      throws Exception {
    try (Connection c = factory.createConnection()) {
      c.start();
      Session s = c.createSession();
      Queue orders = s.createQueue("orders");
      s.createProducer(orders).send(s.createTextMessage("o-1"));
      QueueBrowser browser = s.createBrowser(orders);
      assertEquals(1, Collections.list(browser.getEnumeration()).size());
      MessageConsumer consumer = s.createConsumer(orders);
      assertEquals("o-1", ((TextMessage) consumer.receive(5_000)).getText());
      assertNull(consumer.receiveNoWait());
    }
    // the queue keeps its own arguments: declaring it again as it was still succeeds
    admin.queueDeclare(
        new QueueSpec(
            "orders",
            true,
            false,
            false,
            Map.of("x-dead-letter-exchange", "dlx", "x-message-ttl", 60_000L)));
  }

  @Test
  void theExistingQueuesTtlAndDeadLetterExchangeApplyToJmsMessages() throws Exception {
    try (JMSContext ctx = factory.createContext()) {
      Queue shortLived = ctx.createQueue("short-lived");
      ctx.createProducer().send(shortLived, "expires");
      // expired after 50 ms, dead-lettered through dlx into "dead"
      String dead = ctx.createConsumer(ctx.createQueue("dead")).receiveBody(String.class, 5_000);
      assertEquals("expires", dead);
      assertNull(ctx.createConsumer(shortLived).receiveNoWait());
    }
  }

  @Test
  void aQueueThatDoesNotExistIsStillDeclaredAsAJmsQueue() throws Exception {
    try (Connection c = factory.createConnection()) {
      c.start();
      Session s = c.createSession();
      Queue fresh = s.createQueue("fresh");
      s.createProducer(fresh).send(s.createTextMessage("f"));
      assertNotNull(s.createConsumer(fresh).receive(5_000));
    }
    assertFalse(
        admin
            .queueDeclare(
                new QueueSpec("fresh", true, false, false, WarrenConnection.JMS_QUEUE_ARGUMENTS))
            .queue()
            .isEmpty());
  }
}
