package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.TestSupport.Recorder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BrokerCloseTest {

  private static List<Thread> dispatchThreads(Broker broker) {
    String prefix = "warren-dispatch-" + broker.name() + "-";
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
        .toList();
  }

  @Test
  void closeLeavesNoDispatchThreadAlive() {
    Broker broker = new Broker(new BrokerConfig("close-threads", 3));
    Channel ch = broker.newConnection("/", null).createChannel();
    ch.queueDeclare(QueueSpec.durable("q"));
    Recorder r = new Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    for (int i = 0; i < 50; i++) {
      ch.basicPublish("", "q", false, null, bytes("m"));
    }
    r.next();
    assertFalse(dispatchThreads(broker).isEmpty());
    for (Thread t : dispatchThreads(broker)) {
      assertTrue(t.isDaemon(), t.getName());
    }

    broker.close();

    assertEquals(List.of(), dispatchThreads(broker));
    assertFalse(broker.isOpen());
    assertFalse(ch.isOpen());
    assertFalse(ch.connection().isOpen());
  }

  @Test
  void closeIsIdempotentAndRefusesNewConnections() {
    Broker broker = TestSupport.newBroker();
    broker.close();
    broker.close();
    AmqpException e =
        assertAmqpError(ReplyCode.CONNECTION_FORCED, () -> broker.newConnection("/", null));
    assertEquals("broker '" + broker.name() + "' is closed", e.replyText());
  }

  @Test
  void closeTellsConsumersTheyWereCancelled() {
    Broker broker = TestSupport.newBroker();
    Channel ch = broker.newConnection("/", null).createChannel();
    ch.queueDeclare(QueueSpec.durable("q"));
    Recorder r = new Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    broker.close();
    // close() waited for the dispatch pool, so the notification has run
    assertEquals(List.of("c"), r.cancels);
  }

  @Test
  void closeWaitsForARunningCallback() throws Exception {
    Broker broker = TestSupport.newBroker();
    Channel ch = broker.newConnection("/", null).createChannel();
    ch.queueDeclare(QueueSpec.durable("q"));
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean finished =
        new java.util.concurrent.atomic.AtomicBoolean();
    ch.basicConsume(
        "q",
        true,
        "c",
        false,
        null,
        d -> {
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          finished.set(true);
        });
    ch.basicPublish("", "q", false, null, bytes("m"));
    assertTrue(entered.await(5, java.util.concurrent.TimeUnit.SECONDS));
    Thread releaser = new Thread(release::countDown);
    releaser.start();
    broker.close();
    assertTrue(finished.get());
    assertEquals(List.of(), dispatchThreads(broker));
    releaser.join();
  }

  @Test
  void aClientCloseDoesNotNotifyConsumers() throws Exception {
    Broker broker = TestSupport.newBroker();
    Connection c = broker.newConnection("/", null);
    Channel ch = c.createChannel();
    ch.queueDeclare(QueueSpec.durable("q"));
    Recorder r = new Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    c.close();
    broker.close();
    assertTrue(r.cancels.isEmpty());
  }
}
