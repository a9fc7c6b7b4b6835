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
 * Redelivery limits of MDBs in WildFly: a container-managed (transacted) MDB that fails twice sees
 * {@code JMSXDeliveryCount} 1, 2, 3 and is not called again once it succeeds; an MDB that always
 * fails leaves its message in the dead-letter queue after {@code maxDeliveryAttempts} (3)
 * deliveries; a transacted MDB with {@code redeliveryDelay} 1000 ms and two sessions gets a
 * rolled-back message again only after the delay, although its other session was free. Deploys the
 * RAR and {@code redelivery.war} (classes in {@code io.warrenmq.serverconfig.redelivery}) for the
 * class.
 */
@ExtendWith(ArquillianExtension.class)
class RedeliveryIT {
  private final RedeliveryScenarios scenarios =
      new RedeliveryScenarios(
          new TestApi(
              URI.create(
                  "http://127.0.0.1:"
                      + (8080 + Integer.getInteger("warren.it.port.offset", 0))
                      + "/redelivery/api/")));

  @Deployment(name = WarrenDeployments.RAR, order = 1, testable = false)
  static ResourceAdapterArchive resourceAdapter() {
    return WarrenDeployments.resourceAdapter();
  }

  @Deployment(name = TestWars.REDELIVERY, order = 2, testable = false)
  static WebArchive redeliveryWar() {
    return TestWars.redelivery();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aTransactedMdbThatFailsTwiceSeesDeliveryCountsOneTwoThreeAndSucceedsOnTheThird()
      throws Exception {
    scenarios.aTransactedMdbThatFailsTwiceSeesDeliveryCountsOneTwoThreeAndSucceedsOnTheThird();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void anMdbThatAlwaysFailsLeavesTheMessageInTheDeadLetterQueueAfterMaxDeliveryAttempts()
      throws Exception {
    scenarios.anMdbThatAlwaysFailsLeavesTheMessageInTheDeadLetterQueueAfterMaxDeliveryAttempts();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aTransactedMdbWithARedeliveryDelayGetsTheRolledBackMessageAgainOnlyAfterTheDelay()
      throws Exception {
    scenarios.aTransactedMdbWithARedeliveryDelayGetsTheRolledBackMessageAgainOnlyAfterTheDelay();
  }
}
