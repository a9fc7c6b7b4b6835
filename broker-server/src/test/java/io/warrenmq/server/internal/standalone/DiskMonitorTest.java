package io.warrenmq.server.internal.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DiskMonitor} alone, with the free space given by the test: the alarm follows the free
 * space across the limit, both ways (RabbitMQ's disk alarm,
 * https://www.rabbitmq.com/docs/disk-alarms).
 */
@Timeout(20)
class DiskMonitorTest {
  private final Broker broker =
      new Broker(new BrokerConfig("disk-monitor-" + System.nanoTime(), 1));
  private final AtomicLong free = new AtomicLong(1_000);

  @AfterEach
  void close() {
    broker.close();
  }

  private DiskMonitor monitor(long limit) {
    return new DiskMonitor(
        broker, "/data", limit, "disk_free_limit.absolute = " + limit, free::get);
  }

  @Test
  void theAlarmIsOnBelowTheLimitAndOffAtOrAboveIt() {
    DiskMonitor m = monitor(500);
    m.check();
    assertFalse(broker.diskAlarm(), "1000 free, limit 500");
    free.set(499);
    m.check();
    assertTrue(broker.diskAlarm(), "499 free, limit 500");
    free.set(500);
    m.check();
    assertFalse(broker.diskAlarm(), "500 free is not below the limit");
  }

  @Test
  void startChecksAtOnceSoThatAFullDiskBlocksFromTheFirstConnection() {
    free.set(10);
    try (DiskMonitor m = monitor(500).start()) {
      assertTrue(broker.diskAlarm());
    }
  }

  @Test
  void anUnreadableFreeSpaceLeavesTheAlarmAsItWas() {
    DiskMonitor on = monitor(500);
    free.set(10);
    on.check();
    DiskMonitor failing =
        new DiskMonitor(
            broker,
            "/gone",
            500,
            "disk_free_limit.absolute = 500",
            () -> {
              throw new UncheckedIOException(new java.io.IOException("no such directory"));
            });
    failing.check();
    failing.check();
    assertTrue(broker.diskAlarm(), "still on");
  }

  @Test
  void everyReadingIsRecordedOnTheBrokerForTheManagementApi() {
    assertTrue(broker.diskReading().isEmpty(), "no reading before the first check");
    DiskMonitor m = monitor(500);
    m.check();
    assertEquals(new Broker.DiskReading(1000, 500), broker.diskReading().orElseThrow());
    free.set(499);
    m.check();
    assertEquals(new Broker.DiskReading(499, 500), broker.diskReading().orElseThrow());
  }
}
