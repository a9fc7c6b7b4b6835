package io.warrenmq.serverconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The EAR sample on the WarrenMQ resource adapter in a managed WildFly, from deployment to
 * undeployment: the built {@code warren-ra.rar} and {@code ear-sample.ear} deploy cleanly, orders
 * flow exactly once through the queue, every event reaches both topic subscribers, and undeploying
 * leaves nothing of ours behind. The methods run in order; the deployments are deployed by the
 * first and undeployed by the last.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderFlowIT {

  /** Server log position when this class started deploying; static: one instance per method. */
  private static long logMark;

  @ArquillianResource private Deployer deployer;

  private final ServerLog serverLog = ServerLog.ofTestServer();
  private final OrderFlowScenarios scenarios =
      new OrderFlowScenarios(new OrdersEndpoint(WarrenDeployments.sampleApi()));

  @Deployment(name = WarrenDeployments.RAR, order = 1, managed = false, testable = false)
  static ResourceAdapterArchive resourceAdapter() {
    return WarrenDeployments.resourceAdapter();
  }

  @Deployment(name = WarrenDeployments.EAR, order = 2, managed = false, testable = false)
  static EnterpriseArchive earSample() {
    return WarrenDeployments.earSample();
  }

  @Test
  @Order(1)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void resourceAdapterAndEarDeployWithoutErrorsOrWarningsFromWarren() throws Exception {
    logMark = serverLog.mark();

    deployer.deploy(WarrenDeployments.RAR);
    deployer.deploy(WarrenDeployments.EAR);

    assertEquals(List.of(), serverLog.warningsAboutWarrenSince(logMark));
    assertEquals(List.of(), serverLog.errorsSince(logMark));
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
  void undeployingTheEarThenTheRarLeavesNoWarrenThreadAndNoErrorInTheLogEvenAfterSuspend()
      throws Exception {
    deployer.undeploy(WarrenDeployments.EAR);
    deployer.undeploy(WarrenDeployments.RAR);

    // The adapter's stop() closes the broker, which joins its dispatch threads before returning,
    // so none may be left by the time the undeploy operation has completed.
    List<String> threads;
    List<String> errors;
    try (ServerManagement server = ServerManagement.connect()) {
      threads = server.liveThreadsStartingWith("warren");
      // A graceful shutdown suspends first; doing it here puts its log lines under the check.
      // (Resuming afterwards may log WildFly's own errors about MDBs of other test classes whose
      // activation failed on purpose, so the log is read before resuming.)
      server.suspend();
      try {
        errors = serverLog.errorsSince(logMark);
      } finally {
        server.resume();
      }
    }
    assertEquals(List.of(), threads, "threads still running after undeploy");
    assertEquals(List.of(), errors);
  }
}
