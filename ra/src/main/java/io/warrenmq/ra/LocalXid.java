package io.warrenmq.ra;

import java.nio.ByteBuffer;
import java.util.UUID;
import javax.transaction.xa.Xid;

/**
 * The Xid of a resource-local transaction ({@link WarrenLocalTransaction}): format id {@code
 * 0x57524d51} ("WRMQ"), a random 16-byte global transaction id and a one-byte branch qualifier.
 * Immutable.
 */
record LocalXid(byte[] gtrid) implements Xid {
  static final int FORMAT_ID = 0x57524d51;

  static LocalXid random() {
    UUID u = UUID.randomUUID();
    return new LocalXid(
        ByteBuffer.allocate(16)
            .putLong(u.getMostSignificantBits())
            .putLong(u.getLeastSignificantBits())
            .array());
  }

  @Override
  public int getFormatId() {
    return FORMAT_ID;
  }

  @Override
  public byte[] getGlobalTransactionId() {
    return gtrid.clone();
  }

  @Override
  public byte[] getBranchQualifier() {
    return new byte[] {1};
  }
}
