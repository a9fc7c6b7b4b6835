package io.warrenmq.engine;

import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a queue for monitoring (the management API's queue object): a value, never a live
 * engine object. The counters are read one queue and one channel at a time, never under a global
 * lock, so they may be slightly stale and not consistent across queues.
 *
 * @param virtualHost the queue's virtual host
 * @param name the queue's name
 * @param durable whether it survives a restart
 * @param exclusive whether it belongs to one connection
 * @param autoDelete whether it is deleted when its last consumer goes
 * @param arguments its declaration arguments (RabbitMQ names), never null
 * @param messagesReady messages ready for delivery, paged-out ones included
 * @param messagesUnacknowledged messages delivered and not yet acknowledged
 * @param messageBytesReady bytes of the bodies of ready messages held in heap
 * @param consumers active consumers
 * @param memory an estimate of the heap the queue's messages take, bytes (bodies in heap plus a
 *     fixed per-message overhead)
 * @param ownerConnection the name of the owning connection of an exclusive queue, or null
 * @param stats cumulative counts
 */
public record QueueInfo(
    String virtualHost,
    String name,
    boolean durable,
    boolean exclusive,
    boolean autoDelete,
    Map<String, Object> arguments,
    long messagesReady,
    long messagesUnacknowledged,
    long messageBytesReady,
    int consumers,
    long memory,
    String ownerConnection,
    MessageCounts stats) {

  public QueueInfo {
    Objects.requireNonNull(virtualHost, "virtualHost");
    Objects.requireNonNull(name, "name");
    arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
    stats = stats == null ? MessageCounts.ZERO : stats;
  }

  /** Ready plus unacknowledged messages (RabbitMQ's {@code messages}). */
  public long messages() {
    return messagesReady + messagesUnacknowledged;
  }
}
