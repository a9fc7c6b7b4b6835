package io.warrenmq.ra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.LocalTransactionException;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;

/**
 * A resource-local transaction of one managed connection, driven by the application server (Jakarta
 * Connectors 2.1, local transaction management): a one-phase XA branch of the broker under a
 * generated {@link LocalXid}, covering every session of the managed connection as {@link
 * ManagedXAResource} does. As the spec requires, no {@code LOCAL_TRANSACTION_*} connection events
 * are sent for transactions the container manages.
 *
 * <p>Errors: {@link LocalTransactionException} with the {@link XAException} (its X/Open code in the
 * message) as cause; {@code begin} while a transaction is open, {@code commit}/{@code rollback}
 * without one.
 *
 * <p>Thread-safety: thread-safe.
 */
final class WarrenLocalTransaction implements LocalTransaction {
  private final ManagedXAResource xa;
  private LocalXid xid;

  WarrenLocalTransaction(ManagedXAResource xa) {
    this.xa = xa;
  }

  @Override
  public synchronized void begin() throws ResourceException {
    if (xid != null) {
      throw new LocalTransactionException("begin: a local transaction is already open");
    }
    LocalXid x = LocalXid.random();
    try {
      xa.start(x, XAResource.TMNOFLAGS);
    } catch (XAException e) {
      throw failed("begin", e);
    }
    xid = x;
  }

  @Override
  public synchronized void commit() throws ResourceException {
    LocalXid x = open("commit");
    try {
      xa.end(x, XAResource.TMSUCCESS);
      xa.commit(x, true);
    } catch (XAException e) {
      throw failed("commit", e);
    }
  }

  @Override
  public synchronized void rollback() throws ResourceException {
    LocalXid x = open("rollback");
    try {
      try {
        xa.end(x, XAResource.TMFAIL);
      } catch (XAException e) {
        if (e.errorCode < XAException.XA_RBBASE || e.errorCode > XAException.XA_RBEND) {
          throw e;
        }
      }
      xa.rollback(x);
    } catch (XAException e) {
      throw failed("rollback", e);
    }
  }

  private LocalXid open(String what) throws LocalTransactionException {
    LocalXid x = xid;
    if (x == null) {
      throw new LocalTransactionException(what + ": no local transaction is open");
    }
    xid = null;
    return x;
  }

  private static LocalTransactionException failed(String what, XAException e) {
    LocalTransactionException l =
        new LocalTransactionException(
            "WarrenMQ local transaction "
                + what
                + " failed (XA code "
                + e.errorCode
                + "): "
                + e.getMessage());
    l.initCause(e);
    return l;
  }
}
