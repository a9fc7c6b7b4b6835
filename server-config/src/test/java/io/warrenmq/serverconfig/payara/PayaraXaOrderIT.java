package io.warrenmq.serverconfig.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warrenmq.serverconfig.TestWars;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One JTA transaction over two resource managers in Payara: an EJB method writes an order row
 * through the H2 XA datasource ({@code jdbc/warren/OrdersXADS}) and sends the order message through
 * WarrenMQ ({@code jms/warren/ConnectionFactory}, an XATransaction pool); when it returns both
 * exist, when it throws neither does. The Payara twin of {@code XaOrderIT}, with the same {@code
 * xa-orders.war} ({@link TestWars#xaOrders()}), deployed once for the class.
 */
@ExtendWith(ArquillianExtension.class)
class PayaraXaOrderIT {
  private static boolean deployed;

  @ArquillianResource private Deployer deployer;

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI api = PayaraDomain.http("xa-orders/api/");

  @Deployment(name = PayaraDomain.PROBE, order = 1, testable = false)
  static WebArchive startProbe() {
    return PayaraDomain.startProbe();
  }

  @Deployment(name = TestWars.XA_ORDERS, order = 2, managed = false, testable = false)
  static WebArchive xaOrdersWar() {
    return TestWars.xaOrders();
  }

  @BeforeAll
  static void awaitResourceAdapter() throws Exception {
    PayaraDomain.awaitResourceAdapterStarted();
  }

  /** Deploys the WAR before the first test; Arquillian undeploys it after the class. */
  @BeforeEach
  void deployOnce() {
    if (!deployed) {
      deployer.deploy(TestWars.XA_ORDERS);
      deployed = true;
    }
  }

  private HttpResponse<String> call(String method, String pathAndQuery)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(api.resolve(pathAndQuery))
            .timeout(Duration.ofSeconds(60))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aCommittedTransactionLeavesBothTheOrderRowAndTheOrderMessage() throws Exception {
    String id = "ok-" + UUID.randomUUID();

    HttpResponse<String> placed = call("POST", "place?fail=false&id=" + id);

    assertEquals(200, placed.statusCode(), placed::body);
    assertEquals("1", call("GET", "rows?id=" + id).body());
    HttpResponse<String> message = call("GET", "message?waitMs=5000&id=" + id);
    assertEquals(200, message.statusCode(), message::body);
    assertEquals(id, message.body());
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aRolledBackTransactionLeavesNeitherTheOrderRowNorTheOrderMessage() throws Exception {
    String id = "fail-" + UUID.randomUUID();

    HttpResponse<String> placed = call("POST", "place?fail=true&id=" + id);

    assertEquals(409, placed.statusCode(), placed::body);
    assertEquals("0", call("GET", "rows?id=" + id).body());
    HttpResponse<String> message = call("GET", "message?waitMs=1000&id=" + id);
    assertEquals(404, message.statusCode(), message::body);
  }
}
