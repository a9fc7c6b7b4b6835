package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.TestSupport.Recorder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AcknowledgementTest {
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
    ch.queueDeclare(QueueSpec.durable("q"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private void publish(String... bodies) {
    for (String b : bodies) {
      ch.basicPublish("", "q", false, null, bytes(b));
    }
  }

  private List<String> drain(Channel c) {
    List<String> out = new ArrayList<>();
    GetResponse r;
    while ((r = c.basicGet("q", true)) != null) {
      out.add(text(r.delivery()));
    }
    return out;
  }

  @Test
  void nackWithRequeueReturnsMessagesToTheHeadInOriginalOrder() {
    publish("a", "b", "c", "d");
    ch.basicGet("q", false);
    ch.basicGet("q", false);
    ch.basicGet("q", false);
    // out of order on purpose
    ch.basicNack(3, false, true);
    ch.basicNack(1, false, true);
    ch.basicNack(2, false, true);
    assertEquals(List.of("a", "b", "c", "d"), drain(ch));
  }

  @Test
  void redeliveredMessagesAreFlaggedAndCountDeliveries() {
    BasicProperties props = BasicProperties.builder().messageId("id-1").header("h", "v").build();
    ch.basicPublish("", "q", false, props, bytes("m"));
    GetResponse first = ch.basicGet("q", false);
    assertFalse(first.delivery().redelivered());
    assertSame(props, first.delivery().properties());
    assertNull(first.delivery().properties().headers().get("x-delivery-count"));
    ch.basicReject(first.delivery().deliveryTag(), true);

    GetResponse second = ch.basicGet("q", false);
    assertTrue(second.delivery().redelivered());
    assertEquals(1L, second.delivery().properties().headers().get("x-delivery-count"));
    assertEquals("v", second.delivery().properties().headers().get("h"));
    assertEquals("id-1", second.delivery().properties().messageId());
    ch.basicNack(second.delivery().deliveryTag(), false, true);

    GetResponse third = ch.basicGet("q", false);
    assertEquals(2L, third.delivery().properties().headers().get("x-delivery-count"));
    // the original properties are untouched
    assertFalse(props.headers().containsKey("x-delivery-count"));
  }

  @Test
  void consumerSeesRedeliveryAfterChannelClose() {
    publish("a", "b", "c");
    Channel consumerChannel = connection.createChannel();
    Recorder r = new Recorder();
    consumerChannel.basicConsume("q", false, "c", false, null, r);
    for (int i = 0; i < 3; i++) {
      r.next();
    }
    consumerChannel.basicAck(2, false);
    consumerChannel.close();
    assertFalse(consumerChannel.isOpen());
    assertEquals(2, vhost.queueMessageCount("q"));
    assertEquals(0, vhost.queueConsumerCount("q"));
    assertTrue(r.cancels.isEmpty());

    Recorder again = new Recorder();
    ch.basicConsume("q", false, "c2", false, null, again);
    Delivery a = again.next();
    Delivery c = again.next();
    assertEquals("a", text(a));
    assertEquals("c", text(c));
    assertTrue(a.redelivered());
    assertEquals(1L, a.properties().headers().get("x-delivery-count"));
    assertEquals(1, a.deliveryTag());
  }

  @Test
  void connectionCloseRequeuesUnackedMessages() {
    publish("a", "b");
    Connection other = broker.newConnection("/", null);
    Channel oc = other.createChannel();
    oc.basicGet("q", false);
    oc.basicGet("q", false);
    other.close();
    assertFalse(other.isOpen());
    assertFalse(oc.isOpen());
    assertEquals(List.of("a", "b"), drain(ch));
  }

  @Test
  void multipleAckAcknowledgesEverythingUpToTheTag() {
    publish("a", "b", "c", "d");
    for (int i = 0; i < 4; i++) {
      ch.basicGet("q", false);
    }
    ch.basicAck(3, true);
    ch.basicRecover(true);
    assertEquals(List.of("d"), drain(ch));
  }

  @Test
  void multipleNackWithZeroTagRequeuesEverything() {
    publish("a", "b", "c");
    for (int i = 0; i < 3; i++) {
      ch.basicGet("q", false);
    }
    ch.basicNack(0, true, true);
    assertEquals(List.of("a", "b", "c"), drain(ch));
  }

  @Test
  void nackWithoutRequeueDiscards() {
    publish("a", "b");
    ch.basicGet("q", false);
    ch.basicGet("q", false);
    ch.basicNack(2, true, false);
    ch.close();
    assertEquals(0, vhost.queueMessageCount("q"));
  }

  @Test
  void basicRecoverRequeuesEveryUnackedMessageOfTheChannel() {
    publish("a", "b", "c");
    Recorder r = new Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    for (int i = 0; i < 3; i++) {
      r.next();
    }
    ch.basicAck(2, false);
    ch.basicRecover(true);
    Delivery a = r.next();
    Delivery c = r.next();
    assertEquals("a", text(a));
    assertEquals("c", text(c));
    assertTrue(a.redelivered());
    assertEquals(4, a.deliveryTag());
    assertEquals(5, c.deliveryTag());
  }

  @Test
  void basicRecoverWithoutRequeueIs540AndClosesTheConnectionAsRabbitMqDoes() {
    publish("a");
    ch.basicGet("q", false);

    AmqpException e = assertAmqpError(ReplyCode.NOT_IMPLEMENTED, () -> ch.basicRecover(false));

    assertEquals("requeue=false", e.replyText());
    assertTrue(e.isHardError());
    assertFalse(connection.isOpen());
    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void ackingAnUnknownTagClosesTheChannelWith406() {
    publish("a");
    ch.basicGet("q", false);
    AmqpException e = assertAmqpError(ReplyCode.PRECONDITION_FAILED, () -> ch.basicAck(7, false));
    assertEquals("unknown delivery tag 7", e.replyText());
    assertFalse(ch.isOpen());
    assertTrue(connection.isOpen());
    // the unacked message went back
    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void ackingTwiceIsAnUnknownTag() {
    publish("a");
    ch.basicGet("q", false);
    ch.basicAck(1, false);
    AmqpException e = assertAmqpError(ReplyCode.PRECONDITION_FAILED, () -> ch.basicAck(1, false));
    assertEquals("PRECONDITION_FAILED - unknown delivery tag 1", e.getMessage());
  }

  @Test
  void multipleAckOfAnUnknownTagAcksNothing() {
    publish("a", "b");
    ch.basicGet("q", false);
    ch.basicGet("q", false);
    assertAmqpError(ReplyCode.PRECONDITION_FAILED, () -> ch.basicAck(5, true));
    assertEquals(2, vhost.queueMessageCount("q"));
  }

  @Test
  void cancellingAConsumerLeavesItsSeenMessagesUnacked() {
    publish("a");
    Recorder r = new Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    Delivery d = r.next();
    ch.basicCancel("c");
    assertEquals(0, vhost.queueMessageCount("q"));
    ch.basicAck(d.deliveryTag(), false);
    assertTrue(ch.isOpen());
  }

  @Test
  void aCallbackMayAckOnItsOwnChannel() throws Exception {
    publish("a", "b", "c");
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(3);
    ch.basicQos(1, false);
    ch.basicConsume(
        "q",
        false,
        "c",
        false,
        null,
        d -> {
          ch.basicAck(d.deliveryTag(), false);
          done.countDown();
        });
    assertTrue(done.await(5, java.util.concurrent.TimeUnit.SECONDS));
    TestSupport.await("queue drained", () -> vhost.queueMessageCount("q") == 0);
  }

  @Test
  void aThrowingCallbackLeavesTheDeliveryUnacked() {
    publish("a");
    java.util.concurrent.CountDownLatch called = new java.util.concurrent.CountDownLatch(1);
    ch.basicConsume(
        "q",
        false,
        "c",
        false,
        null,
        d -> {
          called.countDown();
          throw new IllegalStateException("boom (expected by the test)");
        });
    TestSupport.await("callback ran", () -> called.getCount() == 0);
    ch.basicAck(1, false);
    assertTrue(ch.isOpen());
  }

  @Test
  void aReleasedDeliveryReturnsUnmarkedToItsPlaceEvenInsideATransaction() {
    try (Broker b = TestSupport.newBroker()) {
      Channel ch = b.newConnection("/", null).createChannel();
      ch.queueDeclare(QueueSpec.durable("released"));
      ch.basicPublish("", "released", false, null, TestSupport.bytes("a"));
      ch.basicPublish("", "released", false, null, TestSupport.bytes("b"));
      ch.txSelect();
      GetResponse a = ch.basicGet("released", false);
      ch.basicRelease(a.delivery().deliveryTag());
      GetResponse again = ch.basicGet("released", false);
      org.junit.jupiter.api.Assertions.assertEquals("a", TestSupport.text(again.delivery()));
      org.junit.jupiter.api.Assertions.assertFalse(again.delivery().redelivered());
      org.junit.jupiter.api.Assertions.assertFalse(
          again.delivery().properties().headers().containsKey("x-delivery-count"));
      TestSupport.assertAmqpError(
          ReplyCode.PRECONDITION_FAILED, () -> ch.basicRelease(a.delivery().deliveryTag()));
    }
  }
}
