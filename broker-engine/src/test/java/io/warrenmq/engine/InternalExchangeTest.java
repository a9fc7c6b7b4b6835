package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Exchanges declared {@code internal}: reachable only through other exchanges (RabbitMQ). */
@Timeout(30)
class InternalExchangeTest {
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
    ch.exchangeDeclare(new ExchangeSpec("int", "fanout", true, false, true, null));
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.queueBind("q", "int", "", null);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void publishingToAnInternalExchangeIs403WithRabbitMqsText() {
    AmqpException e =
        assertAmqpError(
            ReplyCode.ACCESS_REFUSED, () -> ch.basicPublish("int", "", false, null, bytes("m")));

    assertEquals("cannot publish to internal exchange 'int' in vhost '/'", e.replyText());
    assertFalse(ch.isOpen());
    assertTrue(connection.isOpen());
    assertEquals(0, vhost.queueMessageCount("q"));
  }

  @Test
  void anInternalExchangeReceivesThroughAnExchangeToExchangeBinding() {
    ch.exchangeDeclare(ExchangeSpec.durable("front", "direct"));
    ch.exchangeBind("int", "front", "k", null);

    ch.basicPublish("front", "k", false, null, bytes("m"));

    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void anInternalExchangeServesAsAnAlternateExchange() {
    ch.exchangeDeclare(
        new ExchangeSpec(
            "front", "direct", true, false, false, Map.of("alternate-exchange", "int")));

    ch.basicPublish("front", "unbound", false, null, bytes("m"));

    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void redeclaringWithAnotherInternalFlagIs406() {
    AmqpException e =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () -> ch.exchangeDeclare(ExchangeSpec.durable("int", "fanout")));

    assertEquals(
        "inequivalent arg 'internal' for exchange 'int' in vhost '/': received 'false' but current"
            + " is 'true'",
        e.replyText());
  }
}
