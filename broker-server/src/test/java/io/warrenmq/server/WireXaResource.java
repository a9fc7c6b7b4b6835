package io.warrenmq.server;

import io.warrenmq.client.wire.AmqpMethod;
import io.warrenmq.client.wire.DtxMethods;
import io.warrenmq.client.wire.DtxMethods.WireXid;
import io.warrenmq.client.wire.MethodId;
import io.warrenmq.client.wire.NoArguments;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * What a remote {@link XAResource} does with WarrenMQ's dtx class (docs/protocol-dtx.md, "A
 * client's XAResource"), in the few lines it takes: {@code dtx.select} once, one request and its
 * {@code -ok} per XA call, an {@link XAException} with the reply's {@code xa-code} as its {@code
 * errorCode} and {@code xa-text} as its message when the code is not a success, and a recovery scan
 * that asks again while the reply says {@code more}.
 *
 * <p>A test helper on {@link RawAmqpClient}; not thread-safe.
 */
final class WireXaResource implements XAResource {
  private final RawAmqpClient client;
  private final int channel;
  private final String resourceManagerId;

  /** Puts {@code channel} (open) in dtx mode. */
  WireXaResource(RawAmqpClient client, int channel) throws IOException {
    this.client = client;
    this.channel = channel;
    AmqpMethod ok = client.call(channel, new NoArguments(MethodId.DTX_SELECT));
    if (!(ok instanceof DtxMethods.SelectOk s)) {
      throw new IOException("dtx.select answered " + ok);
    }
    resourceManagerId = s.resourceManagerId();
  }

  String resourceManagerId() {
    return resourceManagerId;
  }

  @Override
  public void start(Xid xid, int flags) throws XAException {
    result(new DtxMethods.Association(MethodId.DTX_START, WireXid.of(xid), flags));
  }

  @Override
  public void end(Xid xid, int flags) throws XAException {
    result(new DtxMethods.Association(MethodId.DTX_END, WireXid.of(xid), flags));
  }

  @Override
  public int prepare(Xid xid) throws XAException {
    return result(new DtxMethods.Branch(MethodId.DTX_PREPARE, WireXid.of(xid)));
  }

  @Override
  public void commit(Xid xid, boolean onePhase) throws XAException {
    result(new DtxMethods.Commit(WireXid.of(xid), onePhase));
  }

  @Override
  public void rollback(Xid xid) throws XAException {
    result(new DtxMethods.Branch(MethodId.DTX_ROLLBACK, WireXid.of(xid)));
  }

  @Override
  public void forget(Xid xid) throws XAException {
    result(new DtxMethods.Branch(MethodId.DTX_FORGET, WireXid.of(xid)));
  }

  @Override
  public Xid[] recover(int flags) throws XAException {
    List<Xid> all = new ArrayList<>();
    DtxMethods.RecoverOk page = recoverPage(flags);
    all.addAll(page.xids());
    while (page.more()) {
      page = recoverPage(flags & TMENDRSCAN);
      all.addAll(page.xids());
    }
    return all.toArray(new Xid[0]);
  }

  /** One {@code dtx.recover} round trip. */
  DtxMethods.RecoverOk recoverPage(int flags) throws XAException {
    DtxMethods.RecoverOk ok = (DtxMethods.RecoverOk) call(new DtxMethods.Recover(flags));
    check(ok.xaCode(), ok.xaText());
    return ok;
  }

  @Override
  public boolean setTransactionTimeout(int seconds) throws XAException {
    result(new DtxMethods.SetTimeout(seconds));
    return true;
  }

  @Override
  public int getTransactionTimeout() throws XAException {
    DtxMethods.GetTimeoutOk ok =
        (DtxMethods.GetTimeoutOk) call(new NoArguments(MethodId.DTX_GET_TIMEOUT));
    check(ok.xaCode(), ok.xaText());
    return ok.seconds();
  }

  @Override
  public boolean isSameRM(XAResource other) {
    return other instanceof WireXaResource w && w.resourceManagerId.equals(resourceManagerId);
  }

  private int result(AmqpMethod request) throws XAException {
    AmqpMethod reply = call(request);
    if (!(reply instanceof DtxMethods.Result r)) {
      throw rmfail(request.id().spec() + " answered " + reply);
    }
    check(r.xaCode(), r.xaText());
    return r.xaCode();
  }

  private AmqpMethod call(AmqpMethod request) throws XAException {
    try {
      return client.call(channel, request);
    } catch (IOException e) {
      throw (XAException) rmfail(request.id().spec() + " failed: " + e).initCause(e);
    }
  }

  /** XA_OK and XA_RDONLY are results; every other code is the XAException the broker threw. */
  private static void check(int code, String text) throws XAException {
    if (code == XA_OK || code == XA_RDONLY) {
      return;
    }
    XAException e = new XAException(text);
    e.errorCode = code;
    throw e;
  }

  private static XAException rmfail(String message) {
    XAException e = new XAException(message);
    e.errorCode = XAException.XAER_RMFAIL;
    return e;
  }
}
