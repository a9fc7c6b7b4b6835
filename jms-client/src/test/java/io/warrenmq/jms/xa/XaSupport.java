package io.warrenmq.jms.xa;

import com.arjuna.ats.arjuna.common.CoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.RecoveryEnvironmentBean;
import com.arjuna.ats.jta.common.JTAEnvironmentBean;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import jakarta.transaction.TransactionManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.XADataSource;
import javax.transaction.xa.Xid;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.xa.PGXADataSource;

/**
 * Shared pieces of the XA tests: Narayana configured for fast tests, the second XA resource (an H2
 * file database, or PostgreSQL when it can prepare transactions), and plain Xids.
 */
final class XaSupport {

  static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";

  private XaSupport() {}

  private static TransactionManager tm;

  /**
   * Configures Narayana (once per JVM: its beans are singletons filled on first use) with its file
   * object store under {@code storeDir}, node id {@code node}, a 1 s recovery back-off and no
   * orphan safety interval (FINDINGS.md 1.2), and returns its transaction manager.
   */
  static synchronized TransactionManager narayana(Path storeDir, String node) throws Exception {
    if (tm == null) {
      String dir = storeDir.toAbsolutePath().toString();
      BeanPopulator.getDefaultInstance(ObjectStoreEnvironmentBean.class).setObjectStoreDir(dir);
      BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "communicationStore")
          .setObjectStoreDir(dir);
      BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "stateStore")
          .setObjectStoreDir(dir);
      BeanPopulator.getDefaultInstance(CoreEnvironmentBean.class).setNodeIdentifier(node);
      JTAEnvironmentBean jta = BeanPopulator.getDefaultInstance(JTAEnvironmentBean.class);
      jta.setXaRecoveryNodes(List.of(node));
      jta.setOrphanSafetyInterval(0);
      RecoveryEnvironmentBean rec = BeanPopulator.getDefaultInstance(RecoveryEnvironmentBean.class);
      rec.setRecoveryBackoffPeriod(1);
      rec.setPeriodicRecoveryPeriod(120);
      tm = com.arjuna.ats.jta.TransactionManager.transactionManager();
    }
    return tm;
  }

  /** An H2 file database of its own under {@code dir}, with table {@code T(V VARCHAR)}. */
  static XADataSource h2(Path dir) throws SQLException {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(
        "jdbc:h2:file:" + dir.toAbsolutePath().resolve("app")); // closed with its last connection
    ds.setUser("sa");
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS T(V VARCHAR(100))");
    }
    return ds;
  }

  /**
   * Why PostgreSQL cannot be the second resource here, or null when it can: it must be reachable on
   * 127.0.0.1:5432 and have {@code max_prepared_transactions > 0}.
   */
  static String postgresUnusable() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
    } catch (Exception e) {
      return "PostgreSQL not reachable on 127.0.0.1:5432: skipped";
    }
    try (Connection c = DriverManager.getConnection(PG_URL, "postgres", null);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW max_prepared_transactions")) {
      rs.next();
      int max = Integer.parseInt(rs.getString(1));
      return max > 0
          ? null
          : "PostgreSQL on 127.0.0.1:5432 has max_prepared_transactions=0 (cannot prepare an XA"
              + " branch): skipped";
    } catch (SQLException e) {
      return "PostgreSQL on 127.0.0.1:5432 unusable (" + e.getMessage() + "): skipped";
    }
  }

  /** PostgreSQL's XA data source with table {@code table(V VARCHAR)} created fresh. */
  static XADataSource postgres(String table) throws SQLException {
    try (Connection c = DriverManager.getConnection(PG_URL, "postgres", null);
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
      s.execute("CREATE TABLE " + table + "(V VARCHAR(100))");
    }
    PGXADataSource ds = new PGXADataSource();
    ds.setUrl(PG_URL);
    ds.setUser("postgres");
    return ds;
  }

  /** The number of rows of {@code table} with value {@code v}, read outside any transaction. */
  static int rows(XADataSource ds, String table, String v) throws SQLException {
    javax.sql.XAConnection xac = ds.getXAConnection();
    try (Connection c = xac.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE V='" + v + "'")) {
      rs.next();
      return rs.getInt(1);
    } finally {
      xac.close();
    }
  }

  private static final AtomicLong XIDS = new AtomicLong(System.nanoTime());

  /** A new Xid with format id 4711 and a unique global transaction id. */
  static Xid newXid() {
    byte[] gtrid = ByteBuffer.allocate(8).putLong(XIDS.incrementAndGet()).array();
    return new TestXid(4711, gtrid, new byte[] {1});
  }

  /** A plain Xid with value equality. */
  record TestXid(int formatId, byte[] gtrid, byte[] bqual) implements Xid {
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

    @Override
    public boolean equals(Object o) {
      return o instanceof Xid x
          && x.getFormatId() == formatId
          && Arrays.equals(x.getGlobalTransactionId(), gtrid)
          && Arrays.equals(x.getBranchQualifier(), bqual);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(gtrid);
    }
  }
}
