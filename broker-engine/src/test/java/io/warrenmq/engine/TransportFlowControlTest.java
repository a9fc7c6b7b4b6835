package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Consumer;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.QueueSpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection whose flow control is handed to its transport ({@link
 * Connection#setTransportFlowControl}): deliveries wait in their queues while the transport is not
 * writable, publishes do not wait for the memory alarm; and the bound on deliveries waiting in a
 * channel, which applies to every connection.
 */
@Timeout(30)
class TransportFlowControlTest {
  private Broker broker;
  private final AtomicBoolean writable = new AtomicBoolean(true);
  private Connection connection;
  private Channel consumerChannel;
  private Channel publisher;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    connection = broker.newConnection("/", null);
    connection.setTransportFlowControl(writable::get);
    consumerChannel = connection.createChannel();
    publisher = broker.newConnection("/", null).createChannel();
    publisher.queueDeclare(QueueSpec.durable("q"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private int ready() {
    return broker.virtualHost("/").queueMessageCount("q");
  }

  private void publish(int n) {
    for (int i = 0; i < n; i++) {
      publisher.basicPublish("", "q", false, null, bytes("m" + i));
    }
  }

  @Test
  void messagesStayInTheQueueWhileTheTransportIsNotWritableAndFlowWhenItIs() {
    TestSupport.Recorder consumer = new TestSupport.Recorder();
    consumerChannel.basicConsume("q", true, "c", false, null, consumer);
    writable.set(false);
    publish(10);
    assertEquals(10, ready());
    assertTrue(consumer.isEmpty());

    writable.set(true);
    connection.transportWritable();
    for (int i = 0; i < 10; i++) {
      Delivery d = consumer.next();
      assertEquals("m" + i, text(d));
      assertFalse(d.redelivered());
    }
    TestSupport.await("the queue drained", () -> ready() == 0);
  }

  @Test
  void deliveriesOnTheirWayGoBackToTheQueueUnseenWhenTheTransportStopsTakingThem() {
    publish(100);
    List<Delivery> seen = new CopyOnWriteArrayList<>();
    consumerChannel.basicConsume(
        "q",
        false,
        "c",
        false,
        null,
        d -> {
          seen.add(d);
          writable.set(false); // as if this delivery filled the socket's buffer
        });
    TestSupport.await("99 back in the queue", () -> ready() == 99);
    assertEquals(1, seen.size());

    writable.set(true);
    connection.transportWritable();
    TestSupport.await("the next one", () -> seen.size() == 2);
    Delivery second = seen.get(1);
    assertEquals("m1", text(second));
    assertFalse(second.redelivered(), "it was never handed over");
    consumerChannel.basicAck(second.deliveryTag(), true); // tags are still valid after the gap
  }

  @Test
  void otherConsumersOfTheQueueGoOnWhileOneTransportIsNotWritable() {
    TestSupport.Recorder stalled = new TestSupport.Recorder();
    consumerChannel.basicConsume("q", true, "stalled", false, null, stalled);
    TestSupport.Recorder free = new TestSupport.Recorder();
    broker
        .newConnection("/", null)
        .createChannel()
        .basicConsume("q", true, "free", false, null, free);
    writable.set(false);
    publish(20);
    for (int i = 0; i < 20; i++) {
      assertEquals("m" + i, text(free.next()));
    }
    assertTrue(stalled.isEmpty());
  }

  @Test
  void aReplyIsDroppedWhileTheRequestersTransportIsNotWritable() throws Exception {
    TestSupport.Recorder replies = new TestSupport.Recorder();
    consumerChannel.basicConsume("amq.rabbitmq.reply-to", true, "", false, null, replies);
    consumerChannel.basicPublish(
        "", "q", false, BasicProperties.builder().replyTo("amq.rabbitmq.reply-to").build(), null);
    String name = publisher.basicGet("q", true).delivery().properties().replyTo();
    writable.set(false);
    publisher.basicPublish("", name, false, null, bytes("dropped"));
    writable.set(true);
    connection.transportWritable();
    publisher.basicPublish("", name, false, null, bytes("delivered"));
    assertEquals("delivered", text(replies.next()));
    assertNull(replies.deliveries.poll(100, TimeUnit.MILLISECONDS));
  }

  @Test
  void aPublishDoesNotWaitForTheMemoryAlarmWhenTheTransportHoldsPublishersBack() {
    broker.close();
    broker = new Broker(new BrokerConfig("transport-alarm", 2).withMemoryLimitBytes(1000));
    Connection c = broker.newConnection("/", null);
    c.setTransportFlowControl(() -> true);
    List<String> events = new CopyOnWriteArrayList<>();
    c.addBlockedListener(reason -> events.add("blocked: " + reason), () -> events.add("unblocked"));
    Channel ch = c.createChannel();
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.basicPublish("", "q", false, null, new byte[1001]);
    TestSupport.await("blocked", () -> events.equals(List.of("blocked: low on memory")));
    // an in-VM publisher would wait here until the test timed out
    ch.basicPublish("", "q", false, null, new byte[10]);
    assertEquals(2, broker.virtualHost("/").queueMessageCount("q"));
  }

  @Test
  void aSlowConsumerLeavesItsBacklogInTheQueueNotInItsChannel() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    java.util.concurrent.BlockingQueue<Delivery> got =
        new java.util.concurrent.LinkedBlockingQueue<>();
    Consumer consumer =
        d -> {
          got.add(d);
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Channel plain = broker.newConnection("/", null).createChannel(); // in-VM: no transport
    plain.basicConsume("q", true, "slow", false, null, consumer);
    publish(2000);
    TestSupport.await("the first delivery", () -> !got.isEmpty());
    // one in the callback, at most 512 waiting in the channel: the rest stays countable in the
    // queue
    assertTrue(ready() >= 2000 - 513, "ready: " + ready());

    release.countDown();
    for (int i = 0; i < 2000; i++) {
      assertEquals("m" + i, text(got.poll(5, TimeUnit.SECONDS)));
    }
    assertEquals(0, ready());
  }
}
