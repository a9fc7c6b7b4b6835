package io.warrenmq.jms.xa;

import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import io.warrenmq.jms.WarrenConnection;
import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.jms.WarrenXASession;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The child JVM of {@link XaCrashRecoveryTest}. {@code crash-send <dir>} / {@code crash-consume
 * <dir>}: one Narayana transaction with a {@link Halter} enlisted first, then WarrenMQ, then H2;
 * sends a message (or consumes the one waiting) and inserts a row; the halter's commit, the first
 * of phase 2, halts the JVM, leaving WarrenMQ and H2 prepared and Narayana's log written. {@code
 * recover <dir>}: a fresh JVM on the same directories runs one Narayana recovery scan with the
 * three resources, then exits. Prints {@code READY;} before the transaction and {@code RECOVERED;}
 * after the scan.
 */
public final class XaCrashChild {

  static final String BROKER = "xa-crash";

  private XaCrashChild() {}

  static String url(Path dir) {
    return "vm://" + BROKER + "?dataDir=" + dir.resolve("mq").toAbsolutePath();
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path dir = Path.of(args[1]);
    TransactionManager tm = XaSupport.narayana(dir.resolve("narayana"), "warren-crash");
    XADataSource db = XaSupport.h2(dir.resolve("db"));
    WarrenConnectionFactory factory = WarrenConnectionFactory.forUrl(url(dir));
    WarrenConnection connection = factory.createXAConnection();
    connection.start();
    WarrenXASession xa = connection.createXASession();
    if (mode.equals("recover")) {
      recover(xa, db, dir);
      System.out.println("RECOVERED;");
      System.out.flush();
      connection.close();
      io.warrenmq.jms.internal.InVmBrokers.stop(BROKER);
      return;
    }
    Session s = xa.getSession();
    MessageConsumer consumer = null;
    if (mode.equals("crash-consume")) {
      s.createProducer(s.createQueue("xa-crash")).send(s.createTextMessage("to consume"));
      consumer = s.createConsumer(s.createQueue("xa-crash"));
    }
    XAConnection dbc = db.getXAConnection();
    System.out.println("READY;");
    System.out.flush();
    tm.begin();
    Transaction tx = tm.getTransaction();
    tx.enlistResource(new Halter(dir.resolve("halter.xid"), true));
    tx.enlistResource(xa.getXAResource());
    tx.enlistResource(dbc.getXAResource());
    if (consumer != null) {
      if (consumer.receive(10_000) == null) {
        throw new IllegalStateException("no message to consume");
      }
    } else {
      s.createProducer(s.createQueue("xa-crash")).send(s.createTextMessage("sent"));
    }
    try (Statement st = dbc.getConnection().createStatement()) { // handle left open (H2)
      st.executeUpdate("INSERT INTO T VALUES ('" + mode + "')");
    }
    tm.commit(); // halts in the Halter's commit
    throw new IllegalStateException("the transaction completed without the halt");
  }

  private static void recover(WarrenXASession xa, XADataSource db, Path dir) throws Exception {
    RecoveryManager rm = RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT);
    XARecoveryModule xarm = XARecoveryModule.getRegisteredXARecoveryModule();
    XAConnection dbc = db.getXAConnection();
    Halter halter = new Halter(dir.resolve("halter.xid"), false);
    xarm.addXAResourceRecoveryHelper(
        new XAResourceRecoveryHelper() {
          @Override
          public boolean initialise(String p) {
            return true;
          }

          @Override
          public XAResource[] getXAResources() throws Exception {
            return new XAResource[] {xa.getXAResource(), dbc.getXAResource(), halter};
          }
        });
    rm.scan();
    rm.terminate();
    dbc.close();
  }

  /**
   * A test resource whose commit halts the JVM, unless it is the recovering instance: it records
   * its Xid at prepare, so that after the crash it can report the branch in {@code recover} and let
   * Narayana finish the log.
   */
  static final class Halter implements XAResource {
    private final Path xidFile;
    private final boolean halts;

    Halter(Path xidFile, boolean halts) {
      this.xidFile = xidFile;
      this.halts = halts;
    }

    @Override
    public int prepare(Xid xid) throws XAException {
      try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(xidFile))) {
        out.writeInt(xid.getFormatId());
        out.writeInt(xid.getGlobalTransactionId().length);
        out.write(xid.getGlobalTransactionId());
        out.writeInt(xid.getBranchQualifier().length);
        out.write(xid.getBranchQualifier());
      } catch (java.io.IOException e) {
        XAException x = new XAException(XAException.XAER_RMERR);
        x.initCause(e);
        throw x;
      }
      return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
      if (halts) {
        System.out.println("HALT;");
        System.out.flush();
        Runtime.getRuntime().halt(1);
      }
      try {
        Files.deleteIfExists(xidFile);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
      if ((flag & TMSTARTRSCAN) == 0 || !Files.exists(xidFile)) {
        return new Xid[0];
      }
      try (DataInputStream in = new DataInputStream(Files.newInputStream(xidFile))) {
        int format = in.readInt();
        byte[] gtrid = in.readNBytes(in.readInt());
        byte[] bqual = in.readNBytes(in.readInt());
        return new Xid[] {new XaSupport.TestXid(format, gtrid, bqual)};
      } catch (java.io.IOException e) {
        XAException x = new XAException(XAException.XAER_RMERR);
        x.initCause(e);
        throw x;
      }
    }

    @Override
    public void rollback(Xid xid) {}

    @Override
    public void start(Xid xid, int flags) {}

    @Override
    public void end(Xid xid, int flags) {}

    @Override
    public void forget(Xid xid) {}

    @Override
    public int getTransactionTimeout() {
      return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
      return true;
    }

    @Override
    public boolean isSameRM(XAResource other) {
      return other == this;
    }
  }
}
