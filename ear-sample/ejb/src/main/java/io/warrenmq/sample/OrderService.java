package io.warrenmq.sample;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Places orders: for each order, one row in {@code sample_orders} (XA datasource, see {@link
 * OrderRows}), one {@link TextMessage} whose body is the order id ({@code order-<runId>-<n>}) to
 * the queue {@code orders}, and one order event (same body, string property {@value
 * #EVENT_TYPE_PROPERTY} = {@value #ORDER_PLACED}) to the topic {@code order-events}, all in the
 * method's container-managed JTA transaction: the rows and the messages commit together or not at
 * all (the resource adapter's connection definition is XATransaction).
 *
 * <p>One JMS connection and one session serve the whole batch; the classic API is used because the
 * WarrenMQ provider does not offer {@code JMSContext} injection yet. The connection factory, both
 * destinations and the datasource are resource references ({@code java:comp/env/jms/warren/...},
 * {@code java:comp/env/jdbc/warren/OrdersXADS}) that each server's descriptor maps to its own JNDI
 * names: {@code META-INF/jboss-ejb3.xml} to WildFly's {@code java:/jms/warren/...} ({@code
 * server-config/wildfly/warren-ra.cli}), {@code META-INF/glassfish-ejb-jar.xml} to Payara's {@code
 * jms/warren/...} ({@code server-config/payara/warren-ra.asadmin}).
 *
 * <p>Thread-safety: a stateless session bean; the container gives each call its own instance.
 */
@Stateless
public class OrderService {

  /** Upper bound of {@link #placeOrders(int)}'s {@code count}, to keep one call's time bounded. */
  public static final int MAX_ORDERS_PER_CALL = 100_000;

  /** Name of the string property that tells what an order event is about. */
  public static final String EVENT_TYPE_PROPERTY = "eventType";

  /** Value of {@value #EVENT_TYPE_PROPERTY} on the event published for each placed order. */
  public static final String ORDER_PLACED = "order-placed";

  @Resource(name = "jms/warren/ConnectionFactory")
  private ConnectionFactory connectionFactory;

  @Resource(name = "jms/warren/queue/orders")
  private Queue orders;

  @Resource(name = "jms/warren/topic/order-events")
  private Topic orderEvents;

  @Resource(name = "jdbc/warren/OrdersXADS")
  private DataSource orderRows;

  @EJB private OrderLedger ledger;

  /**
   * Writes the row of an order marked {@code fail} and sends its message and event, then throws:
   * the JTA transaction rolls back, so neither the row nor the messages exist afterwards.
   *
   * @param orderId the order id, e.g. {@code order-fail-<id>}
   * @throws OrderFailedOnPurpose always, after the row and both sends (rolls the transaction back)
   * @throws EJBException if the database or the provider fails first
   */
  public void placeFailingOrder(String orderId) throws OrderFailedOnPurpose {
    try (Connection db = orderRows.getConnection();
        PreparedStatement insert = db.prepareStatement(OrderRows.INSERT);
        jakarta.jms.Connection connection = connectionFactory.createConnection()) {
      insert.setString(1, orderId);
      insert.executeUpdate();
      Session session = connection.createSession();
      session.createProducer(orders).send(session.createTextMessage(orderId));
      TextMessage event = session.createTextMessage(orderId);
      event.setStringProperty(EVENT_TYPE_PROPERTY, ORDER_PLACED);
      session.createProducer(orderEvents).send(event);
    } catch (SQLException | JMSException e) {
      throw new EJBException("placing order " + orderId + " failed before its planned failure", e);
    }
    throw new OrderFailedOnPurpose(orderId);
  }

  /**
   * Sends {@code count} orders and as many order events, then returns.
   *
   * <p>Rows and messages belong to the call's JTA transaction: they become visible when the method
   * returns (commit), and a failure part-way rolls all of them back. {@link
   * OrderLedger#recordSent(int)} counts the orders sent in the transaction, failure or not.
   *
   * @param count how many orders, from 1 to {@value #MAX_ORDERS_PER_CALL}
   * @return the run id, the number sent and the elapsed time
   * @throws IllegalArgumentException if {@code count} is out of range
   * @throws EJBException if the provider or the database fails, with its exception as cause
   */
  public PlacedOrders placeOrders(int count) {
    if (count < 1 || count > MAX_ORDERS_PER_CALL) {
      throw new IllegalArgumentException(
          "count must be between 1 and " + MAX_ORDERS_PER_CALL + ", was " + count);
    }
    String runId = UUID.randomUUID().toString().substring(0, 8);
    long start = System.nanoTime();
    int sent = 0;
    try (Connection db = orderRows.getConnection();
        PreparedStatement insert = db.prepareStatement(OrderRows.INSERT);
        jakarta.jms.Connection connection = connectionFactory.createConnection()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer orderProducer = session.createProducer(orders);
      MessageProducer eventProducer = session.createProducer(orderEvents);
      for (int n = 1; n <= count; n++) {
        String orderId = "order-" + runId + "-" + n;
        insert.setString(1, orderId);
        insert.addBatch();
        if (n % 1000 == 0 || n == count) {
          insert.executeBatch();
        }
        orderProducer.send(session.createTextMessage(orderId));
        sent++;
        TextMessage event = session.createTextMessage(orderId);
        event.setStringProperty(EVENT_TYPE_PROPERTY, ORDER_PLACED);
        eventProducer.send(event);
      }
    } catch (JMSException | SQLException e) {
      throw new EJBException("Placing order " + (sent + 1) + " of " + count + " failed", e);
    } finally {
      ledger.recordSent(sent);
    }
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    return new PlacedOrders(runId, sent, elapsedMillis);
  }
}
