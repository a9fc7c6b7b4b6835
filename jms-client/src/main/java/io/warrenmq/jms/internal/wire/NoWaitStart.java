package io.warrenmq.jms.internal.wire;

import io.warrenmq.client.wire.DtxMethods.WireXid;
import io.warrenmq.client.wire.MethodId;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;

/**
 * The last {@code dtx.start} a {@link WireChannel} sent with {@code no-wait}, and the broker's
 * refusal of it (docs/protocol-dtx.md, "Pipelined dtx.start").
 *
 * <p>Why: a pipelined start gets no answer when it succeeds. When the broker refuses it, it closes
 * the channel with a {@code channel.close} whose failing method is {@code dtx.start} (class 200,
 * method 20) and discards every command sent behind the start. The channel records the refusal
 * here, and the calls on that Xid then answer from it instead of from the broker, which no longer
 * has this channel's work in the branch: {@code end}, {@code prepare} and {@code commit} throw
 * {@code XA_RBROLLBACK} (X/Open XA lets {@code xa_end}, {@code xa_prepare} and {@code xa_commit}
 * return it for a branch rolled back); {@code rollback} and {@code forget} succeed, having nothing
 * left to do.
 *
 * <p>Thread-safety: thread-safe. {@link #sending} is called by the thread that sends the start,
 * {@link #refusedOnClose} on the connection's event loop, the other methods by application threads;
 * the fields are volatile and each is replaced whole.
 */
final class NoWaitStart {
  /** A refused start: its Xid, the channel it was sent on, and the broker's reply text. */
  private record Refusal(WireXid xid, String channel, String why) {
    XAException rolledBack(MethodId asked) {
      XAException x =
          new XAException(
              asked.spec()
                  + ": the broker refused the dtx.start of this branch on "
                  + channel
                  + " and discarded the work sent behind it: "
                  + why);
      x.errorCode = XAException.XA_RBROLLBACK;
      return x;
    }
  }

  /** The Xid of the last start sent with {@code no-wait}, or null. */
  private volatile WireXid sent;

  /** The refusal of a start of this channel, or null. */
  private volatile Refusal refusal;

  /**
   * Records a no-wait start of {@code xid}; call it before the send, as the refusal may come at
   * once.
   */
  void sending(WireXid xid) {
    sent = xid;
  }

  /** Whether the last no-wait start sent on this channel is one of {@code xid}. */
  boolean lastSentIs(WireXid xid) {
    return xid.equals(sent);
  }

  /**
   * Called with the broker's {@code channel.close}: if it names {@code dtx.start} as the failing
   * method and a no-wait start was sent, records the refusal of that start.
   *
   * @param failingClassId the close's {@code class-id}
   * @param failingMethodId the close's {@code method-id}
   * @param channel names the channel in the errors thrown later (its {@code toString})
   * @param why the close's reply, as the errors should quote it
   * @return the Xid whose start was refused, or null if the close refused no start
   */
  WireXid refusedOnClose(int failingClassId, int failingMethodId, String channel, String why) {
    WireXid xid = sent;
    if (xid == null
        || failingClassId != MethodId.DTX_START.classId()
        || failingMethodId != MethodId.DTX_START.methodId()) {
      return null;
    }
    refusal = new Refusal(xid, channel, why);
    return xid;
  }

  /** Whether the broker refused this channel's no-wait start of {@code xid}. */
  boolean isRefused(WireXid xid) {
    return refusalOf(xid) != null;
  }

  private Refusal refusalOf(WireXid xid) {
    Refusal r = refusal;
    return r != null && r.xid().equals(xid) ? r : null;
  }

  /**
   * What a call on {@code xid} answers. If the broker refused this channel's no-wait start of
   * {@code xid}: {@code XA_OK} for a {@code rollback} or {@code forget}, else throws {@code
   * XA_RBROLLBACK} naming the channel and the broker's reason, with {@code failure} suppressed when
   * it says something else. If it did not: rethrows {@code failure}, or returns {@code XA_OK} when
   * there is none.
   *
   * @param asked the dtx method the caller asked for
   * @param failure what the call itself failed with (the channel may have closed under it because
   *     of the refusal), or null
   * @throws XAException as described
   */
  int answer(WireXid xid, MethodId asked, XAException failure) throws XAException {
    Refusal r = refusalOf(xid);
    if (r == null) {
      if (failure != null) {
        throw failure;
      }
      return XAResource.XA_OK;
    }
    if (asked == MethodId.DTX_ROLLBACK || asked == MethodId.DTX_FORGET) {
      return XAResource.XA_OK;
    }
    XAException x = r.rolledBack(asked);
    if (failure != null && failure.errorCode != XAException.XA_RBROLLBACK) {
      x.addSuppressed(failure);
    }
    throw x;
  }
}
