package io.warrenmq.serverconfig.ha;

import io.warrenmq.serverconfig.remote.RemoteOrders;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJBException;
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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Places one order per container-managed JTA transaction over two resource managers: the row {@code
 * ha_orders(id)} through the XA datasource (H2, {@code java:/jdbc/warren/OrdersXADS}) and the order
 * message to the queue {@value RemoteOrders#QUEUE} of the adapter's (remote) broker, which {@code
 * remote-orders.war}'s MDB consumes and records in a transaction of its own.
 */
@Stateless
public class HaOrders {
  /** {@code java:comp/env/jdbc/warren/OrdersXADS}: declared in WEB-INF/web.xml. */
  private DataSource orders;

  /** {@code java:comp/env/jms/warren/ConnectionFactory}: declared in WEB-INF/web.xml. */
  private ConnectionFactory connectionFactory;

  /** Looked up by logical name (see {@code XaOrders} for why not {@code @Resource}). */
  @PostConstruct
  void lookUpResources() {
    try {
      orders = InitialContext.doLookup("java:comp/env/jdbc/warren/OrdersXADS");
      connectionFactory = InitialContext.doLookup("java:comp/env/jms/warren/ConnectionFactory");
    } catch (NamingException e) {
      throw new IllegalStateException("a resource reference of WEB-INF/web.xml is not mapped", e);
    }
  }

  /** Creates the table if needed, outside any transaction. */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public void createTable() throws SQLException {
    try (Connection db = orders.getConnection();
        Statement st = db.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS ha_orders (id VARCHAR(100) PRIMARY KEY)");
    }
  }

  /**
   * Inserts the row, sends the message (text body: the id; property {@value
   * RemoteOrders#WORK_MILLIS}) and, with {@code fail}, throws {@link OrderRefused}.
   *
   * @throws OrderRefused when {@code fail}: the container rolls both back
   * @throws EJBException when the database or the broker fails: the container rolls both back
   */
  public void place(String id, boolean fail, int workMillis) {
    try (Connection db = orders.getConnection();
        PreparedStatement insert = db.prepareStatement("INSERT INTO ha_orders (id) VALUES (?)")) {
      insert.setString(1, id);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new EJBException("cannot insert the row of order " + id, e);
    }
    try (jakarta.jms.Connection c = connectionFactory.createConnection();
        Session s = c.createSession()) {
      TextMessage m = s.createTextMessage(id);
      m.setIntProperty(RemoteOrders.WORK_MILLIS, workMillis);
      s.createProducer(s.createQueue(RemoteOrders.QUEUE)).send(m);
    } catch (JMSException e) {
      throw new EJBException("cannot send the message of order " + id, e);
    }
    if (fail) {
      throw new OrderRefused(id);
    }
  }

  /** The ids of the rows that start with {@code prefix}, read outside any transaction. */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public List<String> rows(String prefix) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection db = orders.getConnection();
        PreparedStatement q = db.prepareStatement("SELECT id FROM ha_orders WHERE id LIKE ?")) {
      q.setString(1, prefix + "%");
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          ids.add(r.getString(1));
        }
      }
    }
    return ids;
  }

  /**
   * The database's prepared (in-doubt) XA transactions: H2's {@code INFORMATION_SCHEMA.IN_DOUBT},
   * read outside any transaction.
   */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public int inDoubt() throws SQLException {
    try (Connection db = orders.getConnection();
        Statement st = db.createStatement();
        ResultSet r = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.IN_DOUBT")) {
      r.next();
      return r.getInt(1);
    }
  }
}
