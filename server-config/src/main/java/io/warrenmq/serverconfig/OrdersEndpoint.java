package io.warrenmq.serverconfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of the EAR sample's endpoint {@code <api>/orders}: place orders, read and reset the
 * counters, and wait until a run has been fully delivered.
 *
 * <p>Thread-safety: safe for use by several threads; it holds only an immutable base URI and a
 * thread-safe {@link HttpClient}.
 */
public final class OrdersEndpoint {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Pause between two reads of the counters while waiting; polling, not waiting for an outcome. */
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  private final URI orders;
  private final HttpClient http;

  /**
   * Creates a client.
   *
   * @param api the JAX-RS application root, e.g. {@code http://127.0.0.1:8080/ear-sample/api}, not
   *     null
   */
  public OrdersEndpoint(URI api) {
    this.orders = URI.create(api.toString().replaceAll("/+$", "") + "/orders");
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  /**
   * What {@code POST /orders?count=N} answered.
   *
   * @param runId the run id shared by the order ids of this call
   * @param sent orders sent (and events published)
   * @param elapsedMillis time the server spent sending, in milliseconds
   */
  public record Placed(String runId, long sent, long elapsedMillis) {}

  /**
   * The counters of {@code GET /orders/stats}.
   *
   * @param ordersSent orders sent by OrderService
   * @param ordersProcessed distinct orders received by OrderListener
   * @param duplicateDeliveries repeated deliveries of an order to OrderListener
   * @param auditEvents events delivered to AuditSubscriber
   * @param notificationEvents events delivered to NotificationSubscriber
   */
  public record Stats(
      long ordersSent,
      long ordersProcessed,
      long duplicateDeliveries,
      long auditEvents,
      long notificationEvents) {

    /**
     * Whether every one of {@code orders} orders and both subscribers' events have arrived.
     *
     * @param orders the number of orders placed since the last reset
     * @return true if the processed and both event counts have reached {@code orders}
     */
    public boolean allDelivered(long orders) {
      return ordersProcessed >= orders && auditEvents >= orders && notificationEvents >= orders;
    }
  }

  /**
   * Places {@code count} orders; returns once they are sent, not processed.
   *
   * @param count 1 to 100,000
   * @param timeout how long the server may take to send them
   * @return the server's answer
   * @throws IOException on a transport error or a status other than 200
   * @throws InterruptedException if interrupted while waiting for the answer
   */
  public Placed placeOrders(int count, Duration timeout) throws IOException, InterruptedException {
    String body = post(URI.create(orders + "?count=" + count), timeout);
    return new Placed(text(body, "runId"), number(body, "sent"), number(body, "elapsedMillis"));
  }

  /** What exists of an order marked {@code fail} after its transaction. */
  public record FailedOrder(String orderId, boolean rolledBack, boolean row, boolean processed) {}

  /**
   * Places one order marked {@code fail} ({@code POST /orders/fail}), waits {@code settle} so the
   * order MDB would have received its message if it had been committed, then reads what exists of
   * it ({@code GET /orders/check}).
   *
   * @throws IOException on a transport error or a status other than 200
   * @throws InterruptedException if interrupted while waiting
   */
  public FailedOrder placeFailingOrder(Duration settle) throws IOException, InterruptedException {
    String placed = post(URI.create(orders + "/fail"), Duration.ofSeconds(60));
    String orderId = text(placed, "orderId");
    Thread.sleep(settle.toMillis());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(orders + "/check?orderId=" + orderId))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    String check = send(request);
    return new FailedOrder(
        orderId,
        placed.contains("\"rolledBack\":true"),
        check.contains("\"row\":true"),
        check.contains("\"messageProcessed\":true"));
  }

  /**
   * Reads the counters.
   *
   * @return the counters, never null
   * @throws IOException on a transport error or a status other than 200
   * @throws InterruptedException if interrupted while waiting for the answer
   */
  public Stats stats() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(orders + "/stats"))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    return parseStats(send(request));
  }

  /**
   * Sets the counters back to zero; call only while no orders are in flight.
   *
   * @return the counters after the reset
   * @throws IOException on a transport error or a status other than 200
   * @throws InterruptedException if interrupted while waiting for the answer
   */
  public Stats reset() throws IOException, InterruptedException {
    return parseStats(post(URI.create(orders + "/reset"), Duration.ofSeconds(30)));
  }

  /**
   * Polls the counters until {@code orders} orders and both subscribers' events have all arrived
   * and then stayed unchanged for {@code quietPeriod} (so late duplicates are counted too), or
   * until {@code timeout} runs out.
   *
   * @param orders orders placed since the last reset
   * @param timeout the longest time to wait for all deliveries
   * @param quietPeriod how long the counters must stay unchanged after the last delivery arrived
   * @return the last counters read; {@link Stats#allDelivered(long)} is false if time ran out
   * @throws IOException on a transport error or a status other than 200
   * @throws InterruptedException if interrupted while waiting
   */
  public Stats awaitDelivered(long orders, Duration timeout, Duration quietPeriod)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Stats stats = stats();
    while (!stats.allDelivered(orders) && System.nanoTime() < deadline) {
      Thread.sleep(POLL_INTERVAL.toMillis());
      stats = stats();
    }
    if (!stats.allDelivered(orders)) {
      return stats;
    }
    long quietUntil = System.nanoTime() + quietPeriod.toNanos();
    while (System.nanoTime() < quietUntil) {
      Thread.sleep(POLL_INTERVAL.toMillis());
      Stats later = stats();
      if (!later.equals(stats)) {
        stats = later;
        quietUntil = System.nanoTime() + quietPeriod.toNanos();
      }
    }
    return stats;
  }

  private String post(URI uri, Duration timeout) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return send(request);
  }

  private String send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          request.method()
              + " "
              + request.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return response.body();
  }

  private static Stats parseStats(String json) throws IOException {
    return new Stats(
        number(json, "ordersSent"),
        number(json, "ordersProcessed"),
        number(json, "duplicateDeliveries"),
        number(json, "auditEvents"),
        number(json, "notificationEvents"));
  }

  /* The endpoint's JSON is flat and small; a pattern per field keeps this module dependency-free. */
  private static long number(String json, String field) throws IOException {
    Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(-?\\d+)").matcher(json);
    if (!m.find()) {
      throw new IOException("No number \"" + field + "\" in " + json);
    }
    return Long.parseLong(m.group(1));
  }

  private static String text(String json, String field) throws IOException {
    Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    if (!m.find()) {
      throw new IOException("No string \"" + field + "\" in " + json);
    }
    return m.group(1);
  }
}
