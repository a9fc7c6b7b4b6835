package io.warrenmq.client.wire;

import static io.warrenmq.client.wire.AmqpMethod.bit;
import static io.warrenmq.client.wire.WireReader.readLong;
import static io.warrenmq.client.wire.WireReader.readLongStringBytes;
import static io.warrenmq.client.wire.WireReader.readOctet;
import static io.warrenmq.client.wire.WireReader.readShortString;
import static io.warrenmq.client.wire.WireWriter.writeLongString;
import static io.warrenmq.client.wire.WireWriter.writeShortString;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The methods of WarrenMQ's XA extension class {@code dtx} (class id {@value #CLASS_ID}), the wire
 * form of the engine's {@code Channel.dtx*} methods. docs/protocol-dtx.md is the specification:
 * method ids, field order and AMQP domains, semantics and replies.
 *
 * <p>Two conventions of this class, both written down there: the X/Open values that are signed in
 * XA ({@code formatID}, return codes, flags, timeouts) travel in the AMQP domain {@code long} (32
 * bits) as two's complement, so a Java peer reads them with {@code readInt}; and every reply but
 * {@code dtx.select-ok} starts with the XA return code and a text, so an XA error is a result on an
 * open channel, not a channel error.
 */
public final class DtxMethods {
  /** The class id: not used by AMQP 0-8, 0-9 or 0-9-1 nor by RabbitMQ (docs/protocol-dtx.md). */
  public static final int CLASS_ID = 200;

  /** The longest global transaction id and branch qualifier, in bytes (X/Open XA, 64). */
  public static final int MAX_XID_PART = javax.transaction.xa.Xid.MAXGTRIDSIZE;

  private DtxMethods() {}

  /**
   * An XA transaction branch identifier as the wire carries it: {@code format-id} ({@code long},
   * signed), {@code global-id} and {@code branch-qualifier} ({@code longstr} each). Decoding takes
   * parts of any length the frame holds; the 64-byte limit of X/Open XA is checked where the Xid is
   * used, so that a longer one gets the XA answer {@code XAER_INVAL}, not a framing error.
   *
   * <p>Compares by value. Thread-safety: immutable (the arrays are copied in and out).
   */
  public static final class WireXid implements javax.transaction.xa.Xid {
    private final int formatId;
    private final byte[] globalId;
    private final byte[] branchQualifier;

    public WireXid(int formatId, byte[] globalId, byte[] branchQualifier) {
      this.formatId = formatId;
      this.globalId = globalId.clone();
      this.branchQualifier = branchQualifier.clone();
    }

    /** The wire copy of any {@link javax.transaction.xa.Xid}. */
    public static WireXid of(javax.transaction.xa.Xid xid) {
      return xid instanceof WireXid w
          ? w
          : new WireXid(xid.getFormatId(), xid.getGlobalTransactionId(), xid.getBranchQualifier());
    }

    static WireXid read(ByteBuf in) {
      return new WireXid(
          (int) readLong(in, "format-id"),
          readLongStringBytes(in, "global-id"),
          readLongStringBytes(in, "branch-qualifier"));
    }

    void write(ByteBuf out) {
      out.writeInt(formatId);
      writeLongString(out, globalId);
      writeLongString(out, branchQualifier);
    }

    /**
     * What X/Open XA finds wrong with this Xid, or null if it allows it: the null Xid ({@code
     * format-id} -1, which names no branch), or a part over {@link #MAX_XID_PART} bytes ({@code
     * Xid.MAXGTRIDSIZE}, {@code Xid.MAXBQUALSIZE}). A broker answers such an Xid with {@code
     * XAER_INVAL} (docs/protocol-dtx.md, "Conventions").
     */
    public String invalidity() {
      if (formatId == -1) {
        return "format-id -1 is the null Xid, which names no branch";
      } else if (globalId.length > MAX_XID_PART) {
        return "global-id of "
            + globalId.length
            + " bytes is over the "
            + MAX_XID_PART
            + " that X/Open XA allows (Xid.MAXGTRIDSIZE)";
      } else if (branchQualifier.length > MAX_XID_PART) {
        return "branch-qualifier of "
            + branchQualifier.length
            + " bytes is over the "
            + MAX_XID_PART
            + " that X/Open XA allows (Xid.MAXBQUALSIZE)";
      }
      return null;
    }

