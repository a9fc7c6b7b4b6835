package io.warrenmq.ra.internal;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The XAResource an inbound session hands to the container ({@code createEndpoint}): the session's
 * own resource, whose commit and rollback go through {@link BranchCompletion}, so a branch prepared
 * before the activation's connection was lost (a remote broker restarted) is still completed by the
 * container's commit or rollback. Every other call is the session's resource's.
 *
 * <p>Thread-safety: as the wrapped resource (thread-safe).
 */
final class InboundXAResource implements XAResource {
  private final XAResource session;
  private final BranchCompletion completion;

  InboundXAResource(XAResource session, BranchCompletion completion) {
    this.session = session;
    this.completion = completion;
  }

  @Override
  public void commit(Xid xid, boolean onePhase) throws XAException {
    completion.commit(() -> session, xid, onePhase);
  }

  @Override
  public void rollback(Xid xid) throws XAException {
    completion.rollback(() -> session, xid);
  }

  @Override
  public void end(Xid xid, int flags) throws XAException {
    session.end(xid, flags);
  }

  @Override
  public void forget(Xid xid) throws XAException {
    session.forget(xid);
  }

  @Override
  public int getTransactionTimeout() throws XAException {
    return session.getTransactionTimeout();
  }

  /** Same resource manager as what the session's resource says, unwrapping another of these. */
  @Override
  public boolean isSameRM(XAResource other) throws XAException {
    return session.isSameRM(other instanceof InboundXAResource i ? i.session : other);
  }

  @Override
  public int prepare(Xid xid) throws XAException {
    return session.prepare(xid);
  }

  @Override
  public Xid[] recover(int flag) throws XAException {
    return session.recover(flag);
  }

  @Override
  public boolean setTransactionTimeout(int seconds) throws XAException {
    return session.setTransactionTimeout(seconds);
  }

  @Override
  public void start(Xid xid, int flags) throws XAException {
    session.start(xid, flags);
  }

  @Override
  public String toString() {
    return session.toString();
  }
}
