package io.warrenmq.serverconfig.recovery;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.transaction.RollbackException;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Enumeration;
import java.util.List;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Orders in container-managed JTA transactions over three resource managers: the {@link Halter}
 * (enlisted first), WarrenMQ (the adapter's connection factory) and H2 (an XA datasource on a file
 * database; resource references {@code jms/warren/ConnectionFactory} and {@code
 * jdbc/warren/RecoveryXADS}, mapped by the WAR's jboss-web.xml on WildFly, glassfish-web.xml on
 * Payara). The {@code ...ThenHalt} methods return normally; the container's commit then halts the
 * JVM between the two phases.
 */
@Stateless
public class RecoveryOrders {
  /** The WarrenMQ queue of the order messages (property {@code orderId}). */
  public static final String QUEUE = "recovery-orders";

  /** Mapped by the WAR's jboss-web.xml (WildFly) or glassfish-web.xml (Payara). */
  @Resource(name = "jdbc/warren/RecoveryXADS")
  private DataSource orders;

  /** Mapped by the WAR's jboss-web.xml (WildFly) or glassfish-web.xml (Payara). */
  @Resource(name = "jms/warren/ConnectionFactory")
  private ConnectionFactory connectionFactory;

  /** The transaction manager: WildFly's or Payara's JNDI name, whichever the server has. */
  private static TransactionManager transactionManager() {
    NamingException last = null;
    for (String name : List.of("java:/TransactionManager", "java:appserver/TransactionManager")) {
      try {
        return (TransactionManager) new InitialContext().lookup(name);
      } catch (NamingException e) {
        last = e;
      }
    }
    throw new IllegalStateException("no TransactionManager in JNDI: " + last, last);
  }

  /** Creates the table if needed, outside any transaction (H2 DDL commits implicitly). */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public void createTable() throws SQLException {
    try (Connection db = orders.getConnection()) {
      db.createStatement()
          .execute("CREATE TABLE IF NOT EXISTS recovery_orders (id VARCHAR(100) PRIMARY KEY)");
    }
  }

  /** Sends the order message, committed normally (the message a consume case then takes). */
  public void send(String id) throws JMSException {
    try (jakarta.jms.Connection c = connectionFactory.createConnection();
        Session s = c.createSession()) {
      TextMessage m = s.createTextMessage(id);
      m.setStringProperty("orderId", id);
      s.createProducer(s.createQueue(QUEUE)).send(m);
    }
  }

  /**
   * Enlists a {@link Halter} that does {@code onCommit}, sends the order message, inserts the order
   * row and returns: the commit halts the JVM ({@link Halter.OnCommit#HALT}) or holds until another
   * request halts it ({@link Halter.OnCommit#HOLD}, counted by {@link Halter#holding()}), with
   * WarrenMQ's and H2's branches prepared.
   */
  public void sendThen(String id, Halter.OnCommit onCommit) throws JMSException, SQLException {
    enlistHalter(onCommit);
    send(id);
    insert(id);
  }

  /**
   * Enlists a halting {@link Halter}, receives the order message, inserts the order row and
   * returns: the commit halts the JVM with WarrenMQ's and H2's branches prepared.
   *
   * @throws IllegalStateException if no message for {@code id} arrives within 10 s
   */
  public void consumeThenHalt(String id) throws JMSException, SQLException {
    enlistHalter(Halter.OnCommit.HALT);
    try (jakarta.jms.Connection c = connectionFactory.createConnection();
        Session s = c.createSession()) {
      c.start();
      MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE), selector(id));
      if (consumer.receive(10_000) == null) {
        throw new IllegalStateException("no message for order " + id + " to consume");
      }
    }
    insert(id);
  }

  private void enlistHalter(Halter.OnCommit onCommit) {
    try {
      if (!transactionManager().getTransaction().enlistResource(new Halter(onCommit))) {
        throw new IllegalStateException("the transaction refused the halter");
      }
    } catch (RollbackException | SystemException e) {
      throw new IllegalStateException("cannot enlist the halter: " + e, e);
    }
  }

  private void insert(String id) throws SQLException {
    try (Connection db = orders.getConnection();
        PreparedStatement insert =
            db.prepareStatement("INSERT INTO recovery_orders (id) VALUES (?)")) {
      insert.setString(1, id);
      insert.executeUpdate();
    }
  }

  /** How many committed rows have this id (0 or 1), read outside any transaction. */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public int rows(String id) throws SQLException {
    try (Connection db = orders.getConnection();
        PreparedStatement q =
            db.prepareStatement("SELECT COUNT(*) FROM recovery_orders WHERE id = ?")) {
      q.setString(1, id);
      return count(q);
    }
  }

  /** H2's prepared (in-doubt) transactions, read outside any transaction. */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public int inDoubt() throws SQLException {
    try (Connection db = orders.getConnection();
        PreparedStatement q =
            db.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.IN_DOUBT")) {
      return count(q);
    }
  }

  /**
   * The ready messages of the order in the queue, browsed (not consumed) outside any transaction.
   */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public int messages(String id) throws JMSException {
    try (jakarta.jms.Connection c = connectionFactory.createConnection();
        Session s = c.createSession();
        QueueBrowser browser = s.createBrowser(s.createQueue(QUEUE), selector(id))) {
      int n = 0;
      for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); e.nextElement()) {
        n++;
      }
      return n;
    }
  }

  private static String selector(String id) {
    return "orderId = '" + id.replace("'", "''") + "'";
  }

  private static int count(PreparedStatement q) throws SQLException {
    try (ResultSet r = q.executeQuery()) {
      r.next();
      return r.getInt(1);
    }
  }
}
