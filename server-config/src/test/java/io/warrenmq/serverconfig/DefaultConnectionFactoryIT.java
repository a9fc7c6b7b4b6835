package io.warrenmq.serverconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WarrenMQ as WildFly's only broker ({@code wildfly/without-artemis.cli}, applied by {@code
 * provision.sh}): the Jakarta EE default JMS connection factory (Jakarta EE 10 section EE.5.21,
 * {@code java:comp/DefaultJMSConnectionFactory}) is WarrenMQ's and carries a message, and the
 * server boots no ActiveMQ Artemis beside it. Deploys the RAR and {@code default-jms.war} ({@link
 * TestWars#defaultJms()}).
 */
@ExtendWith(ArquillianExtension.class)
class DefaultConnectionFactoryIT {
  private final TestApi api =
      new TestApi(
          URI.create(
              "http://127.0.0.1:"
                  + (8080 + Integer.getInteger("warren.it.port.offset", 0))
                  + "/default-jms/api/"));

  @Deployment(name = WarrenDeployments.RAR, order = 1, testable = false)
  static ResourceAdapterArchive resourceAdapter() {
    return WarrenDeployments.resourceAdapter();
  }

  @Deployment(name = TestWars.DEFAULT_JMS, order = 2, testable = false)
  static WebArchive defaultJmsWar() {
    return TestWars.defaultJms();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void theJakartaEeDefaultConnectionFactoryIsWarrenMqsAndCarriesAMessage() throws Exception {
    String queue = "default-cf-it-" + System.nanoTime();

    HttpResponse<String> r = api.call("POST", "round-trip?queue=" + queue + "&body=hello");

    assertEquals(200, r.statusCode(), r::body);
    assertEquals("WarrenMQ hello", r.body());
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void theServerBootsNoActiveMqArtemisBesideWarrenMq() throws Exception {
    // AMQ221000 "... message broker is starting", AMQ221007 "Server is now active": Artemis's
    // start lines, which a standalone-full.xml with messaging-activemq logs at every boot
    assertEquals(
        List.of(), ServerLog.ofTestServer().linesContainingSince(0, "AMQ2210"), "Artemis lines");
  }
}
