package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The 2-minute version of {@code benchmarks/soak.sh} (issue 20): a server JVM on a fresh database
 * of the PostgreSQL server of 127.0.0.1:5432 (skipped with a message without it), a backlog of
 * 20,000 persistent 1 KB messages kept in one durable queue (past the 16 MiB queue window, so its
 * tail is paged through the store's page reads all along) while a producer and a consumer each move
 * 300 messages a second through it for 2 minutes ({@code -Dwarren.soak.seconds} changes it). Each
 * 20 s slice after the first must move at least 70% of that rate both ways (no slowdown as the
 * tables churn), no publish is refused, no message is lost or duplicated (the final queue depth is
 * the backlog plus the confirmed publishes minus the acks), and the server's heap after a full GC
 * grows by less than 32 MiB. Table sizes are printed, not checked: the machine's PostgreSQL runs
 * with autovacuum off, so its tables grow by design (the store warns about it at start).
 */
@Timeout(600)
class PostgresSoakTest {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
  private static final int RATE = 300;
  private static final int BACKLOG = 20_000;

  @Test
  void aBacklogKeptOnPostgresqlMovesAtASteadyRateWithNothingLostAndABoundedHeap() throws Exception {
    Assumptions.assumeTrue(
        HaPair.sharedPostgresReachable(), "PostgreSQL not reachable on 127.0.0.1:5432: skipped");
    long seconds = Long.getLong("warren.soak.seconds", 120);
    String db = "warren_soak_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    Soak.execute(PG + "postgres", "postgres", null, "CREATE DATABASE " + db);
    Soak.Report r;
    try (ServerProcess server =
        ServerProcess.startOnDatabase("postgres-soak", PG + db, List.of("-Xmx256m"))) {
      PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      r =
          new Soak(server, PG + db, "postgres", null, out)
              .run(new Soak.Settings(server.port(), seconds, 20, BACKLOG, RATE, "soak.q"));
      assertTrue(server.stop(), "the server did not stop within 30 s");
    } finally {
      Soak.execute(
          PG + "postgres", "postgres", null, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
    assertEquals(0, r.nacks(), "publishes refused");
    assertEquals(r.expectedBacklog(), r.finalBacklog(), "messages lost or duplicated");
    List<Soak.Slice> slices = r.slices();
    assertTrue(slices.size() >= 2, "too few slices: " + slices);
    for (Soak.Slice s : slices.subList(1, slices.size())) {
      assertTrue(s.publishedPerSecond() >= 0.7 * RATE, "publishing slowed down: " + s);
      assertTrue(s.consumedPerSecond() >= 0.7 * RATE, "consuming slowed down: " + s);
    }
    assertTrue(
        r.heapBytesAtEnd() - r.heapBytesAtStart() < 32L << 20,
        "server heap after GC grew from " + r.heapBytesAtStart() + " to " + r.heapBytesAtEnd());
  }
}
