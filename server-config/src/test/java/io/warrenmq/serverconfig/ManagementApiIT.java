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
 * The embedded broker's management HTTP API and Prometheus metrics in WildFly (issue 18, "Inside
 * WildFly and Payara"): wildfly/warren-ra.cli sets the adapter's {@code managementPort} to {@code
 * ${warren.ra.management.port:0}}, and the suite's server starts with that system property (the
 * pom's {@code warren.it.ra.management.port}, arquillian.xml). See {@link ManagementApiScenarios}.
 * Deploys the RAR and {@code jmx-queues.war}.
 */
@ExtendWith(ArquillianExtension.class)
class ManagementApiIT {
  private final ManagementApiScenarios scenarios =
      new ManagementApiScenarios(
          new TestApi(
              URI.create(
                  "http://127.0.0.1:"
                      + (8080 + Integer.getInteger("warren.it.port.offset", 0))
                      + "/jmx-queues/api/")),
          Integer.getInteger("warren.it.ra.management.port"));

  @Deployment(name = WarrenDeployments.RAR, order = 1, testable = false)
  static ResourceAdapterArchive resourceAdapter() {
    return WarrenDeployments.resourceAdapter();
  }

  @Deployment(name = TestWars.JMX_QUEUES, order = 2, testable = false)
  static WebArchive jmxQueuesWar() {
    return TestWars.jmxQueues();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void theApiShowsTheMessagesSentThroughJms() throws Exception {
    scenarios.theApiShowsTheMessagesSentThroughJms();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void metricsShowTheQueuesReadyMessages() throws Exception {
    scenarios.metricsShowTheQueuesReadyMessages();
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void theApiRefusesRequestsWithoutValidCredentials() throws Exception {
    scenarios.theApiRefusesRequestsWithoutValidCredentials();
  }
}
