package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.Delivery;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.TestSupport.Recorder;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code x-single-active-consumer}
 * (https://www.rabbitmq.com/docs/consumers#single-active-consumer).
 */
@Timeout(30)
class SingleActiveConsumerTest {
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
    ch.queueDeclare(
        new QueueSpec("q", true, false, false, Map.of("x-single-active-consumer", true)));
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
  void onlyTheFirstConsumerReceivesWhileEveryConsumeSucceeds() {
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    assertEquals("c1", ch.basicConsume("q", true, "c1", false, null, first));
    assertEquals("c2", ch.basicConsume("q", true, "c2", false, null, second));
    assertEquals(2, vhost.queueConsumerCount("q"));
    publish(10);
    for (int i = 0; i < 10; i++) {
      assertEquals("m" + i, text(first.next()));
    }
    assertTrue(second.isEmpty());
  }

  @Test
  void theNextConsumerTakesOverWhenTheActiveOneIsCancelled() {
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    Recorder third = new Recorder();
    ch.basicQos(1, false);
    ch.basicConsume("q", false, "c1", false, null, first);
    ch.basicConsume("q", false, "c2", false, null, second);
    ch.basicConsume("q", false, "c3", false, null, third);
    publish(3);
    Delivery d = first.next();
    assertEquals("m0", text(d));
    ch.basicAck(d.deliveryTag(), false);
    assertEquals("m1", text(first.next()));
    ch.basicCancel("c1");
    Delivery taken = second.next();
    assertEquals("m2", text(taken));
    assertTrue(third.isEmpty());
    assertTrue(first.isEmpty());
  }

  @Test
  void unackedMessagesOfAClosedActiveConsumerGoToTheNextOne() {
    Channel other = connection.createChannel();
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    other.basicConsume("q", false, "c1", false, null, first);
    ch.basicConsume("q", false, "c2", false, null, second);
    publish(1);
    assertEquals("m0", text(first.next()));
    other.close();
    Delivery again = second.next();
    assertEquals("m0", text(again));
    assertTrue(again.redelivered());
  }

  @Test
  void aQueueWithoutTheArgumentStillDeliversRoundRobin() {
    ch.queueDeclare(QueueSpec.durable("rr"));
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    ch.basicConsume("rr", true, "c1", false, null, first);
    ch.basicConsume("rr", true, "c2", false, null, second);
    ch.basicPublish("", "rr", false, null, bytes("a"));
    ch.basicPublish("", "rr", false, null, bytes("b"));
    assertEquals("a", text(first.next()));
    assertEquals("b", text(second.next()));
  }
}
