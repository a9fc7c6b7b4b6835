package io.warrenmq.client;

import java.util.Map;
import java.util.Objects;

/**
 * The fields of AMQP 0-9-1 {@code queue.declare} (spec 1.7.2.1).
 *
 * @param name queue name, up to 255 bytes of UTF-8; empty asks the broker to generate an {@code
 *     amq.gen-...} name
 * @param durable whether the queue survives a broker restart
 * @param exclusive whether the queue belongs to the declaring connection only and is deleted when
 *     it closes; other connections get 405 RESOURCE_LOCKED
 * @param autoDelete whether the queue is deleted when its last consumer is cancelled (after it had
 *     at least one)
 * @param arguments queue arguments with RabbitMQ names ({@code x-max-priority}, ...); never null,
 *     copied
 */
public record QueueSpec(
    String name,
    boolean durable,
    boolean exclusive,
    boolean autoDelete,
    Map<String, Object> arguments) {

  public QueueSpec {
    Objects.requireNonNull(name, "name");
    arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
  }

  /** A durable, shared, non-auto-delete queue without arguments. */
  public static QueueSpec durable(String name) {
    return new QueueSpec(name, true, false, false, Map.of());
  }

  /** An exclusive, auto-delete, non-durable queue without arguments, as for a temporary reply. */
  public static QueueSpec exclusiveAutoDelete(String name) {
    return new QueueSpec(name, false, true, true, Map.of());
  }
}
