package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;
import java.util.ArrayList;
import java.util.List;

/**
 * The work buffered by a channel in {@code tx.select} mode (AMQP 0-9-1 spec 1.9), applied by {@code
 * tx.commit}: publishes first, in order, then settlements, in order.
 *
 * <p>Not thread-safe: guarded by the channel's lock.
 */
final class TxBuffer {
  /** A publish whose exchange was resolved (and checked) when it was made. */
  record Publish(
      Exchange exchange,
      String routingKey,
      boolean mandatory,
      BasicProperties properties,
      byte[] body) {}

  /** An ack, reject or nack of entries marked {@code txPending} in the unacked window. */
  record Ack(List<QueueEntry> entries, ServerChannel.Settle settle) {}

  final List<Publish> publishes = new ArrayList<>();
  final List<Ack> acks = new ArrayList<>();
}
