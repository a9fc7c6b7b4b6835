package io.warrenmq.store.jdbc;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A paired run of {@link StatelessSessionBenchmark} for a shared, noisy machine: the JDBC and the
 * {@code StatelessSession} variant alternate in one JVM (so both see the same load), each sample
 * writes 100,000 rows, and the report gives the median of the samples after two warm-up rounds,
 * in rows per second (wall clock) and in CPU microseconds per row of the writing thread (with H2
 * embedded, the database's work runs on that thread too; with PostgreSQL it does not).
 *
 * <p>Run: {@code java -cp <benchmark classpath> io.warrenmq.store.jdbc.StatelessSessionComparison
 * [h2|postgresql] [rounds]}.
 */
public final class StatelessSessionComparison {
  private static final int INVOCATIONS = 100; // of StatelessSessionBenchmark.ROWS rows each

  private StatelessSessionComparison() {}

  private interface Variant {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String database = args.length > 0 ? args[0] : "h2";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
    StatelessSessionBenchmark b = new StatelessSessionBenchmark();
    b.database = database;
    b.open();
    try {
      String[] names = {
        "insertJdbc", "insertStatelessSession", "insertAndDeleteJdbc", "insertAndDeleteStatelessSession"
      };
      Variant[] variants = {
        b::insertJdbc, b::insertStatelessSession, b::insertAndDeleteJdbc,
        b::insertAndDeleteStatelessSession
      };
      List<List<double[]>> samples = new ArrayList<>();
      for (int v = 0; v < variants.length; v++) {
        samples.add(new ArrayList<>());
      }
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < variants.length; k++) {
          // alternate the order of each pair from round to round
          int v = (round % 2 == 0) ? k : (k ^ 1);
          long wall = System.nanoTime();
          long cpu = mx.getCurrentThreadCpuTime();
          for (int i = 0; i < INVOCATIONS; i++) {
            variants[v].run();
          }
          cpu = mx.getCurrentThreadCpuTime() - cpu;
          wall = System.nanoTime() - wall;
          b.empty();
          double rows = (double) INVOCATIONS * StatelessSessionBenchmark.ROWS;
          if (round >= 2) {
            samples.get(v).add(new double[] {rows / (wall / 1e9), cpu / 1e3 / rows});
          }
        }
      }
      System.out.printf("%s, %d samples of 100,000 rows each (medians)%n", database, rounds - 2);
      for (int v = 0; v < variants.length; v++) {
        System.out.printf(
            "%-32s %10.0f rows/s   %6.2f CPU us/row%n",
            names[v], median(samples.get(v), 0), median(samples.get(v), 1));
      }
    } finally {
      b.close();
    }
  }

  private static double median(List<double[]> samples, int field) {
    double[] values = samples.stream().mapToDouble(s -> s[field]).toArray();
    Arrays.sort(values);
    return values[values.length / 2];
  }
}
