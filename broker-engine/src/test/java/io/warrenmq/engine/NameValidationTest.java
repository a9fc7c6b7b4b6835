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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Names and keys are AMQP {@code shortstr}s (spec 4.2.5.3): at most 255 bytes of UTF-8. RabbitMQ
 * accepts any characters in them (checked against a real RabbitMQ: "a b", "é", "a/b").
 */
@Timeout(30)
class NameValidationTest {
  private static final String MAX = "n".repeat(255);
  private static final String TOO_LONG = "n".repeat(256);
  private static final String TOO_LONG_UTF8 = "é".repeat(128); // 128 chars, 256 bytes

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

  private void assert406(Runnable call) {
    AmqpException e = assertAmqpError(ReplyCode.PRECONDITION_FAILED, call::run);
    assertTrue(e.replyText().endsWith("bytes long; the maximum is 255 bytes"), e.replyText());
    assertFalse(ch.isOpen());
    assertTrue(connection.isOpen());
    ch = connection.createChannel();
  }

  @Test
  void namesAndKeysOf255BytesAreAccepted() {
    ch.exchangeDeclare(ExchangeSpec.durable(MAX, "direct"));
    ch.queueDeclare(QueueSpec.durable(MAX));
    ch.queueBind(MAX, MAX, MAX, null);

    ch.basicPublish(MAX, MAX, false, null, bytes("m"));

    assertEquals(1, vhost.queueMessageCount(MAX));
  }

  @Test
  void namesAndKeysOver255BytesAre406() {
    ch.queueDeclare(QueueSpec.durable("q"));
    assert406(() -> ch.exchangeDeclare(ExchangeSpec.durable(TOO_LONG, "direct")));
    assert406(() -> ch.exchangeDeclare(ExchangeSpec.durable(TOO_LONG_UTF8, "direct")));
    assert406(() -> ch.queueDeclare(QueueSpec.durable(TOO_LONG)));
    assert406(() -> ch.queueDeclare(QueueSpec.durable(TOO_LONG_UTF8)));
    assert406(() -> ch.queueBind("q", "amq.direct", TOO_LONG, null));
    assert406(() -> ch.exchangeBind("amq.fanout", "amq.direct", TOO_LONG_UTF8, null));
    assert406(() -> ch.basicPublish("amq.direct", TOO_LONG, false, null, bytes("m")));
    assertFalse(vhost.exchangeExists(TOO_LONG));
    assertFalse(vhost.queueExists(TOO_LONG));
  }

  @Test
  void anyCharactersAreAcceptedAsRabbitMqAcceptsThem() {
    for (String name : new String[] {"a b", "é", "a/b", "x#*"}) {
      ch.exchangeDeclare(ExchangeSpec.durable(name, "fanout"));
      ch.queueDeclare(QueueSpec.durable(name));
      ch.queueBind(name, name, "", null);
      ch.basicPublish(name, "", false, null, bytes("m"));
      assertEquals(1, vhost.queueMessageCount(name), name);
    }
  }

  @Test
  void theAmqPrefixIsReservedForNewExchangesAndQueues() {
    AmqpException e =
        assertAmqpError(
            ReplyCode.ACCESS_REFUSED,
            () -> ch.exchangeDeclare(ExchangeSpec.durable("amq.custom", "fanout")));
    assertEquals("exchange name 'amq.custom' contains reserved prefix 'amq.*'", e.replyText());
    ch = connection.createChannel();
    assertAmqpError(
        ReplyCode.ACCESS_REFUSED, () -> ch.queueDeclare(QueueSpec.durable("amq.custom")));
    ch = connection.createChannel();
    assertTrue(ch.queueDeclare(QueueSpec.durable("")).queue().startsWith("amq.gen-"));
  }
}
