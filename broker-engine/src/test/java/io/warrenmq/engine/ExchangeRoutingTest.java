package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExchangeRoutingTest {
  private Broker broker;
  private Channel ch;
  private VirtualHost vhost;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    ch = broker.newConnection("/", null).createChannel();
    vhost = broker.virtualHost("/");
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void predeclaredExchangesExistInEveryVirtualHost() {
    for (String vh : new String[] {"/", "other"}) {
      VirtualHost v = broker.virtualHost(vh);
      for (String x :
          new String[] {"", "amq.direct", "amq.fanout", "amq.topic", "amq.headers", "amq.match"}) {
        assertTrue(v.exchangeExists(x), x + " in " + vh);
      }
    }
  }

  @Test
  void directExchangeRoutesByExactKey() {
    ch.exchangeDeclare(ExchangeSpec.durable("d", "direct"));
    ch.queueDeclare(QueueSpec.durable("red"));
    ch.queueDeclare(QueueSpec.durable("blue"));
    ch.queueBind("red", "d", "red", null);
    ch.queueBind("blue", "d", "blue", null);
    ch.basicPublish("d", "red", false, null, bytes("1"));
    ch.basicPublish("d", "red", false, null, bytes("2"));
    ch.basicPublish("d", "blue", false, null, bytes("3"));
    ch.basicPublish("d", "green", false, null, bytes("dropped"));
    assertEquals(2, vhost.queueMessageCount("red"));
    assertEquals(1, vhost.queueMessageCount("blue"));
  }

  @Test
  void bindingTwiceIsANoOp() {
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.queueBind("q", "amq.direct", "k", null);
    ch.queueBind("q", "amq.direct", "k", Map.of());
    ch.basicPublish("amq.direct", "k", false, null, bytes("1"));
    assertEquals(1, vhost.queueMessageCount("q"));
    ch.queueUnbind("q", "amq.direct", "k", null);
    ch.basicPublish("amq.direct", "k", false, null, bytes("2"));
    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void fanoutExchangeRoutesToEveryBoundQueueWhateverTheKey() {
    ch.exchangeDeclare(ExchangeSpec.durable("f", "fanout"));
    for (int i = 0; i < 3; i++) {
      ch.queueDeclare(QueueSpec.durable("f" + i));
      ch.queueBind("f" + i, "f", "ignored" + i, null);
    }
    ch.queueBind("f0", "f", "second-binding", null);
    ch.basicPublish("f", "anything", false, null, bytes("m"));
    for (int i = 0; i < 3; i++) {
      assertEquals(1, vhost.queueMessageCount("f" + i));
    }
  }

  @Test
  void defaultExchangeRoutesToTheQueueNamedByTheKey() {
    ch.queueDeclare(QueueSpec.durable("orders"));
    ch.basicPublish("", "orders", false, null, bytes("m"));
    ch.basicPublish("", "nowhere", false, null, bytes("dropped"));
    assertEquals(1, vhost.queueMessageCount("orders"));
  }

  @Test
  void aMessageRoutedToSeveralQueuesSharesBodyAndProperties() {
    ch.queueDeclare(QueueSpec.durable("a"));
    ch.queueDeclare(QueueSpec.durable("b"));
    ch.queueBind("a", "amq.fanout", "", null);
    ch.queueBind("b", "amq.fanout", "", null);
    byte[] body = bytes("shared");
    BasicProperties props = BasicProperties.builder().messageId("m-1").build();
    ch.basicPublish("amq.fanout", "", false, props, body);
    GetResponse ra = ch.basicGet("a", true);
    GetResponse rb = ch.basicGet("b", true);
    assertSame(body, ra.delivery().body());
    assertSame(body, rb.delivery().body());
    assertSame(props, ra.delivery().properties());
    assertSame(props, rb.delivery().properties());
    assertEquals("amq.fanout", ra.delivery().exchange());
  }

  @Test
  void headersExchangeMatchesAllOrAny() {
    ch.queueDeclare(QueueSpec.durable("all"));
    ch.queueDeclare(QueueSpec.durable("any"));
    ch.queueBind("all", "amq.headers", "", Map.of("x-match", "all", "format", "pdf", "size", 10));
    ch.queueBind("any", "amq.match", "", Map.of("x-match", "any", "format", "pdf", "size", 10));
    ch.queueBind("any", "amq.headers", "", Map.of("x-match", "any", "format", "pdf", "size", 10));
    ch.basicPublish(
        "amq.headers",
        "",
        false,
        BasicProperties.builder().header("format", "pdf").header("size", 10L).build(),
        bytes("both"));
    ch.basicPublish(
        "amq.headers",
        "",
        false,
        BasicProperties.builder().header("format", "pdf").build(),
        bytes("any only"));
    ch.basicPublish("amq.headers", "", false, null, bytes("none"));
    assertEquals(1, vhost.queueMessageCount("all"));
    assertEquals(2, vhost.queueMessageCount("any"));
  }

  @Test
  void deletingAnExchangeRemovesItsBindings() {
    ch.exchangeDeclare(ExchangeSpec.durable("gone", "fanout"));
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.queueBind("q", "gone", "", null);
    ch.exchangeDelete("gone", false);
    ch.exchangeDeclare(ExchangeSpec.durable("gone", "fanout"));
    ch.basicPublish("gone", "", false, null, bytes("m"));
    assertEquals(0, vhost.queueMessageCount("q"));
  }

  @Test
  void autoDeleteExchangeGoesWithItsLastBinding() {
    ch.exchangeDeclare(new ExchangeSpec("ad", "direct", false, true, false, null));
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.queueBind("q", "ad", "k", null);
    assertTrue(vhost.exchangeExists("ad"));
    ch.queueUnbind("q", "ad", "k", null);
    assertEquals(false, vhost.exchangeExists("ad"));
  }

  @Test
  void redeclaringAnEquivalentExchangeSucceeds() {
    ch.exchangeDeclare(ExchangeSpec.durable("x", "topic"));
    ch.exchangeDeclare(ExchangeSpec.durable("x", "topic"));
    ch.exchangeDeclare(ExchangeSpec.durable("amq.direct", "direct"));
    ch.exchangeDeclarePassive("x");
    assertTrue(ch.isOpen());
  }
}
