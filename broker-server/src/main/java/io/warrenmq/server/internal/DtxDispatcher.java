package io.warrenmq.server.internal;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.wire.AmqpMethod;
import io.warrenmq.client.wire.DtxMethods;
import io.warrenmq.client.wire.DtxMethods.WireXid;
import io.warrenmq.client.wire.Frame;
import io.warrenmq.client.wire.MethodId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * One wire channel's side of WarrenMQ's XA extension (class {@code dtx}, docs/protocol-dtx.md): its
 * dtx mode and its recovery scan, and the mapping of each dtx method onto the engine's {@link
 * io.warrenmq.client.AmqpChannel} {@code dtx*} calls, whose Javadoc is the semantics.
 *
 * <p>Results: every dtx method but {@code dtx.select} and a {@code dtx.start} with {@code no-wait}
 * is answered by its {@code -ok}, which carries the XA return code: {@code XA_OK}, {@code
 * XA_RDONLY} from prepare, or the {@link XAException#errorCode} the engine threw, with its message.
 * The channel stays open after an XA error (an XA error is an outcome the transaction manager acts
 * on, as {@code XAResource} throws it, not a protocol error); a refused {@code no-wait} start is a
 * channel error instead ({@link #startNoWait}). A dtx method other than {@code dtx.select} on a
 * channel that is not in dtx mode is a channel error, 406 PRECONDITION_FAILED, as RabbitMQ answers
 * {@code tx.commit} without {@code tx.select}.
 *
 * <p>Recovery scan: {@code dtx.recover} with {@code TMSTARTRSCAN} takes the broker's prepared Xids
 * and replies with as many as fit in one frame of the negotiated {@code frame_max} (an AMQP method
 * cannot span frames), with {@code more} set when some are left; {@code TMNOFLAGS} or {@code
 * TMENDRSCAN} continue from there, and the scan closes with the reply to a {@code TMENDRSCAN} that
 * holds its last Xid. This is X/Open XA's {@code xa_recover} cursor with the frame as its count,
 * except that {@code TMENDRSCAN} never drops Xids not yet sent, so that a Java {@code
 * XAResource.recover(TMSTARTRSCAN | TMENDRSCAN)} can return them all.
 *
 * <p>Thread-safety: used by its channel's command queue only (one thread at a time).
 */
final class DtxDispatcher {
  private static final System.Logger LOG = System.getLogger(DtxDispatcher.class.getName());

  private final int number;
  private final io.warrenmq.engine.Channel engine;
  private final FrameSink out;
  private boolean selected;

  /** The open recovery scan, or null, and the position of its next Xid. */
  private Xid[] scan;

  private int scanPosition;

  DtxDispatcher(int number, io.warrenmq.engine.Channel engine, FrameSink out) {
    this.number = number;
    this.engine = engine;
    this.out = out;
  }

  /** Whether {@code dtx.select} was accepted on this channel. */
  boolean selected() {
    return selected;
  }

  /** {@code dtx.select}: dtx mode from now on (idempotent); replies with the resource manager. */
  void select() {
    selected = true;
    out.method(number, new DtxMethods.SelectOk(engine.resourceManagerId()));
  }

  /**
   * Runs one dtx method other than {@code dtx.select} and {@code dtx.commit} and writes its {@code
   * -ok}.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED when the channel is not in dtx mode
   */
  void dispatch(AmqpMethod m) {
    MethodId ok = okOf(m.id());
    requireSelected();
    if (m instanceof DtxMethods.Association a && a.noWait()) {
      startNoWait(a);
      return;
    }
    AmqpMethod reply;
    try {
      reply = run(m, ok);
    } catch (XAException e) {
      reply = failed(m.id(), ok, e);
    }
    out.method(number, reply);
  }

  /**
   * {@code dtx.commit}: hands the branch to the store without waiting for it and writes {@code
   * dtx.commit-ok} when the store holds the commit (fsynced under a durable store), from the thread
   * that completes it (the store's writer), or at once for an XA error found before the store. No
   * thread waits for the store meanwhile: a connection's MDB sessions each wait for their commit,
   * and each used to park a command thread on it, handed over to and back from.
   *
   * @return the stage that completes once the answer is written (the channel's next commands wait
   *     for it), or null when it was written at once
   * @throws AmqpException 406 PRECONDITION_FAILED when the channel is not in dtx mode
   */
  CompletionStage<?> commit(DtxMethods.Commit c) {
    requireSelected();
    CompletionStage<Void> stored;
    try {
      stored = engine.dtxCommitAsync(checked(c.xid()), c.onePhase());
    } catch (XAException e) {
      out.method(number, failed(c.id(), MethodId.DTX_COMMIT_OK, e));
      return null;
    }
    return stored.handle(
        (ok, failure) -> {
          out.method(
              number,
              failure == null
                  ? new DtxMethods.Result(MethodId.DTX_COMMIT_OK, XAResource.XA_OK, "")
                  : failed(c.id(), MethodId.DTX_COMMIT_OK, xaFailure(failure)));
          return null;
        });
  }

  /**
   * {@code dtx.start} with {@code no-wait} (docs/protocol-dtx.md, "Pipelined dtx.start"): nothing
   * is written when the branch starts. A refusal is a channel error, as AMQP 0-9-1 answers a failed
   * {@code no-wait} method: 406 PRECONDITION_FAILED naming the XA code, so that the commands the
   * client sent behind the start (publishes, acks) are discarded with the closing channel instead
   * of running outside the branch.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED when the start is refused
   */
  private void startNoWait(DtxMethods.Association a) {
    try {
      engine.dtxStart(checked(a.xid()), a.flags());
    } catch (XAException e) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED,
          "dtx.start (no-wait) refused with XA code " + codeOf(e) + ": " + textOf(e));
    }
  }

  private void requireSelected() {
    if (!selected) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED, "channel is not in dtx mode; send dtx.select first");
    }
  }

  /** The {@code -ok} that carries an XA error, logged at DEBUG. */
  private AmqpMethod failed(MethodId request, MethodId ok, XAException e) {
    int code = codeOf(e);
    String text = textOf(e);
    LOG.log(
        System.Logger.Level.DEBUG,
        "{0} on channel {1} answered XA code {2}: {3}",
        request.spec(),
        number,
        code,
        text);
    return ok == MethodId.DTX_RECOVER_OK
        ? new DtxMethods.RecoverOk(code, text, List.of(), false)
        : new DtxMethods.Result(ok, code, text);
  }

  /** The XA code an answer carries for {@code e}: its own, or XAER_RMERR if it has none. */
  private static int codeOf(XAException e) {
    return e.errorCode == XAResource.XA_OK ? XAException.XAER_RMERR : e.errorCode;
  }

  /** The text an answer carries for {@code e}: its message, or one naming its code. */
  private static String textOf(XAException e) {
    return e.getMessage() == null ? "XA error " + codeOf(e) : e.getMessage();
  }

  /** The XAException a failed commit stage carries (XAER_RMERR for anything else). */
  private static XAException xaFailure(Throwable failure) {
    Throwable t =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (t instanceof XAException x) {
      return x;
    }
    XAException x = new XAException("dtx.commit failed: " + t);
    x.errorCode = XAException.XAER_RMERR;
    x.initCause(t);
    return x;
  }

  private AmqpMethod run(AmqpMethod m, MethodId ok) throws XAException {
    switch (m.id()) {
      case DTX_START -> {
        DtxMethods.Association a = (DtxMethods.Association) m;
        engine.dtxStart(checked(a.xid()), a.flags());
      }
      case DTX_END -> {
        DtxMethods.Association a = (DtxMethods.Association) m;
        engine.dtxEnd(checked(a.xid()), a.flags());
      }
      case DTX_PREPARE -> {
        int vote = engine.dtxPrepare(checked(((DtxMethods.Branch) m).xid()));
        return new DtxMethods.Result(ok, vote, "");
      }
      case DTX_ROLLBACK -> engine.dtxRollback(checked(((DtxMethods.Branch) m).xid()));
      case DTX_FORGET -> engine.dtxForget(checked(((DtxMethods.Branch) m).xid()));
      case DTX_RECOVER -> {
        return recover(((DtxMethods.Recover) m).flags());
      }
      case DTX_SET_TIMEOUT -> engine.dtxSetTimeout(((DtxMethods.SetTimeout) m).seconds());
      case DTX_GET_TIMEOUT -> {
        return new DtxMethods.GetTimeoutOk(XAResource.XA_OK, "", engine.dtxGetTimeout());
      }
      default -> throw new IllegalArgumentException(m.id().spec() + " is not a dtx request");
    }
    return new DtxMethods.Result(ok, XAResource.XA_OK, "");
  }

  /** One page of the recovery scan; see the class comment. */
  private DtxMethods.RecoverOk recover(int flags) throws XAException {
    Xid[] listed = engine.dtxRecover(flags); // checks the flags: XAER_INVAL
    if ((flags & XAResource.TMSTARTRSCAN) != 0) {
      scan = listed;
      scanPosition = 0;
    }
    List<WireXid> page = new ArrayList<>();
    boolean more = false;
    if (scan != null) {
      long room = out.frameMax() - Frame.OVERHEAD - 4 - DtxMethods.RecoverOk.EMPTY_SIZE;
      while (scanPosition < scan.length) {
        WireXid x = WireXid.of(scan[scanPosition]);
        int size = DtxMethods.RecoverOk.sizeOf(x);
        if (size > room) {
          break;
        }
        room -= size;
        page.add(x);
        scanPosition++;
      }
      more = scanPosition < scan.length;
    }
    if ((flags & XAResource.TMENDRSCAN) != 0 && !more) {
      scan = null;
    }
    return new DtxMethods.RecoverOk(XAResource.XA_OK, "", page, more);
  }

  /**
   * The Xid, if X/Open XA allows it: a format id other than -1 (the null Xid) and parts of at most
   * 64 bytes. The engine refuses the rest too; this names exactly what is wrong.
   */
  private static Xid checked(WireXid xid) throws XAException {
    String wrong = xid.invalidity();
    if (wrong != null) {
      XAException e = new XAException("invalid Xid: " + wrong + " (XAER_INVAL)");
      e.errorCode = XAException.XAER_INVAL;
      throw e;
    }
    return xid;
  }

  private static MethodId okOf(MethodId request) {
    return switch (request) {
      case DTX_START -> MethodId.DTX_START_OK;
      case DTX_END -> MethodId.DTX_END_OK;
      case DTX_PREPARE -> MethodId.DTX_PREPARE_OK;
      case DTX_COMMIT -> MethodId.DTX_COMMIT_OK;
      case DTX_ROLLBACK -> MethodId.DTX_ROLLBACK_OK;
      case DTX_RECOVER -> MethodId.DTX_RECOVER_OK;
      case DTX_FORGET -> MethodId.DTX_FORGET_OK;
      case DTX_SET_TIMEOUT -> MethodId.DTX_SET_TIMEOUT_OK;
      case DTX_GET_TIMEOUT -> MethodId.DTX_GET_TIMEOUT_OK;
      default ->
          throw new AmqpException(
              ReplyCode.COMMAND_INVALID, request.spec() + " is not a method a client sends");
    };
  }
}
