package io.warrenmq.serverconfig;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The main job's load run against a deployed EAR sample: resets the counters, places N orders in
 * one request, waits until the order MDB has processed them all and both topic subscribers have
 * received every event, then prints the summary and exits 0 if every number is exact, 1 if not, 2
 * on bad arguments.
 *
 * <p>Usage: {@code OrderLoad [--api URL] [--orders N] [--timeout-seconds S]}; defaults {@code
 * http://127.0.0.1:8080/ear-sample/api}, 10,000 orders, 600 s.
 *
 * <p>Elapsed time runs from just before the POST to the first poll (every 50 ms) that sees all
 * deliveries. Messages per second counts MDB deliveries: the orders processed plus the events
 * received by the two subscribers (3 × N when all is well).
 */
public final class OrderLoad {

  private static final Duration QUIET_PERIOD = Duration.ofSeconds(2);

  private OrderLoad() {}

  /**
   * Runs the load; see the class comment.
   *
   * @param args {@code --api URL}, {@code --orders N}, {@code --timeout-seconds S}, all optional
   * @throws IOException if the endpoint cannot be reached or answers with an error
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    URI api = URI.create("http://127.0.0.1:8080/ear-sample/api");
    int orders = 10_000;
    long timeoutSeconds = 600;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--api" -> api = URI.create(required(args[i], value));
        case "--orders" -> orders = Integer.parseInt(required(args[i], value));
        case "--timeout-seconds" -> timeoutSeconds = Long.parseLong(required(args[i], value));
        default -> {
          System.err.println("OrderLoad: unknown argument " + args[i]);
          System.exit(2);
        }
      }
      i++;
    }
    System.exit(
        run(new OrdersEndpoint(api), orders, Duration.ofSeconds(timeoutSeconds), System.out));
  }

  /**
   * Places {@code orders} orders, waits for their delivery and prints the summary to {@code out}.
   *
   * @return 0 if every number is exact, 1 otherwise
   */
  static int run(OrdersEndpoint endpoint, int orders, Duration timeout, PrintStream out)
      throws IOException, InterruptedException {
    endpoint.reset();
    long start = System.nanoTime();
    OrdersEndpoint.Placed placed = endpoint.placeOrders(orders, timeout);
    OrdersEndpoint.Stats stats = endpoint.awaitDelivered(orders, timeout, Duration.ZERO);
    double elapsedSeconds = (System.nanoTime() - start) / 1e9;
    // Late duplicates or extra events would arrive after the counts were first complete.
    OrdersEndpoint.Stats settled = endpoint.awaitDelivered(orders, Duration.ZERO, QUIET_PERIOD);
    long deliveries =
        settled.ordersProcessed() + settled.auditEvents() + settled.notificationEvents();

    out.printf("orders sent: %d%n", settled.ordersSent());
    out.printf("orders processed by the MDB: %d%n", settled.ordersProcessed());
    out.printf("duplicate deliveries: %d%n", settled.duplicateDeliveries());
    out.printf("events received by AuditSubscriber: %d%n", settled.auditEvents());
    out.printf("events received by NotificationSubscriber: %d%n", settled.notificationEvents());
    out.printf(Locale.ROOT, "elapsed seconds: %.3f%n", elapsedSeconds);
    out.printf(
        Locale.ROOT,
        "messages per second: %.0f (%d MDB deliveries: orders processed + events of both"
            + " subscribers)%n",
        deliveries / elapsedSeconds,
        deliveries);

    OrdersEndpoint.FailedOrder failed = endpoint.placeFailingOrder(QUIET_PERIOD);
    out.printf(
        "order marked fail (%s): rolled back %s; order row %s; order message %s%n",
        failed.orderId(),
        failed.rolledBack() ? "yes" : "NO",
        failed.row() ? "EXISTS" : "absent",
        failed.processed() ? "EXISTS (processed by the MDB)" : "absent");

    List<String> wrong = new ArrayList<>();
    if (!failed.rolledBack() || failed.row() || failed.processed()) {
      wrong.add("the order marked fail left its row or its message behind: " + failed);
    }
    expect(wrong, "orders sent (POST answer)", placed.sent(), orders);
    expect(wrong, "orders sent", settled.ordersSent(), orders);
    expect(wrong, "orders processed by the MDB", settled.ordersProcessed(), orders);
    expect(wrong, "duplicate deliveries", settled.duplicateDeliveries(), 0);
    expect(wrong, "events received by AuditSubscriber", settled.auditEvents(), orders);
    expect(
        wrong, "events received by NotificationSubscriber", settled.notificationEvents(), orders);
    if (!stats.allDelivered(orders)) {
      wrong.add("not all deliveries arrived within " + timeout.toSeconds() + " s");
    }
    wrong.forEach(w -> out.println("WRONG: " + w));
    out.println(wrong.isEmpty() ? "main job: OK" : "main job: FAILED");
    return wrong.isEmpty() ? 0 : 1;
  }

  private static void expect(List<String> wrong, String what, long actual, long expected) {
    if (actual != expected) {
      wrong.add(what + " is " + actual + ", expected " + expected);
    }
  }

  private static String required(String option, String value) {
    if (value == null) {
      System.err.println("OrderLoad: " + option + " needs a value");
      System.exit(2);
    }
    return value;
  }
}
