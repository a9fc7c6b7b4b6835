package io.warrenmq.jms.xa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.jms.WarrenConnection;
import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.jms.WarrenXASession;
import io.warrenmq.jms.internal.InVmBrokers;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WarrenMQ as one of two XA resources of a Narayana transaction (two-phase commit): a durable
 * broker ({@code vm://...?dataDir=}, H2 store) and a database (H2 file database through {@code
 * JdbcDataSource}'s XA connection; PostgreSQL's {@code PGXADataSource} when it can prepare).
 */
@Timeout(60)
class XaNarayanaTest {

  private static final String BROKER = "xa-narayana";

  @TempDir Path dir;

  private TransactionManager tm;
  private WarrenConnectionFactory factory;
  private WarrenConnection connection;
  private WarrenXASession xa;
  private XADataSource db;
  private String table = "T";

  @BeforeEach
  void start() throws Exception {
    // one object store per test JVM: with two JVMs (jms-client's pom) each has its own Narayana
    tm =
        XaSupport.narayana(
            Path.of("target", "narayana-xa-tests-" + ProcessHandle.current().pid()),
            "warren-xa-test");
    factory = newFactory();
    connection = factory.createXAConnection();
    connection.start();
    xa = connection.createXASession();
    db = XaSupport.h2(dir.resolve("db"));
  }

  /** The factory of the broker under test: an in-VM broker with the JDBC store here. */
  WarrenConnectionFactory newFactory() throws Exception {
    return WarrenConnectionFactory.forUrl("vm://" + BROKER + "?dataDir=" + dir.resolve("mq"));
  }

  @AfterEach
  void stop() throws Exception {
    if (tm.getTransaction() != null) {
      tm.rollback();
    }
    connection.close();
    InVmBrokers.stop(BROKER);
  }

  private void usePostgres() throws Exception {
    String why = XaSupport.postgresUnusable();
    if (why != null) {
      System.out.println("XaNarayanaTest: " + why);
    }
    Assumptions.assumeTrue(why == null, why);
    // a table per class: XaNarayanaOverWireTest, a subclass, may run at the same time in the
    // other test JVM, and a shared table would be dropped under it
    table = "warren_xa_" + getClass().getSimpleName().toLowerCase(Locale.ROOT);
    db = XaSupport.postgres(table);
  }

  /** Begins a transaction with WarrenMQ's and the database's XAResources enlisted. */
  private XAConnection begin() throws Exception {
    XAConnection dbc = db.getXAConnection();
    tm.begin();
    Transaction tx = tm.getTransaction();
    assertTrue(tx.enlistResource(xa.getXAResource()));
    assertTrue(tx.enlistResource(dbc.getXAResource()));
    return dbc;
  }

  /** Inserts through the XA connection's handle, left open: closing it ends H2's branch early. */
  private void insert(XAConnection dbc, String v) throws Exception {
    try (Statement s = dbc.getConnection().createStatement()) {
      s.executeUpdate("INSERT INTO " + table + " VALUES ('" + v + "')");
    }
  }

  private void sendAndInsert(String v, boolean commit) throws Exception {
    Session s = xa.getSession();
    Queue q = s.createQueue("xa-orders");
    XAConnection dbc = begin();
    s.createProducer(q).send(s.createTextMessage(v));
    insert(dbc, v);
    if (commit) {
      tm.commit();
    } else {
      tm.rollback();
    }
    dbc.close();
  }

  /** The next message of the queue, read by a plain session of another connection, or null. */
  private TextMessage next(String queue, long timeoutMs) throws Exception {
    try (Connection c = factory.createConnection()) {
      c.start();
      Session s = c.createSession();
      return (TextMessage) s.createConsumer(s.createQueue(queue)).receive(timeoutMs);
    }
  }

  @ParameterizedTest(name = "with {0}")
  @ValueSource(strings = {"h2", "postgresql"})
  void aSendAndARowInsertCommitTogether(String database) throws Exception {
    if (database.equals("postgresql")) {
      usePostgres();
    }
    sendAndInsert("committed", true);
    TextMessage got = next("xa-orders", 5_000);
    assertNotNull(got, "the message sent in the committed transaction is delivered");
    assertEquals("committed", got.getText());
    assertEquals(1, XaSupport.rows(db, table, "committed"));
  }

  @ParameterizedTest(name = "with {0}")
  @ValueSource(strings = {"h2", "postgresql"})
  void aSendAndARowInsertRollBackTogether(String database) throws Exception {
    if (database.equals("postgresql")) {
      usePostgres();
    }
    sendAndInsert("rolled-back", false);
    assertNull(next("xa-orders", 300), "the rolled-back send is discarded");
    assertEquals(0, XaSupport.rows(db, table, "rolled-back"));
  }

  @Test
  void aConsumeAndARowInsertCommitTogether() throws Exception {
    Session s = xa.getSession();
    Queue q = s.createQueue("xa-work");
    s.createProducer(q).send(s.createTextMessage("job-1")); // outside a transaction: immediate
    MessageConsumer consumer = s.createConsumer(q);
    XAConnection dbc = begin();
    TextMessage got = (TextMessage) consumer.receive(5_000);
    assertEquals("job-1", got.getText());
    insert(dbc, "done-1");
    tm.commit();
    dbc.close();
    consumer.close();
    assertNull(next("xa-work", 300), "the message consumed in the committed transaction is gone");
    assertEquals(1, XaSupport.rows(db, table, "done-1"));
  }

  @Test
  void aRolledBackConsumeRedeliversTheMessageAndLeavesNoRow() throws Exception {
    Session s = xa.getSession();
    Queue q = s.createQueue("xa-retry");
    s.createProducer(q).send(s.createTextMessage("job-2"));
    MessageConsumer consumer = s.createConsumer(q);
    XAConnection dbc = begin();
    TextMessage got = (TextMessage) consumer.receive(5_000);
    assertEquals("job-2", got.getText());
    assertFalse(got.getJMSRedelivered());
    insert(dbc, "done-2");
    tm.rollback();
    dbc.close();
    consumer.close();
    TextMessage again = next("xa-retry", 5_000);
    assertNotNull(again, "the message consumed in the rolled-back transaction is redelivered");
    assertEquals("job-2", again.getText());
    assertTrue(again.getJMSRedelivered());
    assertEquals(2, again.getIntProperty("JMSXDeliveryCount"));
    assertEquals(0, XaSupport.rows(db, table, "done-2"));
  }

  @Test
  void outsideATransactionTheXaSessionSendsAndAcknowledgesAtOnce() throws Exception {
    Session s = xa.getSession();
    Queue q = s.createQueue("xa-auto");
    s.createProducer(q).send(s.createTextMessage("plain"));
    MessageConsumer consumer = s.createConsumer(q);
    assertEquals("plain", ((TextMessage) consumer.receive(5_000)).getText());
    consumer.close();
    assertNull(next("xa-auto", 300), "received outside a transaction: acknowledged at once");
  }
}
