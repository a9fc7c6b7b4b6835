package io.warrenmq.engine;

import static io.warrenmq.engine.TestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.QueueSpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RabbitMQ's disk alarm (https://www.rabbitmq.com/docs/disk-alarms): while it is on, publishers
 * wait and connections are told {@code connection.blocked} "low on disk"; consumers go on. It
 * combines with the memory alarm: publishing resumes only when both are off.
 */
@Timeout(30)
class DiskAlarmTest {
  private static final int LIMIT = 1000;

  private Broker broker;
  private Connection connection;
  private Channel ch;
  private final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    broker =
        new Broker(new BrokerConfig("disk-" + System.nanoTime(), 2).withMemoryLimitBytes(LIMIT));
    connection = broker.newConnection("/", null);
    connection.addBlockedListener(
        reason -> events.add("blocked: " + reason), () -> events.add("unblocked"));
    ch = connection.createChannel();
    ch.queueDeclare(QueueSpec.durable("q"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private Thread publishInBackground(CountDownLatch done) {
    Thread t =
        new Thread(
            () -> {
              try {
                ch.basicPublish("", "q", false, null, bytes("waits"));
              } catch (AmqpException e) {
                // closed while waiting
              }
              done.countDown();
            });
    t.start();
    return t;
  }

  @Test
  void aPublisherWaitsWhileTheDiskAlarmIsOnAndGoesOnWhenItClears() throws Exception {
    ch.basicPublish("", "q", false, null, bytes("before"));
    broker.setDiskAlarm(true);
    assertTrue(broker.diskAlarm());
    TestSupport.await("blocked", () -> events.equals(List.of("blocked: low on disk")));

    CountDownLatch published = new CountDownLatch(1);
    Thread publisher = publishInBackground(published);
    assertFalse(published.await(200, TimeUnit.MILLISECONDS), "publisher blocked");
    assertNotNull(ch.basicGet("q", true), "consuming goes on under the alarm");

    broker.setDiskAlarm(false);
    assertTrue(published.await(5, TimeUnit.SECONDS));
    publisher.join();
    TestSupport.await(
        "unblocked", () -> events.equals(List.of("blocked: low on disk", "unblocked")));
    assertEquals(1, broker.virtualHost("/").queueMessageCount("q"));
  }

  @Test
  void raisingTheAlarmTwiceBlocksOnceAndAConnectionOpenedDuringItIsToldAtOnce() {
    broker.setDiskAlarm(true);
    broker.setDiskAlarm(true);
    List<String> late = new CopyOnWriteArrayList<>();
    Connection second = broker.newConnection("/", null);
    second.addBlockedListener(
        reason -> late.add("blocked: " + reason), () -> late.add("unblocked"));
    TestSupport.await("second told", () -> late.equals(List.of("blocked: low on disk")));
    TestSupport.await("first told once", () -> events.equals(List.of("blocked: low on disk")));
    broker.setDiskAlarm(false);
    TestSupport.await(
        "second unblocked", () -> late.equals(List.of("blocked: low on disk", "unblocked")));
  }

  @Test
  void publishingResumesOnlyWhenTheMemoryAlarmHasClearedToo() throws Exception {
    ch.basicPublish("", "q", false, null, new byte[LIMIT + 1]); // memory alarm on
    assertTrue(broker.memoryAlarm());
    broker.setDiskAlarm(true);
    CountDownLatch published = new CountDownLatch(1);
    publishInBackground(published);
    broker.setDiskAlarm(false);
    assertFalse(published.await(200, TimeUnit.MILLISECONDS), "still over the memory limit");
    assertTrue(
        events.contains("blocked: low on memory") || events.contains("blocked: low on disk"));

    assertNotNull(ch.basicGet("q", true)); // frees the memory
    assertTrue(published.await(5, TimeUnit.SECONDS));
    assertFalse(broker.memoryAlarm());
    TestSupport.await("unblocked", () -> events.get(events.size() - 1).equals("unblocked"));
  }

  @Test
  void aBrokerWithoutMemoryLimitBlocksOnTheDiskAlarmAndUnblocksWithMessagesQueued()
      throws Exception {
    Broker unlimited = new Broker(new BrokerConfig("disk-nolimit-" + System.nanoTime(), 2));
    try {
      Channel c = unlimited.newConnection("/", null).createChannel();
      c.queueDeclare(QueueSpec.durable("q"));
      c.basicPublish("", "q", false, null, bytes("queued"));
      unlimited.setDiskAlarm(true);
      unlimited.setDiskAlarm(false);
      CountDownLatch published = new CountDownLatch(1);
      Thread t =
          new Thread(
              () -> {
                c.basicPublish("", "q", false, null, bytes("after"));
                published.countDown();
              });
      t.start();
      assertTrue(published.await(5, TimeUnit.SECONDS), "no limit: queued bytes never block");
      assertFalse(unlimited.memoryAlarm());
    } finally {
      unlimited.close();
    }
  }
}
