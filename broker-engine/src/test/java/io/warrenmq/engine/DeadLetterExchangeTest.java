package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dead-lettering (https://www.rabbitmq.com/docs/dlx); header contents as RabbitMQ 3.10 writes them
 * (checked against the broker).
 */
@Timeout(30)
class DeadLetterExchangeTest {
  private Broker broker;
  private Channel ch;
  private VirtualHost vhost;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    ch = broker.newConnection("/", null).createChannel();
    vhost = broker.virtualHost("/");
    ch.exchangeDeclare(ExchangeSpec.durable("dlx", "fanout"));
    ch.queueDeclare(QueueSpec.durable("dead"));
    ch.queueBind("dead", "dlx", "", null);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private void declare(String queue, Map<String, Object> args) {
    ch.queueDeclare(new QueueSpec(queue, true, false, false, args));
  }

  private void declareWithDlx(String queue) {
    declare(queue, Map.of("x-dead-letter-exchange", "dlx"));
  }

  private long getAndReject(String queue) {
    GetResponse r = ch.basicGet(queue, false);
    assertNotNull(r, "a message in " + queue);
    ch.basicReject(r.delivery().deliveryTag(), false);
    return r.delivery().deliveryTag();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> deaths(Delivery d) {
    return (List<Map<String, Object>>) d.properties().headers().get("x-death");
  }

  @Test
  void aRejectedMessageIsRepublishedToTheDeadLetterExchangeWithRabbitMqsHeaders() {
    declareWithDlx("src");
    BasicProperties props =
        BasicProperties.builder().expiration("60000").header("app", "v").messageId("m-1").build();
    long before = System.currentTimeMillis() / 1000 * 1000;
    ch.basicPublish("", "src", false, props, bytes("m1"));
    getAndReject("src");

    GetResponse r = ch.basicGet("dead", true);
    assertNotNull(r);
    Delivery d = r.delivery();
    assertEquals("m1", text(d));
    assertEquals("dlx", d.exchange());
    assertEquals("src", d.routingKey());
    assertFalse(d.redelivered());
    assertNull(d.properties().expiration());
    assertEquals("m-1", d.properties().messageId());
    Map<String, Object> h = d.properties().headers();
    assertEquals("v", h.get("app"));
    assertEquals("rejected", h.get("x-first-death-reason"));
    assertEquals("src", h.get("x-first-death-queue"));
    assertEquals("", h.get("x-first-death-exchange"));
    assertFalse(h.containsKey("x-last-death-reason"), "RabbitMQ 3.10 writes no x-last-death-*");
    List<Map<String, Object>> deaths = deaths(d);
    assertEquals(1, deaths.size());
    Map<String, Object> death = deaths.get(0);
    assertEquals(
        List.of(
            "count", "exchange", "original-expiration", "queue", "reason", "routing-keys", "time"),
        List.copyOf(death.keySet()));
    assertEquals(1L, death.get("count"));
    assertEquals("", death.get("exchange"));
    assertEquals("60000", death.get("original-expiration"));
    assertEquals("src", death.get("queue"));
    assertEquals("rejected", death.get("reason"));
    assertEquals(List.of("src"), death.get("routing-keys"));
    Date time = (Date) death.get("time");
    assertEquals(0, time.getTime() % 1000, "whole seconds");
    assertTrue(time.getTime() >= before && time.getTime() <= System.currentTimeMillis());
  }

  @Test
  void nackWithoutRequeueDeadLettersEveryMessageInOrder() {
    declareWithDlx("src");
    for (String m : List.of("a", "b", "c")) {
      ch.basicPublish("", "src", false, null, bytes(m));
    }
    ch.basicGet("src", false);
    ch.basicGet("src", false);
    GetResponse last = ch.basicGet("src", false);
    ch.basicNack(last.delivery().deliveryTag(), true, false);
    assertEquals(0, vhost.queueMessageCount("src"));
    assertEquals("a", text(ch.basicGet("dead", true).delivery()));
    assertEquals("b", text(ch.basicGet("dead", true).delivery()));
    assertEquals("c", text(ch.basicGet("dead", true).delivery()));
  }

  @Test
  void nackWithRequeueDoesNotDeadLetter() {
    declareWithDlx("src");
    ch.basicPublish("", "src", false, null, bytes("m"));
    GetResponse r = ch.basicGet("src", false);
    ch.basicNack(r.delivery().deliveryTag(), false, true);
    assertEquals(1, vhost.queueMessageCount("src"));
    assertEquals(0, vhost.queueMessageCount("dead"));
  }

  @Test
  void aConsumerRejectDeadLettersToo() throws Exception {
    declareWithDlx("src");
    TestSupport.Recorder r = new TestSupport.Recorder();
    ch.basicConsume("src", false, "c", false, null, r);
    ch.basicPublish("", "src", false, null, bytes("m"));
    ch.basicReject(r.next().deliveryTag(), false);
    assertEquals(1, vhost.queueMessageCount("dead"));
  }

  @Test
  void theDeadLetterRoutingKeyReplacesTheMessagesOwn() {
    ch.exchangeDeclare(ExchangeSpec.durable("dlx-direct", "direct"));
    ch.queueDeclare(QueueSpec.durable("by-key"));
    ch.queueBind("by-key", "dlx-direct", "newkey", null);
    declare(
        "src",
        Map.of("x-dead-letter-exchange", "dlx-direct", "x-dead-letter-routing-key", "newkey"));
    ch.basicPublish("", "src", false, null, bytes("m"));
    getAndReject("src");
    Delivery d = ch.basicGet("by-key", true).delivery();
    assertEquals("dlx-direct", d.exchange());
    assertEquals("newkey", d.routingKey());
    assertEquals(List.of("src"), deaths(d).get(0).get("routing-keys"));
  }

  @Test
  void theDefaultExchangeCanBeTheDeadLetterExchange() {
    declare("src", Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dead"));
    ch.basicPublish("", "src", false, null, bytes("m"));
    getAndReject("src");
    Delivery d = ch.basicGet("dead", true).delivery();
    assertEquals("", d.exchange());
    assertEquals("dead", d.routingKey());
  }

  @Test
  void aSecondDeathInTheSameQueueForTheSameReasonIncrementsItsCount() {
    // rejected into itself twice: RabbitMQ answers one table with count 2
    declare("self", Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "self"));
    ch.basicPublish("", "self", false, null, bytes("m"));
    getAndReject("self");
    getAndReject("self");
    Delivery d = ch.basicGet("self", true).delivery();
    List<Map<String, Object>> deaths = deaths(d);
    assertEquals(1, deaths.size());
    assertEquals(2L, deaths.get(0).get("count"));
    assertEquals("rejected", deaths.get(0).get("reason"));
    assertEquals("self", deaths.get(0).get("queue"));
  }

  @Test
  void deathsAreListedNewestFirstAndARepeatedOneMovesToTheFront() {
    declareWithDlx("src");
    declare("ttl", Map.of("x-dead-letter-exchange", "dlx", "x-message-ttl", 0));
    BasicProperties props = BasicProperties.builder().expiration("60000").build();
    ch.basicPublish("", "src", false, props, bytes("m"));
    getAndReject("src");
    Delivery once = ch.basicGet("dead", true).delivery();

    // expired in "ttl" next
    ch.basicPublish("", "ttl", false, once.properties(), bytes("m"));
    Delivery twice = ch.basicGet("dead", true).delivery();
    List<Map<String, Object>> deaths = deaths(twice);
    assertEquals(List.of("ttl", "src"), deaths.stream().map(m -> m.get("queue")).toList());
    assertEquals("expired", deaths.get(0).get("reason"));
    assertFalse(deaths.get(0).containsKey("original-expiration"), "expiration already removed");
    assertEquals("60000", deaths.get(1).get("original-expiration"));
    assertEquals("rejected", twice.properties().headers().get("x-first-death-reason"));

    // rejected in "src" again: that table moves to the front, count 2, fields kept
    ch.basicPublish("", "src", false, twice.properties(), bytes("m"));
    getAndReject("src");
    Delivery thrice = ch.basicGet("dead", true).delivery();
    deaths = deaths(thrice);
    assertEquals(List.of("src", "ttl"), deaths.stream().map(m -> m.get("queue")).toList());
    assertEquals(2L, deaths.get(0).get("count"));
    assertEquals("60000", deaths.get(0).get("original-expiration"));
    assertEquals(1L, deaths.get(1).get("count"));
    assertEquals("src", thrice.properties().headers().get("x-first-death-queue"));
  }

  @Test
  void anAutomaticCycleBackIntoTheSameQueueDropsTheMessage() {
    declare(
        "cyc",
        Map.of(
            "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "cyc", "x-message-ttl", 0));
    ch.basicPublish("", "cyc", false, null, bytes("m"));
    // expired at once, dead-lettered to itself, detected as a cycle and dropped
    assertEquals(0, vhost.queueMessageCount("cyc"));
    assertNull(ch.basicGet("cyc", true));
  }

  @Test
  void aCycleThroughTwoQueuesWithoutRejectionDropsTheMessage() {
    declare(
        "a",
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "b", "x-message-ttl", 0));
    declare(
        "b",
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "a", "x-message-ttl", 0));
    ch.basicPublish("", "a", false, null, bytes("m"));
    assertEquals(0, vhost.queueMessageCount("a"));
    assertEquals(0, vhost.queueMessageCount("b"));
  }

  @Test
  void aCycleWithARejectionInItIsNotACycle() {
    declare("loop", Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "loop"));
    declare(
        "ttl",
        Map.of(
            "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "loop", "x-message-ttl", 0));
    ch.basicPublish("", "loop", false, null, bytes("m"));
    getAndReject("loop"); // rejected: back in loop
    Delivery d = ch.basicGet("loop", true).delivery();
    // expired in ttl and sent to loop, where it died by rejection: allowed
    ch.basicPublish("", "ttl", false, d.properties(), bytes("m"));
    Delivery again = ch.basicGet("loop", true).delivery();
    assertEquals(List.of("ttl", "loop"), deaths(again).stream().map(m -> m.get("queue")).toList());
  }

  @Test
  void aMissingDeadLetterExchangeDropsTheMessage() {
    declare("src", Map.of("x-dead-letter-exchange", "nowhere"));
    ch.basicPublish("", "src", false, null, bytes("m"));
    getAndReject("src");
    assertTrue(ch.isOpen());
    assertEquals(0, vhost.queueMessageCount("src"));
  }

  @Test
  void withoutDeadLetterExchangeARejectedMessageIsDropped() {
    ch.queueDeclare(QueueSpec.durable("plain"));
    ch.basicPublish("", "plain", false, null, bytes("m"));
    getAndReject("plain");
    assertEquals(0, vhost.queueMessageCount("plain"));
    assertEquals(0, vhost.queueMessageCount("dead"));
  }

  @Test
  void aRejectInsideATransactionDeadLettersOnCommit() {
    declareWithDlx("src");
    ch.basicPublish("", "src", false, null, bytes("m"));
    ch.txSelect();
    getAndReject("src");
    assertEquals(0, vhost.queueMessageCount("dead"));
    ch.txCommit();
    assertEquals(1, vhost.queueMessageCount("dead"));
  }

  @Test
  void headersOfTheOriginalMessageAreNotModified() {
    declareWithDlx("src");
    Map<String, Object> headers = new HashMap<>(Map.of("k", "v"));
    BasicProperties props = BasicProperties.builder().headers(headers).build();
    ch.basicPublish("", "src", false, props, bytes("m"));
    getAndReject("src");
    assertEquals(Map.of("k", "v"), props.headers());
    assertNotNull(ch.basicGet("dead", true));
  }
}
