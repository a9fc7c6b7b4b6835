package io.warrenmq.engine;

import io.warrenmq.client.BlockedListener;
import java.util.Objects;

/**
 * Settings of a {@link Broker}.
 *
 * @param name the broker's name, used in thread names and in {@code vm://<name>} URLs; not empty
 * @param dispatchThreads threads that push deliveries to consumers; at least 1
 * @param memoryLimitBytes flow-control limit on the message body bytes held by all queues of the
 *     broker (ready and unacked), in bytes; above it publishers wait in {@link
 *     Channel#basicPublish} and connections are told through {@link BlockedListener} (RabbitMQ's
 *     memory alarm, https://www.rabbitmq.com/docs/memory). 0 means no limit; default {@link
 *     #defaultMemoryLimitBytes()} (40% of the maximum heap)
 * @param queueWindowBytes paging (DESIGN.md "Memory"; RabbitMQ's lazy queues, Artemis' paging): the
 *     body bytes of ready messages a durable queue on a durable store keeps in heap, in bytes, at
 *     least 1; once a persistent message would go beyond it, the queue pages: new messages stay
 *     only in the store and are read back in pages as consumers drain the queue. While the broker
 *     holds more than half of {@code memoryLimitBytes} in queued bodies, every queue pages past an
 *     eighth of this window instead (RabbitMQ's {@code vm_memory_high_watermark_paging_ratio},
 *     0.5). Default {@link #DEFAULT_QUEUE_WINDOW_BYTES} (16 MiB). Without a store nothing is paged
 * @param jmx whether the broker registers JMX MBeans in the platform MBean server: one {@link
 *     QueueControlMXBean} per queue and a {@link BrokerControlMXBean} (ActiveMQ Artemis' queue
 *     management operations, for JConsole and the app servers' JMX tools). Default off in the
 *     engine; the resource adapter and the server turn it on by default
 */
public record BrokerConfig(
    String name, int dispatchThreads, long memoryLimitBytes, long queueWindowBytes, boolean jmx) {

  /**
   * The default {@link #queueWindowBytes()}: 16 MiB of message bodies per durable queue, 2 MiB
   * under memory pressure. Large enough that a consumer a few thousand 1 KB messages behind its
   * publisher is fed from heap, not from the store; the memory limit bounds the sum over all
   * queues.
   */
  public static final long DEFAULT_QUEUE_WINDOW_BYTES = 16L << 20;

  /**
   * @throws IllegalArgumentException for an empty name, fewer than 1 dispatch thread, a negative
   *     memory limit or a queue window below 1 byte
   */
  public BrokerConfig {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    if (dispatchThreads < 1) {
      throw new IllegalArgumentException("dispatchThreads must be >= 1, was " + dispatchThreads);
    }
    if (memoryLimitBytes < 0) {
      throw new IllegalArgumentException(
          "memoryLimitBytes must be >= 0 (0 = no limit), was " + memoryLimitBytes);
    }
    if (queueWindowBytes < 1) {
      throw new IllegalArgumentException("queueWindowBytes must be >= 1, was " + queueWindowBytes);
    }
  }

  /**
   * Settings without JMX.
   *
   * @throws IllegalArgumentException for an empty name, fewer than 1 dispatch thread, a negative
   *     memory limit or a queue window below 1 byte
   */
  public BrokerConfig(
      String name, int dispatchThreads, long memoryLimitBytes, long queueWindowBytes) {
    this(name, dispatchThreads, memoryLimitBytes, queueWindowBytes, false);
  }

  /**
   * Settings with the default queue window ({@link #DEFAULT_QUEUE_WINDOW_BYTES}).
   *
   * @throws IllegalArgumentException for an empty name, fewer than 1 dispatch thread or a negative
   *     memory limit
   */
  public BrokerConfig(String name, int dispatchThreads, long memoryLimitBytes) {
    this(name, dispatchThreads, memoryLimitBytes, DEFAULT_QUEUE_WINDOW_BYTES);
  }

  /**
   * Settings with the default memory limit ({@link #defaultMemoryLimitBytes()}).
   *
   * @throws IllegalArgumentException for an empty name or fewer than 1 dispatch thread
   */
  public BrokerConfig(String name, int dispatchThreads) {
    this(name, dispatchThreads, defaultMemoryLimitBytes());
  }

  /** A broker of this name with one dispatch thread per available processor. */
  public static BrokerConfig named(String name) {
    return new BrokerConfig(name, Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * These settings with another memory limit.
   *
   * @param bytes the limit in bytes, 0 for none
   * @throws IllegalArgumentException if negative
   */
  public BrokerConfig withMemoryLimitBytes(long bytes) {
    return new BrokerConfig(name, dispatchThreads, bytes, queueWindowBytes, jmx);
  }

  /**
   * These settings with another queue window (paging, see {@link #queueWindowBytes()}).
   *
   * @param bytes body bytes per queue, at least 1
   * @throws IllegalArgumentException if below 1
   */
  public BrokerConfig withQueueWindowBytes(long bytes) {
    return new BrokerConfig(name, dispatchThreads, memoryLimitBytes, bytes, jmx);
  }

  /**
   * These settings with JMX MBeans on or off (see {@link #jmx()}).
   *
   * @param on whether the broker registers its MBeans
   */
  public BrokerConfig withJmx(boolean on) {
    return new BrokerConfig(name, dispatchThreads, memoryLimitBytes, queueWindowBytes, on);
  }

  /** The default memory limit: 40% of {@link Runtime#maxMemory()}, in bytes. */
  public static long defaultMemoryLimitBytes() {
    long max = Runtime.getRuntime().maxMemory();
    return max == Long.MAX_VALUE ? 0 : max / 5 * 2;
  }
}
