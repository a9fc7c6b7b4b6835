package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.TestSupport.Recorder;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code exchange.bind} / {@code exchange.unbind}, RabbitMQ doc "Exchange to Exchange Bindings".
 */
@Timeout(30)
class ExchangeToExchangeBindingTest {
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
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private void exchange(String name, String type) {
    ch.exchangeDeclare(ExchangeSpec.durable(name, type));
  }

  private void queue(String name, String exchange, String key) {
    ch.queueDeclare(QueueSpec.durable(name));
    ch.queueBind(name, exchange, key, null);
  }

  @Test
  void messagesFlowFromTheSourceThroughTheBindingToTheDestinationsQueues() {
    exchange("src", "direct");
    exchange("dst", "fanout");
    queue("q", "dst", "");
    ch.exchangeBind("dst", "src", "k", null);
    Recorder r = new Recorder();
    ch.basicConsume("q", true, "", false, null, r);

    ch.basicPublish("src", "k", false, null, bytes("hello"));

    Delivery d = r.next();
    assertEquals("hello", text(d));
    assertEquals("src", d.exchange(), "the delivery names the exchange published to");
    assertEquals("k", d.routingKey());
  }

  @Test
  void theBindingKeyIsMatchedByTheSourceExchangeType() {
    exchange("src", "topic");
    exchange("dst", "fanout");
    queue("q", "dst", "");
    ch.exchangeBind("dst", "src", "orders.*", null);

    ch.basicPublish("src", "orders.eu", false, null, bytes("1"));
    ch.basicPublish("src", "stock.eu", false, null, bytes("2"));
    ch.basicPublish("src", "orders.eu.north", false, null, bytes("3"));

    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void theDestinationRoutesWithTheOriginalRoutingKey() {
    exchange("src", "fanout");
    exchange("dst", "direct");
    queue("red", "dst", "red");
    queue("blue", "dst", "blue");
    ch.exchangeBind("dst", "src", "", null);

    ch.basicPublish("src", "red", false, null, bytes("1"));

    assertEquals(1, vhost.queueMessageCount("red"));
    assertEquals(0, vhost.queueMessageCount("blue"));
  }

  @Test
  void aCycleOfExchangesEndsAndDeliversOneCopyPerQueue() {
    exchange("a", "fanout");
    exchange("b", "fanout");
    exchange("c", "fanout");
    ch.exchangeBind("b", "a", "", null);
    ch.exchangeBind("c", "b", "", null);
    ch.exchangeBind("a", "c", "", null);
    queue("qa", "a", "");
    queue("qc", "c", "");

    ch.basicPublish("b", "", false, null, bytes("once"));

    assertEquals(1, vhost.queueMessageCount("qa"));
    assertEquals(1, vhost.queueMessageCount("qc"));
  }

  @Test
  void aQueueReachedByTwoPathsReceivesOneCopy() {
    exchange("top", "fanout");
    exchange("left", "fanout");
    exchange("right", "fanout");
    ch.exchangeBind("left", "top", "", null);
    ch.exchangeBind("right", "top", "", null);
    queue("q", "left", "");
    ch.queueBind("q", "right", "", null);
    ch.queueBind("q", "top", "", null);

    ch.basicPublish("top", "", false, null, bytes("diamond"));

    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void bindingTwiceIsANoOpAndUnbindStopsTheFlow() {
    exchange("src", "direct");
    exchange("dst", "fanout");
    queue("q", "dst", "");
    ch.exchangeBind("dst", "src", "k", null);
    ch.exchangeBind("dst", "src", "k", Map.of());
    ch.basicPublish("src", "k", false, null, bytes("1"));
    assertEquals(1, vhost.queueMessageCount("q"));

    ch.exchangeUnbind("dst", "src", "k", null);
    ch.exchangeUnbind("dst", "src", "k", null); // absent: a no-op, as in RabbitMQ
    ch.basicPublish("src", "k", false, null, bytes("2"));

    assertEquals(1, vhost.queueMessageCount("q"));
    assertTrue(ch.isOpen());
  }

  @Test
  void deletingTheDestinationRemovesTheBindingFromTheSource() {
    exchange("src", "fanout");
    exchange("dst", "fanout");
    ch.exchangeBind("dst", "src", "", null);

    ch.exchangeDelete("dst", false);

    ch.exchangeDelete("src", true); // if-unused passes: the binding went with dst
    assertFalse(vhost.exchangeExists("src"));
  }

  @Test
  void deletingTheSourceRemovesTheBindingFromTheDestination() {
    exchange("src", "fanout");
    exchange("dst", "fanout");
    queue("q", "dst", "");
    ch.exchangeBind("dst", "src", "", null);

    ch.exchangeDelete("src", false);
    ch.exchangeDeclare(ExchangeSpec.durable("src", "fanout"));
    ch.basicPublish("src", "", false, null, bytes("not forwarded"));

    assertEquals(0, vhost.queueMessageCount("q"));
  }

  @Test
  void ifUnusedCountsOnlyBindingsWhoseSourceTheExchangeIs() {
    exchange("src", "fanout");
    exchange("dst", "fanout");
    ch.exchangeBind("dst", "src", "", null);

    AmqpException e =
        assertAmqpError(ReplyCode.PRECONDITION_FAILED, () -> ch.exchangeDelete("src", true));
    assertEquals("exchange 'src' in vhost '/' in use", e.replyText());
    ch = connection.createChannel();
    ch.exchangeDelete("dst", true); // a destination only: deleted, as in RabbitMQ

    assertFalse(vhost.exchangeExists("dst"));
  }

  @Test
  void anAutoDeleteSourceGoesWithItsLastBindingButAnAutoDeleteDestinationStays() {
    ch.exchangeDeclare(new ExchangeSpec("src", "fanout", false, true, false, null));
    ch.exchangeDeclare(new ExchangeSpec("dst", "fanout", false, true, false, null));
    ch.exchangeBind("dst", "src", "", null);

    ch.exchangeUnbind("dst", "src", "", null);

    assertFalse(vhost.exchangeExists("src"));
    assertTrue(vhost.exchangeExists("dst"));
  }

  @Test
  void deletingTheDestinationDeletesAnAutoDeleteSourceLeftWithoutBindings() {
    ch.exchangeDeclare(new ExchangeSpec("src", "fanout", false, true, false, null));
    exchange("dst", "fanout");
    ch.exchangeBind("dst", "src", "", null);

    ch.exchangeDelete("dst", false);

    assertFalse(vhost.exchangeExists("src"));
  }

  @Test
  void missingExchangesAre404AndTheDefaultExchangeIs403() {
    exchange("x", "fanout");
    AmqpException e =
        assertAmqpError(ReplyCode.NOT_FOUND, () -> ch.exchangeBind("nope", "x", "", null));
    assertEquals("no exchange 'nope' in vhost '/'", e.replyText());
    assertFalse(ch.isOpen());
    ch = connection.createChannel();
    assertAmqpError(ReplyCode.NOT_FOUND, () -> ch.exchangeBind("x", "nope", "", null));
    ch = connection.createChannel();
    assertAmqpError(ReplyCode.NOT_FOUND, () -> ch.exchangeUnbind("x", "nope", "", null));
    ch = connection.createChannel();
    e = assertAmqpError(ReplyCode.ACCESS_REFUSED, () -> ch.exchangeBind("", "x", "", null));
    assertEquals("operation not permitted on the default exchange", e.replyText());
    ch = connection.createChannel();
    assertAmqpError(ReplyCode.ACCESS_REFUSED, () -> ch.exchangeBind("x", "", "", null));
    assertTrue(connection.isOpen());
  }
}
