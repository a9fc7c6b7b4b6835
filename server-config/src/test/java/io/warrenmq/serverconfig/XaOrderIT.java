package io.warrenmq.serverconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
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
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI api =
      URI.create(
          "http://127.0.0.1:"
              + (8080 + Integer.getInteger("warren.it.port.offset", 0))
              + "/xa-orders/api/");

  @Deployment(name = WarrenDeployments.RAR, order = 1, testable = false)
  static ResourceAdapterArchive resourceAdapter() {
    return WarrenDeployments.resourceAdapter();
  }

  @Deployment(name = TestWars.XA_ORDERS, order = 2, testable = false)
  static WebArchive xaOrdersWar() {
    return TestWars.xaOrders();
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
