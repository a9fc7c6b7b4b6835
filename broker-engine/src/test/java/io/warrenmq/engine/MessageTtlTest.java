package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.await;
import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code x-message-ttl} and per-message {@code expiration} (https://www.rabbitmq.com/docs/ttl). */
@Timeout(30)
class MessageTtlTest {
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

  private static BasicProperties expiring(String ms) {
    return BasicProperties.builder().expiration(ms).build();
  }

  /** Lets time pass (not waiting for an outcome: the outcome is asserted right after). */
  private static void elapse(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(deadline - System.nanoTime());
    }
  }

  @Test
  void theTimerRemovesMessagesWhenTheQueueTtlPasses() {
    ch.queueDeclare(new QueueSpec("q", true, false, false, Map.of("x-message-ttl", 50)));
    ch.basicPublish("", "q", false, null, bytes("a"));
    ch.basicPublish("", "q", false, null, bytes("b"));
    assertEquals(2, vhost.queueMessageCount("q"));
    await("the messages expired", () -> vhost.queueMessageCount("q") == 0);
    assertNull(ch.basicGet("q", true));
  }

  @Test
  void anExpiredMessageIsNeverDeliveredEvenBeforeTheTimerRuns() {
    ch.queueDeclare(new QueueSpec("q", true, false, false, Map.of("x-message-ttl", 30)));
    ch.basicPublish("", "q", false, null, bytes("a"));
    elapse(60);
    assertNull(ch.basicGet("q", true));
  }

  @Test
  void theLowerOfQueueTtlAndMessageExpirationApplies() {
    ch.queueDeclare(new QueueSpec("q", true, false, false, Map.of("x-message-ttl", 60_000)));
    ch.basicPublish("", "q", false, expiring("20"), bytes("short"));
    ch.basicPublish("", "q", false, expiring("600000"), bytes("long"));
    await("the short one expired", () -> vhost.queueMessageCount("q") == 1);
    assertEquals("long", text(ch.basicGet("q", true).delivery()));
  }

  @Test
  void perMessageExpirationWorksWithoutQueueTtl() {
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.basicPublish("", "q", false, expiring("20"), bytes("a"));
    ch.basicPublish("", "q", false, null, bytes("b"));
    await("a expired", () -> vhost.queueMessageCount("q") == 1);
    assertEquals("b", text(ch.basicGet("q", true).delivery()));
  }

  @Test
  void aDeliveredMessageKeepsItsExpirationProperty() {
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.basicPublish("", "q", false, expiring("60000"), bytes("a"));
    assertEquals("60000", ch.basicGet("q", true).delivery().properties().expiration());
  }

  @Test
  void ttlZeroExpiresAtOnceUnlessAConsumerTakesTheMessage() {
    ch.queueDeclare(new QueueSpec("q", true, false, false, Map.of("x-message-ttl", 0)));
    ch.basicPublish("", "q", false, null, bytes("nobody"));
    assertEquals(0, vhost.queueMessageCount("q"));
    TestSupport.Recorder r = new TestSupport.Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    ch.basicPublish("", "q", false, null, bytes("taken"));
    assertEquals("taken", text(r.next()));
  }

  @Test
  void aMessageWithALongTtlAtTheHeadHoldsBackTheRemovalButNotTheExpiryOfShorterOnes() {
    // RabbitMQ semantics: expired messages are removed when they reach the head
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.basicPublish("", "q", false, expiring("600000"), bytes("long"));
    ch.basicPublish("", "q", false, expiring("10"), bytes("short"));
    elapse(40);
    assertEquals(2, vhost.queueMessageCount("q"), "still counted behind the head");
    assertEquals("long", text(ch.basicGet("q", true).delivery()));
    assertNull(ch.basicGet("q", true), "never delivered once expired");
    assertEquals(0, vhost.queueMessageCount("q"));
  }

  @Test
  void aRequeuedMessageKeepsItsOriginalDeadline() {
    // 1 s, not less: the get right after the publish must beat the TTL on a loaded CI machine
    ch.queueDeclare(new QueueSpec("q", true, false, false, Map.of("x-message-ttl", 1000)));
    ch.basicPublish("", "q", false, null, bytes("a"));
    GetResponse r = ch.basicGet("q", false);
    assertNotNull(r, "got before its TTL");
    elapse(1100);
    ch.basicNack(r.delivery().deliveryTag(), false, true);
    await("the requeued message expired", () -> vhost.queueMessageCount("q") == 0);
    assertNull(ch.basicGet("q", true));
  }

  @Test
  void expiredMessagesAreDeadLetteredWithReasonExpiredAndOriginalExpiration() {
    ch.exchangeDeclare(ExchangeSpec.durable("dlx", "fanout"));
    ch.queueDeclare(QueueSpec.durable("dead"));
    ch.queueBind("dead", "dlx", "", null);
    ch.queueDeclare(
        new QueueSpec("q", true, false, false, Map.of("x-dead-letter-exchange", "dlx")));
    ch.basicPublish("", "q", false, expiring("10"), bytes("a"));
    await("dead-lettered", () -> vhost.queueMessageCount("dead") == 1);
    Delivery d = ch.basicGet("dead", true).delivery();
    assertNull(d.properties().expiration());
    @SuppressWarnings("unchecked")
    Map<String, Object> death =
        ((List<Map<String, Object>>) d.properties().headers().get("x-death")).get(0);
    assertEquals("expired", death.get("reason"));
    assertEquals("10", death.get("original-expiration"));
    assertEquals("q", death.get("queue"));
    assertEquals("expired", d.properties().headers().get("x-first-death-reason"));
  }

  @Test
  void consumersNeverReceiveAMessageThatExpiredWhileTheyWereFull() {
    ch.queueDeclare(new QueueSpec("q", true, false, false, Map.of("x-message-ttl", 30)));
    ch.basicQos(1, false);
    TestSupport.Recorder r = new TestSupport.Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    ch.basicPublish("", "q", false, null, bytes("first"));
    ch.basicPublish("", "q", false, null, bytes("second"));
    Delivery first = r.next();
    elapse(60);
    ch.basicAck(first.deliveryTag(), false);
    ch.basicPublish("", "q", false, null, bytes("third"));
    assertEquals("third", text(r.next()));
  }

  @Test
  void oneTimerThreadServesTheBrokerAndEndsWithIt() {
    String name = "warren-timer-" + broker.name();
    for (int i = 0; i < 5; i++) {
      ch.queueDeclare(new QueueSpec("q" + i, true, false, false, Map.of("x-message-ttl", 10_000)));
      ch.basicPublish("", "q" + i, false, null, bytes("m"));
    }
    List<Thread> timers =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("warren-timer-"))
            .filter(t -> t.getName().equals(name))
            .toList();
    assertEquals(1, timers.size());
    assertTrue(timers.get(0).isDaemon());
    broker.close();
    assertFalse(timers.get(0).isAlive(), "timer thread ended");
    assertEquals(
        List.of(),
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("warren") && t.getName().contains(broker.name()))
            .filter(Thread::isAlive)
            .toList());
  }
}
