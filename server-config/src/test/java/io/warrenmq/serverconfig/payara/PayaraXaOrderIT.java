package io.warrenmq.serverconfig.payara;

import io.warrenmq.serverconfig.TestApi;
import io.warrenmq.serverconfig.TestWars;
import io.warrenmq.serverconfig.XaOrderScenarios;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One JTA transaction over two resource managers in Payara: an EJB method writes an order row
 * through the H2 XA datasource ({@code jdbc/warren/OrdersXADS}) and sends the order message through
 * WarrenMQ ({@code jms/warren/ConnectionFactory}, an XATransaction pool); when it returns both
 * exist, when it throws neither does. The Payara twin of {@code XaOrderIT}, with the same {@code
 * xa-orders.war} ({@link TestWars#xaOrders()}), deployed once for the class.
 */
class PayaraXaOrderIT extends PayaraItBase {
  private final XaOrderScenarios scenarios =
      new XaOrderScenarios(new TestApi(PayaraDomain.http("xa-orders/api/")));

  @Deployment(name = TestWars.XA_ORDERS, order = 2, managed = false, testable = false)
  static WebArchive xaOrdersWar() {
    return TestWars.xaOrders();
  }

  @BeforeEach
  void deploy() {
    deployOnce(TestWars.XA_ORDERS);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aCommittedTransactionLeavesBothTheOrderRowAndTheOrderMessage() throws Exception {
    scenarios.aCommittedTransactionLeavesBothTheOrderRowAndTheOrderMessage();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aRolledBackTransactionLeavesNeitherTheOrderRowNorTheOrderMessage() throws Exception {
    scenarios.aRolledBackTransactionLeavesNeitherTheOrderRowNorTheOrderMessage();
  }
}
