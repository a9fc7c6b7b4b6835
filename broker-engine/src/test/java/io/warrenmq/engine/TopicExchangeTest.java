package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicExchangeTest {
  private Broker broker;
  private Connection connection;
  private Channel ch;
  private VirtualHost vhost;
  private int queues;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    connection = broker.newConnection("/", "topic-test");
    ch = connection.createChannel();
    vhost = broker.virtualHost("/");
    ch.exchangeDeclare(ExchangeSpec.durable("t", "topic"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private String boundQueue(String pattern) {
    String q = "q" + (++queues);
    ch.queueDeclare(QueueSpec.durable(q));
    ch.queueBind(q, "t", pattern, Map.of());
    return q;
  }

  private boolean routes(String pattern, String routingKey) {
    String q = boundQueue(pattern);
    ch.basicPublish("t", routingKey, false, null, bytes("m"));
    return vhost.queueMessageCount(q) == 1;
  }

  @ParameterizedTest(name = "''{0}'' matches ''{1}''")
  @CsvSource({
    "a.b.c, a.b.c",
    "*, a",
    "#, ''",
    "#, a",
    "#, a.b.c",
    "a.#, a",
    "a.#, a.b",
    "a.#, a.b.c",
    "#.c, c",
    "#.c, a.b.c",
    "a.#.c, a.c",
    "a.#.c, a.b.c",
    "a.#.c, a.b.d.c",
    "*.b.*, a.b.c",
    "a.*.#, a.b",
    "a.*.#, a.b.c.d",
    "#.#, ''",
    "#.#, a.b",
    "#.*, a",
    "*.#, a",
    "a.*.b, a..b",
    "a..b, a..b",
    "a.#.b, a..b",
    "a.*, a.",
    "'', ''",
    "*.*, .",
  })
  void patternMatchesKey(String pattern, String key) {
    assertEquals(true, routes(pattern, key), pattern + " should match " + key);
  }

  @ParameterizedTest(name = "''{0}'' does not match ''{1}''")
  @CsvSource({
    "a.b.c, a.b",
    "a.b.c, a.b.c.d",
    "*, a.b",
    "*, ''",
    "a.#, b.a",
    "#.c, c.a",
    "a.#.c, a.b",
    "*.b.*, a.b",
    "a.*.#, a",
    "#.*, ''",
    "'', a",
    "a.*.b, a.b",
    "a.b, a..b",
  })
  void patternDoesNotMatchKey(String pattern, String key) {
    assertEquals(false, routes(pattern, key), pattern + " should not match " + key);
  }

  @Test
  void aQueueMatchedByTwoBindingsReceivesOneCopy() {
    ch.queueDeclare(QueueSpec.durable("both"));
    ch.queueBind("both", "t", "a.*", Map.of());
    ch.queueBind("both", "t", "#", Map.of());
    ch.queueBind("both", "t", "a.b", Map.of());
    ch.basicPublish("t", "a.b", false, null, bytes("m"));
    assertEquals(1, vhost.queueMessageCount("both"));
  }

  @Test
  void routingAmongManyBindingsReachesOnlyTheMatchingQueues() {
    for (int i = 0; i < 1000; i++) {
      ch.queueDeclare(QueueSpec.durable("k" + i));
      ch.queueBind("k" + i, "t", "orders." + i + ".*", Map.of());
    }
    ch.queueDeclare(QueueSpec.durable("all"));
    ch.queueBind("all", "t", "orders.#", Map.of());
    ch.basicPublish("t", "orders.500.created", false, null, bytes("m"));
    for (int i = 0; i < 1000; i++) {
      assertEquals(i == 500 ? 1 : 0, vhost.queueMessageCount("k" + i), "k" + i);
    }
    assertEquals(1, vhost.queueMessageCount("all"));
  }

  @Test
  void unbindStopsRoutingButKeepsSiblingBindings() {
    String q1 = boundQueue("a.b.c");
    String q2 = boundQueue("a.b");
    ch.queueUnbind(q1, "t", "a.b.c", Map.of());
    ch.basicPublish("t", "a.b.c", false, null, bytes("m"));
    ch.basicPublish("t", "a.b", false, null, bytes("m"));
    assertEquals(0, vhost.queueMessageCount(q1));
    assertEquals(1, vhost.queueMessageCount(q2));
  }

  @Test
  void unbindingAnAbsentBindingIsANoOp() {
    String q = boundQueue("x.y");
    ch.queueUnbind(q, "t", "x.z", Map.of());
    ch.basicPublish("t", "x.y", false, null, bytes("m"));
    assertEquals(1, vhost.queueMessageCount(q));
  }

  @Test
  void predeclaredAmqTopicRoutes() {
    ch.queueDeclare(QueueSpec.durable("p"));
    ch.queueBind("p", "amq.topic", "stock.#", null);
    ch.basicPublish("amq.topic", "stock.nyse.ibm", false, null, bytes("m"));
    assertEquals(1, vhost.queueMessageCount("p"));
  }
}
