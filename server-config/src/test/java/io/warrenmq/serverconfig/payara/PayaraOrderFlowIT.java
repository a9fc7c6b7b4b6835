package io.warrenmq.serverconfig.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warrenmq.serverconfig.OrderFlowScenarios;
import io.warrenmq.serverconfig.OrdersEndpoint;
import io.warrenmq.serverconfig.WarrenDeployments;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The EAR sample on the WarrenMQ resource adapter in a managed Payara Server 6, from deployment to
 * undeployment: {@code ear-sample.ear} deploys onto the provisioned {@code warren-ra} without a
 * SEVERE record or a warning about WarrenMQ, orders flow exactly once through the queue, every
 * event reaches both topic subscribers, an order marked fail leaves neither its row nor its
 * message, and undeploying logs no SEVERE record. The Payara twin of {@code OrderFlowIT}; the
 * methods run in order, the EAR is deployed by the first and undeployed by the last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraOrderFlowIT extends PayaraItBase {

  private static final Duration QUIET_PERIOD = OrderFlowScenarios.QUIET_PERIOD;

  /** Server log position when this class started deploying; static: one instance per method. */
  private static long logMark;

  private final PayaraServerLog serverLog = PayaraDomain.serverLog();
  private final OrderFlowScenarios scenarios =
      new OrderFlowScenarios(new OrdersEndpoint(PayaraDomain.http("ear-sample/api")));

  @Deployment(name = WarrenDeployments.EAR, order = 2, managed = false, testable = false)
  static EnterpriseArchive earSample() {
    return WarrenDeployments.earSample();
  }

  @Test
  @Order(1)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void earDeploysWithoutSevereRecordsOrWarningsAboutWarren() throws Exception {
    logMark = serverLog.mark();

    deployer.deploy(WarrenDeployments.EAR);

    serverLog.awaitQuiet(QUIET_PERIOD);
    assertEquals(List.of(), serverLog.warningsAboutWarrenSince(logMark));
    assertEquals(List.of(), serverLog.severeSince(logMark));
  }

  @Test
  @Order(2)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyOrderSentThroughOrderServiceIsProcessedByTheMdbExactlyOnce() throws Exception {
    scenarios.everyOrderSentThroughOrderServiceIsProcessedByTheMdbExactlyOnce();
  }

  @Test
  @Order(3)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void bothTopicSubscribersReceiveEveryOrderEvent() throws Exception {
    scenarios.bothTopicSubscribersReceiveEveryOrderEvent();
  }

  @Test
  @Order(4)
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void anOrderMarkedFailLeavesNeitherItsRowNorItsMessage() throws Exception {
    scenarios.anOrderMarkedFailLeavesNeitherItsRowNorItsMessage();
  }

  @Test
  @Order(5)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void undeployingTheEarLogsNoSevereRecord() throws Exception {
    deployer.undeploy(WarrenDeployments.EAR);

    serverLog.awaitQuiet(QUIET_PERIOD);
    assertEquals(List.of(), serverLog.severeSince(logMark));
  }
}
