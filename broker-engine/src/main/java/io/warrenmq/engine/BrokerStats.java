package io.warrenmq.engine;

/**
 * Broker-wide counters since the broker started (monitoring, e.g. Prometheus): monotonic except
 * {@link #xaBranchesInDoubt}. The names follow RabbitMQ's Prometheus plugin
 * (https://www.rabbitmq.com/docs/prometheus, {@code rabbitmq_channel_*_total}, {@code
 * rabbitmq_connections_opened_total}, ...), which counts the same events.
 *
 * @param published messages published into an exchange ({@code basic.publish}, a committed
 *     transactional publish), routable or not
 * @param confirmed publishes confirmed (acked) to a publisher in confirm mode
 * @param deliveredAutoAck messages delivered to consumers in automatic acknowledgement mode
 * @param deliveredManualAck messages delivered to consumers in manual acknowledgement mode
 * @param getAutoAck messages fetched with {@code basic.get} in automatic acknowledgement mode
 * @param getManualAck messages fetched with {@code basic.get} in manual acknowledgement mode
 * @param getEmpty {@code basic.get} calls that found no message
 * @param acked messages acknowledged by clients ({@code basic.ack})
 * @param redelivered deliveries (consumer or get) of messages delivered before
 * @param unroutableDropped non-mandatory publishes no queue took (dropped)
 * @param unroutableReturned mandatory publishes no queue took (returned with 312 NO_ROUTE)
 * @param connectionsOpened connections opened
 * @param connectionsClosed connections closed, by either side
 * @param queuesDeclared queues created by a declare (a re-declare of an existing queue is not
 *     counted)
 * @param queuesDeleted queues deleted (explicitly, auto-delete, exclusive owner gone, expiry)
 * @param pagedOut persistent messages whose body was dropped from heap once stored (the queue was
 *     past its in-memory window)
 * @param pagedIn messages read back from the store into a queue's in-memory window
 * @param xaBranchesInDoubt XA branches prepared and neither committed nor rolled back now (a gauge)
 */
public record BrokerStats(
    long published,
    long confirmed,
    long deliveredAutoAck,
    long deliveredManualAck,
    long getAutoAck,
    long getManualAck,
    long getEmpty,
    long acked,
    long redelivered,
    long unroutableDropped,
    long unroutableReturned,
    long connectionsOpened,
    long connectionsClosed,
    long queuesDeclared,
    long queuesDeleted,
    long pagedOut,
    long pagedIn,
    long xaBranchesInDoubt) {}
