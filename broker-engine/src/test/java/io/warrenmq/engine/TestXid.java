package io.warrenmq.engine;

import java.nio.charset.StandardCharsets;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.function.Executable;

/**
 * An {@link Xid} as a transaction manager might pass it: without {@code equals}, so that the broker
 * must compare Xids by value.
 */
final class TestXid implements Xid {
  private final int formatId;
  private final byte[] gtrid;
  private final byte[] bqual;

  TestXid(int formatId, String gtrid, String bqual) {
    this.formatId = formatId;
    this.gtrid = gtrid.getBytes(StandardCharsets.UTF_8);
    this.bqual = bqual.getBytes(StandardCharsets.UTF_8);
  }

  /** A fresh Xid named {@code name} (format id 4711, branch qualifier "b"). */
  static TestXid of(String name) {
    return new TestXid(4711, name, "b");
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

  /** Asserts that {@code call} fails with an {@link XAException} of {@code code}. */
  static XAException assertXa(int code, Executable call) {
    XAException e = Assertions.assertThrows(XAException.class, call);
    Assertions.assertEquals(code, e.errorCode, () -> "errorCode of: " + e.getMessage());
    return e;
  }

  /** Whether {@code xids} holds an Xid equal by value to {@code xid}. */
  static boolean contains(Xid[] xids, Xid xid) {
    for (Xid x : xids) {
      if (x.getFormatId() == xid.getFormatId()
          && java.util.Arrays.equals(x.getGlobalTransactionId(), xid.getGlobalTransactionId())
          && java.util.Arrays.equals(x.getBranchQualifier(), xid.getBranchQualifier())) {
        return true;
      }
    }
    return false;
  }
}
