package io.warrenmq.jms.internal.wire;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.wire.CommandAssembler.Command;
import io.warrenmq.client.wire.DtxMethods;
import io.warrenmq.client.wire.DtxMethods.WireXid;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;

/**
 * A {@code dtx.end} with {@code TMSUCCESS} that a {@link WireChannel} sent without waiting for its
 * answer, and that answer once it comes (docs/protocol-dtx.md, "Pipelined dtx.end").
 *
 * <p>Why: a transaction manager ends a branch and at once prepares or commits it (Narayana's
 * one-phase commit of an MDB delivery or of a producer EJB's send is {@code end} then {@code
 * commit(onePhase)} on the same resource). Waiting for {@code dtx.end-ok} first costs a round trip
 * per transaction for an answer that is almost always {@code XA_OK}. The broker runs a channel's
 * commands in order, so the {@code dtx.commit} sent right behind the end finds the branch ended.
 *
 * <p>What the caller sees (X/Open XA, {@code xa_end}, {@code xa_prepare}, {@code xa_commit}):
 * {@link javax.transaction.xa.XAResource#end} returns at once; an error the broker gives for the
 * end ({@code XA_RB*} for a branch it rolled back, {@code XAER_NOTA}, {@code XAER_RMFAIL}) is
 * thrown by the next call on the same Xid through the same channel ({@code prepare}, {@code
 * commit}, {@code rollback}, {@code forget}), each of which may return these codes, and the broker,
 * having refused the end, refuses that call too: a branch whose end failed is never committed. A
 * call on the same Xid through another channel of this JVM (another session's resource, a
 * connection's control channel, a {@code TMJOIN}) first waits for the end's answer, so the broker
 * never sees it before the end. Another JVM has no channel of this one's branch to race with.
 *
 * <p>An end whose connection was lost before its answer came is <em>lost</em>: the broker may have
 * ended the branch, or closed the channel first (which also ends the association, keeping the work
 * that had arrived, docs/protocol-dtx.md section 5), so the branch may miss sends that were in
 * flight. It stays registered until a call on its Xid through another channel (a reconnected one):
 * a {@code prepare} or {@code commit} there does not complete the branch but rolls it back and
 * throws {@code XA_RBCOMMFAIL}, or {@code XAER_NOTA} if the broker no longer knows it (it committed
 * or rolled it back before the loss; but {@code XA_RBCOMMFAIL} again when the branch's start was
 * pipelined as well, which the broker then may never have received); a {@code rollback} or {@code
 * forget} runs as asked.
 *
 * <p>Thread-safety: thread-safe. The answer is completed on the connection's event loop; {@link
 * #awaitAnother} and {@link #failure} are called by application threads.
 */
final class DeferredEnd {
  private static final System.Logger LOG = System.getLogger(DeferredEnd.class.getName());

  /** The deferred ends of this JVM without an answer yet, or lost, by Xid. */
  private static final Map<WireXid, DeferredEnd> UNANSWERED = new ConcurrentHashMap<>();

  private final WireXid xid;
  private final String channel;
  private final boolean startPipelined;
  private final CompletableFuture<Command> answer = new CompletableFuture<>();

  private DeferredEnd(WireXid xid, String channel, boolean startPipelined) {
    this.xid = xid;
    this.channel = channel;
    this.startPipelined = startPipelined;
  }

  /**
   * A deferred end of {@code xid} on {@code channel} (named in errors), registered for {@link
   * #awaitAnother} until its answer comes.
   *
   * @param startPipelined whether the branch's start on that channel was sent without waiting
   *     (docs/protocol-dtx.md, "Pipelined dtx.start"): if this end is lost, the start may be too
   */
  static DeferredEnd of(WireXid xid, String channel, boolean startPipelined) {
    DeferredEnd d = new DeferredEnd(xid, channel, startPipelined);
    UNANSWERED.put(xid, d);
    d.answer.whenComplete(
        (c, e) -> {
          if (e == null) {
            UNANSWERED.remove(xid, d); // a lost one stays until a call on its Xid
          }
        });
    return d;
  }

  /**
   * Before a call on {@code xid} through a channel other than {@code own}'s: waits for the answer
   * of another channel's deferred end of that Xid, if one is unanswered, at most {@code timeoutMs},
   * and returns it if it was lost (then no longer registered), else null. An answered end's outcome
   * is not reported here: the broker answers the call itself with the branch's state.
   */
  static DeferredEnd awaitAnother(WireXid xid, DeferredEnd own, long timeoutMs) {
    DeferredEnd d = UNANSWERED.get(xid);
    if (d == null || d == own) {
      return null;
    }
    d.awaitQuietly(timeoutMs);
    if (d.lost()) {
      UNANSWERED.remove(xid, d);
      return d;
    }
    return null;
  }

  /** Whether the channel or connection closed, or the wait timed out, before the answer came. */
  boolean lost() {
    return answer.isCompletedExceptionally();
  }

  /**
   * Whether the branch's start on this end's channel was pipelined: a lost end's branch that the
   * broker does not know was then never started (its start was lost too), not completed.
   */
  boolean startPipelined() {
    return startPipelined;
  }

  /** The channel it was sent on, for messages. */
  String channel() {
    return channel;
  }

  /** Whether this end is of {@code other}. */
  boolean isOf(WireXid other) {
    return xid.equals(other);
  }

  /** Whether the answer has not come yet (the channel's next reply is this end's). */
  boolean unanswered() {
    return !answer.isDone();
  }

  /** The broker's answer (called on the event loop). */
  void answered(Command c) {
    answer.complete(c);
  }

  /** The channel closed before the answer came. */
  void failed(AmqpException cause) {
    answer.completeExceptionally(cause);
  }

  /** Waits for the answer, at most {@code timeoutMs}, as {@link #failure}, and only logs it. */
  void awaitQuietly(long timeoutMs) {
    XAException f = failure(timeoutMs);
    if (f != null) {
      LOG.log(System.Logger.Level.DEBUG, "deferred dtx.end on {0}: {1}", channel, f.getMessage());
    }
  }

  /**
   * The end's failure, once its answer came (waits at most {@code timeoutMs}), or null if the
   * broker ended the association ({@code XA_OK}).
   *
   * @return an XAException with the broker's code, or {@code XAER_RMFAIL} when the channel or
   *     connection closed or no answer came in time
   */
  XAException failure(long timeoutMs) {
    Command c;
    try {
      c = answer.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return rmfail("interrupted while waiting for it", e);
    } catch (ExecutionException e) {
      return rmfail(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      answer.completeExceptionally(e); // lost: a late answer goes to nobody
      return rmfail("no answer within " + timeoutMs + " ms", e);
    }
    if (!(c.method() instanceof DtxMethods.Result r)) {
      return rmfail("answered with " + c.method().id().spec(), null);
    }
    if (r.xaCode() == XAResource.XA_OK) {
      return null;
    }
    XAException x = new XAException("dtx.end (pipelined): " + r.xaText());
    x.errorCode = r.xaCode();
    return x;
  }

  private XAException rmfail(String why, Throwable cause) {
    XAException x = new XAException("dtx.end (pipelined) on " + channel + " failed: " + why);
    x.errorCode = XAException.XAER_RMFAIL;
    if (cause != null) {
      x.initCause(cause);
    }
    return x;
  }
}
