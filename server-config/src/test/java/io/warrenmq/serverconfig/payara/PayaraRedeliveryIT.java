package io.warrenmq.serverconfig.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Redelivery limits of MDBs in Payara, whose MDBs in a WAR get {@code warren-ra} from the domain's
 * {@code com.sun.enterprise.connectors.inbound.ramid} option: an MDB that always fails leaves its
 * message in the dead-letter queue after {@code maxDeliveryAttempts} (3) deliveries; a
 * container-managed (transacted) MDB that fails twice sees {@code JMSXDeliveryCount} 1, 2, 3 and is
 * not called again once it succeeds. The Payara twin of {@code RedeliveryIT}'s first two cases,
 * with the same {@code redelivery.war} ({@link TestWars#redelivery()}), deployed once for the
 * class.
 */
@ExtendWith(ArquillianExtension.class)
class PayaraRedeliveryIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static boolean deployed;

  @ArquillianResource private Deployer deployer;

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI api = PayaraDomain.http("redelivery/api/");

  @Deployment(name = PayaraDomain.PROBE, order = 1, testable = false)
  static WebArchive startProbe() {
    return PayaraDomain.startProbe();
  }

  @Deployment(name = TestWars.REDELIVERY, order = 2, managed = false, testable = false)
  static WebArchive redeliveryWar() {
    return TestWars.redelivery();
  }

  @BeforeAll
  static void awaitResourceAdapter() throws Exception {
    PayaraDomain.awaitResourceAdapterStarted();
  }

  /** Deploys the WAR before the first test; Arquillian undeploys it after the class. */
  @BeforeEach
  void deployOnce() {
    if (!deployed) {
      deployer.deploy(TestWars.REDELIVERY);
      deployed = true;
    }
  }

  private HttpResponse<String> call(String method, String pathAndQuery)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(api.resolve(pathAndQuery))
            .timeout(Duration.ofSeconds(90))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Polls the delivery counts of {@code key} until they equal {@code expected} or WAIT passes. */
  private String awaitAttempts(String key, String expected) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String seen;
    do {
      seen = call("GET", "attempts?key=" + key).body();
      if (seen.equals(expected)) {
        return seen;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    } while (System.nanoTime() < deadline);
    return seen;
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void anMdbThatAlwaysFailsLeavesTheMessageInTheDeadLetterQueueAfterMaxDeliveryAttempts()
      throws Exception {
    String key = "poison-" + UUID.randomUUID();
    assertEquals(200, call("POST", "send?queue=poison-q&key=" + key).statusCode());

    HttpResponse<String> dead = call("GET", "dead?queue=poison-dlq&waitMs=" + WAIT.toMillis());

    assertEquals(200, dead.statusCode(), dead::body);
    String body = dead.body();
    assertTrue(body.contains("key=" + key), body);
    assertTrue(body.contains("text=payload of " + key), body);
    assertTrue(body.contains("reason=maxDeliveryAttempts (3)"), body);
    assertTrue(body.contains("origin=queue://poison-q"), body);
    assertEquals("1,2,3", call("GET", "attempts?key=" + key).body());
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aTransactedMdbThatFailsTwiceSeesDeliveryCountsOneTwoThreeAndSucceedsOnTheThird()
      throws Exception {
    String key = "flaky-" + UUID.randomUUID();
    assertEquals(200, call("POST", "send?queue=flaky-q&key=" + key).statusCode());

    assertEquals("1,2,3", awaitAttempts(key, "1,2,3"));

    // Succeeded on the third delivery: not dead-lettered, and not delivered a fourth time.
    HttpResponse<String> dead = call("GET", "dead?queue=DLQ&waitMs=1000");
    assertEquals(404, dead.statusCode(), dead::body);
    assertEquals("1,2,3", call("GET", "attempts?key=" + key).body());
  }
}
