package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.store.testing.PrivatePostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
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
 * <p>A live broker that cannot renew its lease blocks its publishers (the store alarm, {@code
 * connection.blocked} "store unreachable") and halts only if that lasts {@code
 * warrenmq.ha.store_outage_timeout} (default 20 s; README, "High availability"), so what an outage
 * does depends on its length against that timeout:
 *
 * <ul>
 *   <li>the defaults (3 s lease, 20 s store outage timeout) and a 10 s outage: the live broker
 *       blocks its publishers ({@code connection.blocked}) or fails their publishes, and never
 *       confirms one it did not store (a confirm of a message sent during the outage is allowed
 *       only for one a consumer had before the confirm); once the database is back it unblocks and
 *       confirms again, and the backup does not depose it (no takeover, same epoch, for 10 s after
 *       confirms resumed). At the end the live broker is killed with SIGKILL and the backup takes
 *       over, so that everything consumed afterwards comes from the store: every confirmed message
 *       must have been consumed;
 *   <li>a store outage timeout (3 s) shorter than the outage: the live broker halts with status 3
 *       while the database is down, the backup takes over once it is back, the clients follow, and
 *       no confirmed message is lost.
 * </ul>
 */
class HaPostgresRestartTest {
  private static final long OUTAGE_SECONDS = Long.getLong("warren.test.pgOutageSeconds", 10);

