package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.await;
import static io.warrenmq.engine.TestSupport.bytes;
import static io.warrenmq.engine.TestSupport.text;
import static io.warrenmq.engine.TestSupport.withPriority;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.Consumer;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueDeclareOk;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.TestSupport.Recorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class QueueDeliveryTest {
  private Broker broker;
  private Connection connection;
  private Channel ch;
  private VirtualHost vhost;

  @BeforeEach
  void start() {
    broker = TestSupport.newBroker();
    connection = broker.newConnection("/", "delivery-test");
    ch = connection.createChannel();
    vhost = broker.virtualHost("/");
    ch.queueDeclare(QueueSpec.durable("q"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void aConsumerReceivesMessagesInPublishOrderWithTagsFromOne() {
    for (int i = 0; i < 100; i++) {
      ch.basicPublish("", "q", false, null, bytes("m" + i));
    }
    Recorder r = new Recorder();
    String tag = ch.basicConsume("q", false, "c1", false, null, r);
    assertEquals("c1", tag);
    for (int i = 0; i < 100; i++) {
      Delivery d = r.next();
      assertEquals("m" + i, text(d));
      assertEquals(i + 1, d.deliveryTag());
      assertEquals("c1", d.consumerTag());
      assertFalse(d.redelivered());
      assertEquals("", d.exchange());
      assertEquals("q", d.routingKey());
    }
  }

  @Test
  void callbacksRunOnDispatchThreadsNeverOnThePublisher() {
    Recorder r = new Recorder();
    ch.basicConsume("q", true, "", false, null, r);
    for (int i = 0; i < 10; i++) {
      ch.basicPublish("", "q", false, null, bytes("m" + i));
    }
    for (int i = 0; i < 10; i++) {
      r.next();
    }
    for (String thread : r.threads) {
      assertTrue(thread.startsWith("warren-dispatch-" + broker.name() + "-"), thread);
    }
  }

  @Test
  void callbacksOfOneChannelRunOneAtATime() throws Exception {
    ch.queueDeclare(QueueSpec.durable("q2"));
    AtomicBoolean inside = new AtomicBoolean();
    AtomicBoolean overlapped = new AtomicBoolean();
    CountDownLatch all = new CountDownLatch(400);
    Consumer serialCheck =
        d -> {
          if (!inside.compareAndSet(false, true)) {
            overlapped.set(true);
          }
          Thread.onSpinWait();
          inside.set(false);
          all.countDown();
        };
    ch.basicConsume("q", true, "a", false, null, serialCheck);
    ch.basicConsume("q2", true, "b", false, null, serialCheck);
    for (int i = 0; i < 200; i++) {
      ch.basicPublish("", "q", false, null, bytes("x"));
      ch.basicPublish("", "q2", false, null, bytes("y"));
    }
    assertTrue(all.await(10, TimeUnit.SECONDS));
    assertFalse(overlapped.get());
  }

  @Test
  void twoConsumersReceiveMessagesRoundRobin() {
    Channel ch2 = connection.createChannel();
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    ch.basicConsume("q", false, "a", false, null, a);
    ch2.basicConsume("q", false, "b", false, null, b);
    for (int i = 0; i < 10; i++) {
      ch.basicPublish("", "q", false, null, bytes("m" + i));
    }
    for (int i = 0; i < 5; i++) {
      assertEquals("m" + (2 * i), text(a.next()));
      assertEquals("m" + (2 * i + 1), text(b.next()));
    }
  }

  @Test
  void basicGetReturnsNullWhenEmptyAndCountsTheRest() {
    assertNull(ch.basicGet("q", false));
    ch.basicPublish("", "q", false, null, bytes("one"));
    ch.basicPublish("", "q", false, null, bytes("two"));
    GetResponse first = ch.basicGet("q", false);
    assertEquals("one", text(first.delivery()));
    assertEquals(1, first.messageCount());
    assertNull(first.delivery().consumerTag());
    assertEquals(1, first.delivery().deliveryTag());
    GetResponse second = ch.basicGet("q", true);
    assertEquals(0, second.messageCount());
    assertEquals(2, second.delivery().deliveryTag());
    assertNull(ch.basicGet("q", false));
    ch.basicAck(1, false);
    // tag 2 was auto-acked
    TestSupport.assertAmqpError(ReplyCode.PRECONDITION_FAILED, () -> ch.basicAck(2, false));
  }

  @Test
  void autoAckDeliveriesNeedNoAck() {
    Recorder r = new Recorder();
    ch.basicConsume("q", true, "c", false, null, r);
    ch.basicPublish("", "q", false, null, bytes("m"));
    r.next();
    ch.close();
    // nothing was unacked, so nothing comes back
    assertEquals(0, vhost.queueMessageCount("q"));
  }

  @Test
  void priorityQueueDeliversHighestPriorityFirstAndFifoWithinAPriority() {
    ch.queueDeclare(new QueueSpec("prio", true, false, false, Map.of("x-max-priority", 5)));
    int[] priorities = {0, 3, 9, 1, 3, 5, 0};
    for (int i = 0; i < priorities.length; i++) {
      ch.basicPublish("", "prio", false, withPriority(priorities[i]), bytes("p" + i));
    }
    ch.basicPublish("", "prio", false, null, bytes("none"));
    List<String> order = new ArrayList<>();
    GetResponse r;
    while ((r = ch.basicGet("prio", true)) != null) {
      order.add(text(r.delivery()));
    }
    // 9 is capped at 5, so it ties with p5 and keeps arrival order
    assertEquals(List.of("p2", "p5", "p1", "p4", "p3", "p0", "p6", "none"), order);
  }

  @Test
  void aQueueWithoutMaxPriorityIgnoresPriority() {
    ch.basicPublish("", "q", false, withPriority(0), bytes("low"));
    ch.basicPublish("", "q", false, withPriority(9), bytes("high"));
    assertEquals("low", text(ch.basicGet("q", true).delivery()));
  }

  @Test
  void purgeRemovesReadyMessagesOnly() {
    for (int i = 0; i < 3; i++) {
      ch.basicPublish("", "q", false, null, bytes("m" + i));
    }
    ch.basicGet("q", false);
    assertEquals(2, ch.queuePurge("q"));
    assertEquals(0, vhost.queueMessageCount("q"));
    ch.close();
    // the unacked one comes back
    assertEquals(1, vhost.queueMessageCount("q"));
  }

  @Test
  void deletingAQueueCancelsItsConsumersWithNotification() {
    Recorder r = new Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    ch.basicPublish("", "q", false, null, bytes("m"));
    r.next();
    Channel other = connection.createChannel();
    ch.basicPublish("", "q", false, null, bytes("m2"));
    r.next();
    assertEquals(0, other.queueDelete("q", false, false));
    await("cancel notification", () -> r.cancels.equals(List.of("c")));
    assertFalse(vhost.queueExists("q"));
    assertTrue(ch.isOpen());
    // acking a message of a deleted queue is fine
    ch.basicAck(2, true);
  }

  @Test
  void queueDeclareReportsCounts() {
    ch.basicPublish("", "q", false, null, bytes("m"));
    ch.basicConsume("q", false, "c", false, null, new Recorder());
    QueueDeclareOk ok = ch.queueDeclare(QueueSpec.durable("q"));
    assertEquals(new QueueDeclareOk("q", 0, 1), ok);
    assertEquals(new QueueDeclareOk("q", 0, 1), ch.queueDeclarePassive("q"));
  }

  @Test
  void cancelledConsumerGetsNothingMoreAndNoCancelNotification() {
    Recorder r = new Recorder();
    ch.basicConsume("q", false, "c", false, null, r);
    ch.basicCancel("c");
    ch.basicCancel("unknown-tag");
    ch.basicPublish("", "q", false, null, bytes("m"));
    assertEquals(1, vhost.queueMessageCount("q"));
    assertEquals(0, vhost.queueConsumerCount("q"));
    assertTrue(r.isEmpty());
    assertTrue(r.cancels.isEmpty());
  }

  @Test
  void cancelOkFollowsTheDeliveryBeingHandedOverWhenCancelIsCalled() throws Exception {
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch inCallback = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch cancelOk = new CountDownLatch(1);
    ch.basicConsume(
        "q",
        false,
        "c",
        false,
        null,
        new Consumer() {
          @Override
          public void handleDelivery(Delivery d) {
            inCallback.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            events.add("deliver " + text(d));
          }

          @Override
          public void handleCancelOk(String consumerTag) {
            events.add("cancel-ok " + consumerTag);
            cancelOk.countDown();
          }
        });
    ch.basicPublish("", "q", false, null, bytes("m1"));
    ch.basicPublish("", "q", false, null, bytes("m2"));
    assertTrue(inCallback.await(10, TimeUnit.SECONDS));
    ch.basicCancel("c"); // while m1's callback runs: m2 goes back, m1 finishes first
    assertEquals(List.of(), events, "cancel-ok waits for the callback in progress");
    release.countDown();
    assertTrue(cancelOk.await(10, TimeUnit.SECONDS));
    assertEquals(List.of("deliver m1", "cancel-ok c"), events);
    assertEquals(1, vhost.queueMessageCount("q"), "m2 back in the queue");
  }

  @Test
  void cancelOkIsCalledOnceForAKnownTagAndNotForAnUnknownOne() {
    List<String> cancelOks = new java.util.concurrent.CopyOnWriteArrayList<>();
    Consumer recorder =
        new Consumer() {
          @Override
          public void handleDelivery(Delivery d) {}

          @Override
          public void handleCancelOk(String consumerTag) {
            cancelOks.add(consumerTag);
          }
        };
    ch.basicCancel("unknown-tag");
    ch.basicConsume("q", false, "c", false, null, recorder);
    ch.basicCancel("c");
    ch.basicCancel("c"); // now unknown
    ch.basicConsume("q", false, "last", false, null, recorder);
    ch.basicCancel("last");
    // the channel's notices run in order: once "last" is in, the others have run
    await("the cancel-ok of 'last'", () -> cancelOks.contains("last"));
    assertEquals(List.of("c", "last"), cancelOks);
  }

  @Test
  void generatedConsumerTagsAreUnique() {
    String t1 = ch.basicConsume("q", false, null, false, null, new Recorder());
    String t2 = ch.basicConsume("q", false, "", false, null, new Recorder());
    assertTrue(t1.startsWith("amq.ctag-"), t1);
    assertFalse(t1.equals(t2));
  }
}
