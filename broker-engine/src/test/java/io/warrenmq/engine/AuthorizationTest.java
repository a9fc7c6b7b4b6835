package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-operation permissions of a logged-in connection (RabbitMQ doc "Access Control": configure,
 * write and read patterns; texts as RabbitMQ 3.10.8 answers them).
 */
@Timeout(30)
class AuthorizationTest {
  private Broker broker;
  private Channel admin;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    admin = broker.newConnection("/", null).createChannel();
    admin.exchangeDeclare(ExchangeSpec.durable("app.events", "fanout"));
    admin.queueDeclare(QueueSpec.durable("app.q"));
    admin.queueDeclare(QueueSpec.durable("other.q"));
    broker.users().putUser("app", "secret", List.of());
    // configure only app.*, write to app.* and amq.default, read app.*
    broker
        .users()
        .setPermissions(
            new PermissionInfo("app", "/", "^app\\.", "^(app\\..*|amq\\.default)$", "^app\\."));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private Channel appChannel() {
    return broker.newConnection("/", "app", "secret").createChannel();
  }

  @Test
  void allowedOperationsSucceed() {
    Channel ch = appChannel();
    ch.queueDeclare(QueueSpec.durable("app.mine"));
    ch.queueBind("app.mine", "app.events", "", null);
    ch.basicPublish("app.events", "", false, null, bytes("x"));
    ch.basicPublish("", "app.q", false, null, bytes("y"));
    assertNotNull(ch.basicGet("app.mine", true));
    assertNotNull(ch.basicGet("app.q", true));
  }

  @Test
  void declaringOutsideTheConfigurePatternIs403WithRabbitMqsText() {
    AmqpException e =
        assertAmqpError(
            ReplyCode.ACCESS_REFUSED,
            () -> appChannel().queueDeclare(QueueSpec.durable("other.new")));
    assertEquals("access to queue 'other.new' in vhost '/' refused for user 'app'", e.replyText());
    assertAmqpError(
        ReplyCode.ACCESS_REFUSED,
        () -> appChannel().exchangeDeclare(ExchangeSpec.durable("other.x", "direct")));
    assertAmqpError(
        ReplyCode.ACCESS_REFUSED, () -> appChannel().queueDelete("other.q", false, false));
  }

  @Test
  void publishingNeedsWriteOnTheExchange() {
    AmqpException e =
        assertAmqpError(
            ReplyCode.ACCESS_REFUSED,
            () -> appChannel().basicPublish("amq.topic", "k", false, null, bytes("x")));
    assertEquals(
        "access to exchange 'amq.topic' in vhost '/' refused for user 'app'", e.replyText());
  }

  @Test
  void consumingGettingPurgingAndBrowsingNeedReadOnTheQueue() {
    assertAmqpError(ReplyCode.ACCESS_REFUSED, () -> appChannel().basicGet("other.q", true));
    assertAmqpError(
        ReplyCode.ACCESS_REFUSED,
        () -> appChannel().basicConsume("other.q", true, "", false, null, d -> {}));
    assertAmqpError(ReplyCode.ACCESS_REFUSED, () -> appChannel().queuePurge("other.q"));
    assertAmqpError(ReplyCode.ACCESS_REFUSED, () -> appChannel().queueBrowse("other.q"));
  }

  @Test
  void bindingNeedsWriteOnTheQueueAndReadOnTheExchange() {
    assertAmqpError(
        ReplyCode.ACCESS_REFUSED, () -> appChannel().queueBind("other.q", "app.events", "", null));
    assertAmqpError(
        ReplyCode.ACCESS_REFUSED, () -> appChannel().queueBind("app.q", "amq.direct", "k", null));
  }

  @Test
  void aDeadLetterExchangeNeedsWriteOnIt() {
    assertAmqpError(
        ReplyCode.ACCESS_REFUSED,
        () ->
            appChannel()
                .queueDeclare(
                    new QueueSpec(
                        "app.dl",
                        true,
                        false,
                        false,
                        Map.of("x-dead-letter-exchange", "amq.fanout"))));
  }

  @Test
  void theTrustedInVmPathIsNotChecked() {
    admin.queueDeclare(QueueSpec.durable("anything.goes"));
    admin.basicPublish("amq.topic", "k", false, null, bytes("x"));
  }
}
