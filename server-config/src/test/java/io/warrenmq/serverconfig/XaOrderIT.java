package io.warrenmq.serverconfig;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One JTA transaction over two resource managers in WildFly: an EJB method writes an order row
 * through the H2 XA datasource and sends the order message through WarrenMQ (XATransaction); when
 * it returns both exist, when it throws neither does. Deploys the RAR and {@code xa-orders.war}
 * (classes in {@code io.warrenmq.serverconfig.xa}, built by {@link TestWars#xaOrders()}).
 */
@ExtendWith(ArquillianExtension.class)
class XaOrderIT {
  private final XaOrderScenarios scenarios =
      new XaOrderScenarios(
          new TestApi(
              URI.create(
                  "http://127.0.0.1:"
                      + (8080 + Integer.getInteger("warren.it.port.offset", 0))
                      + "/xa-orders/api/")));

  @Deployment(name = WarrenDeployments.RAR, order = 1, testable = false)
  static ResourceAdapterArchive resourceAdapter() {
    return WarrenDeployments.resourceAdapter();
  }

  @Deployment(name = TestWars.XA_ORDERS, order = 2, testable = false)
  static WebArchive xaOrdersWar() {
    return TestWars.xaOrders();
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
