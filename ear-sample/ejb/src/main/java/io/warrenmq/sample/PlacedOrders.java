package io.warrenmq.sample;

/**
 * What one call of {@link OrderService#placeOrders(int)} did.
 *
 * @param runId the identifier shared by the order ids of this call ({@code order-<runId>-<n>})
 * @param sent the number of orders sent to the queue {@code orders}; as many events were published
 *     to the topic {@code order-events}
 * @param elapsedMillis wall-clock time of the whole batch, in milliseconds
 */
public record PlacedOrders(String runId, int sent, long elapsedMillis) {}
