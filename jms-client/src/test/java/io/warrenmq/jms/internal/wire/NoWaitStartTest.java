package io.warrenmq.jms.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.wire.DtxMethods.WireXid;
import io.warrenmq.client.wire.MethodId;
import java.nio.charset.StandardCharsets;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.Test;

/**
 * {@link NoWaitStart} alone: which {@code channel.close} counts as the refusal of a pipelined
 * {@code dtx.start} (docs/protocol-dtx.md, "Pipelined dtx.start"), and what each call on the Xid
 * answers afterwards (X/Open XA: {@code XA_RBROLLBACK} for {@code xa_end}, {@code xa_prepare} and
 * {@code xa_commit}; nothing to do for {@code xa_rollback} and {@code xa_forget}). The wire
 * behaviour is covered by {@code PipelinedDtxStartOverWireTest}.
 */
class NoWaitStartTest {
  private static final WireXid XID = xid("g1", "b1");
  private static final WireXid OTHER = xid("g1", "b2");
  private static final int DTX = MethodId.DTX_START.classId();
  private static final int START = MethodId.DTX_START.methodId();

  private static WireXid xid(String global, String branch) {
    return new WireXid(
        4711,
        global.getBytes(StandardCharsets.US_ASCII),
        branch.getBytes(StandardCharsets.US_ASCII));
  }

  /** A no-wait start of {@link #XID} sent on {@code channel} and refused with {@code why}. */
  private static NoWaitStart refused(String channel, String why) {
    NoWaitStart s = new NoWaitStart();
    s.sending(XID);
    s.refusedOnClose(DTX, START, channel, why);
    return s;
  }

  @Test
  void aCloseNamingDtxStartRefusesTheLastNoWaitStartSent() {
    NoWaitStart s = new NoWaitStart();
    s.sending(OTHER);
    s.sending(XID);
    assertTrue(s.lastSentIs(XID));
    assertFalse(s.lastSentIs(OTHER));

    assertEquals(XID, s.refusedOnClose(DTX, START, "WireChannel[1]", "NOT_ALLOWED - busy"));
    assertTrue(s.isRefused(XID));
    assertFalse(s.isRefused(OTHER), "only the last start sent was refused");
  }

  @Test
  void aCloseNamingAnotherMethodOrComingBeforeAnyNoWaitStartRefusesNothing() {
    NoWaitStart s = new NoWaitStart();
    assertNull(s.refusedOnClose(DTX, START, "WireChannel[1]", "no start was sent"));
    s.sending(XID);
    assertNull(
        s.refusedOnClose(
            MethodId.DTX_END.classId(), MethodId.DTX_END.methodId(), "WireChannel[1]", "end"));
    assertNull(
        s.refusedOnClose(
            MethodId.BASIC_PUBLISH.classId(),
            MethodId.BASIC_PUBLISH.methodId(),
            "WireChannel[1]",
            "NOT_FOUND - no exchange"));
    assertFalse(s.isRefused(XID));
  }

  @Test
  void endPrepareAndCommitOfARefusedStartThrowRolledBackNamingTheChannelAndTheReason() {
    NoWaitStart s = refused("WireChannel[3 of c1]", "PRECONDITION_FAILED - duplicate xid");
    for (MethodId asked :
        new MethodId[] {MethodId.DTX_END, MethodId.DTX_PREPARE, MethodId.DTX_COMMIT}) {
      XAException x = assertThrows(XAException.class, () -> s.answer(XID, asked, null));
      assertEquals(XAException.XA_RBROLLBACK, x.errorCode, asked.spec());
      assertTrue(x.getMessage().startsWith(asked.spec() + ":"), x.getMessage());
      assertTrue(x.getMessage().contains("WireChannel[3 of c1]"), x.getMessage());
      assertTrue(x.getMessage().contains("duplicate xid"), x.getMessage());
    }
  }

  @Test
  void rollbackAndForgetOfARefusedStartHaveNothingLeftToDo() throws XAException {
    NoWaitStart s = refused("WireChannel[1]", "refused");
    XAException lostChannel = rmfail();
    assertEquals(XAResource.XA_OK, s.answer(XID, MethodId.DTX_ROLLBACK, lostChannel));
    assertEquals(XAResource.XA_OK, s.answer(XID, MethodId.DTX_FORGET, null));
  }

  @Test
  void theFailureOfTheCallItselfIsKeptAsSuppressedUnlessItAlreadySaysRolledBack() {
    NoWaitStart s = refused("WireChannel[1]", "refused");
    XAException lostChannel = rmfail();
    XAException x =
        assertThrows(XAException.class, () -> s.answer(XID, MethodId.DTX_COMMIT, lostChannel));
    assertEquals(XAException.XA_RBROLLBACK, x.errorCode);
    assertSame(lostChannel, x.getSuppressed()[0]);

    XAException rolledBack = new XAException("rolled back");
    rolledBack.errorCode = XAException.XA_RBROLLBACK;
    x = assertThrows(XAException.class, () -> s.answer(XID, MethodId.DTX_COMMIT, rolledBack));
    assertEquals(0, x.getSuppressed().length);
  }

  @Test
  void anotherXidGetsItsOwnFailureOrXaOk() throws XAException {
    NoWaitStart s = refused("WireChannel[1]", "refused");
    XAException lostChannel = rmfail();
    assertSame(
        lostChannel,
        assertThrows(XAException.class, () -> s.answer(OTHER, MethodId.DTX_COMMIT, lostChannel)));
    assertEquals(XAResource.XA_OK, s.answer(OTHER, MethodId.DTX_END, null));
  }

  private static XAException rmfail() {
    XAException x = new XAException("the channel closed");
    x.errorCode = XAException.XAER_RMFAIL;
    return x;
  }
}
