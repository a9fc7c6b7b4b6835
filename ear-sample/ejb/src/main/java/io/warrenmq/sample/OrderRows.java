package io.warrenmq.sample;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJBException;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The order table {@code sample_orders(id)} in the XA datasource referenced as {@code
 * java:comp/env/jdbc/warren/OrdersXADS} (mapped to {@code java:/jdbc/warren/OrdersXADS} on WildFly
 * and {@code jdbc/warren/OrdersXADS} on Payara by the module's server descriptors): created at
 * start-up, written by {@link OrderService} inside its JTA transaction, read here outside any.
 *
 * <p>Concurrency: bean-managed; the methods keep no state.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class OrderRows {

  /** Inserts one order row; run inside the caller's transaction. */
  static final String INSERT = "INSERT INTO sample_orders (id) VALUES (?)";

  @Resource(name = "jdbc/warren/OrdersXADS")
  private DataSource orders;

  /** Creates the table if needed (outside a transaction: H2 DDL commits implicitly). */
  @PostConstruct
  void createTable() {
    try (Connection db = orders.getConnection()) {
      db.createStatement()
          .execute("CREATE TABLE IF NOT EXISTS sample_orders (id VARCHAR(100) PRIMARY KEY)");
    } catch (SQLException e) {
      throw new EJBException("cannot create table sample_orders", e);
    }
  }

  /**
   * Whether the order row exists.
   *
   * @throws EJBException with the SQLException if the database fails
   */
  public boolean exists(String orderId) {
    try (Connection db = orders.getConnection();
        PreparedStatement q = db.prepareStatement("SELECT 1 FROM sample_orders WHERE id = ?")) {
      q.setString(1, orderId);
      try (ResultSet r = q.executeQuery()) {
        return r.next();
      }
    } catch (SQLException e) {
      throw new EJBException("cannot read order " + orderId, e);
    }
  }
}
