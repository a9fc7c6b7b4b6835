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
 * WarrenMQ's store alarm ({@link Broker#setStoreAlarm}), raised while the store cannot be reached:
 * publishers wait and connections are told {@code connection.blocked} "store unreachable", as for
 * RabbitMQ's disk alarm; consumers go on; it combines with the other alarms.
 */
@Timeout(30)
class StoreAlarmTest {
  private Broker broker;
  private Channel ch;
  private final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    broker = new Broker(new BrokerConfig("store-alarm-" + System.nanoTime(), 2));
    Connection connection = broker.newConnection("/", null);
    connection.addBlockedListener(
        reason -> events.add("blocked: " + reason), () -> events.add("unblocked"));
    ch = connection.createChannel();
    ch.queueDeclare(QueueSpec.durable("q"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private CountDownLatch publishInBackground(String body) {
    CountDownLatch done = new CountDownLatch(1);
    new Thread(
            () -> {
              try {
                ch.basicPublish("", "q", false, null, bytes(body));
              } catch (AmqpException e) {
                // closed while waiting
              }
              done.countDown();
            })
        .start();
    return done;
  }

  @Test
  void aPublisherWaitsWhileTheStoreAlarmIsOnAndGoesOnWhenItClears() throws Exception {
    ch.basicPublish("", "q", false, null, bytes("before"));
    broker.setStoreAlarm(true);
    assertTrue(broker.storeAlarm());
    TestSupport.await("blocked", () -> events.equals(List.of("blocked: store unreachable")));

    CountDownLatch published = publishInBackground("waits");
    assertFalse(published.await(200, TimeUnit.MILLISECONDS), "publisher blocked");
    assertNotNull(ch.basicGet("q", true), "consuming goes on under the alarm");

    broker.setStoreAlarm(false);
    assertFalse(broker.storeAlarm());
    assertTrue(published.await(5, TimeUnit.SECONDS));
    TestSupport.await(
        "unblocked", () -> events.equals(List.of("blocked: store unreachable", "unblocked")));
    assertEquals(1, broker.virtualHost("/").queueMessageCount("q"));
  }

  @Test
  void theDiskAlarmsReasonComesFirstAndPublishingResumesOnlyWhenBothHaveCleared() throws Exception {
    broker.setDiskAlarm(true);
    broker.setStoreAlarm(true);
    TestSupport.await("blocked", () -> events.equals(List.of("blocked: low on disk")));
    CountDownLatch published = publishInBackground("waits");
    broker.setDiskAlarm(false);
    assertFalse(published.await(200, TimeUnit.MILLISECONDS), "the store alarm still blocks");
    broker.setStoreAlarm(false);
    assertTrue(published.await(5, TimeUnit.SECONDS));
    TestSupport.await(
        "unblocked", () -> events.equals(List.of("blocked: low on disk", "unblocked")));
  }
}
