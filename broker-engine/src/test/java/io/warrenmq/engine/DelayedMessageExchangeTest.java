package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.Return;
import io.warrenmq.engine.TestSupport.Recorder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code x-delayed-message} exchange type (rabbitmq-delayed-message-exchange plugin). */
@Timeout(30)
class DelayedMessageExchangeTest {
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

  private void delayedExchange(String name, String type) {
    ch.exchangeDeclare(
        new ExchangeSpec(
            name, "x-delayed-message", true, false, false, Map.of("x-delayed-type", type)));
  }

  private static BasicProperties delay(Object ms) {
    return BasicProperties.builder().header("x-delay", ms).build();
  }

  private Recorder consume(String queue, String exchange, String key) {
    ch.queueDeclare(QueueSpec.durable(queue));
    ch.queueBind(queue, exchange, key, null);
    Recorder r = new Recorder();
    ch.basicConsume(queue, true, "", false, null, r);
    return r;
  }

  @Test
  void aMessageWithXDelayIsRoutedWhenDue() {
    delayedExchange("d", "direct");
    Recorder r = consume("q", "d", "k");

    long start = System.nanoTime();
    ch.basicPublish("d", "k", false, delay(200), bytes("later"));
    assertEquals(0, vhost.queueMessageCount("q"));

    Delivery d = r.next();
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals("later", text(d));
    assertEquals("d", d.exchange());
    assertEquals("k", d.routingKey());
    assertTrue(elapsedMs >= 200, "delivered after " + elapsedMs + " ms");
  }

  @Test
  void aReleasedMessageCarriesXDelayNegatedAsThePluginSetsIt() {
    delayedExchange("d", "fanout");
    Recorder r = consume("q", "d", "");

    ch.basicPublish("d", "", false, delay("30"), bytes("string delay"));
    ch.basicPublish("d", "", false, delay(60.9), bytes("float delay"));

    Delivery first = r.next();
    assertEquals("string delay", text(first));
    assertEquals(-30, first.properties().headers().get("x-delay"));
    assertEquals(-60, r.next().properties().headers().get("x-delay"));
  }

  @Test
  void aChainOfDelayedExchangesDelaysOnce() {
    delayedExchange("first", "fanout");
    delayedExchange("second", "fanout");
    ch.exchangeBind("second", "first", "", null);
    Recorder r = consume("q", "second", "");

    long start = System.nanoTime();
    ch.basicPublish("first", "", false, delay(150), bytes("m"));
    r.next();

    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(elapsedMs >= 150 && elapsedMs < 3_000, "delivered after " + elapsedMs + " ms");
  }

  @Test
  void aHeldMessageIsNeitherReturnedNorSentToTheAlternateExchange() {
    ch.exchangeDeclare(ExchangeSpec.durable("ae", "fanout"));
    ch.queueDeclare(QueueSpec.durable("unrouted"));
    ch.queueBind("unrouted", "ae", "", null);
    ch.exchangeDeclare(
        new ExchangeSpec(
            "d",
            "x-delayed-message",
            true,
            false,
            false,
            Map.of("x-delayed-type", "direct", "alternate-exchange", "ae")));
    Recorder r = consume("q", "d", "k");
    List<Return> returns = new CopyOnWriteArrayList<>();
    ch.addReturnListener(returns::add);

    ch.basicPublish("d", "k", true, delay(50), bytes("m"));
    r.next();

    assertTrue(returns.isEmpty());
    assertEquals(0, vhost.queueMessageCount("unrouted"));
  }

  @Test
  void messagesAreReleasedInDueOrderNotPublishOrder() {
    delayedExchange("d", "fanout");
    Recorder r = consume("q", "d", "");

    ch.basicPublish("d", "", false, delay(400), bytes("second"));
    ch.basicPublish("d", "", false, delay(100L), bytes("first"));

    assertEquals("first", text(r.next()));
    assertEquals("second", text(r.next()));
  }

  @Test
  void aMissingNegativeZeroUnparsableOrTooLargeDelayRoutesAtOnce() {
    delayedExchange("d", "direct");
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.queueBind("q", "d", "k", null);

    ch.basicPublish("d", "k", false, null, bytes("none"));
    ch.basicPublish("d", "k", false, delay(-5_000), bytes("negative"));
    ch.basicPublish("d", "k", false, delay(0), bytes("zero"));
    ch.basicPublish("d", "k", false, delay("soon"), bytes("unparsable"));
    ch.basicPublish("d", "k", false, delay(4_294_967_296L), bytes("beyond the plugin's maximum"));

    assertEquals(5, vhost.queueMessageCount("q"));
  }

  @Test
  void theDelayedTypeDecidesTheRouting() {
    delayedExchange("d", "topic");
    Recorder eu = consume("eu", "d", "*.eu");
    ch.queueDeclare(QueueSpec.durable("us"));
    ch.queueBind("us", "d", "*.us", null);

    ch.basicPublish("d", "orders.eu", false, delay(50), bytes("m"));

    assertEquals("m", text(eu.next()));
    assertEquals(0, vhost.queueMessageCount("us"));
  }

  @Test
  void deletingTheExchangeDropsTheMessagesItHolds() {
    delayedExchange("doomed", "fanout");
    delayedExchange("witness", "fanout");
    Recorder r = consume("q", "doomed", "");
    ch.queueBind("q", "witness", "", null);

    ch.basicPublish("doomed", "", false, delay(100), bytes("dropped"));
    ch.basicPublish("witness", "", false, delay(400), bytes("witness"));
    ch.exchangeDelete("doomed", false);

    assertEquals("witness", text(r.next()));
    assertTrue(r.isEmpty());
  }

  @Test
  void aMissingOrUnknownDelayedTypeIs406() {
    AmqpException e =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () ->
                ch.exchangeDeclare(
                    new ExchangeSpec("d", "x-delayed-message", true, false, false, null)));
    assertEquals(
        "Invalid argument, 'x-delayed-type' must be an existing exchange type", e.replyText());
    ch = connection.createChannel();
    assertAmqpError(ReplyCode.PRECONDITION_FAILED, () -> delayedExchange("d", "nope"));
    ch = connection.createChannel();
    assertAmqpError(ReplyCode.PRECONDITION_FAILED, () -> delayedExchange("d", "x-delayed-message"));
    assertTrue(connection.isOpen());
  }

  @Test
  void delayedMessagesRunOnTheBrokersTimerThreadWhichStopsWithTheBroker() {
    delayedExchange("d", "fanout");
    Recorder r = consume("q", "d", "");
    ch.basicPublish("d", "", false, delay(10), bytes("m"));
    r.next();
    String timer = "warren-timer-" + broker.name();
    assertTrue(timerThreadAlive(timer));

    broker.close();

    TestSupport.await("the timer thread ends", () -> !timerThreadAlive(timer));
  }

  private static boolean timerThreadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }
}
