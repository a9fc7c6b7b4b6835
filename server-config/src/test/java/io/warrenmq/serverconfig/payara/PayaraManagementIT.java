package io.warrenmq.serverconfig.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.serverconfig.ManagementApiScenarios;
import io.warrenmq.serverconfig.TestApi;
import io.warrenmq.serverconfig.TestWars;
import io.warrenmq.serverconfig.jmx.JmxQueuesResource;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded broker's management routes in Payara Server 6 (issue 18, "Inside WildFly and
 * Payara"), the Payara twin of {@code ManagementIT}: each queue is an MBean in Payara's platform
 * MBean server whose {@code countMessages}, {@code listMessages} and {@code removeMessages} act on
 * what a JMS producer sent; the same MBean answers from outside over Payara's JMX system connector
 * ({@code service:jmx:rmi:///jndi/rmi://host:8686/jmxrmi}, here the domain's base + 86); and the
 * adapter's {@code managementPort} (set by payara/provision.sh) serves the management HTTP API and
 * {@code /metrics} ({@link ManagementApiScenarios}). Deploys {@code jmx-queues.war} ({@link
 * TestWars#jmxQueues()}) on the provisioned {@code warren-ra}.
 */
class PayaraManagementIT extends PayaraItBase {

  private final TestApi api = new TestApi(PayaraDomain.http("jmx-queues/api/"));
  private final ManagementApiScenarios scenarios =
      new ManagementApiScenarios(api, Integer.getInteger("warren.it.payara.ra.management.port"));

  @Deployment(name = TestWars.JMX_QUEUES, order = 2, managed = false, testable = false)
  static WebArchive jmxQueuesWar() {
    return TestWars.jmxQueues();
  }

  @BeforeEach
  void deploy() {
    deployOnce(TestWars.JMX_QUEUES);
  }

  private String ok(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r::body);
    return r.body();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aQueueMBeanCountsListsAndRemovesWhatAJmsProducerSent() throws Exception {
    String queue = "payara-jmx-it-" + System.nanoTime();
    ok(api.call("POST", "send?queue=" + queue + "&n=2&priority=9"));
    ok(api.call("POST", "send?queue=" + queue + "&n=3&priority=1"));

    String beans = ok(api.call("GET", "beans"));
    assertTrue(
        beans.contains(
            "io.warrenmq:broker=\"warren\",name=\"" + queue + "\",type=Queue,vhost=\"/\""),
        beans);
    assertEquals("5", ok(api.call("GET", "count?queue=" + queue)));
    assertEquals("2", ok(api.call("GET", "count?queue=" + queue + "&filter=JMSPriority%3D9")));
    // two rows, priority 9, each with a body ("m0", "m1": 2 bytes)
    assertEquals(
        "9 2\n9 2\n", ok(api.call("GET", "list?queue=" + queue + "&filter=JMSPriority%3D9")));
    assertEquals("2", ok(api.call("POST", "remove?queue=" + queue + "&filter=JMSPriority%3D9")));
    assertEquals("3", ok(api.call("GET", "count?queue=" + queue)));
    assertEquals("0", ok(api.call("GET", "count?queue=" + queue + "&filter=JMSPriority%3D9")));
  }

  /**
   * What JConsole does with {@code service:jmx:rmi:///jndi/rmi://host:8686/jmxrmi} and the admin
   * user (no password on the provisioned domain).
   */
  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aQueueMBeanIsReachableOverPayarasJmxConnector() throws Exception {
    String queue = "payara-jmx-remote-it-" + System.nanoTime();
    ok(api.call("POST", "send?queue=" + queue + "&n=4"));
    JMXServiceURL url =
        new JMXServiceURL(
            "service:jmx:rmi:///jndi/rmi://127.0.0.1:"
                + Integer.getInteger("warren.it.payara.jmx.port", 8686)
                + "/jmxrmi");
    try (JMXConnector connector =
        JMXConnectorFactory.connect(
            url, Map.of(JMXConnector.CREDENTIALS, new String[] {"admin", ""}))) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      assertEquals(
          4L,
          server.invoke(
              JmxQueuesResource.queueBean(queue),
              "countMessages",
              new Object[] {null},
              new String[] {String.class.getName()}));
    }
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

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void theWebConsoleIsServedWithTheApi() throws Exception {
    scenarios.theWebConsoleIsServedWithTheApi();
  }
}
