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
import io.warrenmq.engine.TestSupport.Recorder;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ErrorsTest {
  private Broker broker;
  private Connection connection;
  private Channel ch;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    connection = broker.newConnection("/", null);
    ch = connection.createChannel();
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  /** A soft error closes the channel only. */
  private void assertSoft(ReplyCode code, String text, Runnable call) {
    AmqpException e = assertAmqpError(code, call::run);
    assertEquals(text, e.replyText());
    assertFalse(e.isHardError());
    assertFalse(ch.isOpen());
    assertTrue(connection.isOpen());
    ch = connection.createChannel();
  }

  @Test
  void publishingToAMissingExchangeIs404() {
    assertSoft(
        ReplyCode.NOT_FOUND,
        "no exchange 'nope' in vhost '/'",
        () -> ch.basicPublish("nope", "k", false, null, bytes("m")));
  }

  @Test
  void missingQueuesAre404() {
    String text = "no queue 'nope' in vhost '/'";
    assertSoft(ReplyCode.NOT_FOUND, text, () -> ch.queueDeclarePassive("nope"));
    assertSoft(ReplyCode.NOT_FOUND, text, () -> ch.basicGet("nope", false));
    assertSoft(ReplyCode.NOT_FOUND, text, () -> ch.queuePurge("nope"));
    assertSoft(
        ReplyCode.NOT_FOUND,
        text,
        () -> ch.basicConsume("nope", false, "", false, null, new Recorder()));
    assertSoft(ReplyCode.NOT_FOUND, text, () -> ch.queueBind("nope", "amq.direct", "k", null));
  }

  @Test
  void deletingAMissingQueueOrExchangeSucceedsAsInRabbitMq() {
    // RabbitMQ 3.10 answered queue.delete-ok (0 messages) and exchange.delete-ok here.
    org.junit.jupiter.api.Assertions.assertEquals(0, ch.queueDelete("nope", false, false));
    ch.exchangeDelete("nope", false);
    org.junit.jupiter.api.Assertions.assertTrue(ch.isOpen(), "no error closed the channel");
  }

  @Test
  void missingExchangesAre404() {
    ch.queueDeclare(QueueSpec.durable("q"));
    String text = "no exchange 'nope' in vhost '/'";
    assertSoft(ReplyCode.NOT_FOUND, text, () -> ch.exchangeDeclarePassive("nope"));
    assertSoft(ReplyCode.NOT_FOUND, text, () -> ch.queueBind("q", "nope", "k", null));
    assertSoft(ReplyCode.NOT_FOUND, text, () -> ch.queueUnbind("q", "nope", "k", null));
  }

  @Test
  void reservedAmqNamesAre403() {
    assertSoft(
        ReplyCode.ACCESS_REFUSED,
        "exchange name 'amq.mine' contains reserved prefix 'amq.*'",
        () -> ch.exchangeDeclare(ExchangeSpec.durable("amq.mine", "direct")));
    assertSoft(
        ReplyCode.ACCESS_REFUSED,
        "queue name 'amq.mine' contains reserved prefix 'amq.*'",
        () -> ch.queueDeclare(QueueSpec.durable("amq.mine")));
  }

  @Test
  void theDefaultExchangeCannotBeBoundUnboundDeclaredOrDeleted() {
    ch.queueDeclare(QueueSpec.durable("q"));
    String text = "operation not permitted on the default exchange";
    assertSoft(ReplyCode.ACCESS_REFUSED, text, () -> ch.queueBind("q", "", "q", null));
    assertSoft(ReplyCode.ACCESS_REFUSED, text, () -> ch.queueUnbind("q", "", "q", null));
    assertSoft(ReplyCode.ACCESS_REFUSED, text, () -> ch.exchangeDelete("", false));
    assertSoft(
        ReplyCode.ACCESS_REFUSED,
        text,
        () -> ch.exchangeDeclare(ExchangeSpec.durable("", "direct")));
  }

  @Test
  void predeclaredExchangesCannotBeDeleted() {
    assertSoft(
        ReplyCode.ACCESS_REFUSED,
        "operation not permitted on exchange 'amq.direct' in vhost '/'",
        () -> ch.exchangeDelete("amq.direct", false));
  }

  @Test
  void redeclaringAnExchangeWithAnotherTypeIs406NamingTheField() {
    ch.exchangeDeclare(ExchangeSpec.durable("x", "direct"));
    assertSoft(
        ReplyCode.PRECONDITION_FAILED,
        "inequivalent arg 'type' for exchange 'x' in vhost '/': received 'fanout' but current is"
            + " 'direct'",
        () -> ch.exchangeDeclare(ExchangeSpec.durable("x", "fanout")));
    assertSoft(
        ReplyCode.PRECONDITION_FAILED,
        "inequivalent arg 'durable' for exchange 'x' in vhost '/': received 'false' but current is"
            + " 'true'",
        () -> ch.exchangeDeclare(new ExchangeSpec("x", "direct", false, false, false, null)));
    assertSoft(
        ReplyCode.PRECONDITION_FAILED,
        "inequivalent arg 'alternate-exchange' for exchange 'x' in vhost '/': received 'ae' but"
            + " current is none",
        () ->
            ch.exchangeDeclare(
                new ExchangeSpec(
                    "x", "direct", true, false, false, Map.of("alternate-exchange", "ae"))));
  }

  @Test
  void redeclaringAQueueWithOtherFlagsOrArgumentsIs406() {
    ch.queueDeclare(new QueueSpec("q", true, false, false, Map.of("x-max-priority", 5)));
    assertSoft(
        ReplyCode.PRECONDITION_FAILED,
        "inequivalent arg 'durable' for queue 'q' in vhost '/': received 'false' but current is"
            + " 'true'",
        () ->
            ch.queueDeclare(new QueueSpec("q", false, false, false, Map.of("x-max-priority", 5))));
    assertSoft(
        ReplyCode.PRECONDITION_FAILED,
        "inequivalent arg 'auto_delete' for queue 'q' in vhost '/': received 'true' but current is"
            + " 'false'",
        () -> ch.queueDeclare(new QueueSpec("q", true, false, true, Map.of("x-max-priority", 5))));
    assertSoft(
        ReplyCode.PRECONDITION_FAILED,
        "inequivalent arg 'x-max-priority' for queue 'q' in vhost '/': received '9' but current is"
            + " '5'",
        () -> ch.queueDeclare(new QueueSpec("q", true, false, false, Map.of("x-max-priority", 9))));
    // an int and a long of the same value are equivalent
    ch.queueDeclare(new QueueSpec("q", true, false, false, Map.of("x-max-priority", 5L)));
  }

  @Test
  void invalidMaxPriorityIs406() {
    for (Object bad : new Object[] {0, 256, -1, "high"}) {
      AmqpException e =
          assertAmqpError(
              ReplyCode.PRECONDITION_FAILED,
              () ->
                  ch.queueDeclare(
                      new QueueSpec("p", true, false, false, Map.of("x-max-priority", bad))));
      assertTrue(
          e.replyText().startsWith("invalid arg 'x-max-priority' for queue 'p'"), e.replyText());
      ch = connection.createChannel();
    }
  }

  @Test
  void unknownExchangeTypeIs503AndClosesTheConnection() {
    AmqpException e =
        assertAmqpError(
            ReplyCode.COMMAND_INVALID,
            () -> ch.exchangeDeclare(ExchangeSpec.durable("x", "x-unknown")));
    assertEquals("unknown exchange type 'x-unknown'", e.replyText());
    assertTrue(e.isHardError());
    assertFalse(connection.isOpen());
    assertFalse(ch.isOpen());
  }

  @Test
  void duplicateConsumerTagIs530AndClosesTheConnection() {
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.basicConsume("q", false, "tag", false, null, new Recorder());
    AmqpException e =
        assertAmqpError(
            ReplyCode.NOT_ALLOWED,
            () -> ch.basicConsume("q", false, "tag", false, null, new Recorder()));
    assertEquals("attempt to reuse consumer tag 'tag'", e.replyText());
    assertFalse(connection.isOpen());
    assertEquals(0, broker.virtualHost("/").queueConsumerCount("q"));
  }

  @Test
  void deleteIfUnusedAndIfEmptyAre406() {
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.basicPublish("", "q", false, null, bytes("m"));
    assertSoft(
        ReplyCode.PRECONDITION_FAILED,
        "queue 'q' in vhost '/' is not empty",
        () -> ch.queueDelete("q", false, true));
    ch.basicConsume("q", true, "c", false, null, new Recorder());
    Channel other = connection.createChannel();
    AmqpException e =
        assertAmqpError(ReplyCode.PRECONDITION_FAILED, () -> other.queueDelete("q", true, false));
    assertEquals("queue 'q' in vhost '/' in use", e.replyText());

    ch.exchangeDeclare(ExchangeSpec.durable("x", "direct"));
    ch.queueBind("q", "x", "k", null);
    assertSoft(
        ReplyCode.PRECONDITION_FAILED,
        "exchange 'x' in vhost '/' in use",
        () -> ch.exchangeDelete("x", true));
  }

  @Test
  void publishingToAnInternalExchangeIs403() {
    ch.exchangeDeclare(new ExchangeSpec("int", "direct", false, false, true, null));
    assertSoft(
        ReplyCode.ACCESS_REFUSED,
        "cannot publish to internal exchange 'int' in vhost '/'",
        () -> ch.basicPublish("int", "k", false, null, bytes("m")));
  }

  @Test
  void negativePrefetchIs406() {
    assertSoft(
        ReplyCode.PRECONDITION_FAILED,
        "prefetch count must be 0-65535, was -1",
        () -> ch.basicQos(-1, false));
  }

  @Test
  void everyCallOnAClosedChannelIs504() {
    ch.close();
    ch.close();
    String text = "channel is closed";
    for (Runnable call :
        new Runnable[] {
          () -> ch.basicPublish("", "q", false, null, bytes("m")),
          () -> ch.queueDeclare(QueueSpec.durable("q")),
          () -> ch.basicGet("q", false),
          () -> ch.basicAck(1, false),
          () -> ch.basicConsume("q", false, "", false, null, new Recorder()),
          ch::txSelect,
          () -> ch.basicQos(1, false)
        }) {
      AmqpException e = assertAmqpError(ReplyCode.CHANNEL_ERROR, call::run);
      assertEquals(text, e.replyText());
    }
    assertTrue(connection.isOpen());
  }

  @Test
  void aClosedConnectionRefusesNewChannelsWith504() {
    connection.close();
    connection.close();
    assertAmqpError(ReplyCode.CHANNEL_ERROR, connection::createChannel);
  }

  @Test
  void aMissingVirtualHostIs530() {
    AmqpException e =
        assertAmqpError(ReplyCode.NOT_ALLOWED, () -> broker.newConnection("/x", null));
    assertEquals("vhost '/x' not found", e.replyText());
    broker.virtualHost("/x");
    assertTrue(broker.newConnection("/x", null).isOpen());
  }

  @Test
  void theErrorMessageCarriesTheCodeName() {
    AmqpException e = assertAmqpError(ReplyCode.NOT_FOUND, () -> ch.queueDeclarePassive("orders"));
    assertEquals("NOT_FOUND - no queue 'orders' in vhost '/'", e.getMessage());
    assertEquals(404, e.replyCode().code());
  }
}
