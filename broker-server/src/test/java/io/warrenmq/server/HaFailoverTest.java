package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shared-store HA failover under load (issue 19, "Kill -9 the live broker"): a live and a backup
 * broker ({@link HaPair}) on a fresh database of the PostgreSQL server on 127.0.0.1:5432 (skipped
 * without it), 4 producers publishing persistent messages with publisher confirms and 4 consumers
 * acking ({@link HaWorkload}: RabbitMQ's Java client with both addresses and automatic recovery).
 * Twenty rounds: SIGKILL of the live broker, which is started again at once and comes back as the
 * backup; the clients follow the new live broker.
 *
 * <p>Each round prints one line {@code HA FAILOVER round <n>: <ms> ms ...}: the time from the kill
 * to the first confirm of a message published after the killed JVM was gone (which only the new
 * live broker can give); the end prints the median and the maximum. {@code -Dwarren.test.haRounds}
 * changes the number of rounds.
 *
 * <p>What must hold: every confirmed message is consumed at least once; a message consumed twice
 * carries the {@code redelivered} flag the second time; nothing arrives that was never published;
 * each takeover has a higher epoch.
 */
class HaFailoverTest {
  private static final int ROUNDS = Integer.getInteger("warren.test.haRounds", 20);
  private static String database;

  @BeforeAll
  static void createDatabase() throws Exception {
    Assumptions.assumeTrue(
        HaPair.sharedPostgresReachable(), "PostgreSQL not reachable on 127.0.0.1:5432: skipped");
    database = HaPair.createDatabase("warren_ha_failover");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (database != null) {
      HaPair.dropDatabase(database);
    }
  }

  @Test
  @Timeout(value = 600, unit = TimeUnit.SECONDS) // 20 takeovers of 12-20 s on 2 loaded cores
  void everyConfirmedMessageSurvivesTwentyKillsOfTheLiveBrokerAndTheClientsFollowTheBackup()
      throws Exception {
    Random random = new Random();
    List<Long> failoverMs = new ArrayList<>();
    long started = System.nanoTime();
    HaWorkload.Report report;
    try (HaPair pair =
            HaPair.create("ha-failover", HaPair.Mode.fromSystemProperty(), database, List.of());
        HaWorkload workload =
            new HaWorkload(
                pair.hostPorts(), new HaWorkload.Settings(4, 4, 50, 100, "ha-failover"))) {
      pair.start();
      workload.start();
      workload.awaitConfirmed(200, Duration.ofSeconds(60));
      for (int round = 1; round <= ROUNDS; round++) {
        long epochBefore = pair.epoch();
        HaPair.Takeover t = pair.killLiveAndTakeOver(Duration.ofSeconds(60));
        long confirmedAt =
            workload.awaitFirstConfirmOfPublishAfter(t.deadAtNanos(), Duration.ofSeconds(60));
        long ms = TimeUnit.NANOSECONDS.toMillis(confirmedAt - t.killedAtNanos());
        failoverMs.add(ms);
        System.out.printf(
            "HA FAILOVER round %d: %d ms from kill -9 of node %s (epoch %d) to the first confirm"
                + " by node %s (epoch %d, its 'is live' line seen after %d ms)%n",
            round, ms, t.killed(), epochBefore, t.live(), t.epoch(), t.toLiveMillis());
        assertTrue(t.epoch() > epochBefore, "epoch " + t.epoch() + " after " + epochBefore);
        // a few hundred messages through the new live broker, then the next kill at a random point
        workload.awaitConfirmed(workload.confirmedCount() + 200, Duration.ofSeconds(60));
        Thread.sleep(random.nextInt(300));
      }
      if (pair.mode() == HaPair.Mode.SHARED_STORE) {
        checkStatus(pair);
      }
      report = workload.finish(Duration.ofSeconds(60));
    }
    List<Long> sorted = new ArrayList<>(failoverMs);
    sorted.sort(null);
    System.out.printf(
        "HA FAILOVER summary: %d rounds in %d s, failover median %d ms, max %d ms, min %d ms;"
            + " %s%n",
        ROUNDS,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
        sorted.get(sorted.size() / 2),
        sorted.get(sorted.size() - 1),
        sorted.get(0),
        report.summary());
    assertEquals(
        List.of(),
        report.lost().subList(0, Math.min(20, report.lost().size())),
        report.lost().size() + " confirmed messages never consumed (first 20)");
    assertEquals(
        List.of(), report.duplicatesNotRedelivered(), "consumed again without redelivered");
    assertEquals(List.of(), report.unknown(), "consumed, never published");
    assertEquals(0, report.nacked(), "publishes the brokers nacked");
    assertTrue(report.confirmed() >= 200L * ROUNDS, "confirmed only " + report.confirmed());
  }

  /**
   * The management API and metrics of the live broker say it is live, with its epoch; the backup's
   * management listener says it is the backup.
   */
  private static void checkStatus(HaPair pair) throws Exception {
    HaPair.Node live = pair.live();
    String nodes = live.httpGet("/api/nodes");
    for (String field :
        List.of(
            "\"ha_mode\"\\s*:\\s*\"shared-store\"",
            "\"ha_role\"\\s*:\\s*\"live\"",
            "\"ha_epoch\"\\s*:\\s*" + pair.epoch() + "\\b",
            "\"ha_lease_age_ms\"\\s*:\\s*\\d+")) {
      assertTrue(Pattern.compile(field).matcher(nodes).find(), field + " in /api/nodes: " + nodes);
    }
    String backup = pair.backup().httpGet("/api/nodes");
    assertTrue(
        Pattern.compile("\"ha_role\"\\s*:\\s*\"backup\"").matcher(backup).find(),
        "the backup's /api/nodes: " + backup);
    String metrics = live.httpGet("/metrics");
    for (String sample :
        List.of(
            "warrenmq_ha_live(\\{[^}]*\\})? 1(\\.0)?",
            "warrenmq_ha_epoch(\\{[^}]*\\})? " + pair.epoch() + "(\\.0)?",
            "warrenmq_ha_lease_age_seconds(\\{[^}]*\\})? [0-9.eE+-]+",
            "warrenmq_ha_takeovers_total(\\{[^}]*\\})? [0-9.eE+-]+")) {
      assertTrue(
          Pattern.compile("(?m)^" + sample + "$").matcher(metrics).find(),
          sample + " in /metrics:\n" + metrics);
    }
  }
}
