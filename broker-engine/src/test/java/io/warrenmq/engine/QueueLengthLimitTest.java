package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code x-max-length}, {@code x-max-length-bytes}, {@code x-overflow} (docs/maxlength). */
@Timeout(30)
class QueueLengthLimitTest {
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

  private void declare(Map<String, Object> args) {
    ch.queueDeclare(new QueueSpec("q", true, false, false, args));
  }

  private void publish(String... bodies) {
    for (String b : bodies) {
      ch.basicPublish("", "q", false, null, bytes(b));
    }
  }

  private List<String> drain(String queue) {
    List<String> out = new ArrayList<>();
    GetResponse r;
    while ((r = ch.basicGet(queue, true)) != null) {
      out.add(text(r.delivery()));
    }
    return out;
  }

  @Test
  void dropHeadKeepsTheNewestMessagesAndDeadLettersTheOldestWithReasonMaxlen() {
    declare(Map.of("x-max-length", 2, "x-dead-letter-exchange", "dlx"));
    publish("a", "b", "c", "d");
    assertEquals(2, vhost.queueMessageCount("q"));
    assertEquals(List.of("c", "d"), drain("q"));
    GetResponse first = ch.basicGet("dead", true);
    assertEquals("a", text(first.delivery()));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> deaths =
        (List<Map<String, Object>>) first.delivery().properties().headers().get("x-death");
    assertEquals("maxlen", deaths.get(0).get("reason"));
    assertEquals("q", deaths.get(0).get("queue"));
    assertEquals(List.of("b"), drain("dead"));
  }

  @Test
  void maxLengthBytesCountsBodyBytesOfReadyMessages() {
    declare(Map.of("x-max-length-bytes", 10));
    publish("aaaa", "bbbb", "cccc"); // 12 bytes: the oldest goes
    assertEquals(List.of("bbbb", "cccc"), drain("q"));
  }

  @Test
  void maxLengthZeroDropsEverythingNoConsumerTakesAtOnce() {
    declare(Map.of("x-max-length", 0));
    publish("a");
    assertEquals(0, vhost.queueMessageCount("q"));
    TestSupport.Recorder r = new TestSupport.Recorder();
    ch.basicConsume("q", true, "c", false, null, r);
    publish("b");
    assertEquals("b", text(r.next()));
  }

  @Test
  void unackedMessagesDoNotCountButARequeueOverTheLimitDropsTheHead() {
    declare(Map.of("x-max-length", 1));
    publish("a");
    GetResponse a = ch.basicGet("q", false);
    publish("b");
    assertEquals(1, vhost.queueMessageCount("q"));
    // back at the head, the queue is over its limit again: RabbitMQ drops the head (a)
    ch.basicNack(a.delivery().deliveryTag(), false, true);
    assertEquals(List.of("b"), drain("q"));
  }

  @Test
  void dropHeadOnAPriorityQueueDropsTheNextMessageToDeliverAsRabbitMqDoes() {
    declare(Map.of("x-max-length", 2, "x-max-priority", 5));
    ch.basicPublish("", "q", false, TestSupport.withPriority(5), bytes("hi"));
    ch.basicPublish("", "q", false, TestSupport.withPriority(0), bytes("lo"));
    ch.basicPublish("", "q", false, TestSupport.withPriority(0), bytes("lo2"));
    assertEquals(List.of("lo", "lo2"), drain("q"));
  }

  @Test
  void rejectPublishRefusesTheNewestMessage() {
    declare(
        Map.of("x-max-length", 2, "x-overflow", "reject-publish", "x-dead-letter-exchange", "dlx"));
    publish("a", "b", "c");
    assertEquals(List.of("a", "b"), drain("q"));
    assertNull(ch.basicGet("dead", true), "reject-publish does not dead-letter");
    publish("d");
    assertEquals(List.of("d"), drain("q"));
  }

  @Test
  void rejectPublishDlxRefusesAndDeadLettersTheNewestMessage() {
    declare(
        Map.of(
            "x-max-length",
            1,
            "x-overflow",
            "reject-publish-dlx",
            "x-dead-letter-exchange",
            "dlx"));
    publish("a", "b", "c");
    assertEquals(List.of("a"), drain("q"));
    assertEquals(List.of("b", "c"), drain("dead"));
  }

  @Test
  void rejectPublishAppliesToBytesToo() {
    declare(Map.of("x-max-length-bytes", 5, "x-overflow", "reject-publish"));
    publish("aaa", "bbb", "cc");
    assertEquals(List.of("aaa", "cc"), drain("q"));
  }
}
