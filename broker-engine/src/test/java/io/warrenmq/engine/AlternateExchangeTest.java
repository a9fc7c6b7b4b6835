package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.Return;
import io.warrenmq.engine.TestSupport.Recorder;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code alternate-exchange} argument, RabbitMQ doc "Alternate Exchanges". */
@Timeout(30)
class AlternateExchangeTest {
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

  private void exchangeWithAe(String name, String type, String ae) {
    ch.exchangeDeclare(
        new ExchangeSpec(name, type, true, false, false, Map.of("alternate-exchange", ae)));
  }

  private void queue(String name, String exchange, String key) {
    ch.queueDeclare(QueueSpec.durable(name));
    ch.queueBind(name, exchange, key, null);
  }

  @Test
  void unroutableMessagesGoToTheAlternateExchange() {
    ch.exchangeDeclare(ExchangeSpec.durable("ae", "fanout"));
    queue("unrouted", "ae", "");
    exchangeWithAe("main", "direct", "ae");
    queue("orders", "main", "orders");
    Recorder r = new Recorder();
    ch.basicConsume("unrouted", true, "", false, null, r);

    ch.basicPublish("main", "stock", false, null, bytes("lost"));
    ch.basicPublish("main", "orders", false, null, bytes("routed"));

    Delivery d = r.next();
    assertEquals("lost", text(d));
    assertEquals("main", d.exchange());
    assertEquals("stock", d.routingKey());
    assertEquals(1, vhost.queueMessageCount("orders"));
    assertTrue(r.isEmpty());
  }

  @Test
  void alternateExchangesChainUntilOneRoutes() {
    ch.exchangeDeclare(ExchangeSpec.durable("last", "fanout"));
    queue("q", "last", "");
    exchangeWithAe("middle", "direct", "last");
    exchangeWithAe("first", "direct", "middle");

    ch.basicPublish("first", "k", false, null, bytes("m"));

    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void aLoopOfAlternateExchangesEndsAndTheMessageIsReturnedIfMandatory() {
    exchangeWithAe("a", "direct", "b");
    exchangeWithAe("b", "direct", "a");
    LinkedBlockingQueue<Return> returns = new LinkedBlockingQueue<>();
    ch.addReturnListener(returns::add);

    ch.basicPublish("a", "k", true, null, bytes("m"));

    Return r = poll(returns);
    assertEquals(ReplyCode.NO_ROUTE, r.replyCode());
    assertEquals("a", r.exchange());
  }

  @Test
  void aMissingAlternateExchangeIsIgnoredAndAnAlternateDeclaredLaterIsUsed() {
    exchangeWithAe("main", "direct", "later");
    ch.basicPublish("main", "k", false, null, bytes("dropped"));
    assertTrue(ch.isOpen());

    ch.exchangeDeclare(ExchangeSpec.durable("later", "fanout"));
    queue("q", "later", "");
    ch.basicPublish("main", "k", false, null, bytes("kept"));

    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void theAlternateExchangeRoutesWithTheOriginalRoutingKey() {
    ch.exchangeDeclare(ExchangeSpec.durable("ae", "topic"));
    queue("eu", "ae", "*.eu");
    queue("us", "ae", "*.us");
    exchangeWithAe("main", "direct", "ae");

    ch.basicPublish("main", "orders.eu", false, null, bytes("m"));

    assertEquals(1, vhost.queueMessageCount("eu"));
    assertEquals(0, vhost.queueMessageCount("us"));
  }

  @Test
  void anExchangeInsideABindingChainUsesItsOwnAlternateExchange() {
    ch.exchangeDeclare(ExchangeSpec.durable("ae", "fanout"));
    queue("unrouted", "ae", "");
    exchangeWithAe("inner", "direct", "ae");
    ch.exchangeDeclare(ExchangeSpec.durable("outer", "fanout"));
    ch.exchangeBind("inner", "outer", "", null);

    ch.basicPublish("outer", "nobody", false, null, bytes("m"));

    assertEquals(1, vhost.queueMessageCount("unrouted"));
  }

  @Test
  void aMessageSentToTheAlternateExchangeIsDeliveredOncePerQueue() {
    ch.exchangeDeclare(ExchangeSpec.durable("ae", "fanout"));
    queue("q", "ae", "");
    exchangeWithAe("main", "direct", "ae");
    ch.queueBind("q", "main", "other", null);

    ch.basicPublish("main", "k", false, null, bytes("m"));

    assertEquals(1, vhost.queueMessageCount("q"));
  }

  static Return poll(LinkedBlockingQueue<Return> returns) {
    try {
      Return r = returns.poll(TestSupport.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (r == null) {
        throw new AssertionError("no return within " + TestSupport.TIMEOUT);
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
