package io.warrenmq.serverconfig.payara;

import io.warrenmq.serverconfig.RedeliveryScenarios;
import io.warrenmq.serverconfig.TestApi;
import io.warrenmq.serverconfig.TestWars;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redelivery limits of MDBs in Payara, whose MDBs in a WAR get {@code warren-ra} from the domain's
 * {@code com.sun.enterprise.connectors.inbound.ramid} option: an MDB that always fails leaves its
 * message in the dead-letter queue after {@code maxDeliveryAttempts} (3) deliveries; a
 * container-managed (transacted) MDB that fails twice sees {@code JMSXDeliveryCount} 1, 2, 3 and is
 * not called again once it succeeds. The Payara twin of {@code RedeliveryIT}'s first two cases,
 * with the same {@code redelivery.war} ({@link TestWars#redelivery()}), deployed once for the
 * class.
 */
class PayaraRedeliveryIT extends PayaraItBase {
  private final RedeliveryScenarios scenarios =
      new RedeliveryScenarios(new TestApi(PayaraDomain.http("redelivery/api/")));

  @Deployment(name = TestWars.REDELIVERY, order = 2, managed = false, testable = false)
  static WebArchive redeliveryWar() {
    return TestWars.redelivery();
  }

  @BeforeEach
  void deploy() {
    deployOnce(TestWars.REDELIVERY);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void anMdbThatAlwaysFailsLeavesTheMessageInTheDeadLetterQueueAfterMaxDeliveryAttempts()
      throws Exception {
    scenarios.anMdbThatAlwaysFailsLeavesTheMessageInTheDeadLetterQueueAfterMaxDeliveryAttempts();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aTransactedMdbThatFailsTwiceSeesDeliveryCountsOneTwoThreeAndSucceedsOnTheThird()
      throws Exception {
    scenarios.aTransactedMdbThatFailsTwiceSeesDeliveryCountsOneTwoThreeAndSucceedsOnTheThird();
  }
}
