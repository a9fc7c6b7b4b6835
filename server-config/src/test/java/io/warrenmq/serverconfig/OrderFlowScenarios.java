package io.warrenmq.serverconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

/**
 * What the deployed EAR sample must show on any server, through its HTTP endpoint: orders exactly
 * once through the queue MDB, every event to both topic subscribers, an order marked fail rolled
 * back with neither row nor message. Run by {@code OrderFlowIT} (WildFly) and {@code
 * PayaraOrderFlowIT}.
 */
public final class OrderFlowScenarios {
  /** Orders per scenario. */
  public static final int ORDERS = 1_000;

  /** How long the counters may stay unchanged before the deliveries count as done. */
  public static final Duration QUIET_PERIOD = Duration.ofSeconds(1);

  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(120);

  private final OrdersEndpoint endpoint;

  public OrderFlowScenarios(OrdersEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** {@value #ORDERS} orders, each processed by {@code OrderListener} exactly once. */
  public void everyOrderSentThroughOrderServiceIsProcessedByTheMdbExactlyOnce() throws Exception {
    endpoint.reset();

    OrdersEndpoint.Placed placed = endpoint.placeOrders(ORDERS, DELIVERY_TIMEOUT);
    OrdersEndpoint.Stats stats = endpoint.awaitDelivered(ORDERS, DELIVERY_TIMEOUT, QUIET_PERIOD);

    assertEquals(ORDERS, placed.sent());
    assertEquals(ORDERS, stats.ordersSent());
    assertEquals(ORDERS, stats.ordersProcessed(), () -> "processed, last counters " + stats);
    assertEquals(0, stats.duplicateDeliveries(), () -> "duplicates, last counters " + stats);
  }

  /** Both topic subscribers receive all {@value #ORDERS} events. */
  public void bothTopicSubscribersReceiveEveryOrderEvent() throws Exception {
    endpoint.reset();

    endpoint.placeOrders(ORDERS, DELIVERY_TIMEOUT);
    OrdersEndpoint.Stats stats = endpoint.awaitDelivered(ORDERS, DELIVERY_TIMEOUT, QUIET_PERIOD);

    assertEquals(ORDERS, stats.auditEvents(), () -> "AuditSubscriber, last counters " + stats);
    assertEquals(
        ORDERS, stats.notificationEvents(), () -> "NotificationSubscriber, last counters " + stats);
  }

  /** The order marked fail rolls back: no row, no message, no event. */
  public void anOrderMarkedFailLeavesNeitherItsRowNorItsMessage() throws Exception {
    endpoint.reset();

    OrdersEndpoint.FailedOrder failed = endpoint.placeFailingOrder(QUIET_PERIOD);

    assertTrue(failed.rolledBack(), failed::toString);
    assertFalse(failed.row(), () -> "the rolled-back order's row exists: " + failed);
    assertFalse(failed.processed(), () -> "the rolled-back order's message arrived: " + failed);
    assertEquals(0, endpoint.stats().auditEvents(), "the rolled-back order's event arrived");
  }
}
