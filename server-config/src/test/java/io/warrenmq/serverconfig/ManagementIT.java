package io.warrenmq.serverconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.serverconfig.jmx.JmxQueuesResource;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The embedded broker's management routes in WildFly (issue 18, "Inside WildFly and Payara"): with
 * the adapter's default {@code jmx = true}, each queue of the embedded broker is an MBean in
 * WildFly's platform MBean server (what JConsole connects to), and {@code countMessages} counts
 * what a JMS producer sent, also over WildFly's remote JMX connector; and the adapter's {@code
 * managementPort} serves the management HTTP API and {@code /metrics} ({@link
 * ManagementApiScenarios}): wildfly/warren-ra.cli sets it to {@code
 * ${warren.ra.management.port:0}}, and the suite's server starts with that system property (the
 * pom's {@code warren.it.ra.management.port}, arquillian.xml). Deploys the RAR and {@code
 * jmx-queues.war} ({@link TestWars#jmxQueues()}) once for all of it. The Payara twin is {@code
 * PayaraManagementIT}.
 */
@ExtendWith(ArquillianExtension.class)
class ManagementIT {
  private final TestApi api =
      new TestApi(
          URI.create(
              "http://127.0.0.1:"
                  + (8080 + Integer.getInteger("warren.it.port.offset", 0))
                  + "/jmx-queues/api/"));

  private final ManagementApiScenarios scenarios =
      new ManagementApiScenarios(api, Integer.getInteger("warren.it.ra.management.port"));

  @Deployment(name = WarrenDeployments.RAR, order = 1, testable = false)
  static ResourceAdapterArchive resourceAdapter() {
    return WarrenDeployments.resourceAdapter();
  }

  @Deployment(name = TestWars.JMX_QUEUES, order = 2, testable = false)
  static WebArchive jmxQueuesWar() {
    return TestWars.jmxQueues();
  }

  private String ok(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r::body);
    return r.body();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aJmsQueueIsAnMBeanWhoseCountMessagesCountsWhatWasSent() throws Exception {
    String queue = "jmx-it-" + System.nanoTime();
    ok(api.call("POST", "send?queue=" + queue + "&n=3"));
    String beans = ok(api.call("GET", "beans"));
    assertTrue(
        beans.contains(
            "io.warrenmq:broker=\"warren\",name=\"" + queue + "\",type=Queue,vhost=\"/\""),
        beans);
    assertTrue(beans.contains("io.warrenmq:name=\"warren\",type=Broker"), beans);
    assertEquals("3", ok(api.call("GET", "count?queue=" + queue)));
    assertEquals("0", ok(api.call("GET", "count?queue=" + queue + "&filter=JMSPriority%3E9")));
  }

  /**
   * The operator's route from outside the server (README, "JMX: queue management"): WildFly's JMX
   * connector on the management port, {@code service:jmx:remote+http://host:9990} (here shifted by
   * the suite's offset), with the server's own {@code bin/client/jboss-cli-client.jar} as the only
   * client jar, as JConsole ({@code bin/jconsole.sh}) or VisualVM uses it. No credentials: a client
   * on the server's machine, as the server's user, authenticates as the local user
   * (JBOSS-LOCAL-USER).
   */
  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aQueueMBeanIsReachableOverWildFlysRemoteJmxConnectorWithJbossCliClientJar()
      throws Exception {
    String queue = "jmx-remote-it-" + System.nanoTime();
    ok(api.call("POST", "send?queue=" + queue + "&n=2"));
    Path clientJar =
        Path.of(System.getProperty("jboss.home"), "bin", "client", "jboss-cli-client.jar");
    assertTrue(Files.isRegularFile(clientJar), clientJar + " is missing");
    JMXServiceURL url =
        new JMXServiceURL(
            "service:jmx:remote+http://127.0.0.1:"
                + Integer.getInteger("warren.it.management.port", 9990));
    // the client jar alone, not the test's class path (which has WildFly client libraries too)
    try (URLClassLoader client =
        new URLClassLoader(
            new URL[] {clientJar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(client);
      try (JMXConnector connector =
          JMXConnectorFactory.connect(
              url, Map.of(JMXConnectorFactory.PROTOCOL_PROVIDER_CLASS_LOADER, client))) {
        MBeanServerConnection server = connector.getMBeanServerConnection();
        assertEquals(
            2L,
            server.invoke(
                JmxQueuesResource.queueBean(queue),
                "countMessages",
                new Object[] {null},
                new String[] {String.class.getName()}));
      } finally {
        thread.setContextClassLoader(previous);
      }
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
