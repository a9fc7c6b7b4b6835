package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueDeclareOk;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.Return;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RabbitMQ's direct reply-to (https://www.rabbitmq.com/docs/direct-reply-to) in the engine, with
 * the outcomes and reply texts RabbitMQ 3.x gives for the same calls through its Java client.
 */
@Timeout(30)
class DirectReplyToTest {
  private static final String PSEUDO = "amq.rabbitmq.reply-to";

  private Broker broker;
  private Connection connection;
  private Channel requester;
  private Channel responder;
  private TestSupport.Recorder replies;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    connection = broker.newConnection("/", null);
    requester = connection.createChannel();
    responder = broker.newConnection("/", null).createChannel();
    responder.queueDeclare(QueueSpec.durable("requests"));
    replies = new TestSupport.Recorder();
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private static BasicProperties replyTo(String name) {
    return BasicProperties.builder().replyTo(name).correlationId("c1").build();
  }

  /** Sends a request from the requester and returns the reply-to the responder sees. */
  private String request() {
    requester.basicPublish("", "requests", false, replyTo(PSEUDO), bytes("request"));
    GetResponse r = responder.basicGet("requests", true);
    return r.delivery().properties().replyTo();
  }

  @Test
  void aRequestCarriesTheChannelsReplyNameInsteadOfThePseudoQueue() {
    requester.basicConsume(PSEUDO, true, "", false, null, replies);
    String name = request();
    assertTrue(name.startsWith(PSEUDO + "."), name);
    assertTrue(name.length() > PSEUDO.length() + 16, "an unguessable token: " + name);
    assertEquals(name, request(), "the same name for every request of one consumer");
  }

  @Test
  void aReplyToTheDefaultExchangeReachesTheRequesterThroughNoQueue() {
    String tag = requester.basicConsume(PSEUDO, true, "", false, null, replies);
    String name = request();
    responder.basicPublish(
        "", name, false, BasicProperties.builder().correlationId("c1").build(), bytes("reply"));
    Delivery d = replies.next();
    assertEquals("reply", text(d));
    assertEquals(tag, d.consumerTag());
    assertEquals("", d.exchange());
    assertEquals(name, d.routingKey());
    assertFalse(d.redelivered());
    assertEquals("c1", d.properties().correlationId());
    assertEquals(1, d.deliveryTag());
    assertEquals(
        List.of("requests"),
        broker.virtualHost("/").queues().stream().map(QueueSpec::name).toList(),
        "no queue was declared for the reply");
  }

  @Test
  void aReplyDoesNotUseUpTheChannelsNextDeliveryTagAsInRabbitMq() {
    requester.basicConsume(PSEUDO, true, "", false, null, replies);
    requester.queueDeclare(QueueSpec.durable("own"));
    requester.basicConsume("own", true, "own", false, null, replies);
    String name = request();
    responder.basicPublish("", name, false, null, bytes("r1"));
    assertEquals(1, replies.next().deliveryTag());
    responder.basicPublish("", name, false, null, bytes("r2"));
    assertEquals(1, replies.next().deliveryTag());
    responder.basicPublish("", "own", false, null, bytes("m1"));
    assertEquals(1, replies.next().deliveryTag());
    responder.basicPublish("", name, false, null, bytes("r3"));
    assertEquals(2, replies.next().deliveryTag());
  }

  @Test
  void aMandatoryReplyIsDeliveredAndReturnedWithNoRouteAsInRabbitMq3() {
    requester.basicConsume(PSEUDO, true, "", false, null, replies);
    String name = request();
    List<Return> returns = new CopyOnWriteArrayList<>();
    responder.addReturnListener(returns::add);
    responder.basicPublish("", name, true, null, bytes("reply"));
    assertEquals("reply", text(replies.next()));
    TestSupport.await("the return", () -> returns.size() == 1);
    assertEquals(ReplyCode.NO_ROUTE, returns.get(0).replyCode());
    assertEquals(name, returns.get(0).routingKey());
  }

  @Test
  void aReplyInConfirmModeIsConfirmed() throws Exception {
    requester.basicConsume(PSEUDO, true, "", false, null, replies);
    String name = request();
    responder.confirmSelect();
    responder.basicPublish("", name, false, null, bytes("reply"));
    assertTrue(responder.waitForConfirms(5_000));
    assertEquals("reply", text(replies.next()));
  }

  @Test
  void aReplyInATransactionIsDeliveredAtCommit() {
    requester.basicConsume(PSEUDO, true, "", false, null, replies);
    String name = request();
    responder.txSelect();
    responder.basicPublish("", name, false, null, bytes("reply"));
    responder.txRollback();
    responder.basicPublish("", name, false, null, bytes("committed"));
    responder.txCommit();
    assertEquals("committed", text(replies.next()));
    assertTrue(replies.isEmpty());
  }

  @Test
  void aReplyThroughAnotherExchangeIsNotDelivered() throws Exception {
    requester.basicConsume(PSEUDO, true, "", false, null, replies);
    String name = request();
    responder.basicPublish("amq.direct", name, false, null, bytes("elsewhere"));
    responder.basicPublish("", name, false, null, bytes("default"));
    assertEquals("default", text(replies.next()));
    assertNull(replies.deliveries.poll(100, TimeUnit.MILLISECONDS));
  }