    /** Bytes on the wire: 4 + 4 + global id + 4 + branch qualifier. */
    int encodedSize() {
      return 12 + globalId.length + branchQualifier.length;
    }

    @Override
    public int getFormatId() {
      return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
      return globalId.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
      return branchQualifier.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof WireXid x
          && x.formatId == formatId
          && Arrays.equals(x.globalId, globalId)
          && Arrays.equals(x.branchQualifier, branchQualifier);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * formatId + Arrays.hashCode(globalId)) + Arrays.hashCode(branchQualifier);
    }

    @Override
    public String toString() {
      HexFormat hex = HexFormat.of();
      return "Xid("
          + formatId
          + ", "
          + hex.formatHex(globalId)
          + ", "
          + hex.formatHex(branchQualifier)
          + ")";
    }
  }

  /** dtx.select-ok (200.11): the channel is in dtx mode; names the resource manager. */
  public record SelectOk(String resourceManagerId) implements AmqpMethod {
    static SelectOk read(ByteBuf in) {
      return new SelectOk(readShortString(in, "resource-manager-id"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, resourceManagerId);
    }

    @Override
    public MethodId id() {
      return MethodId.DTX_SELECT_OK;
    }
  }

  /**
   * dtx.start (200.20) and dtx.end (200.30): an Xid and the XA flags, and for dtx.start the
   * optional {@code no-wait} bit (docs/protocol-dtx.md 4.2, "Pipelined dtx.start"): set, the broker
   * sends no {@code dtx.start-ok} and answers a refusal with {@code channel.close} instead, as AMQP
   * 0-9-1 answers a failed {@code no-wait} method; absent (the octet is not sent), false. A client
   * sets it only when the server advertises {@link
   * io.warrenmq.client.Capabilities#DTX_START_NO_WAIT}.
   *
   * @param id {@link MethodId#DTX_START} or {@link MethodId#DTX_END}
   * @param flags {@code TMNOFLAGS}, {@code TMJOIN}, {@code TMRESUME} (start); {@code TMSUCCESS},
   *     {@code TMFAIL}, {@code TMSUSPEND} (end)
   * @param noWait dtx.start only: no answer unless refused; always false for dtx.end
   */
  public record Association(MethodId id, WireXid xid, int flags, boolean noWait)
      implements AmqpMethod {
    public Association {
      if (noWait && id != MethodId.DTX_START) {
        throw new IllegalArgumentException("no-wait is a field of dtx.start only, not of " + id);
      }
    }

    /** A dtx.start or dtx.end that waits for its answer. */
    public Association(MethodId id, WireXid xid, int flags) {
      this(id, xid, flags, false);
    }

    static Association read(ByteBuf in, MethodId id) {
      WireXid xid = WireXid.read(in);
      int flags = (int) readLong(in, "flags");
      boolean noWait =
          id == MethodId.DTX_START && in.isReadable() && bit(readOctet(in, "no-wait"), 0);
      return new Association(id, xid, flags, noWait);
    }

    @Override
    public void writeArguments(ByteBuf out) {
      xid.write(out);
      out.writeInt(flags);
      if (noWait) {
        out.writeByte(bit(true, 0));
      }
    }
  }

  /**
   * dtx.prepare (200.40), dtx.rollback (200.60) and dtx.forget (200.80): an Xid alone.
   *
   * @param id {@link MethodId#DTX_PREPARE}, {@link MethodId#DTX_ROLLBACK} or {@link
   *     MethodId#DTX_FORGET}
   */
  public record Branch(MethodId id, WireXid xid) implements AmqpMethod {
    static Branch read(ByteBuf in, MethodId id) {
      return new Branch(id, WireXid.read(in));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      xid.write(out);
    }
  }

  /** dtx.commit (200.50): an Xid and whether to commit in one phase. */
  public record Commit(WireXid xid, boolean onePhase) implements AmqpMethod {
    static Commit read(ByteBuf in) {
      return new Commit(WireXid.read(in), bit(readOctet(in, "one-phase"), 0));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      xid.write(out);
      out.writeByte(bit(onePhase, 0));
    }

    @Override
    public MethodId id() {
      return MethodId.DTX_COMMIT;
    }
  }

  /**
   * dtx.recover (200.70): the scan flags ({@code TMSTARTRSCAN}, {@code TMENDRSCAN}, both, none).
   */
  public record Recover(int flags) implements AmqpMethod {
    static Recover read(ByteBuf in) {
      return new Recover((int) readLong(in, "flags"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeInt(flags);
    }

    @Override
    public MethodId id() {
      return MethodId.DTX_RECOVER;
    }
  }

  /** dtx.set-timeout (200.90): the branch timeout in seconds (0 = the broker's default). */
  public record SetTimeout(int seconds) implements AmqpMethod {
    static SetTimeout read(ByteBuf in) {
      return new SetTimeout((int) readLong(in, "timeout"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeInt(seconds);
    }

    @Override
    public MethodId id() {
      return MethodId.DTX_SET_TIMEOUT;
    }
  }

  /**
   * The reply of dtx.start, end, prepare, commit, rollback, forget and set-timeout: the XA return
   * code and, for an error, what was wrong.
   *
   * @param id the {@code -ok} method
   * @param xaCode {@code XA_OK} (0), {@code XA_RDONLY} (3, prepare only), or the {@code
   *     XAException.errorCode} of the failure
   * @param xaText empty for success; the reason otherwise (cut to 255 UTF-8 bytes)
   */
  public record Result(MethodId id, int xaCode, String xaText) implements AmqpMethod {
    static Result read(ByteBuf in, MethodId id) {
      return new Result(id, (int) readLong(in, "xa-code"), readShortString(in, "xa-text"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeInt(xaCode);
      writeShortString(out, Texts.shortText(xaText));
    }
  }

  /**
   * dtx.recover-ok (200.71): one page of the recovery scan.
   *
   * @param xaCode {@code XA_OK} or the error ({@code XAER_INVAL} for bad flags)
   * @param xids the page, packed in one {@code longstr} on the wire
   * @param more whether the scan holds Xids after this page (ask again with {@code TMNOFLAGS})
   */
  public record RecoverOk(int xaCode, String xaText, List<WireXid> xids, boolean more)
      implements AmqpMethod {
    public RecoverOk {
      xids = List.copyOf(xids);
    }

    /** The bytes of a reply with an empty text and no Xids: what a page adds Xids to. */
    public static final int EMPTY_SIZE = 4 + 1 + 4 + 1;

    static RecoverOk read(ByteBuf in) {
      int code = (int) readLong(in, "xa-code");
      String text = readShortString(in, "xa-text");
      ByteBuf packed = Unpooled.wrappedBuffer(readLongStringBytes(in, "xids"));
      List<WireXid> xids = new ArrayList<>();
      while (packed.isReadable()) {
        xids.add(WireXid.read(packed));
      }
      return new RecoverOk(code, text, xids, bit(readOctet(in, "more"), 0));
    }

    /** How many bytes {@code xid} adds to a page. */
    public static int sizeOf(WireXid xid) {
      return xid.encodedSize();
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeInt(xaCode);
      writeShortString(out, Texts.shortText(xaText));
      int lengthAt = out.writerIndex();
      out.writeInt(0);
      for (WireXid x : xids) {
        x.write(out);
      }
      out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
      out.writeByte(bit(more, 0));
    }

    @Override
    public MethodId id() {
      return MethodId.DTX_RECOVER_OK;
    }
  }

  /** dtx.get-timeout-ok (200.101): the branch timeout, in seconds, of this channel's branches. */
  public record GetTimeoutOk(int xaCode, String xaText, int seconds) implements AmqpMethod {
    static GetTimeoutOk read(ByteBuf in) {
      return new GetTimeoutOk(
          (int) readLong(in, "xa-code"),
          readShortString(in, "xa-text"),
          (int) readLong(in, "timeout"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeInt(xaCode);
      writeShortString(out, Texts.shortText(xaText));
      out.writeInt(seconds);
    }

    @Override
    public MethodId id() {
      return MethodId.DTX_GET_TIMEOUT_OK;
    }
  }
}
