package io.warrenmq.jms;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.AmqpException;
import java.util.Objects;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The {@link XAResource} of a {@link WarrenXASession}: the X/Open XA calls a transaction manager
 * makes, mapped one to one onto the {@code dtx} methods of the session's {@link AmqpChannel} (and
 * so onto the broker's {@code io.warrenmq.engine.Channel}, whose Javadoc is the full contract). The
 * broker is the resource manager; its branches are the broker's, not the session's.
 *
 * <p>Association: between {@link #start} and {@link #end} the session's sends and the
 * acknowledgements of the messages its consumers hand to the application (when {@code receive}
 * returns a message or {@code onMessage} returns) belong to the branch: a rollback discards the
 * sends and returns the consumed messages to their queues, marked redelivered. Without an
 * association the session behaves as a non-transacted {@code AUTO_ACKNOWLEDGE} session.
 *
 * <p>Completion: {@link #prepare}, {@link #commit}, {@link #rollback}, {@link #recover} and {@link
 * #forget} work for any branch of the broker, from any resource of it. They use the session's
 * channel while it is open and otherwise a control channel of the session's connection, so a
 * transaction can complete after its session was closed (while the connection is open). The branch
 * this resource ended last is completed on the session's channel even after the session was closed,
 * while that channel is open (kept for the connection's next XA session): over the wire its {@code
 * dtx.end} is pipelined, and a call on another channel would wait for the end's answer
 * (docs/protocol-dtx.md, "Pipelined dtx.end").
 *
 * <p>Errors: every method throws {@link XAException} with the X/Open code the engine gives (e.g.
 * {@code XAER_NOTA} for an unknown Xid, {@code XAER_PROTO} for a call out of sequence, {@code
 * XA_RB*} for a branch rolled back); a closed connection or a broker that cannot be reached gives
 * {@code XAER_RMFAIL}, which transaction managers retry later. Over the wire a {@code TMNOFLAGS}
 * start is pipelined when the broker offers it (docs/protocol-dtx.md, "Pipelined dtx.start"): its
 * refusal ({@code XAER_DUPID}, say) is reported as {@code XA_RBROLLBACK} by the next call on the
 * Xid, and a rollback of that Xid then leaves the broker's branch of it, which is not this
 * resource's, alone.
 *
 * <p>Thread-safety: thread-safe; a transaction manager may complete a branch from another thread
 * than the one that started it.
 */
public final class WarrenXAResource implements XAResource {

  private final WarrenSession session;

  /** The branch the session's channel is associated with, or null. */
  private volatile Xid associated;

  /** Set when the session was closed while associated: its channel closes after {@link #end}. */
  private boolean closeAfterEnd;

  /** The branch this resource ended last (see the class comment, "Completion"), or null. */
  private volatile Xid endedLast;

  /** Set by {@link #setTransactionTimeout}, in s; 0 is the broker's default (60 s). */
  private volatile int timeoutSeconds;

  WarrenXAResource(WarrenSession session) {
    this.session = Objects.requireNonNull(session, "session");
  }

  /** Whether the session's channel is associated with a branch (between start and end). */
  boolean inBranch() {
    return associated != null;
  }

  /**
   * Called by the session's close: when a branch is associated, the channel is kept until {@link
   * #end} (so that the transaction manager's end and prepare still work) and true is returned.
   */
  synchronized boolean deferCloseUntilEnd() {
    if (associated == null) {
      return false;
    }
    closeAfterEnd = true;
    return true;
  }

  /**
   * Associates the session with the branch {@code xid} (XA {@code xa_start}).
   *
   * @param flags {@code TMNOFLAGS}, {@code TMJOIN} or {@code TMRESUME}
   * @throws XAException XAER_DUPID, XAER_NOTA, XAER_PROTO, XAER_INVAL, XA_RBTIMEOUT as the engine's
   *     {@code Channel.dtxStart} says (a pipelined start over the wire: later, see the class
   *     comment); XAER_PROTO if this resource is already associated; XAER_INVAL for a null Xid;
   *     XAER_RMFAIL if the session is closed
   */
  @Override
  public synchronized void start(Xid xid, int flags) throws XAException {
    checkXid(xid);
    if (associated != null) {
      throw xa(
          XAException.XAER_PROTO,
          "start: this XAResource is already associated with branch " + describe(associated));
    }
    if (session.isClosed()) {
      throw xa(XAException.XAER_RMFAIL, "start: the session is closed");
    }
    AmqpChannel channel = session.channel();
    call(
        () -> {
          applyTimeout(channel);
          channel.dtxStart(xid, flags);
        },
        "start");
    associated = xid;
  }

  /**
   * Dissociates the session from the branch (XA {@code xa_end}).
   *
   * @param flags {@code TMSUCCESS}, {@code TMFAIL} or {@code TMSUSPEND}
   * @throws XAException XAER_NOTA, XAER_PROTO, XAER_INVAL, XA_RBROLLBACK, XA_RBTIMEOUT as the
   *     engine's {@code Channel.dtxEnd} says; XAER_PROTO if this resource is not associated with
   *     {@code xid}
   */
  @Override
  public synchronized void end(Xid xid, int flags) throws XAException {
    checkXid(xid);
    if (associated == null || !sameXid(associated, xid)) {
      throw xa(
          XAException.XAER_PROTO,
          "end: this XAResource is not associated with branch " + describe(xid));
    }
    try {
      call(() -> session.channel().dtxEnd(xid, flags), "end");
      associated = null;
      endedLast = xid;
    } catch (XAException e) {
      // Only flags the engine refused leave the association for another end: after XA_RB* the
      // engine rolled the branch back and dissociated it, and after XAER_NOTA, XAER_PROTO,
      // XAER_RMERR or XAER_RMFAIL the channel is not associated with it (or its connection is
      // gone), so keeping the association would refuse every later start with XAER_PROTO.
      if (e.errorCode != XAException.XAER_INVAL) {
        associated = null;
      }
      throw e;
    } finally {
      if (associated == null && closeAfterEnd) {
        closeAfterEnd = false;
        session.releaseChannel();
      }
    }
  }

  /**
   * First phase of two-phase commit (XA {@code xa_prepare}).
   *
   * @return {@link #XA_OK}, or {@link #XA_RDONLY} when the branch sent and consumed nothing
   * @throws XAException XAER_NOTA, XAER_PROTO, XA_RB*, XAER_RMERR as the engine says
   */
  @Override
  public int prepare(Xid xid) throws XAException {
    checkXid(xid);
    int[] vote = new int[1];
    onControlChannel(xid, ch -> vote[0] = ch.dtxPrepare(xid), "prepare");
    return vote[0];
  }

  /**
   * Commits the branch (XA {@code xa_commit}).
   *
   * @param onePhase true for a branch that was not prepared
   * @throws XAException XAER_NOTA, XAER_PROTO, XA_RB* (one-phase), XAER_RMERR as the engine says
   */
  @Override
  public void commit(Xid xid, boolean onePhase) throws XAException {
    checkXid(xid);
    onControlChannel(xid, ch -> ch.dtxCommit(xid, onePhase), "commit");
  }

  /**
   * Rolls the branch back (XA {@code xa_rollback}): its sends are discarded and the messages it
   * consumed return to their queues, marked redelivered.
   *
   * @throws XAException XAER_NOTA, XAER_PROTO, XAER_RMERR as the engine says
   */
  @Override
  public void rollback(Xid xid) throws XAException {
    checkXid(xid);
    onControlChannel(xid, ch -> ch.dtxRollback(xid), "rollback");
  }

  /**
   * The broker's prepared branches (XA {@code xa_recover}), including those a restarted broker
   * recovered from its store: the whole list on {@code TMSTARTRSCAN}, nothing on later calls of the
   * scan.
   *
   * @throws XAException XAER_INVAL for flags other than TMSTARTRSCAN, TMENDRSCAN, both or TMNOFLAGS
   */
  @Override
  public Xid[] recover(int flag) throws XAException {
    Xid[][] out = new Xid[1][];
    onControlChannel(null, ch -> out[0] = ch.dtxRecover(flag), "recover");
    return out[0];
  }

  /**
   * Forgets a heuristically completed branch (XA {@code xa_forget}); WarrenMQ makes no heuristic
   * decisions.
   *
   * @throws XAException XAER_NOTA for an unknown Xid, XAER_PROTO otherwise
   */
  @Override
  public void forget(Xid xid) throws XAException {
    checkXid(xid);
    onControlChannel(xid, ch -> ch.dtxForget(xid), "forget");
  }

  /**
   * Sets the timeout, in seconds, of the branches this resource starts from now on; 0 restores the
   * broker's default (60 s). A branch not prepared in time is rolled back by the broker.
   *
   * @return true
   * @throws XAException XAER_INVAL for a negative value; XAER_RMFAIL if the session is closed
   */
  @Override
  public boolean setTransactionTimeout(int seconds) throws XAException {
    if (seconds < 0) {
      throw xa(XAException.XAER_INVAL, "transaction timeout must be >= 0 s, was " + seconds);
    }
    if (session.isClosed()) {
      throw xa(XAException.XAER_RMFAIL, "setTransactionTimeout: the session is closed");
    }
    timeoutSeconds = seconds; // the channel's at the next start (applyTimeout)
    return true;
  }

  /**
   * The timeout, in seconds, of the branches this resource starts.
   *
   * @throws XAException XAER_RMFAIL if the session or its channel is closed
   */
  @Override
  public int getTransactionTimeout() throws XAException {
    if (session.isClosed()) {
      throw xa(XAException.XAER_RMFAIL, "getTransactionTimeout: the session is closed");
    }
    int[] t = new int[1];
    AmqpChannel channel = session.channel();
    call(
        () -> {
          applyTimeout(channel);
          t[0] = channel.dtxGetTimeout();
        },
        "getTransactionTimeout");
    return t[0];
  }

  /**
   * Gives the channel this resource's timeout ({@code dtx.set-timeout}). Applied at each start
   * rather than when set, because the channel may have served an earlier session of the connection
   * ({@link WarrenSession#releaseChannel}) with another timeout; the wire channel skips the round
   * trip when it already has that value.
   */
  private void applyTimeout(AmqpChannel channel) throws XAException {
    channel.dtxSetTimeout(timeoutSeconds);
  }

  /**
   * True only for another {@code WarrenXAResource} whose session's channel reports an equal {@link
   * AmqpChannel#resourceManagerId()}: a session of the same broker instance, whatever its
   * connection. A transaction manager then joins the second resource into the first one's branch
   * ({@code TMJOIN}), which the broker supports. False for any other resource, null included.
   *
   * @throws XAException XAER_RMFAIL if the broker cannot be asked
   */
  @Override
  public boolean isSameRM(XAResource other) throws XAException {
    if (!(other instanceof WarrenXAResource w)) {
      return false;
    }
    if (w == this) {
      return true;
    }
    return resourceManagerId().equals(w.resourceManagerId());
  }

  /**
   * The broker instance this resource belongs to ({@link AmqpChannel#resourceManagerId()}).
   *
   * @throws XAException XAER_RMFAIL if the broker cannot be asked
   */
  String resourceManagerId() throws XAException {
    String[] id = new String[1];
    onControlChannel(null, ch -> id[0] = ch.resourceManagerId(), "isSameRM");
    return id[0];
  }

  /** Work on a channel that may throw XAException. */
  private interface XaWork {
    void run(AmqpChannel channel) throws XAException;
  }

  /** Work that may throw XAException. */
  private interface XaCall {
    void run() throws XAException, jakarta.jms.JMSException;
  }

  /**
   * Runs on the session's channel while the session has it, or for the branch this resource ended
   * last ({@code xid}; null for none) while the channel is open; else on the connection's control
   * channel.
   */
  private void onControlChannel(Xid xid, XaWork work, String doing) throws XAException {
    AmqpChannel ch = session.channel();
    if (xid != null && ch.dtxStartRefused(xid)) {
      // closed, and it alone knows that none of this resource's work is in the broker's branch
      // of that Xid (docs/protocol-dtx.md, "Pipelined dtx.start")
      call(() -> work.run(ch), doing);
      return;
    }
    Xid ended = endedLast;
    boolean ownBranch = xid != null && ended != null && sameXid(ended, xid);
    if ((ownBranch || !session.channelReleased()) && ch.isOpen()) {
      call(() -> work.run(ch), doing);
      return;
    }
    call(() -> session.connection().withControlChannel(doing, work::run), doing);
  }

  /** Runs the call, turning a transport failure into XAER_RMFAIL naming what was done. */
  private static void call(XaCall call, String doing) throws XAException {
    try {
      call.run();
    } catch (AmqpException e) {
      XAException x = xa(XAException.XAER_RMFAIL, doing + ": " + e.getMessage());
      x.initCause(e);
      throw x;
    } catch (jakarta.jms.JMSException e) {
      XAException x = xa(XAException.XAER_RMFAIL, doing + ": " + e.getMessage());
      x.initCause(e);
      throw x;
    }
  }

  private static void checkXid(Xid xid) throws XAException {
    if (xid == null) {
      throw xa(XAException.XAER_INVAL, "the Xid must not be null");
    }
  }

  private static boolean sameXid(Xid a, Xid b) {
    return a.getFormatId() == b.getFormatId()
        && java.util.Arrays.equals(a.getGlobalTransactionId(), b.getGlobalTransactionId())
        && java.util.Arrays.equals(a.getBranchQualifier(), b.getBranchQualifier());
  }

  static XAException xa(int code, String message) {
    XAException e = new XAException(message);
    e.errorCode = code;
    return e;
  }

  private static String describe(Xid xid) {
    return "formatId=" + xid.getFormatId() + " gtrid=" + hex(xid.getGlobalTransactionId());
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < b.length && i < 16; i++) {
      s.append(String.format("%02x", b[i]));
    }
    return b.length > 16 ? s + "..." : s.toString();
  }

  @Override
  public String toString() {
    Xid x = associated;
    return "WarrenXAResource of "
        + session.channel()
        + (x == null ? "" : ", associated with " + describe(x));
  }
}
