package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code x-jms-selector} argument (DESIGN.md, JMS mapping): on a consumer the queue skips
 * messages it does not select and keeps them for others; on a binding the selector is evaluated at
 * routing time.
 */
@Timeout(30)
class JmsSelectorArgumentTest {
  private Broker broker;
  private Channel ch;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    ch = broker.newConnection("/", null).createChannel();
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private void publish(String exchange, String key, String body, String color) {
    ch.basicPublish(
        exchange,
        key,
        false,
        BasicProperties.builder().header("color", color).build(),
        bytes(body));
  }

  private static Map<String, Object> selector(String s) {
    return Map.of("x-jms-selector", s);
  }

  @Test
  void aSelectorConsumerGetsOnlyMatchingMessagesAndTheOthersStayForOtherConsumers() {
    ch.queueDeclare(QueueSpec.durable("paint"));
    publish("", "paint", "r1", "red");
    publish("", "paint", "b1", "blue");
    publish("", "paint", "r2", "red");

    TestSupport.Recorder reds = new TestSupport.Recorder();
    ch.basicConsume("paint", true, "reds", false, selector("color = 'red'"), reds);
    assertEquals("r1", text(reds.next()));
    assertEquals("r2", text(reds.next()));
    TestSupport.await(
        "the blue message to stay", () -> broker.virtualHost("/").queueMessageCount("paint") == 1);

    TestSupport.Recorder anyone = new TestSupport.Recorder();
    ch.basicConsume("paint", true, "anyone", false, null, anyone);
    assertEquals("b1", text(anyone.next()));
    assertTrue(reds.isEmpty());
  }

  @Test
  void messagesArrivingLaterGoToTheConsumerWhoseSelectorMatches() {
    ch.queueDeclare(QueueSpec.durable("split"));
    TestSupport.Recorder reds = new TestSupport.Recorder();
    TestSupport.Recorder blues = new TestSupport.Recorder();
    ch.basicConsume("split", true, "reds", false, selector("color = 'red'"), reds);
    ch.basicConsume("split", true, "blues", false, selector("color = 'blue'"), blues);
    for (int i = 0; i < 10; i++) {
      publish("", "split", "r" + i, "red");
      publish("", "split", "b" + i, "blue");
    }
    for (int i = 0; i < 10; i++) {
      assertEquals("r" + i, text(reds.next()));
      assertEquals("b" + i, text(blues.next()));
    }
  }

  @Test
  void aSelectorConsumerWithPrefetchSkipsToTheNextMatchingMessage() {
    ch.queueDeclare(QueueSpec.durable("prefetched"));
    for (int i = 0; i < 5; i++) {
      publish("", "prefetched", "b" + i, "blue");
    }
    publish("", "prefetched", "r0", "red");
    publish("", "prefetched", "r1", "red");
    ch.basicQos(1, false);
    TestSupport.Recorder reds = new TestSupport.Recorder();
    ch.basicConsume("prefetched", false, "reds", false, selector("color = 'red'"), reds);
    Delivery first = reds.next();
    assertEquals("r0", text(first));
    ch.basicAck(first.deliveryTag(), false);
    assertEquals("r1", text(reds.next()));
    assertEquals(5, broker.virtualHost("/").queueMessageCount("prefetched"), "the blue ones stay");
  }

  @Test
  void aBindingSelectorIsAppliedAtRoutingTime() {
    ch.queueDeclare(QueueSpec.durable("red-events"));
    ch.queueDeclare(QueueSpec.durable("all-events"));
    ch.queueBind("red-events", "amq.topic", "events", selector("color = 'red'"));
    ch.queueBind("all-events", "amq.topic", "events", null);
    publish("amq.topic", "events", "r", "red");
    publish("amq.topic", "events", "b", "blue");
    assertEquals(1, broker.virtualHost("/").queueMessageCount("red-events"));
    assertEquals(2, broker.virtualHost("/").queueMessageCount("all-events"));
    assertEquals("r", text(ch.basicGet("red-events", true).delivery()));
    assertNull(ch.basicGet("red-events", true));
  }

  @Test
  void aMessageNoBindingSelectorAdmitsIsUnroutable() {
    ch.queueDeclare(QueueSpec.durable("only-red"));
    ch.queueBind("only-red", "amq.direct", "k", selector("color = 'red'"));
    java.util.List<String> returned = new java.util.concurrent.CopyOnWriteArrayList<>();
    ch.addReturnListener(r -> returned.add(r.replyCode().name()));
    ch.basicPublish(
        "amq.direct",
        "k",
        true,
        BasicProperties.builder().header("color", "blue").build(),
        bytes("blue"));
    TestSupport.await("the return", () -> returned.size() == 1);
    assertEquals("NO_ROUTE", returned.get(0));
  }

  @Test
  void anInvalidSelectorIsRefusedWith406OnConsumeAndOnBind() {
    ch.queueDeclare(QueueSpec.durable("q"));
    AmqpException consume =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () ->
                ch.basicConsume(
                    "q", true, "", false, selector("color = "), new TestSupport.Recorder()));
    assertTrue(consume.getMessage().contains("x-jms-selector"), consume.getMessage());
    Channel again = broker.newConnection("/", null).createChannel();
    assertAmqpError(
        ReplyCode.PRECONDITION_FAILED,
        () -> again.queueBind("q", "amq.topic", "k", selector("color LIKE 5")));
  }
}
