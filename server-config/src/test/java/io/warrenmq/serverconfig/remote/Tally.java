package io.warrenmq.serverconfig.remote;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many orders {@link RemoteOrderMdb} has handled on this server since it started, counted after
 * the record is sent and before the transaction commits: a progress indicator for the test (when to
 * crash something), not a result; the records on the broker are the result.
 *
 * <p>Concurrency: bean-managed, an atomic counter.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Tally {
  private final AtomicLong handled = new AtomicLong();

  /** Counts one handled order. */
  public void increment() {
    handled.incrementAndGet();
  }

  /** Orders handled since the server started. */
  public long handled() {
    return handled.get();
  }
}
