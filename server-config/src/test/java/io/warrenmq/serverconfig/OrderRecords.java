package io.warrenmq.serverconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.serverconfig.remote.RemoteOrderMdb;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Reads the records that {@code remote-orders.war}'s MDB ({@link RemoteOrderMdb}) sends, in the
 * transaction that consumes an order, to the queue {@value RemoteOrderMdb#PROCESSED}, straight from
 * the broker (jms-client over {@code amqp://}), and checks that each order of a run was recorded
 * exactly once. Used by the remote-mode ITs of both servers. Not thread-safe; one test thread.
 */
public final class OrderRecords {

  /** A recovery scan on the servers under test, run when no record arrived for a while. */
  @FunctionalInterface
  public interface Recovery {
    /** Runs one scan on every server that is running; returns how many scans ran. */
    int scan() throws Exception;
  }

  private OrderRecords() {}

  /**
   * Consumes records from the broker at {@code brokerUrl} until all {@code orders} of {@code run}
   * (order ids {@code <run>-0} to {@code <run>-<orders - 1>}) have arrived, and then for one more
   * second for late duplicates, or until {@code timeout}; runs {@code recovery} whenever no record
   * came for {@code stall} (prepared branches that a crash left in the broker hold their orders
   * until a recovery scan completes them). Records of other runs are consumed and ignored.
   *
   * @return the run's records per instance (the record's {@value RemoteOrderMdb#INSTANCE})
   * @throws AssertionError if an order was recorded more than once or never
   */
  public static Map<String, Integer> assertEachRecordedOnce(
      String brokerUrl, String run, int orders, Duration timeout, Duration stall, Recovery recovery)
      throws Exception {
    Set<String> expected =
        IntStream.range(0, orders)
            .mapToObj(i -> run + "-" + i)
            .collect(Collectors.toCollection(TreeSet::new));
    return assertExactlyRecordedOnce(brokerUrl, run, expected, timeout, stall, recovery);
  }

  /**
   * As {@link #assertEachRecordedOnce(String, String, int, Duration, Duration, Recovery)}, for the
   * orders {@code expected} of {@code run} (ids {@code <run>-...}): waits until each has a record
   * and then one more second, and checks that the run's records are exactly {@code expected}, each
   * once: no order of the run outside {@code expected} may have a record.
   *
   * @return the run's records per instance (the record's {@value RemoteOrderMdb#INSTANCE})
   * @throws AssertionError if an order was recorded more than once, never, or without being
   *     expected
   */
  public static Map<String, Integer> assertExactlyRecordedOnce(
      String brokerUrl,
      String run,
      Set<String> expected,
      Duration timeout,
      Duration stall,
      Recovery recovery)
      throws Exception {
    List<String> ids = new ArrayList<>();
    Set<String> pending = new HashSet<>(expected);
    List<String> instances = new ArrayList<>();
    Map<String, List<String>> deliveries = new TreeMap<>();
    int scans = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    WarrenConnectionFactory factory = WarrenConnectionFactory.forUrl(brokerUrl);
    try (Connection c = factory.createConnection()) {
      c.start();
      Session s = c.createSession();
      MessageConsumer consumer = s.createConsumer(s.createQueue(RemoteOrderMdb.PROCESSED));
      long lastRecord = System.nanoTime();
      long quietUntil =
          expected.isEmpty() ? System.nanoTime() + TimeUnit.SECONDS.toNanos(1) : Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, quietUntil)) {
        Message m = consumer.receive(200);
        if (m != null) {
          String id = ((TextMessage) m).getText();
          if (id.startsWith(run + "-")) {
            ids.add(id);
            pending.remove(id);
            instances.add(m.getStringProperty(RemoteOrderMdb.INSTANCE));
            deliveries
                .computeIfAbsent(id, k -> new ArrayList<>())
                .add(
                    "instance "
                        + m.getStringProperty(RemoteOrderMdb.INSTANCE)
                        + " "
                        + m.getStringProperty(RemoteOrderMdb.DELIVERY));
          }
          lastRecord = System.nanoTime();
          if (pending.isEmpty() && quietUntil == Long.MAX_VALUE) {
            quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
          }
        } else if (System.nanoTime() - lastRecord > stall.toNanos()) {
          scans += recovery.scan();
          lastRecord = System.nanoTime();
        }
      }
    } catch (JMSException e) {
      throw new AssertionError("reading the records of " + run + " from " + brokerUrl, e);
    }
    System.out.println(run + ": " + ids.size() + " records, " + scans + " recovery scans");

    Map<String, Long> counts =
        ids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    List<String> duplicated =
        counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    TreeSet<String> unexpected =
        counts.keySet().stream()
            .filter(id -> !expected.contains(id))
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(
        List.of(),
        duplicated,
        () ->
            "orders recorded more than once; their records: "
                + duplicated.stream().map(id -> id + " " + deliveries.get(id)).toList());
    assertEquals(
        new TreeSet<>(),
        new TreeSet<>(pending),
        "orders never recorded (" + scans + " recovery scans)");
    assertEquals(new TreeSet<>(), unexpected, "orders recorded that should not have been");
    assertEquals(expected.size(), ids.size());
    return instances.stream().collect(Collectors.toMap(i -> i, i -> 1, Integer::sum, TreeMap::new));
  }
}
