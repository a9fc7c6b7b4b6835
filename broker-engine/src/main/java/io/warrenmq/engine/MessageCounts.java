package io.warrenmq.engine;

/**
 * Cumulative message counts since the broker started, the source of the management API's {@code
 * message_stats} (https://www.rabbitmq.com/docs/management#stats): {@code publish}, {@code
 * deliver_get} and {@code ack}. Counts are not persisted: they restart at 0 with the broker.
 *
 * @param published messages accepted by a queue (a message routed to two queues counts twice)
 * @param delivered messages handed to a consumer or returned by {@code basic.get}, redeliveries
 *     included
 * @param acked messages acknowledged by a client ({@code basic.ack})
 */
public record MessageCounts(long published, long delivered, long acked) {
  /** All zero. */
  public static final MessageCounts ZERO = new MessageCounts(0, 0, 0);

  /** The field-wise sum. */
  public MessageCounts plus(MessageCounts other) {
    return new MessageCounts(
        published + other.published, delivered + other.delivered, acked + other.acked);
  }
}
