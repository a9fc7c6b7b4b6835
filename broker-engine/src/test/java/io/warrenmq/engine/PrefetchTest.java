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
}
