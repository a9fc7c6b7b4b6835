package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL restarting under a shared-store HA pair (issue 19, "PostgreSQL restart while brokers
 * run"): both brokers ({@link HaPair}) on a private PostgreSQL server ({@link PrivatePostgres},
 * never the machine's shared one; skipped without its binaries) while RabbitMQ's Java client
 * publishes persistent messages with confirms and consumes ({@link HaWorkload}); PostgreSQL is
 * stopped ({@code pg_ctl stop -m fast}) for {@code -Dwarren.test.pgOutageSeconds} seconds (default
 * 10) and started again.
 *
 * <p>What must hold: while the database is down the live broker blocks its publishers ({@code
 * connection.blocked}) or fails their publishes, and never confirms one it did not store (a confirm
 * of a message sent during the outage is allowed only for one the consumers already had); once the
 * database is back it confirms again; the backup does not depose a live broker that renews its
 * lease after the restart (no takeover, same epoch, for 10 s after confirms resumed). At the end
 * the live broker is killed with SIGKILL, so that everything the consumers get afterwards comes
 * from the store, and every confirmed message must have been consumed.
 */
class HaPostgresRestartTest {
  private static final long OUTAGE_SECONDS = Long.getLong("warren.test.pgOutageSeconds", 10);

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void theLiveBrokerHoldsPublishersWhilePostgresRestartsThenGoesOnWithoutATakeover()
      throws Exception {
    String why = PrivatePostgres.unavailable();
    Assumptions.assumeTrue(why == null, why);
    HaWorkload.Report report;
    long stoppedAt;
    long restartingAt;
    Map<String, Long> sent;
    Map<String, Long> confirmTimes;
    Map<String, Long> consumedTimes;
    long blockedDuringOutage;
    long nackedDuringOutage;
    try (PrivatePostgres pg = PrivatePostgres.start(Path.of("target", "ha-private-postgres"));
        HaPair pair =
            HaPair.create(
                "ha-pg-restart", HaPair.Mode.fromSystemProperty(), pg.jdbcUrl(), List.of());
        HaWorkload workload =
            new HaWorkload(
                pair.hostPorts(), new HaWorkload.Settings(2, 2, 100, 100, "ha-pg-restart"))) {
      pair.start();
      HaPair.Node live = pair.live();
      long epoch = pair.epoch();
      workload.start();
      workload.awaitConfirmed(500, Duration.ofSeconds(60));

      long blockedBefore = workload.blockedNotices();
      long nackedBefore = workload.nackedCount();
      pg.stop();
      stoppedAt = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(OUTAGE_SECONDS)); // the outage itself
      blockedDuringOutage = workload.blockedNotices() - blockedBefore;
      nackedDuringOutage = workload.nackedCount() - nackedBefore;
      restartingAt = System.nanoTime();
      pg.startServer();

      long resumedAt =
          workload.awaitFirstConfirmOfPublishAfter(restartingAt, Duration.ofSeconds(90));
      System.out.printf(
          "HA PG RESTART: PostgreSQL down %d s; confirms again %d ms after its restart began;"
              + " connection.blocked notices during the outage %d, nacks %d%n",
          OUTAGE_SECONDS,
          TimeUnit.NANOSECONDS.toMillis(resumedAt - restartingAt),
          blockedDuringOutage,
          nackedDuringOutage);
      if (pair.mode() == HaPair.Mode.SHARED_STORE) {
        // the backup must not depose a live broker that renews: watch for 10 s
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
          assertTrue(live.running(), "the live broker stopped\n" + live.describe());
          assertEquals(
              List.of(),
              pair.backup().logMatches(HaPair.LIVE).stream().map(m -> m.group()).toList(),
              "the backup took over from a live broker that renewed after the restart");
          Thread.sleep(100);
        }
        assertEquals(epoch, pair.epoch(), "epoch");
      }
      workload.awaitConfirmed(workload.confirmedCount() + 500, Duration.ofSeconds(60));
      sent = workload.sentTimes();
      confirmTimes = workload.confirmTimes();
      consumedTimes = workload.firstConsumedTimes();

      // what the consumers get from now on comes from the store
      HaPair.Takeover t = pair.killLiveAndTakeOver(Duration.ofSeconds(90));
      workload.awaitFirstConfirmOfPublishAfter(t.deadAtNanos(), Duration.ofSeconds(90));
      report = workload.finish(Duration.ofSeconds(60));
    }
    List<String> confirmedWhileDown = new ArrayList<>();
    int sentWhileDown = 0;
    for (Map.Entry<String, Long> e : sent.entrySet()) {
      long s = e.getValue();
      if (s - stoppedAt > 0 && restartingAt - s > 0) {
        sentWhileDown++;
        Long c = confirmTimes.get(e.getKey());
        Long consumed = consumedTimes.get(e.getKey());
        // allowed only for a message a consumer had before the confirm: nothing left to store
        if (c != null && restartingAt - c > 0 && (consumed == null || consumed - c > 0)) {
          confirmedWhileDown.add(e.getKey());
        }
      }
    }
    System.out.printf(
        "HA PG RESTART: sent while PostgreSQL was down %d, confirmed while down %d; %s%n",
        sentWhileDown, confirmedWhileDown.size(), report.summary());
    assertEquals(List.of(), report.lost(), "confirmed messages lost");
    assertEquals(List.of(), report.duplicatesNotRedelivered(), "consumed again, not redelivered");
    assertEquals(List.of(), report.unknown(), "consumed, never published");
    assertEquals(List.of(), confirmedWhileDown, "confirmed while PostgreSQL was down");
    assertTrue(
        blockedDuringOutage > 0 || nackedDuringOutage > 0 || sentWhileDown > 0,
        "the publishers saw the outage (blocked, nacked, or publishes left unconfirmed)");
  }
}
