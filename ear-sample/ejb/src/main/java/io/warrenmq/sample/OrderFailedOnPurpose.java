package io.warrenmq.sample;

import jakarta.ejb.ApplicationException;

/**
 * Thrown by {@link OrderService#placeFailingOrder(String)} after it wrote the order row and sent
 * the order message: an application exception with {@code rollback = true}, so the container rolls
 * back the JTA transaction (row and message together) and hands this exception to the caller.
 */
@ApplicationException(rollback = true)
public class OrderFailedOnPurpose extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param orderId the order that failed
   */
  public OrderFailedOnPurpose(String orderId) {
    super("order " + orderId + " is marked fail: its transaction rolls back");
  }
}
