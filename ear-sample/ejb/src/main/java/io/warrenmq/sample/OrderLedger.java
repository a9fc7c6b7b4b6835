package io.warrenmq.sample;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what the sample did: orders sent, orders processed (each order id remembered once, so a
 * second delivery of the same order counts as a duplicate) and events received per topic
 * subscriber.
 *
 * <p>Concurrency: bean-managed. Every method may be called by any number of threads at once (the
 * MDB instances deliver in parallel); the state is a concurrent set and atomic counters, so no
 * container lock serialises the MDBs on this bean. {@link #reset()} racing with deliveries may
 * leave counts from before the reset; reset only while no traffic flows.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class OrderLedger {

  private final Set<String> processedOrders = ConcurrentHashMap.newKeySet();
  private final AtomicLong ordersSent = new AtomicLong();
  private final AtomicLong duplicateDeliveries = new AtomicLong();
  private final AtomicLong auditEvents = new AtomicLong();
  private final AtomicLong notificationEvents = new AtomicLong();

  /**
   * Adds sent orders to the count.
   *
   * @param count orders just sent, not negative
   */
  public void recordSent(int count) {
    ordersSent.addAndGet(count);
  }

  /**
   * Records that {@link OrderListener} received an order.
   *
   * @param orderId the order id carried by the message body, not null
   * @return {@code true} if this is the first delivery of that order, {@code false} for a duplicate
   */
  public boolean recordProcessed(String orderId) {
    boolean first = processedOrders.add(orderId);
    if (!first) {
      duplicateDeliveries.incrementAndGet();
    }
    return first;
  }

  /** Whether {@link OrderListener} received the order {@code orderId} since the last reset. */
  public boolean isProcessed(String orderId) {
    return processedOrders.contains(orderId);
  }

  /** Records one order event delivered to {@link AuditSubscriber}. */
  public void recordAuditEvent() {
    auditEvents.incrementAndGet();
  }

  /** Records one order event delivered to {@link NotificationSubscriber}. */
  public void recordNotificationEvent() {
    notificationEvents.incrementAndGet();
  }

  /**
   * Returns the current counters.
   *
   * @return a snapshot, never null
   */
  public OrderStats stats() {
    return new OrderStats(
        ordersSent.get(),
        processedOrders.size(),
        duplicateDeliveries.get(),
        auditEvents.get(),
        notificationEvents.get());
  }

  /** Sets every counter back to zero and forgets the processed order ids. */
  public void reset() {
    processedOrders.clear();
    ordersSent.set(0);
    duplicateDeliveries.set(0);
    auditEvents.set(0);
    notificationEvents.set(0);
  }
}
