package io.warrenmq.serverconfig.ha;

import jakarta.ejb.ApplicationException;

/**
 * Thrown by {@link HaOrders#place} for an order placed with {@code fail}, after its row and its
 * message: an application exception that rolls the transaction back, so that the caller can tell a
 * rollback on purpose from a failure of a resource (a system exception).
 */
@ApplicationException(rollback = true)
public class OrderRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** For the order {@code id}. */
  public OrderRefused(String id) {
    super("order " + id + " refused on purpose after its row and its message");
  }
}