  @BeforeEach
  void needsPostgresBinaries() {
    String why = PrivatePostgres.unavailable();
    Assumptions.assumeTrue(why == null, why);
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aLiveBrokerBlocksItsPublishersThroughAPostgresRestartThenGoesOnWithoutATakeover()
      throws Exception {
    HaWorkload.Report report;
    Outage outage;
    try (PrivatePostgres pg = PrivatePostgres.start(Path.of("target", "ha-private-postgres"), 100);
        HaPair pair =
            HaPair.create(
                "ha-pg-restart", HaPair.Mode.fromSystemProperty(), pg.jdbcUrl(), List.of());
        // a window of 2,000 unconfirmed publishes outlasts the outage (100/s for 10 s): the
        // producers go on publishing into it and so meet the store alarm. With a smaller window
        // they could stop, waiting for confirms, before the first failed renewal raised it, and
        // a connection that does not publish is neither blocked nor told (as in RabbitMQ)
        HaWorkload workload =
            new HaWorkload(
                pair.hostPorts(), new HaWorkload.Settings(2, 2, 100, 2_000, "ha-pg-restart"))) {
      pair.start();
      HaPair.Node live = pair.live();
      long epoch = pair.epoch();
      workload.start();
      workload.awaitConfirmed(500, Duration.ofSeconds(60));

      outage = Outage.of(pg, workload);
      long resumedAt =
          workload.awaitFirstConfirmOfPublishAfter(outage.restartingAt, Duration.ofSeconds(90));
      System.out.printf(
          "HA PG RESTART (defaults): PostgreSQL down %d s; confirms again %d ms after its"
              + " restart began; connection.blocked notices during the outage %d, nacks %d%n",
          OUTAGE_SECONDS,
          TimeUnit.NANOSECONDS.toMillis(resumedAt - outage.restartingAt),
          outage.blocked,
          outage.nacked);
      if (pair.mode() == HaPair.Mode.SHARED_STORE) {
        assertTrue(
            outage.blocked > 0,
            "the live broker tells its publishers connection.blocked while it cannot reach the"
                + " store");
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
      outage.snapshot(workload);

      // what the consumers get from now on comes from the store: the live broker is killed, and
      // the backup takes over after the 3 s lease
      HaPair.Takeover t = pair.killLiveAndTakeOver(Duration.ofSeconds(90));
      workload.awaitFirstConfirmOfPublishAfter(t.deadAtNanos(), Duration.ofSeconds(90));
      report = workload.finish(Duration.ofSeconds(60));
    }
    outage.check(report, "defaults");
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aPostgresOutageLongerThanTheStoreOutageTimeoutHaltsTheLiveBrokerAndTheBackupTakesOver()
      throws Exception {
    Assumptions.assumeTrue(
        HaPair.Mode.fromSystemProperty() == HaPair.Mode.SHARED_STORE,
        "needs two brokers: skipped with -Dwarren.test.haMode=single");
    HaWorkload.Report report;
    Outage outage;
    try (PrivatePostgres pg = PrivatePostgres.start(Path.of("target", "ha-private-postgres"), 100);
        HaPair pair =
            HaPair.create(
                "ha-pg-outage",
                HaPair.Mode.SHARED_STORE,
                pg.jdbcUrl(),
                List.of("warrenmq.ha.store_outage_timeout = 3000"));
        HaWorkload workload =
            new HaWorkload(
                pair.hostPorts(), new HaWorkload.Settings(2, 2, 100, 100, "ha-pg-outage"))) {
      pair.start();
      HaPair.Node live = pair.live();
      workload.start();
      workload.awaitConfirmed(500, Duration.ofSeconds(60));

      long[] exitedAfterMs = new long[1];
      outage =
          Outage.of(
              pg,
              workload,
              stoppedAt -> {
                Optional<Integer> exit = live.awaitExit(Duration.ofSeconds(OUTAGE_SECONDS));
                exitedAfterMs[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
                assertEquals(
                    Optional.of(HaPair.HALT_EXIT),
                    exit,
                    "the live broker halts with status 3 when it cannot renew for the store"
                        + " outage timeout\n"
                        + live.describe());
              });
      HaPair.Takeover t =
          pair.awaitNewLive(live, outage.stoppedAt, outage.stoppedAt, Duration.ofSeconds(90));
      long resumedAt =
          workload.awaitFirstConfirmOfPublishAfter(outage.restartingAt, Duration.ofSeconds(90));
      System.out.printf(
          "HA PG OUTAGE (store outage timeout 3 s): PostgreSQL down %d s; node %s halted %d ms after the stop;"
              + " node %s live at epoch %d %d ms after the restart began, confirms again after"
              + " %d ms; connection.blocked notices during the outage %d, nacks %d%n",
          OUTAGE_SECONDS,
          live,
          exitedAfterMs[0],
          t.live(),
          t.epoch(),
          TimeUnit.NANOSECONDS.toMillis(t.liveAtNanos() - outage.restartingAt),
          TimeUnit.NANOSECONDS.toMillis(resumedAt - outage.restartingAt),
          outage.blocked,
          outage.nacked);
      live.start(); // back as the backup
      pair.awaitBackup(Duration.ofSeconds(90));
      workload.awaitConfirmed(workload.confirmedCount() + 500, Duration.ofSeconds(60));
      outage.snapshot(workload);
      report = workload.finish(Duration.ofSeconds(60));
    }
    outage.check(report, "store outage timeout 3 s");
  }

  /** What to do while PostgreSQL is down. */
  private interface WhileDown {
    void run(long stoppedAt) throws Exception;
  }

  /** One outage of PostgreSQL and what the workload saw of it. */
  private static final class Outage {
    long stoppedAt;
    long restartingAt;
    long blocked;
    long nacked;
    Map<String, Long> sent;
    Map<String, Long> confirmTimes;
    Map<String, Long> consumedTimes;

    static Outage of(PrivatePostgres pg, HaWorkload workload) throws Exception {
      return of(pg, workload, stoppedAt -> {});
    }

    /** Stops PostgreSQL, runs {@code whileDown}, waits out the outage, starts PostgreSQL. */
    static Outage of(PrivatePostgres pg, HaWorkload workload, WhileDown whileDown)
        throws Exception {
      Outage o = new Outage();
      long blockedBefore = workload.blockedNotices();
      long nackedBefore = workload.nackedCount();
      pg.stop();
      o.stoppedAt = System.nanoTime();
      whileDown.run(o.stoppedAt);
      long left = o.stoppedAt + TimeUnit.SECONDS.toNanos(OUTAGE_SECONDS) - System.nanoTime();
      if (left > 0) {
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left)); // the outage itself
      }
      o.blocked = workload.blockedNotices() - blockedBefore;
      o.nacked = workload.nackedCount() - nackedBefore;
      o.restartingAt = System.nanoTime();
      pg.startServer();
      return o;
    }

    void snapshot(HaWorkload workload) {
      sent = workload.sentTimes();
      confirmTimes = workload.confirmTimes();
      consumedTimes = workload.firstConsumedTimes();
    }

    /** No confirmed message lost, none confirmed while down unless consumed before. */
    void check(HaWorkload.Report report, String what) {
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
          "HA PG RESTART (%s): sent while PostgreSQL was down %d, confirmed while down %d; %s%n",
          what, sentWhileDown, confirmedWhileDown.size(), report.summary());
      assertEquals(List.of(), report.lost(), "confirmed messages lost");
      assertEquals(List.of(), report.duplicatesNotRedelivered(), "consumed again, not redelivered");
      assertEquals(List.of(), report.unknown(), "consumed, never published");
      assertEquals(List.of(), confirmedWhileDown, "confirmed while PostgreSQL was down");
      assertTrue(
          blocked > 0 || nacked > 0 || sentWhileDown > 0,
          "the publishers saw the outage (blocked, nacked, or publishes left unconfirmed)");
    }
  }
}
