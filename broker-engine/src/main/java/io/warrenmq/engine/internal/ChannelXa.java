package io.warrenmq.engine.internal;

import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

/**
 * A channel's XA side (the {@code dtx} methods of {@link io.warrenmq.engine.Channel}).
 *
 * <p>SKELETON on branch xa-engine: the API is fixed, the implementation is being written. Not for
 * main as it is.
 */
public final class ChannelXa {
  private final ServerChannel channel;

  ChannelXa(ServerChannel channel) {
    this.channel = channel;
  }

  private static XAException notYet() {
    XAException e = new XAException("XA is being implemented on this branch");
    e.errorCode = XAException.XAER_RMERR;
    return e;
  }

  public void start(Xid xid, int flags) throws XAException {
    throw notYet();
  }

  public void end(Xid xid, int flags) throws XAException {
    throw notYet();
  }

  public int prepare(Xid xid) throws XAException {
    throw notYet();
  }

  public void commit(Xid xid, boolean onePhase) throws XAException {
    throw notYet();
  }

  public void rollback(Xid xid) throws XAException {
    throw notYet();
  }

  public Xid[] recover(int flags) throws XAException {
    throw notYet();
  }

  public void forget(Xid xid) throws XAException {
    throw notYet();
  }

  public boolean setTimeout(int seconds) throws XAException {
    throw notYet();
  }

  public int timeout() {
    return 60;
  }

  public String resourceManagerId() {
    return "skeleton";
  }
}
