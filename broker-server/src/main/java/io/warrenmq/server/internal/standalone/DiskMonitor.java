package io.warrenmq.server.internal.standalone;

import io.warrenmq.engine.Broker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Watches the free space of the file system the store writes to and raises the broker's disk alarm
 * below {@code disk_free_limit}, as RabbitMQ's disk alarm does
 * (https://www.rabbitmq.com/docs/disk-alarms): publishers are blocked ({@code connection.blocked}
 * "low on disk") until the free space is back above the limit; consumers go on, so a backlog can
 * drain. RabbitMQ checks every 10 s and more often near the limit; this checks every {@value
 * #CHECK_INTERVAL_MS} ms, which costs one {@code statvfs} call.
 *
 * <p>A free space that cannot be read (the directory vanished, an I/O error) is logged once and
 * leaves the alarm as it was.
 *
 * <p>Thread-safety: {@link #check()} runs on the monitor's own daemon thread ({@code
 * warrenmq-disk-monitor}); {@link #close()} from any thread.
 */
final class DiskMonitor implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(DiskMonitor.class.getName());

  /** How often the free space is read, in ms. */
  static final long CHECK_INTERVAL_MS = 1_000;

  private final Broker broker;
  private final String where;
  private final long limitBytes;
  private final String limitSetting;
  private final LongSupplier freeBytes;
  private ScheduledExecutorService timer;
  private boolean alarm; // on the monitor's thread only
  private boolean unreadable; // on the monitor's thread only

  /**
   * @param broker the broker whose alarm this raises
   * @param where the directory, for log lines
   * @param limitBytes the free bytes below which the alarm is on
   * @param limitSetting the setting that gave the limit, for log lines (e.g. {@code
   *     disk_free_limit.absolute = 50000000})
   * @param freeBytes reads the free bytes now; throws {@link java.io.UncheckedIOException} if it
   *     cannot
   */
  DiskMonitor(
      Broker broker, String where, long limitBytes, String limitSetting, LongSupplier freeBytes) {
    this.broker = broker;
    this.where = where;
    this.limitBytes = limitBytes;
    this.limitSetting = limitSetting;
    this.freeBytes = freeBytes;
  }

  /** The free space usable by this process on the file system of {@code dir}, in bytes. */
  static LongSupplier usableSpace(Path dir) {
    return () -> {
      try {
        return Files.getFileStore(dir).getUsableSpace();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
  }

  /** Checks once now, then every {@value #CHECK_INTERVAL_MS} ms until {@link #close()}. */
  DiskMonitor start() {
    check();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "warrenmq-disk-monitor");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::check, CHECK_INTERVAL_MS, CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Reads the free space once and raises or clears the alarm. */
  synchronized void check() {
    long free;
    try {
      free = freeBytes.getAsLong();
    } catch (RuntimeException e) {
      if (!unreadable) {
        unreadable = true;
        LOG.log(
            System.Logger.Level.WARNING,
            "disk alarm: cannot read the free space of {0} ({1}); the alarm stays {2}",
            where,
            e.getMessage(),
            alarm ? "on" : "off");
      }
      return;
    }
    unreadable = false;
    broker.recordDiskFree(Math.max(0, free), limitBytes);
    boolean low = free < limitBytes;
    if (low == alarm) {
      return;
    }
    alarm = low;
    broker.setDiskAlarm(low);
    if (low) {
      LOG.log(
          System.Logger.Level.WARNING,
          "disk alarm set: {0} bytes free on {1}, below {2}; publishers are blocked until space"
              + " is freed (consumers go on)",
          free,
          where,
          limitSetting);
    } else {
      LOG.log(
          System.Logger.Level.INFO,
          "disk alarm cleared: {0} bytes free on {1} ({2}); publishers resume",
          free,
          where,
          limitSetting);
    }
  }

  /** Stops checking; the alarm stays as it was (the broker is closing). */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
