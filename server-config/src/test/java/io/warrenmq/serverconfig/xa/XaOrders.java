package io.warrenmq.serverconfig.xa;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Places an order in one container-managed JTA transaction: the row {@code xa_orders(id)} through
 * the XA datasource and a message (property {@code orderId}) to the WarrenMQ queue {@code
 * xa-orders}. An order placed with {@code fail} throws after both, so the transaction rolls back.
 */
@Stateless
public class XaOrders {
  /** The queue the order messages go to. */
  public static final String QUEUE = "xa-orders";

  /** {@code java:comp/env/jdbc/warren/OrdersXADS}: declared in WEB-INF/web.xml (TestWars). */
  private DataSource orders;

  /** {@code java:comp/env/jms/warren/ConnectionFactory}: declared in WEB-INF/web.xml (TestWars). */
  private ConnectionFactory connectionFactory;

  /**
   * Looks the references up by their logical names rather than by @Resource(name = ...): for a
   * ConnectionFactory or DataSource @Resource without a lookup, WildFly injects its own default
   * (Artemis, ExampleDS) and ignores the jboss-web.xml mapping.
   */
  @PostConstruct
  void lookUpResources() {
    try {
      orders = InitialContext.doLookup("java:comp/env/jdbc/warren/OrdersXADS");
      connectionFactory = InitialContext.doLookup("java:comp/env/jms/warren/ConnectionFactory");
    } catch (NamingException e) {
      throw new IllegalStateException("a resource reference of WEB-INF/web.xml is not mapped", e);
    }
  }

  /** Creates the table if needed, outside any transaction (H2 DDL commits implicitly). */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public void createTable() throws SQLException {
    try (Connection db = orders.getConnection()) {
      db.createStatement()
          .execute("CREATE TABLE IF NOT EXISTS xa_orders (id VARCHAR(100) PRIMARY KEY)");
    }
  }

  /**
   * Inserts the row and sends the message; with {@code fail} then throws.
   *
   * @throws IllegalStateException when {@code fail}: the container rolls both back
   */
  public void place(String id, boolean fail) throws SQLException, JMSException {
    try (Connection db = orders.getConnection();
        PreparedStatement insert = db.prepareStatement("INSERT INTO xa_orders (id) VALUES (?)")) {
      insert.setString(1, id);
      insert.executeUpdate();
    }
    try (jakarta.jms.Connection c = connectionFactory.createConnection();
        Session s = c.createSession()) {
      TextMessage m = s.createTextMessage(id);
      m.setStringProperty("orderId", id);
      s.createProducer(s.createQueue(QUEUE)).send(m);
    }
    if (fail) {
      throw new IllegalStateException("order " + id + " fails on purpose after the row and send");
    }
  }

  /** How many rows have this id (0 or 1), read outside any transaction. */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public int rows(String id) throws SQLException {
    try (Connection db = orders.getConnection();
        PreparedStatement q = db.prepareStatement("SELECT COUNT(*) FROM xa_orders WHERE id = ?")) {
      q.setString(1, id);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }
}
