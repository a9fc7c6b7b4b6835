package io.warrenmq.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the results of one {@link JmsBrokerComparison} run into the Markdown tables of
 * docs/performance.md: messages per second per scenario and broker, the ratio WarrenMQ / Artemis
 * and the goal of the row (issue 15: at least 2x on every row, 10x for the synchronous persistent 1
 * → 1 send; issue 17: 2x on every row of a {@code transport=wire} run), then the end-to-end latency
 * lines.
 *
 * <p>Usage: {@code java -cp ... io.warrenmq.benchmarks.Summary <jmh-result.csv> [<jmh-output.log>]}
 * where the CSV is JMH's {@code -rf csv} output and the log its standard output (for the {@code
 * LATENCY}, {@code BACKLOG SEND} and {@code ARTEMIS CONFIG} lines). Prints to standard output.
 */
public final class Summary {

  private Summary() {}

  /** The goal of every row of a {@code transport=wire} run (issue 17), times Artemis. */
  private static final double WIRE_GOAL = 2;

  /** Scenario method, its label in the table, and its goal (times Artemis). */
  private record Row(String method, String label, double goal) {}

  private static final List<Row> ROWS =
      List.of(
          new Row("nonPersistentOneToOne", "non-persistent queue 1 → 1", 2),
          new Row("persistentSyncOneToOne", "persistent, synchronous send, 1 → 1", 10),
          new Row("persistentSyncEightProducers", "persistent, 8 synchronous producers → 1", 2),
          new Row(
              "persistentAsyncWindow1000",
              "persistent, async send (CompletionListener), 1,000 unconfirmed, 1 → 1",
              2),
          new Row("persistentTransactedBatchesOf100", "persistent, transacted batches of 100", 2),
          new Row(
              "nonPersistentTopicOneToFour",
              "non-persistent topic 1 → 4 (deliveries/s, all subscribers)",
              2),
          new Row("backlogSend", "backlog of 200,000 persistent: send (async, window 1,000)", 2),
          new Row("backlogDrain", "backlog of 200,000 persistent: drain (1 listener)", 2));

  /**
   * @param args the CSV file, optionally the log file
   * @throws IOException if a file cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: Summary <jmh-result.csv> [<jmh-output.log>]");
      System.exit(2);
    }
    // method -> broker -> msg/s
    Map<String, Map<String, Double>> rates = new LinkedHashMap<>();
    Map<String, Map<String, String>> spreads = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
    // JMH writes one column per parameter ("Param: broker", "Param: store"), in name order
    int brokerColumn = csv(lines.get(0)).indexOf("Param: broker");
    int transportColumn = csv(lines.get(0)).indexOf("Param: transport");
    boolean wire = false;
    for (String line : lines.subList(1, lines.size())) {
      List<String> f = csv(line);
      String name = f.get(0);
      String mode = f.get(1);
      double score = Double.parseDouble(f.get(4));
      String error = f.get(5);
      String unit = f.get(6);
      String broker = f.get(brokerColumn < 0 ? f.size() - 1 : brokerColumn);
      wire |= transportColumn >= 0 && BrokerUnderTest.WIRE.equals(f.get(transportColumn));
      String method = name.substring(name.lastIndexOf('.') + 1);
      double perSecond;
      if (mode.equals("thrpt")) {
        if (!method.endsWith(":consumed")) {
          continue;
        }
        method = method.substring(0, method.length() - ":consumed".length());
        perSecond = score;
        spreads
            .computeIfAbsent(method, k -> new LinkedHashMap<>())
            .put(broker, error.equals("NaN") ? "" : " ± " + fmt(Double.parseDouble(error)));
      } else if (mode.equals("ss") && unit.equals("us/op")) {
        perSecond = 1e6 / score;
        spreads.computeIfAbsent(method, k -> new LinkedHashMap<>()).put(broker, "");
      } else {
        continue;
      }
      rates.computeIfAbsent(method, k -> new LinkedHashMap<>()).put(broker, perSecond);
    }
    List<String> log =
        args.length > 1 ? Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8) : List.of();
    for (String line : log) {
      // BACKLOG SEND broker=<b> msg/s mean=<rate> iterations=[...]: the backlog's fill, timed by
      // the benchmark (JMH times only the drain)
      String t = line.strip();
      if (t.startsWith("BACKLOG SEND broker=")) {
        String broker = t.substring("BACKLOG SEND broker=".length(), t.indexOf(' ', 20));
        int m = t.indexOf("mean=") + "mean=".length();
        double mean = Double.parseDouble(t.substring(m, t.indexOf(' ', m)));
        rates.computeIfAbsent("backlogSend", k -> new LinkedHashMap<>()).put(broker, mean);
      }
    }
    System.out.println(
        "| scenario | WarrenMQ msg/s | Artemis msg/s | WarrenMQ / Artemis | goal | met |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | --- |");
    for (Row row : ROWS) {
      // over the wire (issue 17) every row's goal is 2x
      double goal = wire ? WIRE_GOAL : row.goal();
      Map<String, Double> r = rates.getOrDefault(row.method(), Map.of());
      Map<String, String> s = spreads.getOrDefault(row.method(), Map.of());
      Double w = r.get(BrokerUnderTest.WARREN);
      Double a = r.get(BrokerUnderTest.ARTEMIS);
      String ratio = w != null && a != null ? String.format(Locale.ROOT, "%.2f×", w / a) : "—";
      String met = w != null && a != null ? (w / a >= goal ? "yes" : "**no**") : "not measured";
      System.out.printf(
          "| %s | %s | %s | %s | ≥ %s× | %s |%n",
          row.label(),
          w == null ? "—" : fmt(w) + s.getOrDefault(BrokerUnderTest.WARREN, ""),
          a == null ? "—" : fmt(a) + s.getOrDefault(BrokerUnderTest.ARTEMIS, ""),
          ratio,
          fmt(goal),
          met);
    }
    if (!log.isEmpty()) {
      System.out.println();
      List<String> seen = new ArrayList<>();
      for (String line : log) {
        String t = line.strip();
        if ((t.startsWith("LATENCY")
                || t.startsWith("ARTEMIS CONFIG")
                || t.startsWith("BACKLOG SEND"))
            && !seen.contains(t)) {
          seen.add(t);
          System.out.println("    " + t);
        }
      }
    }
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  /** Fields of one line of JMH's CSV (quoted strings, commas inside quotes kept). */
  private static List<String> csv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    fields.add(cur.toString());
    return fields;
  }
}
