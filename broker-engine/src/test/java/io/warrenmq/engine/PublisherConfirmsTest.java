package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.assertAmqpError;
import static io.warrenmq.engine.TestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ConfirmListener;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code confirm.select} and publisher confirms, RabbitMQ doc "Publisher Confirms". */
@Timeout(30)
class PublisherConfirmsTest {
  private Broker broker;
  private Connection connection;
  private Channel ch;
  private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final List<String> threads = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    connection = broker.newConnection("/", null);
    ch = connection.createChannel();
    ch.addConfirmListener(
        new ConfirmListener() {
          @Override
          public void handleAck(long deliveryTag, boolean multiple) {
            threads.add(Thread.currentThread().getName());
            events.add("ack " + deliveryTag + (multiple ? " multiple" : ""));
          }

          @Override
          public void handleNack(long deliveryTag, boolean multiple) {
            events.add("nack " + deliveryTag);
          }
        });
    ch.addReturnListener(r -> events.add("return " + r.routingKey()));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private String next() {
    try {
      String e = events.poll(TestSupport.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) {
        fail("no confirm within " + TestSupport.TIMEOUT);
      }
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void aPublishRefusedByRejectPublishOverflowIsNackedAndTheAcceptedOneAcked() {
    ch.queueDeclare(
        new QueueSpec(
            "bounded",
            false,
            false,
            false,
            Map.of("x-max-length", 1, "x-overflow", "reject-publish")));
    ch.confirmSelect();
    ch.basicPublish("", "bounded", false, null, bytes("fits"));
    ch.basicPublish("", "bounded", false, null, bytes("refused"));
    assertEquals("ack 1", next());
    assertEquals("nack 2", next());
    assertEquals(1, broker.virtualHost("/").queueMessageCount("bounded"));
  }

  @Test
  void sequenceNumbersAreZeroBeforeConfirmSelectAndStartAtOne() {
    assertEquals(0, ch.getNextPublishSeqNo());
    ch.confirmSelect();
    assertEquals(1, ch.getNextPublishSeqNo());
    ch.basicPublish("amq.direct", "k", false, null, bytes("m"));
    assertEquals(2, ch.getNextPublishSeqNo());
    ch.confirmSelect(); // idempotent: the numbering goes on
    assertEquals(2, ch.getNextPublishSeqNo());
  }

  @Test
  void everyPublishIsAckedOnceInOrderOnTheDispatchThread() {
    ch.queueDeclare(QueueSpec.durable("a"));
    ch.queueDeclare(QueueSpec.durable("b"));
    ch.queueBind("a", "amq.fanout", "", null);
    ch.queueBind("b", "amq.fanout", "", null);
    ch.confirmSelect();

    for (int i = 0; i < 3; i++) {
      ch.basicPublish("amq.fanout", "", false, null, bytes("m" + i));
    }

    assertEquals("ack 1", next());
    assertEquals("ack 2", next());
    assertEquals("ack 3", next());
    assertTrue(threads.get(0).startsWith("warren-dispatch-" + broker.name()));
  }

  @Test
  void anUnroutableMessageIsAckedAfterItsReturn() {
    ch.confirmSelect();

    ch.basicPublish("amq.direct", "nobody", true, null, bytes("m"));
    ch.basicPublish("amq.direct", "nobody", false, null, bytes("m"));

    assertEquals("return nobody", next());
    assertEquals("ack 1", next());
    assertEquals("ack 2", next());
  }

  @Test
  void aMessageHeldByADelayedExchangeIsAckedWhenHeld() {
    ch.exchangeDeclare(
        new ExchangeSpec(
            "delayed",
            "x-delayed-message",
            true,
            false,
            false,
            Map.of("x-delayed-type", "direct")));
    ch.confirmSelect();

    ch.basicPublish(
        "delayed",
        "k",
        true,
        BasicProperties.builder().header("x-delay", 60_000).build(),
        bytes("m"));

    assertEquals("ack 1", next());
  }

  @Test
  void waitForConfirmsReturnsTrueOnceEveryPublishIsAcked() throws Exception {
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.confirmSelect();
    for (int i = 0; i < 100; i++) {
      ch.basicPublish("", "q", false, null, bytes("m"));
    }

    assertTrue(ch.waitForConfirms(5_000));
    ch.waitForConfirmsOrDie(5_000);
    assertTrue(ch.isOpen());
    assertEquals(100, broker.virtualHost("/").queueMessageCount("q"));
  }

  @Test
  void twoThreadsPublishingOnOneChannelGetEverySequenceNumberConfirmedOnce() throws Exception {
    ch.queueDeclare(QueueSpec.durable("q"));
    Set<Long> acked = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    ch.addConfirmListener(
        new ConfirmListener() {
          @Override
          public void handleAck(long deliveryTag, boolean multiple) {
            if (!acked.add(deliveryTag)) {
              duplicates.incrementAndGet();
            }
          }

          @Override
          public void handleNack(long deliveryTag, boolean multiple) {
            duplicates.incrementAndGet();
          }
        });
    ch.confirmSelect();
    int perThread = 500;
    CountDownLatch go = new CountDownLatch(1);
    Runnable publish =
        () -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          for (int i = 0; i < perThread; i++) {
            ch.basicPublish("", i % 2 == 0 ? "q" : "nowhere", false, null, bytes("m"));
          }
        };
    Thread a = new Thread(publish);
    Thread b = new Thread(publish);
    a.start();
    b.start();
    go.countDown();
    a.join();
    b.join();

    assertTrue(ch.waitForConfirms(5_000));
    TestSupport.await("every ack delivered", () -> acked.size() == 2 * perThread);
    assertEquals(0, duplicates.get());
    assertEquals(2L * perThread + 1, ch.getNextPublishSeqNo());
    assertEquals(perThread, broker.virtualHost("/").queueMessageCount("q"));
  }

  @Test
  void waitForConfirmsOutsideConfirmModeIsAnIllegalState() {
    assertThrows(IllegalStateException.class, () -> ch.waitForConfirms(1_000));
    assertThrows(IllegalStateException.class, () -> ch.waitForConfirmsOrDie(1_000));
    assertTrue(ch.isOpen());
  }

  @Test
  void confirmSelectOnATransactionalChannelIs406() {
    ch.txSelect();

    AmqpException e = assertAmqpError(ReplyCode.PRECONDITION_FAILED, ch::confirmSelect);

    assertEquals("cannot switch from tx to confirm mode", e.replyText());
    assertFalse(ch.isOpen());
    assertTrue(connection.isOpen());
  }

  @Test
  void txSelectOnAConfirmChannelIs406() {
    ch.confirmSelect();

    AmqpException e = assertAmqpError(ReplyCode.PRECONDITION_FAILED, ch::txSelect);

    assertEquals("cannot switch from confirm to tx mode", e.replyText());
    assertFalse(ch.isOpen());
    assertTrue(connection.isOpen());
  }

  @Test
  void aRemovedListenerIsNotCalled() throws Exception {
    LinkedBlockingQueue<Long> other = new LinkedBlockingQueue<>();
    ConfirmListener listener =
        new ConfirmListener() {
          @Override
          public void handleAck(long deliveryTag, boolean multiple) {
            other.add(deliveryTag);
          }

          @Override
          public void handleNack(long deliveryTag, boolean multiple) {
            other.add(-deliveryTag);
          }
        };
    ch.addConfirmListener(listener);
    assertTrue(ch.removeConfirmListener(listener));
    ch.confirmSelect();

    ch.basicPublish("amq.direct", "k", false, null, bytes("m"));

    assertEquals("ack 1", next());
    assertTrue(other.isEmpty());
  }
}
