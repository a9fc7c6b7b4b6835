package io.warrenmq.sample;

/**
 * A snapshot of the {@link OrderLedger} counters. The counters are read one after the other without
 * a common lock, so a snapshot taken while messages flow may mix instants; once traffic has stopped
 * it is exact.
 *
 * @param ordersSent orders that {@link OrderService} sent to the queue {@code orders}
 * @param ordersProcessed distinct orders that {@link OrderListener} received
 * @param duplicateDeliveries deliveries of an order that {@link OrderListener} had already received
 * @param auditEvents order events delivered to {@link AuditSubscriber}, duplicates included
 * @param notificationEvents order events delivered to {@link NotificationSubscriber}, duplicates
 *     included
 */
public record OrderStats(
    long ordersSent,
    long ordersProcessed,
    long duplicateDeliveries,
    long auditEvents,
    long notificationEvents) {}
