package io.warrenmq.client.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.wire.DtxMethods.WireXid;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec of WarrenMQ's XA extension class dtx, byte for byte as docs/protocol-dtx.md specifies
 * it: class id 200, method ids, field order and AMQP domains, signed values in {@code long}.
 */
class DtxMethodsTest {
  static final WireXid XID = new WireXid(0x5741, new byte[] {'g', '1'}, new byte[] {'b'});

  /** dtx.start's class and method ids and {@link #XID}, in hex: its payload before the flags. */
  private static final String START_OF_XID =
      "00c8" + "0014" + "00005741" + "00000002" + "6731" + "00000001" + "62";

  static Stream<AmqpMethod> everyDtxMethod() {
    return Stream.of(
        new NoArguments(MethodId.DTX_SELECT),
        new DtxMethods.SelectOk("7f0c-rm"),
        new DtxMethods.Association(MethodId.DTX_START, XID, XAResource.TMJOIN),
        new DtxMethods.Association(MethodId.DTX_START, XID, XAResource.TMNOFLAGS, true),
        new DtxMethods.Result(MethodId.DTX_START_OK, XAResource.XA_OK, ""),
        new DtxMethods.Association(MethodId.DTX_END, XID, XAResource.TMSUSPEND),
        new DtxMethods.Result(MethodId.DTX_END_OK, XAException.XA_RBTIMEOUT, "timed out"),
        new DtxMethods.Branch(MethodId.DTX_PREPARE, XID),
        new DtxMethods.Result(MethodId.DTX_PREPARE_OK, XAResource.XA_RDONLY, ""),
        new DtxMethods.Commit(XID, true),
        new DtxMethods.Result(MethodId.DTX_COMMIT_OK, XAException.XAER_NOTA, "unknown"),
        new DtxMethods.Branch(MethodId.DTX_ROLLBACK, XID),
        new DtxMethods.Result(MethodId.DTX_ROLLBACK_OK, XAException.XAER_PROTO, "associated"),
        new DtxMethods.Recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN),
        new DtxMethods.RecoverOk(
            XAResource.XA_OK, "", List.of(XID, new WireXid(-2, new byte[64], new byte[0])), true),
        new DtxMethods.Branch(MethodId.DTX_FORGET, XID),
        new DtxMethods.Result(MethodId.DTX_FORGET_OK, XAException.XAER_DUPID, "dup"),
        new DtxMethods.SetTimeout(-1),
        new DtxMethods.Result(MethodId.DTX_SET_TIMEOUT_OK, XAException.XAER_INVAL, "negative"),
        new NoArguments(MethodId.DTX_GET_TIMEOUT),
        new DtxMethods.GetTimeoutOk(XAResource.XA_OK, "", 60));
  }

  private static byte[] encode(AmqpMethod m) {
    ByteBuf buf = Unpooled.buffer();
    MethodCodec.encode(m, buf);
    return ByteBufUtil.getBytes(buf);
  }

  @ParameterizedTest
  @MethodSource("everyDtxMethod")
  void everyDtxMethodDecodesToWhatWasEncoded(AmqpMethod m) {
    AmqpMethod decoded = MethodCodec.decode(Unpooled.wrappedBuffer(encode(m)));
    assertEquals(m, decoded);
    assertEquals(DtxMethods.CLASS_ID, decoded.id().classId());
  }

  @Test
  void everyDtxMethodIdIsCoveredAndRequestsAreEvenRepliesOdd() {
    Set<MethodId> covered =
        everyDtxMethod()
            .map(AmqpMethod::id)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(MethodId.class)));
    Set<MethodId> dtx = EnumSet.noneOf(MethodId.class);
    for (MethodId id : MethodId.values()) {
      if (id.classId() == DtxMethods.CLASS_ID) {
        dtx.add(id);
        assertEquals(id.spec().endsWith("-ok"), id.methodId() % 2 == 1, id.spec());
      }
    }
    assertEquals(dtx, covered);
    assertEquals(20, dtx.size());
  }

  @Test
  void dtxStartIsLaidOutAsTheSpecificationPageShowsIt() {
    // docs/protocol-dtx.md, "Example": class 200, method 20, format-id 0x5741, global-id "g1",
    // branch-qualifier "b", flags TMJOIN (0x00200000)
    assertEquals(
        START_OF_XID + "00200000",
        HexFormat.of()
            .formatHex(
                encode(new DtxMethods.Association(MethodId.DTX_START, XID, XAResource.TMJOIN))));
  }

  @Test
  void aNoWaitDtxStartAddsOneOctetWithBitZeroSet() {
    // docs/protocol-dtx.md 4.2: no-wait is an optional octet after flags
    assertEquals(
        START_OF_XID + "00000000" + "01",
        HexFormat.of()
            .formatHex(
                encode(
                    new DtxMethods.Association(
                        MethodId.DTX_START, XID, XAResource.TMNOFLAGS, true))));
  }

  @Test
  void aDtxStartWithoutTheNoWaitOctetWaits() {
    DtxMethods.Association start = decodeHex(START_OF_XID + "00000000");
    assertFalse(start.noWait());
    assertFalse(decodeHex(START_OF_XID + "00000000" + "00").noWait(), "octet present, bit clear");
  }

  private static DtxMethods.Association decodeHex(String hex) {
    return (DtxMethods.Association)
        MethodCodec.decode(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
  }

  @Test
  void noWaitIsAFieldOfDtxStartOnly() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new DtxMethods.Association(MethodId.DTX_END, XID, XAResource.TMSUCCESS, true));
    // an octet after dtx.end's flags is left over: a frame error, as for any method
    String endOfXid = START_OF_XID.replace("00c80014", "00c8001e");
    AmqpException e =
        assertThrows(AmqpException.class, () -> decodeHex(endOfXid + "04000000" + "01"));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
  }

  @Test
  void negativeXaCodesTravelAsTwosComplementLongs() {
    byte[] commitOk =
        encode(new DtxMethods.Result(MethodId.DTX_COMMIT_OK, XAException.XAER_NOTA, ""));
    assertArrayEquals(
        new byte[] {0, (byte) 200, 0, 51, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfc, 0},
        commitOk);
  }

  @Test
  void recoverOkPacksItsXidsInOneLongString() {
    byte[] bytes = encode(new DtxMethods.RecoverOk(XAResource.XA_OK, "", List.of(XID, XID), false));
    // ids 4, xa-code 4, xa-text 1, xids length 4 + 2 * 15, more 1
    assertEquals(4 + 4 + 1 + 4 + 2 * 15 + 1, bytes.length);
    assertEquals(30, Unpooled.wrappedBuffer(bytes).getInt(9));
    assertEquals(15, DtxMethods.RecoverOk.sizeOf(XID));
  }

  @Test
  void anUnknownDtxMethodIsCommandInvalid() {
    ByteBuf payload = Unpooled.buffer().writeShort(200).writeShort(12);
    AmqpException e = assertThrows(AmqpException.class, () -> MethodCodec.decode(payload));
    assertEquals(ReplyCode.COMMAND_INVALID, e.replyCode());
    assertEquals("unknown method: class 200, method 12", e.replyText());
    assertEquals(MethodId.DTX_GET_TIMEOUT_OK, MethodCodec.lookUp(200, 101));
  }

  @Test
  void aRecoverOkWhosePackedXidIsTruncatedIsAFrameError() {
    ByteBuf payload =
        Unpooled.buffer()
            .writeShort(200)
            .writeShort(71)
            .writeInt(0)
            .writeByte(0)
            .writeInt(6) // six bytes of xids: a format-id and half a length
            .writeInt(1)
            .writeShort(0)
            .writeByte(0);
    AmqpException e = assertThrows(AmqpException.class, () -> MethodCodec.decode(payload));
    assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
    assertTrue(e.replyText().startsWith("cannot decode dtx.recover-ok: global-id"), e.replyText());
  }

  @Test
  void wireXidsCompareByValueAndCopyTheirBytes() {
    byte[] g = {1, 2};
    WireXid a = new WireXid(1, g, new byte[] {3});
    g[0] = 9;
    assertEquals(new WireXid(1, new byte[] {1, 2}, new byte[] {3}), a);
    assertEquals(new WireXid(1, new byte[] {1, 2}, new byte[] {3}).hashCode(), a.hashCode());
    assertNotEquals(new WireXid(2, new byte[] {1, 2}, new byte[] {3}), a);
    a.getGlobalTransactionId()[0] = 7;
    assertEquals(1, a.getGlobalTransactionId()[0]);
    assertEquals("Xid(1, 0102, 03)", a.toString());
  }
}
