package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.await;
import static io.warrenmq.engine.TestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.TestSupport.Recorder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code x-expires}: unused queues are deleted (https://www.rabbitmq.com/docs/ttl#queue-ttl). */
@Timeout(30)
class QueueExpiryTest {
  private Broker broker;
  private Channel ch;
  private VirtualHost vhost;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    ch = broker.newConnection("/", null).createChannel();
    vhost = broker.virtualHost("/");
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private QueueSpec expiring(long ms) {
    return new QueueSpec("q", false, false, false, Map.of("x-expires", ms));
  }

  /** Repeats an action every few ms for a while (keeps a queue in use; no outcome awaited). */
  private static void repeatFor(long millis, Runnable action) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() - deadline < 0) {
      action.run();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  @Test
  void anUnusedQueueIsDeletedWithItsMessagesAndBindings() {
    ch.queueDeclare(expiring(50));
    ch.queueBind("q", "amq.direct", "k", null);
    ch.basicPublish("", "q", false, null, bytes("m"));
    await("the queue expired", () -> !vhost.queueExists("q"));
    ch.basicPublish("amq.direct", "k", false, null, bytes("m"));
    assertTrue(ch.isOpen());
  }

  @Test
  void aQueueWithAConsumerIsNotDeletedUntilTheConsumerLeaves() {
    ch.queueDeclare(expiring(50));
    Recorder r = new Recorder();
    ch.basicConsume("q", true, "c", false, null, r);
    repeatFor(200, () -> {});
    assertTrue(vhost.queueExists("q"));
    ch.basicCancel("c");
    await("the queue expired", () -> !vhost.queueExists("q"));
  }

  @Test
  void redeclaringRenewsTheLease() {
    ch.queueDeclare(expiring(600));
    repeatFor(1500, () -> ch.queueDeclare(expiring(600)));
    assertTrue(vhost.queueExists("q"));
    await("the queue expired", () -> !vhost.queueExists("q"));
  }

  @Test
  void aPassiveDeclareRenewsTheLease() {
    ch.queueDeclare(expiring(600));
    repeatFor(1500, () -> ch.queueDeclarePassive("q"));
    assertTrue(vhost.queueExists("q"));
    await("the queue expired", () -> !vhost.queueExists("q"));
  }

  @Test
  void basicGetRenewsTheLease() {
    ch.queueDeclare(expiring(600));
    repeatFor(1500, () -> ch.basicGet("q", true));
    assertTrue(vhost.queueExists("q"));
    await("the queue expired", () -> !vhost.queueExists("q"));
  }

  @Test
  void anExpiredQueueDoesNotNotifyItsFormerConsumers() {
    ch.queueDeclare(expiring(30));
    Recorder r = new Recorder();
    ch.basicConsume("q", true, "c", false, null, r);
    ch.basicCancel("c");
    await("the queue expired", () -> !vhost.queueExists("q"));
    assertEquals(List.of(), r.cancels);
    assertTrue(ch.isOpen());
  }
}
