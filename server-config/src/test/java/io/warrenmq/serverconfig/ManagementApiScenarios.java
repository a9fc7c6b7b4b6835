package io.warrenmq.serverconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The embedded broker's management HTTP API and Prometheus metrics inside the application server
 * (adapter config property {@code managementPort}), as both servers' ITs check them: messages sent
 * by a JMS producer inside the server (through {@code jmx-queues.war}, {@link
 * TestWars#jmxQueues()}) show in {@code GET /api/queues/{vhost}/{name}} and in {@code
 * rabbitmq_queue_messages_ready} of {@code /metrics}; the API wants HTTP basic authentication
 * ({@code guest}/{@code guest}, the fresh store's user). The queue stats are snapshots that may lag
 * a moment, so reads poll up to 30 s.
 */
public final class ManagementApiScenarios {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String GUEST =
      "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final TestApi jmxQueues;
  private final URI management;

  /**
   * @param jmxQueues the JAX-RS root of {@code jmx-queues.war}
   * @param managementPort the adapter's {@code managementPort} on 127.0.0.1
   */
  public ManagementApiScenarios(TestApi jmxQueues, int managementPort) {
    this.jmxQueues = jmxQueues;
    this.management = URI.create("http://127.0.0.1:" + managementPort + "/");
  }

  private HttpResponse<String> get(String path, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(management.resolve(path)).timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GETs {@code path} until the answer is 200 and {@code done}; the last answer. */
  private HttpResponse<String> await(
      String path, String authorization, Predicate<String> done, String what)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      HttpResponse<String> r = get(path, authorization);
      assertEquals(200, r.statusCode(), () -> path + ": " + r.body());
      if (done.test(r.body())) {
        return r;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " within " + DEADLINE + "; last " + path + ": " + r.body());
      }
      Thread.sleep(200);
    }
  }

  private void send(String queue, int n) throws IOException, InterruptedException {
    HttpResponse<String> r = jmxQueues.call("POST", "send?queue=" + queue + "&n=" + n);
    assertEquals(200, r.statusCode(), r::body);
  }

  /** {@code GET /api/queues/%2F/<queue>} counts what a JMS producer inside the server sent. */
  public void theApiShowsTheMessagesSentThroughJms() throws Exception {
    String queue = "mgmt-api-" + System.nanoTime();
    send(queue, 3);
    Pattern three = Pattern.compile("\"messages\"\\s*:\\s*3\\b");
    HttpResponse<String> r =
        await(
            "api/queues/%2F/" + queue,
            GUEST,
            body -> three.matcher(body).find(),
            "queue " + queue + " with messages = 3");
    assertTrue(r.body().contains("\"name\":\"" + queue + "\""), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").contains("json"), r.body());
  }

  /**
   * {@code /metrics/per-object} has the queue's {@code rabbitmq_queue_messages_ready}, and {@code
   * /metrics} (summed over queues) at least as many, without authentication as RabbitMQ's
   * Prometheus plugin.
   */
  public void metricsShowTheQueuesReadyMessages() throws Exception {
    String queue = "mgmt-metrics-" + System.nanoTime();
    send(queue, 2);
    String sample = "rabbitmq_queue_messages_ready{queue=\"" + queue + "\",vhost=\"/\"} ";
    await(
        "metrics/per-object",
        null,
        body ->
            body.lines()
                .anyMatch(
                    l ->
                        l.startsWith(sample)
                            && Double.parseDouble(l.substring(sample.length())) == 2),
        "the sample '" + sample + "2'");
    HttpResponse<String> summed = get("metrics", null);
    assertEquals(200, summed.statusCode(), summed::body);
    double ready =
        summed
            .body()
            .lines()
            .filter(l -> l.startsWith("rabbitmq_queue_messages_ready "))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no rabbitmq_queue_messages_ready in /metrics"));
    assertTrue(ready >= 2, "rabbitmq_queue_messages_ready " + ready);
  }

  /** The API answers 401 without credentials and with a wrong password. */
  public void theApiRefusesRequestsWithoutValidCredentials() throws Exception {
    assertEquals(401, get("api/queues", null).statusCode());
    String wrong =
        "Basic "
            + Base64.getEncoder().encodeToString("guest:wrong".getBytes(StandardCharsets.UTF_8));
    assertEquals(401, get("api/queues", wrong).statusCode());
    assertEquals(200, get("api/overview", GUEST).statusCode());
  }

  /**
   * The web console comes with the API: its page and scripts are served from the management jar
   * inside the {@code .rar} (the login happens in the page, against the API).
   */
  public void theWebConsoleIsServedWithTheApi() throws Exception {
    HttpResponse<String> page = get("", null);
    assertEquals(200, page.statusCode(), page::body);
    assertTrue(
        page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
        page.headers().toString());
    assertTrue(page.body().contains("<title>WarrenMQ</title>"), page.body());
    HttpResponse<String> script = get("console/js/api.js", null);
    assertEquals(200, script.statusCode());
    assertTrue(
        script.headers().firstValue("Content-Type").orElse("").contains("javascript"),
        script.headers().toString());
  }
}
