package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.TestSupport.Recorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dispatch happens on the publishing thread under the queue lock, so right after basicPublish (or
 * an ack) returns, the number of ready messages tells exactly how many a consumer was given.
 */
@Timeout(30)
class PrefetchTest {
  private Broker broker;
  private Channel ch;
  private VirtualHost vhost;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    ch = broker.newConnection("/", null).createChannel();
    vhost = broker.virtualHost("/");
    ch.queueDeclare(QueueSpec.durable("q"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private void publish(int n) {
    for (int i = 0; i < n; i++) {
      ch.basicPublish("", "q", false, null, bytes("m" + i));
    }
  }

  @Test
  void aConsumerGetsExactlyPrefetchCountUntilItAcks() {
    ch.basicQos(3, false);
    Recorder r = new Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    publish(10);
    assertEquals(7, vhost.queueMessageCount("q"));
    for (int i = 0; i < 3; i++) {
      assertEquals("m" + i, text(r.next()));
    }
    ch.basicAck(1, false);
    assertEquals(6, vhost.queueMessageCount("q"));
    assertEquals("m3", text(r.next()));
    ch.basicAck(4, true);
    assertEquals(3, vhost.queueMessageCount("q"));
  }

  @Test
  void perConsumerPrefetchAppliesToConsumersCreatedAfterwards() {
    Recorder unlimited = new Recorder();
    ch.basicConsume("q", false, "unlimited", false, null, unlimited);
    ch.basicQos(1, false);
    Channel other = ch.connection().createChannel();
    other.basicQos(1, false);
    Recorder limited = new Recorder();
    other.basicConsume("q", false, "limited", false, null, limited);
    publish(10);
    // round-robin until 'limited' is full, then all to 'unlimited'
    assertEquals(0, vhost.queueMessageCount("q"));
    assertEquals("m1", text(limited.next()));
    for (int i = 0; i < 9; i++) {
      unlimited.next();
    }
    assertTrue(limited.isEmpty());
  }

  @Test
  void globalPrefetchLimitsTheSumOverTheChannel() {
    ch.queueDeclare(QueueSpec.durable("q2"));
    ch.basicQos(4, true);
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    ch.basicConsume("q", false, "a", false, null, a);
    ch.basicConsume("q2", false, "b", false, null, b);
    publish(10);
    for (int i = 0; i < 10; i++) {
      ch.basicPublish("", "q2", false, null, bytes("n" + i));
    }
    assertEquals(4, 20 - vhost.queueMessageCount("q") - vhost.queueMessageCount("q2"));
    ch.basicAck(0, true);
    assertEquals(8, 20 - vhost.queueMessageCount("q") - vhost.queueMessageCount("q2"));
  }

  @Test
  void raisingTheGlobalLimitResumesDelivery() {
    ch.basicQos(2, true);
    ch.basicConsume("q", false, "c", false, null, new Recorder());
    publish(5);
    assertEquals(3, vhost.queueMessageCount("q"));
    ch.basicQos(0, true);
    assertEquals(0, vhost.queueMessageCount("q"));
  }

  @Test
  void autoAckConsumersIgnorePrefetch() {
    ch.basicQos(1, false);
    Recorder r = new Recorder();
    ch.basicConsume("q", true, "c", false, null, r);
    publish(5);
    assertEquals(0, vhost.queueMessageCount("q"));
    for (int i = 0; i < 5; i++) {
      r.next();
    }
  }

  @Test
  void rejectWithoutRequeueAlsoFreesCredit() {
    ch.basicQos(1, false);
    Recorder r = new Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    publish(2);
    r.next();
    assertEquals(1, vhost.queueMessageCount("q"));
    ch.basicReject(1, false);
    assertEquals(0, vhost.queueMessageCount("q"));
    assertEquals("m1", text(r.next()));
  }

  // ---- prefetch-size (AMQP 0-9-1 1.8.3.1): a window in body bytes, which RabbitMQ does not have

  private void publishSized(int n, int size) {
    for (int i = 0; i < n; i++) {
      ch.basicPublish("", "q", false, null, new byte[size]);
    }
  }

  @Test
  void aByteWindowSendsMessagesWhileTheirBodiesFitIntoIt() {
    ch.basicQos(1_000, 0, false);
    Recorder r = new Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    publishSized(10, 300); // 3 fit into 1,000 bytes, the fourth would make 1,200
    assertEquals(7, vhost.queueMessageCount("q"));
    ch.basicAck(1, false); // 600 left unacked: one more fits
    assertEquals(6, vhost.queueMessageCount("q"));
    ch.basicAck(4, true);
    assertEquals(3, vhost.queueMessageCount("q"));
  }

  @Test
  void aMessageLargerThanTheWindowIsSentWhenNothingIsUnacknowledged() {
    ch.basicQos(100, 0, false);
    Recorder r = new Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    publishSized(3, 500); // each alone exceeds the window
    assertEquals(2, vhost.queueMessageCount("q"));
    assertEquals(500, r.next().body().length);
    ch.basicAck(1, false);
    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void theCountAndTheByteWindowBothApplyWhicheverIsReachedFirst() {
    ch.basicQos(10_000, 3, false);
    ch.basicConsume("q", false, "c", false, null, new Recorder());
    publishSized(5, 10);
    assertEquals(2, vhost.queueMessageCount("q"), "the count binds for small messages");

    Channel other = ch.connection().createChannel();
    other.queueDeclare(QueueSpec.durable("q2"));
    other.basicQos(10_000, 3, false);
    other.basicConsume("q2", false, "c2", false, null, new Recorder());
    for (int i = 0; i < 5; i++) {
      other.basicPublish("", "q2", false, null, new byte[6_000]);
    }
    assertEquals(4, vhost.queueMessageCount("q2"), "the bytes bind for large ones");
  }

  @Test
  void aGlobalByteWindowLimitsTheSumOverTheChannelsConsumers() {
    ch.queueDeclare(QueueSpec.durable("q2"));
    ch.basicQos(1_000, 0, true);
    ch.basicConsume("q", false, "a", false, null, new Recorder());
    ch.basicConsume("q2", false, "b", false, null, new Recorder());
    publishSized(4, 400);
    for (int i = 0; i < 4; i++) {
      ch.basicPublish("", "q2", false, null, new byte[400]);
    }
    assertEquals(2, 8 - vhost.queueMessageCount("q") - vhost.queueMessageCount("q2"));
    ch.basicAck(0, true); // frees the channel's window: both queues deliver again
    assertEquals(4, 8 - vhost.queueMessageCount("q") - vhost.queueMessageCount("q2"));
  }

  @Test
  void aByteWindowDoesNotLimitAutoAckConsumers() {
    ch.basicQos(100, 0, false);
    ch.basicConsume("q", true, "c", false, null, new Recorder());
    publishSized(5, 500);
    assertEquals(0, vhost.queueMessageCount("q"));
  }

  @Test
  void aPrefetchSizeOutsideTheFieldsRangeIsRefusedWith406() {
    io.warrenmq.client.AmqpException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.warrenmq.client.AmqpException.class, () -> ch.basicQos(1L << 32, 0, false));
    assertEquals(io.warrenmq.client.ReplyCode.PRECONDITION_FAILED, e.replyCode());
    assertTrue(e.getMessage().contains("prefetch size"), e.getMessage());
  }
}
