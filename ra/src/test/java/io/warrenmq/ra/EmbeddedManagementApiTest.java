package io.warrenmq.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.ResourceAdapterInternalException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded broker's management HTTP API and Prometheus metrics, started by the adapter on the
 * port its config properties name ({@code managementPort}, {@code managementHost}, {@code
 * prometheusPort}): off by default, served while the adapter runs, closed by {@code stop}, ignored
 * with a WARNING for a remote broker, and a port in use fails {@code start} naming host and port.
 */
@Timeout(60)
class EmbeddedManagementApiTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final String GUEST =
      "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static HttpResponse<String> get(int port, String path, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static WarrenResourceAdapter embedded() {
    WarrenResourceAdapter ra = new WarrenResourceAdapter();
    ra.setBrokerName("ra-mgmt-" + System.nanoTime());
    ra.setStore("memory");
    ra.setJmx(false);
    return ra;
  }

  @Test
  void theListenersAreOffByDefaultInTheAdapterAndInRaXml() throws Exception {
    WarrenResourceAdapter ra = embedded();
    assertEquals(0, ra.getManagementPort());
    assertEquals(0, ra.getPrometheusPort());
    assertEquals("127.0.0.1", ra.getManagementHost());
    ra.start(null);
    try {
      assertEquals(0, ra.managementListenerPort());
      assertEquals(0, ra.prometheusListenerPort());
    } finally {
      ra.stop();
    }
    String raXml = Files.readString(Path.of("src/main/rar/META-INF/ra.xml"));
    for (String property : List.of("managementPort", "prometheusPort")) {
      assertTrue(
          Pattern.compile(
                  "<config-property-name>"
                      + property
                      + "</config-property-name>\\s*"
                      + "<config-property-type>java.lang.Integer</config-property-type>\\s*"
                      + "<config-property-value>0</config-property-value>")
              .matcher(raXml)
              .find(),
          "ra.xml declares " + property + ", default 0");
    }
  }

  @Test
  void managementPortServesTheApiWithBasicAuthAndMetricsUntilStop() throws Exception {
    WarrenResourceAdapter ra = embedded();
    int port = freePort();
    ra.setManagementPort(port);
    ra.start(null);
    try {
      assertEquals(port, ra.managementListenerPort());
      ra.broker()
          .newConnection("/", null)
          .createChannel()
          .queueDeclare(io.warrenmq.client.QueueSpec.durable("mgmt-orders"));

      assertEquals(401, get(port, "/api/queues/%2F/mgmt-orders", null).statusCode());
      HttpResponse<String> queue = get(port, "/api/queues/%2F/mgmt-orders", GUEST);
      assertEquals(200, queue.statusCode(), queue.body());
      assertTrue(queue.body().contains("\"name\":\"mgmt-orders\""), queue.body());

      HttpResponse<String> metrics = get(port, "/metrics/per-object", null);
      assertEquals(200, metrics.statusCode(), metrics.body());
      assertTrue(
          metrics
              .body()
              .contains("rabbitmq_queue_messages_ready{queue=\"mgmt-orders\",vhost=\"/\"} 0"),
          metrics.body());
    } finally {
      ra.stop();
    }
    assertThrows(ConnectException.class, () -> get(port, "/api/overview", GUEST));
  }

  @Test
  void prometheusPortServesMetricsOnAPortOfItsOwn() throws Exception {
    WarrenResourceAdapter ra = embedded();
    int port = freePort();
    ra.setPrometheusPort(port);
    ra.start(null);
    try {
      assertEquals(0, ra.managementListenerPort());
      HttpResponse<String> metrics = get(port, "/metrics", null);
      assertEquals(200, metrics.statusCode(), metrics.body());
      assertTrue(metrics.body().contains("rabbitmq_build_info"), metrics.body());
    } finally {
      ra.stop();
    }
  }

  @Test
  void aPortInUseFailsStartNamingHostAndPortAndLeavesNoBroker() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      WarrenResourceAdapter ra = embedded();
      ra.setManagementPort(taken.getLocalPort());
      ResourceAdapterInternalException e =
          assertThrows(ResourceAdapterInternalException.class, () -> ra.start(null));
      assertTrue(
          e.getMessage().contains("managementPort")
              && e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()),
          e.getMessage());
      assertThrows(jakarta.resource.ResourceException.class, ra::broker);
    }
  }

  @Test
  void aPortOutOfRangeIsRefusedNamingTheProperty() {
    WarrenResourceAdapter ra = embedded();
    ra.setManagementPort(70000);
    String m =
        assertThrows(ResourceAdapterInternalException.class, () -> ra.start(null)).getMessage();
    assertTrue(m.contains("managementPort") && m.contains("70000"), m);
  }

  @Test
  void withARemoteBrokerTheManagementPortIsIgnoredWithAWarning() throws Exception {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger(WarrenResourceAdapter.class.getName());
    logger.addHandler(handler);
    int port = freePort();
    WarrenResourceAdapter ra = new WarrenResourceAdapter();
    ra.setConnectionURL("amqp://127.0.0.1:1");
    ra.setManagementPort(port);
    try {
      ra.start(null);
      assertEquals(0, ra.managementListenerPort());
      assertThrows(ConnectException.class, () -> get(port, "/api/overview", GUEST));
      assertTrue(
          records.stream()
              .anyMatch(
                  r ->
                      r.getLevel() == java.util.logging.Level.WARNING
                          && r.getMessage().contains("managementPort")
                          && r.getMessage().contains("connectionURL")),
          records.toString());
    } finally {
      ra.stop();
      logger.removeHandler(handler);
    }
  }
}
