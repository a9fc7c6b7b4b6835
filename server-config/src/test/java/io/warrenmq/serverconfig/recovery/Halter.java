package io.warrenmq.serverconfig.recovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A test resource manager whose commit halts the server JVM (or holds until another one does,
 * {@link OnCommit}). Enlisted first in a transaction, its commit is the first call of phase 2
 * (Narayana completes the branches in enlistment order), so the halt comes after every branch is
 * prepared and after Narayana has logged the commit decision: exactly the crash that transaction
 * recovery exists for.
 *
 * <p>It is also a recoverable resource manager of its own: {@link #prepare} records the branch as a
 * file named after its Xid under {@link #branchDir()} ({@code
 * ${jboss.server.data.dir}/warren-recovery/halter}), {@link #recover} lists those files, and the
 * recovering instance ({@link OnCommit#COMPLETE}, registered by {@link HalterRecovery}) completes a
 * branch by deleting its file. Without this, Narayana could not finish the transaction's log after
 * the restart (it logs a warning for every scan that cannot find a resource for a logged branch).
 *
 * <p>Thread-safety: stateless apart from the files; Narayana calls it from one thread per branch.
 */
public final class Halter implements XAResource {
  private static final System.Logger LOG = System.getLogger(Halter.class.getName());
  private static final HexFormat HEX = HexFormat.of();

  /** Commits that {@link OnCommit#HOLD} holds in this JVM. */
  private static final AtomicInteger HOLDING = new AtomicInteger();

  /** What {@link #commit} does. */
  public enum OnCommit {
    /** Halts the JVM (the instance enlisted in a transaction that the test crashes). */
    HALT,
    /**
     * Blocks until the JVM ends, so that the transaction stays prepared everywhere while another
     * one halts the JVM: a crash with more than one transaction in doubt. Counted by {@link
     * #holding()}.
     */
    HOLD,
    /** Completes the branch (the instance that recovery uses). */
    COMPLETE
  }

  private final OnCommit onCommit;

  /**
   * @param onCommit what {@link #commit} does
   */
  public Halter(OnCommit onCommit) {
    this.onCommit = onCommit;
  }

  /** How many commits this JVM's {@link OnCommit#HOLD} halters hold now. */
  public static int holding() {
    return HOLDING.get();
  }

  /**
   * Where the prepared branches are recorded, one empty file per Xid: under WildFly's {@code
   * jboss.server.data.dir}, or Payara's domain directory ({@code com.sun.aas.instanceRoot}).
   */
  public static Path branchDir() {
    String data = System.getProperty("jboss.server.data.dir");
    if (data == null) {
      data = System.getProperty("com.sun.aas.instanceRoot");
    }
    if (data == null) {
      throw new IllegalStateException(
          "neither jboss.server.data.dir nor com.sun.aas.instanceRoot is set: not in WildFly or"
              + " Payara?");
    }
    return Path.of(data, "warren-recovery", "halter");
  }

  /** The branches prepared and not completed yet. */
  public static List<Path> preparedBranches() {
    Path dir = branchDir();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int prepare(Xid xid) throws XAException {
    try {
      Files.createDirectories(branchDir());
      Files.write(branchDir().resolve(fileName(xid)), new byte[0]);
    } catch (IOException e) {
      throw xaException(XAException.XAER_RMERR, e);
    }
    return XA_OK;
  }

  @Override
  public void commit(Xid xid, boolean onePhase) throws XAException {
    switch (onCommit) {
      case HALT -> {
        LOG.log(Level.INFO, "halting the JVM in the commit of the first branch of {0}", xid);
        Runtime.getRuntime().halt(1);
      }
      case HOLD -> {
        LOG.log(
            Level.INFO, "holding the commit of the first branch of {0} until the JVM halts", xid);
        HOLDING.incrementAndGet();
        try {
          new CountDownLatch(1).await(); // nothing counts it down: the halt ends the wait
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw xaException(XAException.XAER_RMFAIL, e);
        } finally {
          HOLDING.decrementAndGet();
        }
      }
      case COMPLETE -> complete(xid);
    }
  }

  @Override
  public void rollback(Xid xid) throws XAException {
    complete(xid);
  }

  @Override
  public void forget(Xid xid) throws XAException {
    complete(xid);
  }

  private static void complete(Xid xid) throws XAException {
    try {
      Files.deleteIfExists(branchDir().resolve(fileName(xid)));
    } catch (IOException e) {
      throw xaException(XAException.XAER_RMERR, e);
    }
  }

  /** The recorded branches on {@code TMSTARTRSCAN}, none on the calls that continue a scan. */
  @Override
  public Xid[] recover(int flag) throws XAException {
    if ((flag & TMSTARTRSCAN) == 0) {
      return new Xid[0];
    }
    List<Xid> xids = new ArrayList<>();
    for (Path file : preparedBranches()) {
      String[] parts = file.getFileName().toString().split("-", -1);
      if (parts.length != 3) {
        throw xaException(
            XAException.XAER_RMERR, new IllegalStateException("not a branch file: " + file));
      }
      xids.add(
          new BranchXid(
              Integer.parseUnsignedInt(parts[0], 16),
              HEX.parseHex(parts[1]),
              HEX.parseHex(parts[2])));
    }
    return xids.toArray(new Xid[0]);
  }

  @Override
  public void start(Xid xid, int flags) {}

  @Override
  public void end(Xid xid, int flags) {}

  @Override
  public int getTransactionTimeout() {
    return 0;
  }

  @Override
  public boolean setTransactionTimeout(int seconds) {
    return false;
  }

  @Override
  public boolean isSameRM(XAResource other) {
    return other == this;
  }

  private static String fileName(Xid xid) {
    return Integer.toHexString(xid.getFormatId())
        + "-"
        + HEX.formatHex(xid.getGlobalTransactionId())
        + "-"
        + HEX.formatHex(xid.getBranchQualifier());
  }

  private static XAException xaException(int code, Exception cause) {
    XAException e = new XAException(code);
    e.initCause(cause);
    return e;
  }

  /** A branch read back from its file. */
  private record BranchXid(int formatId, byte[] globalTransactionId, byte[] branchQualifier)
      implements Xid {
    @Override
    public int getFormatId() {
      return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
      return globalTransactionId.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
      return branchQualifier.clone();
    }
  }
}
