package io.warrenmq.engine.internal;

import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.PreparedBranch;
import io.warrenmq.engine.StoredEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The broker's XA resource manager (DESIGN.md "Transactions"; X/Open XA): every branch of the
 * broker keyed by a value copy of its Xid, whichever channel started it, with the X/Open state
 * machine (active, idle, suspended, rollback-only, prepared) and the error codes of {@link
 * io.warrenmq.engine.Channel}'s {@code dtx*} methods.
 *
 * <p>A branch's work: publishes are buffered in it (routed at prepare, enqueued at commit); acked,
 * nacked and rejected entries leave their channel's unacked window into it (settled at commit,
 * requeued redelivered at rollback, after the redelivery delay of the consumer they were delivered
 * to if it has one: see {@link Queue.Return#FAILED}), so that closing the channel does not requeue
 * them. Commit applies everything in one {@link io.warrenmq.engine.MessageStore.UnitOfWork} and
 * waits for the store; prepare writes a {@link PreparedBranch} and waits for it. A branch not
 * prepared within its timeout is rolled back on the broker's timer thread and remembered (the last
 * {@value #REMEMBERED} such Xids), so that later calls get XA_RBTIMEOUT.
 *
 * <p>Recovery: prepared branches read from the store at start-up come back {@code PREPARED}; the
 * messages they acked are kept away from consumers: a queue paging an entry in hands it to the
 * branch instead of its ready list ({@link #withholdLocked}).
 *
 * <p>Concurrency: thread-safe. One monitor (this object) guards every branch's state; it is held
 * only for short bookkeeping and never while calling into a queue, a channel or the store. It may
 * be taken under a queue lock ({@link #withholdLocked}), so the lock order is queue, then this.
 */
public final class XaResourceManager {
  private static final System.Logger LOG = System.getLogger(XaResourceManager.class.getName());

  /** The timeout of a branch when none was set, in seconds. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 60;

  /** How many Xids the broker rolled back on its own it remembers (for XA_RB* answers). */
  static final int REMEMBERED = 10_000;

  private final Durability durability;
  private final String id = UUID.randomUUID().toString();
  private final Map<XaXid, XaBranch> branches = new HashMap<>();

  /** Xids the broker rolled back on its own, with their XA_RB* code. */
  private final Map<XaXid, Integer> rolledBack =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<XaXid, Integer> eldest) {
          return size() > REMEMBERED;
        }
      };

  /** Messages held by recovered prepared branches, by their place in the store. */
  private final Map<XaBranch.Hold, XaBranch> holds = new HashMap<>();

  /** Messages a committed recovered branch dequeued before they were paged in. */
  private final java.util.Set<XaBranch.Hold> settleOnSight = new java.util.HashSet<>();

  /** holds.size() + settleOnSight.size(), read without the monitor on the page-in path. */
  private volatile int holding;

  XaResourceManager(Durability durability) {
    this.durability = durability;
  }

  /**
   * How many branches are prepared and not yet committed or rolled back (in doubt), for monitoring.
   * Costs a pass over the open branches under this monitor.
   */
  public synchronized int preparedCount() {
    int n = 0;
    for (XaBranch b : branches.values()) {
      if (b.state == XaBranch.State.PREPARED) {
        n++;
      }
    }
    return n;
  }

  /** The resource manager id: a random UUID per broker instance (see {@code isSameRM}). */
  String id() {
    return id;
  }

  static XAException error(int code, String message) {
    XAException e = new XAException(message + " (" + codeName(code) + ")");
    e.errorCode = code;
    return e;
  }

  private static String codeName(int code) {
    return switch (code) {
      case XAException.XAER_NOTA -> "XAER_NOTA";
      case XAException.XAER_PROTO -> "XAER_PROTO";
      case XAException.XAER_DUPID -> "XAER_DUPID";
      case XAException.XAER_INVAL -> "XAER_INVAL";
      case XAException.XAER_RMFAIL -> "XAER_RMFAIL";
      case XAException.XAER_RMERR -> "XAER_RMERR";
      case XAException.XA_RBTIMEOUT -> "XA_RBTIMEOUT";
      case XAException.XA_RBROLLBACK -> "XA_RBROLLBACK";
      default -> "XA error " + code;
    };
  }

  static XaXid key(Xid xid) throws XAException {
    XaXid k = XaXid.of(xid);
    if (k == null) {
      throw error(
          XAException.XAER_INVAL,
          "invalid Xid "
              + xid
              + ": null, the null Xid (format id -1), or a part null or over 64 bytes");
    }
    return k;
  }

  private XAException unknown(XaXid xid, boolean forget) {
    Integer rb = forget ? rolledBack.remove(xid) : rolledBack.get(xid);
    if (rb != null) {
      return error(rb, "branch " + xid + " was rolled back by the broker");
    }
    return error(XAException.XAER_NOTA, "unknown branch " + xid);
  }

  // ---- association ------------------------------------------------------------------------

  void start(ChannelXa cx, Xid xid, int flags, int timeoutSeconds) throws XAException {
    XaXid k = key(xid);
    if (flags != XAResource.TMNOFLAGS
        && flags != XAResource.TMJOIN
        && flags != XAResource.TMRESUME) {
      throw error(
          XAException.XAER_INVAL,
          "dtx.start flags must be TMNOFLAGS, TMJOIN or TMRESUME, were 0x"
              + Integer.toHexString(flags));
    }
    synchronized (this) {
      if (cx.branchLocked() != null) {
        throw error(
            XAException.XAER_PROTO,
            "channel is already associated with branch " + cx.branchLocked().xid);
      }
      if (cx.channel().isTransactional()) {
        throw error(XAException.XAER_PROTO, "channel is in tx.select mode");
      }
      XaBranch b = branches.get(k);
      if (flags == XAResource.TMNOFLAGS) {
        if (b != null) {
          throw error(XAException.XAER_DUPID, "branch " + k + " already exists");
        }
        Integer rb = rolledBack.get(k);
        if (rb != null) {
          throw error(rb, "branch " + k + " was rolled back by the broker");
        }
        b = new XaBranch(k);
        branches.put(k, b);
        BrokerTimer timer = cx.channel().vhost().timer();
        if (timer != null) {
          XaBranch started = b;
          b.timeout =
              timer.schedule(() -> timedOut(started), TimeUnit.SECONDS.toNanos(timeoutSeconds));
        }
      } else {
        if (b == null) {
          throw unknown(k, false);
        }
        if (b.state != XaBranch.State.ACTIVE) {
          throw error(XAException.XAER_PROTO, "branch " + k + " is " + stateName(b));
        }
        if (flags == XAResource.TMJOIN) {
          if (b.suspended.contains(cx)) {
            throw error(
                XAException.XAER_PROTO,
                "this channel suspended branch " + k + ": resume it with TMRESUME, not TMJOIN");
          }
          if (b.rollbackOnly) {
            throw error(XAException.XA_RBROLLBACK, "branch " + k + " is rollback-only");
          }
        } else if (!b.suspended.remove(cx)) {
          throw error(XAException.XAER_PROTO, "branch " + k + " is not suspended by this channel");
        }
      }
      b.active.add(cx);
      cx.associateLocked(b);
    }
  }

  private static String stateName(XaBranch b) {
    return switch (b.state) {
      case ACTIVE -> "active";
      case PREPARING -> "being prepared";
      case PREPARED -> "prepared";
      case COMPLETING -> "being committed or rolled back";
      case ROLLED_BACK -> "rolled back";
    };
  }

  void end(ChannelXa cx, Xid xid, int flags) throws XAException {
    XaXid k = key(xid);
    if (flags != XAResource.TMSUCCESS
        && flags != XAResource.TMFAIL
        && flags != XAResource.TMSUSPEND) {
      throw error(
          XAException.XAER_INVAL,
          "dtx.end flags must be TMSUCCESS, TMFAIL or TMSUSPEND, were 0x"
              + Integer.toHexString(flags));
    }
    XaBranch doomed;
    synchronized (this) {
      XaBranch mine = cx.branchLocked();
      if (mine != null && mine.xid.equals(k) && mine.state == XaBranch.State.ROLLED_BACK) {
        // rolled back by the broker (timeout) while this channel was associated
        mine.active.remove(cx);
        cx.associateLocked(null);
        throw error(mine.rollbackCode, "branch " + k + " was rolled back by the broker");
      }
      XaBranch b = branches.get(k);
      if (b == null) {
        throw unknown(k, false);
      }
      if (mine == b) {
        b.active.remove(cx);
        cx.associateLocked(null);
        if (flags == XAResource.TMSUSPEND) {
          b.suspended.add(cx);
        }
      } else if (flags != XAResource.TMSUSPEND && b.suspended.remove(cx)) {
        // ending a suspended association (a TM ending every resource before completion)
      } else if (flags != XAResource.TMSUSPEND && cx.closedWithLocked(b)) {
        // the channel closed while associated: the close ended the association
      } else {
        throw error(XAException.XAER_PROTO, "this channel is not associated with branch " + k);
      }
      if (flags == XAResource.TMFAIL) {
        b.rollbackOnly = true;
        return;
      }
      if (!b.rollbackOnly || flags == XAResource.TMSUSPEND) {
        return;
      }
      doomed = rollBackOnOwnLocked(b, XAException.XA_RBROLLBACK);
    }
    rollbackWork(doomed);
    throw error(XAException.XA_RBROLLBACK, "branch " + k + " was marked rollback-only (TMFAIL)");
  }

  /** Rolls a branch back on the broker's decision; the caller applies the work outside the lock. */
  private XaBranch rollBackOnOwnLocked(XaBranch b, int code) {
    branches.remove(b.xid);
    b.state = XaBranch.State.ROLLED_BACK;
    b.rollbackCode = code;
    if (b.timeout != null) {
      b.timeout.cancel(false);
    }
    rolledBack.put(b.xid, code);
    return b;
  }

  private void timedOut(XaBranch b) {
    synchronized (this) {
      if (branches.get(b.xid) != b || b.state != XaBranch.State.ACTIVE) {
        return;
      }
      rollBackOnOwnLocked(b, XAException.XA_RBTIMEOUT);
    }
    LOG.log(System.Logger.Level.INFO, "XA branch {0} timed out and was rolled back", b.xid);
    rollbackWork(b);
  }

  /** A channel closes: its associations end (the branches keep their work). */
  void channelClosed(ChannelXa cx) {
    synchronized (this) {
      XaBranch b = cx.branchLocked();
      if (b != null) {
        b.active.remove(cx);
        cx.associateLocked(null);
        cx.closedWithLocked(b, true);
      }
      for (XaBranch s : branches.values()) {
        if (s.suspended.remove(cx)) {
          cx.closedWithLocked(s, true);
        }
      }
    }
  }

  // ---- work ----------------------------------------------------------------------------------

  /** Buffers a publish in {@code b}; dropped if the broker rolled {@code b} back meanwhile. */
  void publish(XaBranch b, XaBranch.Publish p) {
    synchronized (this) {
      if (b.state == XaBranch.State.ACTIVE) {
        b.publishes.add(p);
      }
    }
  }

  /**
   * Moves settled entries (already out of their channel's unacked window) into {@code b}; if the
   * broker rolled {@code b} back meanwhile, they go back to their queues, redelivered.
   */
  void acked(XaBranch b, List<QueueEntry> entries, ServerChannel.Settle settle) {
    synchronized (this) {
      if (b.state == XaBranch.State.ACTIVE) {
        for (QueueEntry e : entries) {
          e.txPending = false;
          b.acks.add(new XaBranch.Acked(e, settle));
        }
        return;
      }
    }
    QueueEntries.requeueGrouped(entries, Queue.Return.FAILED);
  }

  // ---- completion ----------------------------------------------------------------------------

  int prepare(Xid xid) throws XAException {
    XaXid k = key(xid);
    XaBranch b;
    synchronized (this) {
      b = branches.get(k);
      if (b == null) {
        throw unknown(k, true);
      }
      if (b.isAssociated()) {
        throw error(XAException.XAER_PROTO, "branch " + k + " is still associated with a channel");
      }
      if (b.state != XaBranch.State.ACTIVE) {
        throw error(XAException.XAER_PROTO, "branch " + k + " is " + stateName(b));
      }
      if (b.timeout != null) {
        b.timeout.cancel(false);
      }
      if (b.rollbackOnly) {
        branches.remove(k);
        b.state = XaBranch.State.ROLLED_BACK;
      } else if (b.isEmpty()) {
        branches.remove(k);
        return XAResource.XA_RDONLY;
      } else {
        b.state = XaBranch.State.PREPARING;
      }
    }
    if (b.state == XaBranch.State.ROLLED_BACK) {
      rollbackWork(b);
      throw error(XAException.XA_RBROLLBACK, "branch " + k + " was marked rollback-only");
    }
    try {
      PreparedBranch written = XaWork.route(b);
      if (durability.isDurable()) {
        await(durability.store().prepareBranch(written), "dtx.prepare", k);
      }
    } catch (XAException | RuntimeException e) {
      synchronized (this) {
        branches.remove(k);
        b.state = XaBranch.State.ROLLED_BACK;
      }
      rollbackWork(b);
      if (e instanceof XAException x) {
        throw x;
      }
      throw (XAException)
          error(XAException.XAER_RMERR, "dtx.prepare of " + k + " failed: " + e).initCause(e);
    }
    synchronized (this) {
      b.state = XaBranch.State.PREPARED;
      b.prepared = true;
    }
    return XAResource.XA_OK;
  }

  void commit(Xid xid, boolean onePhase) throws XAException {
    await(commitAsync(xid, onePhase), "dtx.commit", key(xid));
  }

  /**
   * {@link #commit} up to the store: checks the branch and applies its work in memory on the
   * calling thread (an error of that part is thrown), and returns a stage that completes once the
   * store holds the commit (fsynced when the store is durable), or fails with the {@link
   * XAException} that {@link #commit} would throw (XAER_RMERR: the store failed). The branch is
   * forgotten when the stage completes, either way, before its dependants run. A recovered branch's
   * rejected messages are read from the store on the calling thread first (XAER_RMFAIL if that
   * fails, the branch staying prepared).
   */
  CompletionStage<Void> commitAsync(Xid xid, boolean onePhase) throws XAException {
    XaXid k = key(xid);
    XaBranch b;
    boolean rollbackOnly = false;
    synchronized (this) {
      b = branches.get(k);
      if (b == null) {
        throw unknown(k, true);
      }
      if (b.isAssociated()) {
        throw error(XAException.XAER_PROTO, "branch " + k + " is still associated with a channel");
      }
      if (onePhase ? b.state != XaBranch.State.ACTIVE : b.state != XaBranch.State.PREPARED) {
        throw error(
            XAException.XAER_PROTO,
            (onePhase ? "one-phase" : "two-phase")
                + " commit of branch "
                + k
                + ", which is "
                + (b.state == XaBranch.State.ACTIVE ? "not prepared" : stateName(b)));
      }
      if (b.timeout != null) {
        b.timeout.cancel(false);
      }
      if (onePhase && b.rollbackOnly) {
        branches.remove(k);
        b.state = XaBranch.State.ROLLED_BACK;
        rollbackOnly = true;
      } else {
        b.state = XaBranch.State.COMPLETING;
      }
    }
    if (rollbackOnly) {
      rollbackWork(b);
      throw error(XAException.XA_RBROLLBACK, "branch " + k + " was marked rollback-only");
    }
    Map<XaBranch.Hold, StoredEntry> rejected;
    try {
      // read before anything changes: a failed read leaves the branch prepared, to commit again
      rejected = b.recovered == null ? Map.of() : XaWork.readRejected(this, b, durability);
    } catch (RuntimeException e) {
      synchronized (this) {
        b.state = XaBranch.State.PREPARED;
      }
      throw (XAException)
          error(
                  XAException.XAER_RMFAIL,
                  "dtx.commit of "
                      + k
                      + " cannot read the messages it rejected from the store; the branch stays"
                      + " prepared, commit it again: "
                      + e)
              .initCause(e);
    }
    CompletionStage<Void> stored;
    try {
      MessageStore.UnitOfWork unit = durability.beginUnitOfWork();
      try {
        XaWork.commit(this, b, rejected, unit);
      } finally {
        // also after a failure half-way: what was applied in memory is written
        stored = Durability.commit(unit);
      }
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        branches.remove(k);
      }
      throw e;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    (durability.isDurable() ? stored : CompletableFuture.<Void>completedStage(null))
        .whenComplete(
            (ok, failure) -> {
              synchronized (this) {
                branches.remove(k);
              }
              if (failure == null) {
                if (b.recovered != null) {
                  LOG.log(System.Logger.Level.INFO, "recovered XA branch {0} committed", k);
                }
                done.complete(null);
              } else {
                done.completeExceptionally(storeFailure("dtx.commit", k, failure));
              }
            });
    return done;
  }

  void rollback(Xid xid) throws XAException {
    XaXid k = key(xid);
    XaBranch b;
    boolean prepared;
    synchronized (this) {
      b = branches.get(k);
      if (b == null) {
        throw unknown(k, true);
      }
      if (b.isAssociated()) {
        throw error(XAException.XAER_PROTO, "branch " + k + " is still associated with a channel");
      }
      if (b.state != XaBranch.State.ACTIVE && b.state != XaBranch.State.PREPARED) {
        throw error(XAException.XAER_PROTO, "branch " + k + " is " + stateName(b));
      }
      if (b.timeout != null) {
        b.timeout.cancel(false);
      }
      prepared = b.prepared;
      b.state = XaBranch.State.COMPLETING;
    }
    try {
      rollbackWork(b);
      if (prepared && durability.isDurable()) {
        await(
            durability.store().forgetBranch(k.getFormatId(), k.gtrid(), k.bqual()),
            "dtx.rollback",
            k);
      }
      if (b.recovered != null) {
        LOG.log(System.Logger.Level.INFO, "recovered XA branch {0} rolled back", k);
      }
    } finally {
      synchronized (this) {
        branches.remove(k);
      }
    }
  }

  Xid[] recover(int flags) throws XAException {
    if ((flags & ~(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)) != 0) {
      throw error(
          XAException.XAER_INVAL,
          "dtx.recover flags must be TMSTARTRSCAN, TMENDRSCAN, both or TMNOFLAGS, were 0x"
              + Integer.toHexString(flags));
    }
    if ((flags & XAResource.TMSTARTRSCAN) == 0) {
      return new Xid[0];
    }
    List<Xid> out = new ArrayList<>();
    synchronized (this) {
      for (XaBranch b : branches.values()) {
        if (b.state == XaBranch.State.PREPARED) {
          out.add(b.xid);
        }
      }
    }
    return out.toArray(new Xid[0]);
  }

  void forget(Xid xid) throws XAException {
    XaXid k = key(xid);
    synchronized (this) {
      if (branches.containsKey(k)) {
        throw error(
            XAException.XAER_PROTO,
            "branch "
                + k
                + " was not heuristically completed (WarrenMQ makes no heuristic decisions)");
      }
      rolledBack.remove(k);
    }
    throw error(XAException.XAER_NOTA, "unknown branch " + k);
  }

  private static void await(CompletionStage<Void> stage, String what, XaXid k) throws XAException {
    try {
      stage.toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw (XAException)
          error(XAException.XAER_RMERR, what + " of " + k + " interrupted waiting for the store")
              .initCause(e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof XAException x) {
        throw x; // a stage of commitAsync carries its own
      }
      throw storeFailure(what, k, e.getCause());
    }
  }

  /** XAER_RMERR for a store failure of {@code what}, with the store's exception as its cause. */
  private static XAException storeFailure(String what, XaXid k, Throwable cause) {
    Throwable c =
        cause instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null
            ? ce.getCause()
            : cause;
    return (XAException)
        error(XAException.XAER_RMERR, what + " of " + k + " failed in the store: " + c)
            .initCause(c);
  }

  /** Drops the publishes and requeues (redelivered) what the branch acked. */
  private void rollbackWork(XaBranch b) {
    if (b.recovered != null) {
      // first: a page-in on the paging thread adds to b.acks while the branch holds messages
      synchronized (this) {
        for (XaBranch.Hold h : b.holds.keySet()) {
          holds.remove(h, b);
        }
        b.holds.clear();
        holding = holds.size() + settleOnSight.size();
      }
    }
    List<QueueEntry> back = new ArrayList<>(b.acks.size());
    for (XaBranch.Acked a : b.acks) {
      back.add(a.entry());
    }
    b.acks.clear();
    b.publishes.clear();
    QueueEntries.requeueGrouped(back, Queue.Return.FAILED);
  }

  /**
   * A committed recovered branch: its acked messages not paged in yet are settled on sight.
   *
   * @return those messages, each with how the branch settled it (the caller removes them in the
   *     store, dead-lettering the rejected ones)
   */
  Map<XaBranch.Hold, ServerChannel.Settle> settleOnSight(XaBranch b) {
    synchronized (this) {
      Map<XaBranch.Hold, ServerChannel.Settle> moved = new LinkedHashMap<>();
      for (Map.Entry<XaBranch.Hold, ServerChannel.Settle> h : b.holds.entrySet()) {
        if (holds.remove(h.getKey(), b)) {
          settleOnSight.add(h.getKey());
          moved.put(h.getKey(), h.getValue());
        }
      }
      b.holds.clear();
      holding = holds.size() + settleOnSight.size();
      return moved;
    }
  }

  /** The rejected messages of a recovered branch that are not paged in yet (a snapshot). */
  List<XaBranch.Hold> unseenRejected(XaBranch b) {
    synchronized (this) {
      List<XaBranch.Hold> out = new ArrayList<>();
      b.holds.forEach(
          (h, settle) -> {
            if (settle == ServerChannel.Settle.DISCARD) {
              out.add(h);
            }
          });
      return out;
    }
  }

  /**
   * The store ids of the messages of {@code q} that recovered prepared branches hold and that are
   * not paged in yet (a snapshot; empty unless some branch holds messages); called under the
   * queue's lock.
   */
  List<Long> heldMessageIdsLocked(Queue q) {
    if (holding == 0) {
      return List.of();
    }
    String vhost = q.virtualHost().name();
    List<Long> ids = new ArrayList<>();
    synchronized (this) {
      for (XaBranch.Hold h : holds.keySet()) {
        if (h.queue().equals(q.name()) && h.virtualHost().equals(vhost)) {
          ids.add(h.messageId());
        }
      }
    }
    return ids;
  }

  // ---- recovery --------------------------------------------------------------------------

  /**
   * A prepared branch read from the store at start-up (before any queue pages its entries in): it
   * comes back {@code PREPARED}, and the messages it acked are held for it.
   *
   * @param hosts resolves the virtual hosts its publishes and acks name
   */
  public void recovered(PreparedBranch pb, Function<String, ServerVirtualHost> hosts) {
    XaXid k = new XaXid(pb.formatId(), pb.globalTransactionId(), pb.branchQualifier());
    XaBranch b = new XaBranch(k);
    b.state = XaBranch.State.PREPARED;
    b.prepared = true;
    b.recovered = pb;
    b.recoveredHosts = new HashMap<>();
    for (PreparedBranch.Publish p : pb.publishes()) {
      b.recoveredHosts.computeIfAbsent(p.virtualHost(), hosts);
    }
    for (PreparedBranch.Ack a : pb.acks()) {
      b.recoveredHosts.computeIfAbsent(a.virtualHost(), hosts);
    }
    synchronized (this) {
      for (PreparedBranch.Ack a : pb.acks()) {
        if (a.messageId() != 0) {
          XaBranch.Hold h = new XaBranch.Hold(a.virtualHost(), a.queue(), a.messageId());
          b.holds.put(
              h,
              a.kind() == PreparedBranch.AckKind.REJECT
                  ? ServerChannel.Settle.DISCARD
                  : ServerChannel.Settle.ACK);
          holds.put(h, b);
        }
      }
      holding = holds.size() + settleOnSight.size();
      branches.put(k, b);
    }
    LOG.log(
        System.Logger.Level.INFO,
        "prepared XA branch {0} recovered ({1} publishes, {2} acks)",
        k,
        pb.publishes().size(),
        pb.acks().size());
  }

  /**
   * Takes out of a page read back from the store the entries a recovered prepared branch holds
   * (they go to the branch, acked) and settles those a committed one removed; called under the
   * queue's lock.
   *
   * @return the entries that may become ready
   */
  List<QueueEntry> withholdLocked(Queue q, List<QueueEntry> page) {
    if (holding == 0 || page.isEmpty()) {
      return page;
    }
    String vhost = q.virtualHost().name();
    List<QueueEntry> ready = new ArrayList<>(page.size());
    synchronized (this) {
      for (Iterator<QueueEntry> it = page.iterator(); it.hasNext(); ) {
        QueueEntry e = it.next();
        XaBranch.Hold h = e.messageId == 0 ? null : new XaBranch.Hold(vhost, q.name(), e.messageId);
        XaBranch b = h == null ? null : holds.remove(h);
        if (b != null) {
          ServerChannel.Settle settle = b.holds.remove(h);
          // its stored "delivered" mark is the delivery to the branch: a rollback counts that one
          e.deliveryCount = Math.max(0, e.deliveryCount - 1);
          b.acks.add(new XaBranch.Acked(e, settle));
        } else if (h != null && settleOnSight.remove(h)) {
          e.unhold(); // its row is gone: it never becomes ready
        } else {
          ready.add(e);
        }
      }
      holding = holds.size() + settleOnSight.size();
    }
    return ready;
  }
}
