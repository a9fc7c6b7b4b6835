package io.warrenmq.engine.internal;

import java.util.Arrays;
import java.util.HexFormat;
import javax.transaction.xa.Xid;

/**
 * A value copy of an {@link Xid} (format id, global transaction id, branch qualifier): the key of
 * an XA branch. Transaction managers pass their own {@code Xid} implementations, often without
 * {@code equals}; this copy compares by value.
 *
 * <p>Immutable and thread-safe: the byte arrays are copied in and out.
 */
public final class XaXid implements Xid {
  /** The longest global transaction id or branch qualifier, in bytes (X/Open XA). */
  static final int MAX_BYTES = Xid.MAXGTRIDSIZE;

  private final int formatId;
  private final byte[] gtrid;
  private final byte[] bqual;
  private final int hash;

  XaXid(int formatId, byte[] gtrid, byte[] bqual) {
    this.formatId = formatId;
    this.gtrid = gtrid.clone();
    this.bqual = bqual.clone();
    this.hash = 31 * (31 * formatId + Arrays.hashCode(this.gtrid)) + Arrays.hashCode(this.bqual);
  }

  /**
   * The value copy of {@code xid}.
   *
   * @return null if {@code xid} is null, its format id is -1 (the null Xid) or a part is null or
   *     longer than 64 bytes
   */
  static XaXid of(Xid xid) {
    if (xid == null) {
      return null;
    }
    if (xid instanceof XaXid x) {
      return x;
    }
    byte[] g = xid.getGlobalTransactionId();
    byte[] b = xid.getBranchQualifier();
    if (xid.getFormatId() == -1
        || g == null
        || b == null
        || g.length > MAX_BYTES
        || b.length > Xid.MAXBQUALSIZE) {
      return null;
    }
    return new XaXid(xid.getFormatId(), g, b);
  }

  @Override
  public int getFormatId() {
    return formatId;
  }

  @Override
  public byte[] getGlobalTransactionId() {
    return gtrid.clone();
  }

  @Override
  public byte[] getBranchQualifier() {
    return bqual.clone();
  }

  byte[] gtrid() {
    return gtrid;
  }

  byte[] bqual() {
    return bqual;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XaXid x
        && x.formatId == formatId
        && Arrays.equals(x.gtrid, gtrid)
        && Arrays.equals(x.bqual, bqual);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "Xid(" + formatId + ", " + hex.formatHex(gtrid) + ", " + hex.formatHex(bqual) + ")";
  }
}