  @Test
  void consumingWithAcknowledgementsIsRefusedWithPreconditionFailed() {
    AmqpException e =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () -> requester.basicConsume(PSEUDO, false, "", false, null, replies));
    assertEquals("reply consumer cannot acknowledge", e.replyText());
    assertFalse(requester.isOpen());
  }

  @Test
  void aSecondReplyConsumerOnOneChannelIsRefusedWithPreconditionFailed() {
    requester.basicConsume(PSEUDO, true, "", false, null, replies);
    AmqpException e =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () -> requester.basicConsume(PSEUDO, true, "", false, null, replies));
    assertEquals("reply consumer already set", e.replyText());
  }

  @Test
  void aRequestWithoutAReplyConsumerOnItsChannelIsRefusedWithPreconditionFailed() {
    Channel other = connection.createChannel();
    other.basicConsume(PSEUDO, true, "", false, null, replies);
    AmqpException e =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () -> requester.basicPublish("", "requests", false, replyTo(PSEUDO), bytes("req")));
    assertEquals("fast reply consumer does not exist", e.replyText());
    assertFalse(requester.isOpen());
    assertEquals(0, broker.virtualHost("/").queueMessageCount("requests"));
  }

  @Test
  void aReplyToOtherThanThePseudoQueueIsLeftAlone() {
    requester.basicConsume(PSEUDO, true, "", false, null, replies);
    requester.basicPublish("", "requests", false, replyTo(PSEUDO + ".mine"), bytes("req"));
    assertEquals(
        PSEUDO + ".mine", responder.basicGet("requests", true).delivery().properties().replyTo());
  }

  @Test
  void afterCancelRepliesAreDroppedAndTheNameIsGone() throws Exception {
    String tag = requester.basicConsume(PSEUDO, true, "", false, null, replies);
    String name = request();
    requester.basicCancel(tag);
    // the cancel-ok callback, after which a transport answers basic.cancel-ok (pika's close waited
    // 30 s for it)
    assertEquals(tag, replies.cancelOks.poll(5, TimeUnit.SECONDS));
    responder.basicPublish("", name, false, null, bytes("late"));
    assertNull(replies.deliveries.poll(100, TimeUnit.MILLISECONDS));
    Channel probe = connection.createChannel();
    assertAmqpError(ReplyCode.NOT_FOUND, () -> probe.queueDeclarePassive(name));
    AmqpException e =
        assertAmqpError(
            ReplyCode.PRECONDITION_FAILED,
            () -> requester.basicPublish("", "requests", false, replyTo(PSEUDO), bytes("req")));
    assertEquals("fast reply consumer does not exist", e.replyText());
  }

  @Test
  void aNewConsumeGetsANewNameAndTheOldOneNoLongerDelivers() throws Exception {
    String tag = requester.basicConsume(PSEUDO, true, "", false, null, replies);
    String first = request();
    requester.basicCancel(tag);
    requester.basicConsume(PSEUDO, true, "", false, null, replies);
    String second = request();
    assertNotEquals(first, second);
    responder.basicPublish("", first, false, null, bytes("old"));
    responder.basicPublish("", second, false, null, bytes("new"));
    assertEquals("new", text(replies.next()));
    assertNull(replies.deliveries.poll(100, TimeUnit.MILLISECONDS));
  }

  @Test
  void closingTheRequesterChannelForgetsItsName() {
    requester.basicConsume(PSEUDO, true, "", false, null, replies);
    String name = request();
    assertEquals(1, responder.queueDeclarePassive(name).consumerCount());
    requester.close();
    AmqpException e =
        assertAmqpError(ReplyCode.NOT_FOUND, () -> responder.queueDeclarePassive(name));
    assertEquals("no queue '" + name + "' in vhost '/'", e.replyText());
  }

  @Test
  void declaringThePseudoQueueOrALiveNameAnswersNoMessagesAndOneConsumer() {
    QueueDeclareOk pseudo = responder.queueDeclare(QueueSpec.durable(PSEUDO));
    assertEquals(new QueueDeclareOk(PSEUDO, 0, 1), pseudo);
    assertEquals(new QueueDeclareOk(PSEUDO, 0, 1), responder.queueDeclarePassive(PSEUDO));
    requester.basicConsume(PSEUDO, true, "", false, null, replies);
    String name = request();
    assertEquals(new QueueDeclareOk(name, 0, 1), responder.queueDeclare(QueueSpec.durable(name)));
  }

  @Test
  void declaringAnUnknownReplyNameIsNotFoundEvenWhenNotPassive() {
    AmqpException e =
        assertAmqpError(
            ReplyCode.NOT_FOUND,
            () -> responder.queueDeclare(QueueSpec.durable(PSEUDO + ".garbage")));
    assertEquals("no queue '" + PSEUDO + ".garbage' in vhost '/'", e.replyText());
  }

  @Test
  void thePseudoQueueCannotBeReadWithBasicGet() {
    AmqpException e = assertAmqpError(ReplyCode.NOT_FOUND, () -> responder.basicGet(PSEUDO, true));
    assertEquals("no queue '" + PSEUDO + "' in vhost '/'", e.replyText());
  }

  @Test
  void aReplyNameReachesOnlyItsOwnVirtualHost() throws Exception {
    requester.basicConsume(PSEUDO, true, "", false, null, replies);
    String name = request();
    broker.virtualHost("other");
    Channel elsewhere = broker.newConnection("other", null).createChannel();
    elsewhere.basicPublish("", name, false, null, bytes("cross"));
    assertNull(replies.deliveries.poll(100, TimeUnit.MILLISECONDS));
    assertAmqpError(ReplyCode.NOT_FOUND, () -> elsewhere.queueDeclarePassive(name));
  }
}
