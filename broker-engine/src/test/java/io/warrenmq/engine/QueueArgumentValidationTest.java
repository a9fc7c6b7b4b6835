package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Queue arguments validated at declare, with the reply texts RabbitMQ 3.10 answers. */
@Timeout(30)
class QueueArgumentValidationTest {
  private Broker broker;
  private Connection connection;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    connection = broker.newConnection("/", null);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private String refusal(Map<String, Object> args) {
    Channel ch = connection.createChannel();
    AmqpException e =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () -> ch.queueDeclare(new QueueSpec("q", false, false, false, args)));
    assertFalse(ch.isOpen());
    assertFalse(broker.virtualHost("/").queueExists("q"));
    return e.replyText();
  }

  private static String invalid(String arg, String why) {
    return "invalid arg '" + arg + "' for queue 'q' in vhost '/': " + why;
  }

  @Test
  void integerArgumentsOfAnotherTypeAreRefusedNamingTheType() {
    assertEquals(
        invalid("x-max-length", "\"expected integer, got longstr\""),
        refusal(Map.of("x-max-length", "abc")));
    assertEquals(
        invalid("x-message-ttl", "\"expected integer, got double\""),
        refusal(Map.of("x-message-ttl", 1.5)));
    assertEquals(
        invalid("x-expires", "\"expected integer, got longstr\""),
        refusal(Map.of("x-expires", "1")));
    assertEquals(
        invalid("x-max-length-bytes", "\"expected integer, got bool\""),
        refusal(Map.of("x-max-length-bytes", true)));
  }

  @Test
  void negativeLimitsAreRefused() {
    assertEquals(
        invalid("x-max-length", "{value_negative,-1}"), refusal(Map.of("x-max-length", -1)));
    assertEquals(
        invalid("x-max-length-bytes", "{value_negative,-1}"),
        refusal(Map.of("x-max-length-bytes", -1L)));
    assertEquals(
        invalid("x-message-ttl", "{value_negative,-1}"), refusal(Map.of("x-message-ttl", -1)));
    assertEquals(
        invalid("x-delivery-limit", "{value_negative,-1}"),
        refusal(Map.of("x-delivery-limit", -1)));
  }

  @Test
  void aZeroQueueExpiryIsRefused() {
    assertEquals(invalid("x-expires", "{value_zero,0}"), refusal(Map.of("x-expires", 0)));
  }

  @Test
  void anUnknownOverflowBehaviourIsRefused() {
    assertEquals(invalid("x-overflow", "invalid_overflow"), refusal(Map.of("x-overflow", "foo")));
    assertEquals(
        invalid("x-overflow", "{unacceptable_type,signedint}"), refusal(Map.of("x-overflow", 1)));
  }

  @Test
  void deadLetterArgumentsMustBeStringsAndTheRoutingKeyNeedsAnExchange() {
    assertEquals(
        "invalid type 'signedint' for arg 'x-dead-letter-exchange' in queue 'q' in vhost '/'",
        refusal(Map.of("x-dead-letter-exchange", 1)));
    assertEquals(
        invalid("x-dead-letter-routing-key", "routing_key_but_no_dlx_defined"),
        refusal(Map.of("x-dead-letter-routing-key", "k")));
    assertEquals(
        invalid("x-dead-letter-routing-key", "{unacceptable_type,signedint}"),
        refusal(Map.of("x-dead-letter-exchange", "x", "x-dead-letter-routing-key", 5)));
  }

  @Test
  void singleActiveConsumerMustBeABoolean() {
    assertEquals(
        invalid("x-single-active-consumer", "{unacceptable_type,longstr}"),
        refusal(Map.of("x-single-active-consumer", "true")));
    assertEquals(
        invalid("x-single-active-consumer", "{unacceptable_type,signedint}"),
        refusal(Map.of("x-single-active-consumer", 1)));
  }

  @Test
  void validArgumentsAndUnknownOnesAreAccepted() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("x-message-ttl", 0);
    args.put("x-expires", 60_000L);
    args.put("x-max-length", (short) 0);
    args.put("x-max-length-bytes", (byte) 10);
    args.put("x-overflow", "reject-publish-dlx");
    args.put("x-dead-letter-exchange", "dlx");
    args.put("x-dead-letter-routing-key", "k");
    args.put("x-single-active-consumer", true);
    args.put("x-delivery-limit", 3);
    args.put("x-foo", "bar");
    Channel ch = connection.createChannel();
    ch.queueDeclare(new QueueSpec("q", false, false, false, args));
    assertTrue(ch.isOpen());
    assertTrue(broker.virtualHost("/").queueExists("q"));
  }

  @Test
  void redeclaringWithAnotherTtlIsInequivalent() {
    Channel ch = connection.createChannel();
    ch.queueDeclare(new QueueSpec("q", false, false, false, Map.of("x-message-ttl", 1000)));
    ch.queueDeclare(new QueueSpec("q", false, false, false, Map.of("x-message-ttl", 1000L)));
    AmqpException e =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () ->
                ch.queueDeclare(
                    new QueueSpec("q", false, false, false, Map.of("x-message-ttl", 2000))));
    assertEquals(
        "inequivalent arg 'x-message-ttl' for queue 'q' in vhost '/': received '2000' but current"
            + " is '1000'",
        e.replyText());
  }
}
