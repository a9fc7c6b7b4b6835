package io.warrenmq.ra;

import io.warrenmq.jms.WarrenXAResource;
import io.warrenmq.jms.WarrenXASession;
import io.warrenmq.ra.internal.BranchCompletion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The {@link XAResource} of one {@link WarrenManagedConnection}: a transaction manager's branch
 * covers every session created through the managed connection's handles, those created before
 * {@link #start} and those created while the branch is associated.
 *
 * <p>Mapping onto the broker: the first session that works in a branch starts it on its channel
 * ({@code TMNOFLAGS}, or the flags given when the branch came from another resource); every further
 * session joins it ({@code TMJOIN}). {@link #end} ends every session's association ({@code
 * TMSUSPEND} is ended as {@code TMSUCCESS} and resumed by joining). A branch in which no session
 * was created never reaches the broker: {@link #prepare} answers {@link #XA_RDONLY} and {@link
 * #commit}/{@link #rollback} complete it locally. A branch that one session worked in is prepared,
 * committed or rolled back through that session's resource (its channel, even after the application
 * closed the session); any other completion, and {@link #recover}, use the managed connection's
 * control session, so they work for branches this resource never started (crash recovery on a fresh
 * managed connection).
 *
 * <p>Errors: as {@link WarrenXAResource}, plus {@code XAER_PROTO} for {@code start} while
 * associated or {@code end} of a branch that is not associated, {@code XAER_DUPID} for a {@code
 * TMNOFLAGS} start of a branch this resource knows, {@code XAER_RMFAIL} when the managed connection
 * is destroyed.
 *
 * <p>Thread-safety: thread-safe.
 */
final class ManagedXAResource implements XAResource {
  private final WarrenManagedConnection mc;

  /** Branches started through this resource and not completed, by Xid. */
  private final Map<XidKey, Branch> branches = new HashMap<>();

  /** XA sessions of the managed connection that are associated with {@link #current}. */
  private final List<WarrenXASession> associated = new ArrayList<>();

  private Branch current;
  private int timeoutSeconds;

  ManagedXAResource(WarrenManagedConnection mc) {
    this.mc = mc;
  }

  /** A branch as this resource knows it. */
  private static final class Branch {
    final Xid xid;

    /** Whether some session's channel started it in the broker (or another resource did). */
    boolean inBroker;

    /**
     * The resource of the one session that worked in the branch, once ended, or null (none, or
     * several): prepare and commit go through its channel, right behind its pipelined {@code
     * dtx.end} (docs/protocol-dtx.md, "Pipelined dtx.end"), instead of waiting for the end's answer
     * before using the control session's channel.
     */
    WarrenXAResource endedBy;

    Branch(Xid xid, boolean inBroker) {
      this.xid = xid;
      this.inBroker = inBroker;
    }
  }

  /**
   * Xid equality by value, whatever the Xid class: format id and copies of the two byte arrays (a
   * record would compare the arrays by reference).
   */
  private static final class XidKey {
    private final int format;
    private final byte[] gtrid;
    private final byte[] bqual;
    private final int hash;

    private XidKey(int format, byte[] gtrid, byte[] bqual) {
      this.format = format;
      this.gtrid = gtrid;
      this.bqual = bqual;
      this.hash = 31 * (31 * format + Arrays.hashCode(gtrid)) + Arrays.hashCode(bqual);
    }

    static XidKey of(Xid x) {
      return new XidKey(
          x.getFormatId(), x.getGlobalTransactionId().clone(), x.getBranchQualifier().clone());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof XidKey k
          && k.format == format
          && Arrays.equals(k.gtrid, gtrid)
          && Arrays.equals(k.bqual, bqual);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** Whether a branch is associated: sessions created now work in it. */
  synchronized boolean inBranch() {
    return current != null;
  }

  /**
   * Called by the managed connection for a session created while {@link #inBranch()}: the session
   * joins (or starts) the associated branch.
   *
   * @throws XAException as the broker's {@code dtxStart}
   */
  synchronized void enlist(WarrenXASession session) throws XAException {
    if (current != null) {
      associate(session, current);
    }
  }

  private void associate(WarrenXASession session, Branch branch) throws XAException {
    WarrenXAResource xa = session.getXAResource();
    if (timeoutSeconds > 0) {
      xa.setTransactionTimeout(timeoutSeconds);
    }
    xa.start(branch.xid, branch.inBroker ? TMJOIN : TMNOFLAGS);
    branch.inBroker = true;
    associated.add(session);
  }

  @Override
  public synchronized void start(Xid xid, int flags) throws XAException {
    if (xid == null) {
      throw xa(XAException.XAER_INVAL, "start: the Xid must not be null");
    }
    if (current != null) {
      throw xa(XAException.XAER_PROTO, "start: the managed connection is already in a branch");
    }
    XidKey key = XidKey.of(xid);
    Branch branch = branches.get(key);
    if (flags == TMNOFLAGS) {
      if (branch != null) {
        throw xa(XAException.XAER_DUPID, "start: the branch is already known");
      }
      branch = new Branch(xid, false);
    } else if (flags == TMJOIN || flags == TMRESUME) {
      if (branch == null) {
        branch = new Branch(xid, true); // started by another resource of the broker
      }
    } else {
      throw xa(
          XAException.XAER_INVAL,
          "start: flags must be TMNOFLAGS, TMJOIN or TMRESUME, were " + flags);
    }
    branches.put(key, branch);
    current = branch;
    for (WarrenXASession s : mc.openXaSessions()) {
      try {
        associate(s, branch);
      } catch (XAException e) {
        endAll(xid, TMFAIL);
        current = null;
        if (!branch.inBroker) {
          branches.remove(key);
        }
        throw e;
      }
    }
  }

  @Override
  public synchronized void end(Xid xid, int flags) throws XAException {
    if (current == null || !XidKey.of(current.xid).equals(XidKey.of(xid))) {
      throw xa(XAException.XAER_PROTO, "end: the managed connection is not in this branch");
    }
    Branch ended = current;
    current = null;
    WarrenXAResource only = associated.size() == 1 ? associated.get(0).getXAResource() : null;
    XAException first = endAll(xid, flags == TMFAIL ? TMFAIL : TMSUCCESS);
    // also after a failed end: a session whose pipelined start the broker refused answers the
    // rollback itself, without touching a branch of that Xid that is not its own
    // (docs/protocol-dtx.md, "Pipelined dtx.start")
    ended.endedBy = only;
    if (first != null) {
      throw first;
    }
  }

  /** The resource that completes {@code b}: see {@link Branch#endedBy}. */
  private XAResource completer(Branch b) throws XAException {
    WarrenXAResource own = b == null ? null : b.endedBy;
    return own != null ? own : mc.controlXaResource();
  }

  private XAException endAll(Xid xid, int flags) {
    XAException first = null;
    for (WarrenXASession s : associated) {
      try {
        s.getXAResource().end(xid, flags);
      } catch (XAException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    associated.clear();
    return first;
  }

  @Override
  public int prepare(Xid xid) throws XAException {
    Branch b = localBranch(xid);
    if (b != null && !b.inBroker) {
      forgetLocal(xid);
      return XA_RDONLY;
    }
    int vote = completer(b).prepare(xid);
    if (vote == XA_RDONLY) {
      forgetLocal(xid);
    }
    return vote;
  }

  @Override
  public void commit(Xid xid, boolean onePhase) throws XAException {
    Branch b = localBranch(xid);
    if (b != null && !b.inBroker) {
      forgetLocal(xid);
      return;
    }
    try {
      completion().commit(() -> completer(b), xid, onePhase);
    } finally {
      forgetLocal(xid);
    }
  }

  @Override
  public void rollback(Xid xid) throws XAException {
    Branch b = localBranch(xid);
    if (b != null && !b.inBroker) {
      forgetLocal(xid);
      return;
    }
    try {
      completion().rollback(() -> completer(b), xid);
    } finally {
      forgetLocal(xid);
    }
  }

  /**
   * Completion on a new connection of the managed connection factory, with this managed
   * connection's login, when this one's is lost ({@link BranchCompletion}).
   */
  private BranchCompletion completion() {
    WarrenManagedConnectionFactory f = mc.factory();
    return new BranchCompletion(
        () -> f.openPhysical(mc.credentials()),
        f.brokerDescription(),
        BranchCompletion.DEFAULT_WAIT_MILLIS);
  }

  @Override
  public Xid[] recover(int flag) throws XAException {
    return mc.controlXaResource().recover(flag);
  }

  @Override
  public void forget(Xid xid) throws XAException {
    try {
      mc.controlXaResource().forget(xid);
    } finally {
      forgetLocal(xid);
    }
  }

  @Override
  public synchronized int getTransactionTimeout() {
    return timeoutSeconds;
  }

  @Override
  public synchronized boolean setTransactionTimeout(int seconds) throws XAException {
    if (seconds < 0) {
      throw xa(XAException.XAER_INVAL, "transaction timeout must be >= 0 s, was " + seconds);
    }
    timeoutSeconds = seconds;
    return true;
  }

  /** Only this resource: each managed connection is its own branch (DESIGN.md, ra). */
  @Override
  public boolean isSameRM(XAResource other) {
    return other == this;
  }

  private synchronized Branch localBranch(Xid xid) {
    return xid == null ? null : branches.get(XidKey.of(xid));
  }

  private synchronized void forgetLocal(Xid xid) {
    if (xid != null) {
      branches.remove(XidKey.of(xid));
    }
  }

  private static XAException xa(int code, String message) {
    XAException e = new XAException("WarrenMQ managed connection: " + message);
    e.errorCode = code;
    return e;
  }

  @Override
  public String toString() {
    return "WarrenMQ XAResource of " + mc;
  }
}
