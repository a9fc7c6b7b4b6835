package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Split brain in shared-store HA (issue 19, "Split brain"): the old live broker must never write
 * once a backup took over. Two cases, each on a fresh pair ({@link HaPair}) on a fresh database of
 * the PostgreSQL server on 127.0.0.1:5432 (skipped without it, and in {@code
 * -Dwarren.test.haMode=single}, where there is no second broker):
 *
 * <ul>
 *   <li>the live broker's JVM frozen with SIGSTOP past the lease while a client's publishes sit in
 *       its socket; the backup takes over; SIGCONT: the old broker halts by itself with exit status
 *       3, confirms none of those publishes, and none of them is in the queue on the new live
 *       broker, where every message confirmed before the freeze is;
 *   <li>every PostgreSQL session of the live broker terminated ({@code pg_terminate_backend}, found
 *       by the {@code application_name} the harness puts in each node's JDBC URL), three times,
 *       while RabbitMQ's Java client publishes with confirms and consumes: the live broker
 *       reconnects and goes on, or is deposed and halts; at no check do both brokers accept
 *       connections, every takeover has a higher epoch, and no confirmed message is lost.
 * </ul>
 */
class HaSplitBrainTest {
  private static String database;
  private String queue;

  @BeforeAll
  static void createDatabase() throws Exception {
    Assumptions.assumeTrue(
        HaPair.Mode.fromSystemProperty() == HaPair.Mode.SHARED_STORE,
        "split brain needs two brokers: skipped with -Dwarren.test.haMode=single");
    Assumptions.assumeTrue(
        HaPair.sharedPostgresReachable(), "PostgreSQL not reachable on 127.0.0.1:5432: skipped");
    database = HaPair.createDatabase("warren_ha_split");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (database != null) {
      HaPair.dropDatabase(database);
    }
  }

  @BeforeEach
  void freshQueue() {
    queue = "split-" + System.nanoTime();
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aLiveBrokerFrozenPastItsLeaseHaltsWhenThawedAndNoneOfItsLaterWritesLand() throws Exception {
    try (HaPair pair =
        HaPair.create("ha-split-freeze", HaPair.Mode.SHARED_STORE, database, List.of())) {
      pair.start();
      HaPair.Node old = pair.live();
      ConnectionFactory f = new ConnectionFactory();
      f.setHost("127.0.0.1");
      f.setPort(old.port());
      f.setAutomaticRecoveryEnabled(false);
      f.setRequestedHeartbeat(0); // the frozen broker must not be dropped by the client first
      AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
      Set<String> before = new HashSet<>();
      Set<Long> ackedAfterFreeze = ConcurrentHashMap.newKeySet();
      AtomicLong firstFrozenSeq = new AtomicLong(Long.MAX_VALUE);
      Connection c = f.newConnection("split-freeze");
      try {
        Channel ch = c.createChannel();
        ch.queueDeclare(queue, true, false, false, null);
        ch.confirmSelect();
        for (int i = 0; i < 500; i++) {
          String id = "before-" + i;
          ch.basicPublish("", queue, persistent, id.getBytes(StandardCharsets.UTF_8));
          before.add(id);
        }
        ch.waitForConfirmsOrDie(30_000);
        ch.addConfirmListener(
            new ConfirmListener() {
              @Override
              public void handleAck(long seq, boolean multiple) {
                if (seq >= firstFrozenSeq.get()) {
                  ackedAfterFreeze.add(seq);
                }
              }

              @Override
              public void handleNack(long seq, boolean multiple) {}
            });

        long frozenAt = System.nanoTime();
        old.signal("STOP");
        firstFrozenSeq.set(ch.getNextPublishSeqNo());
        for (int i = 0; i < 100; i++) { // into the frozen broker's socket buffer
          ch.basicPublish("", queue, persistent, ("frozen-" + i).getBytes(StandardCharsets.UTF_8));
        }
        HaPair.Takeover t = pair.awaitNewLive(old, frozenAt, frozenAt, Duration.ofSeconds(60));
        assertTrue(t.live() != old, "the backup took over");
        System.out.printf(
            "HA SPLIT BRAIN freeze: node %s live at epoch %d %d ms after SIGSTOP of node %s%n",
            t.live(), t.epoch(), t.toLiveMillis(), old);

        old.signal("CONT");
        Optional<Integer> exit = old.awaitExit(Duration.ofSeconds(30));
        assertEquals(
            Optional.of(HaPair.HALT_EXIT),
            exit,
            "the thawed old live broker halts by itself with status 3\n" + old.describe());
        assertTrue(
            old.logSinceStart().contains(" ERROR "),
            "the old live broker logs an ERROR before halting\n" + old.describe());
        long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (c.isOpen() && System.nanoTime() < closeDeadline) {
          Thread.sleep(20);
        }
        assertFalse(c.isOpen(), "the client saw the old broker go");
      } finally {
        c.abort(); // closed by the halt (or the test failed before): no close handshake
      }
      assertEquals(Set.of(), ackedAfterFreeze, "publishes confirmed by the deposed broker");

      ConnectionFactory g = new ConnectionFactory();
      g.setHost("127.0.0.1");
      g.setPort(pair.live().port());
      try (Connection check = g.newConnection("split-freeze-check")) {
        Channel ch = check.createChannel();
        int count = ch.queueDeclarePassive(queue).getMessageCount();
        Set<String> got = new HashSet<>();
        List<String> frozen = new ArrayList<>();
        GetResponse r;
        while ((r = ch.basicGet(queue, true)) != null) {
          String id = new String(r.getBody(), StandardCharsets.UTF_8);
          got.add(id);
          if (id.startsWith("frozen-")) {
            frozen.add(id);
          }
        }
        assertEquals(List.of(), frozen, "writes of the deposed broker in the queue");
        assertEquals(before, got, "every message confirmed before the freeze, nothing else");
        assertEquals(before.size(), count, "the new live broker's queue depth");
      }
    }
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void cuttingTheLiveBrokersDatabaseSessionsNeverLeavesTwoBrokersAcceptingClients()
      throws Exception {
    List<String> bothAccepting = new ArrayList<>();
    AtomicLong checks = new AtomicLong();
    HaWorkload.Report report;
    List<Long> epochs = new ArrayList<>();
    try (HaPair pair =
            HaPair.create("ha-split-cut", HaPair.Mode.SHARED_STORE, database, List.of());
        HaWorkload workload =
            new HaWorkload(pair.hostPorts(), new HaWorkload.Settings(2, 2, 100, 100, queue))) {
      pair.start();
      epochs.add(pair.epoch());
      workload.start();
      workload.awaitConfirmed(200, Duration.ofSeconds(60));
      Thread monitor =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  boolean a = pair.a().acceptsConnections();
                  boolean b = pair.b().acceptsConnections();
                  checks.incrementAndGet();
                  if (a && b) {
                    synchronized (bothAccepting) {
                      bothAccepting.add("check " + checks.get() + " at " + System.nanoTime());
                    }
                  }
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "ha-port-monitor");
      monitor.start();
      try {
        for (int cut = 1; cut <= 3; cut++) {
          HaPair.Node live = pair.live();
          long cutAt = System.nanoTime();
          int terminated = HaPair.terminateBackends(database, live.applicationNames());
          assertTrue(
              terminated > 0,
              "no PostgreSQL session with application_name in "
                  + live.applicationNames()
                  + ": "
                  + HaPair.sessionsByApplication(database));
          // the live broker either goes on (a confirm of a later publish) or halts (exit 3)
          Optional<Integer> exit = live.awaitExit(Duration.ofSeconds(10));
          String outcome;
          if (exit.isPresent()) {
            assertEquals(
                HaPair.HALT_EXIT,
                exit.get(),
                "a deposed live broker halts with status 3\n" + live.describe());
            HaPair.Takeover t = pair.awaitNewLive(live, cutAt, cutAt, Duration.ofSeconds(60));
            epochs.add(t.epoch());
            live.start(); // back as the backup
            pair.awaitBackup(Duration.ofSeconds(90));
            outcome = "node " + live + " halted; node " + t.live() + " live at epoch " + t.epoch();
          } else {
            outcome = "node " + live + " stayed live";
          }
          long confirmedAt =
              workload.awaitFirstConfirmOfPublishAfter(cutAt, Duration.ofSeconds(60));
          System.out.printf(
              "HA SPLIT BRAIN cut %d: %d sessions of node %s terminated; %s; publishing again"
                  + " %d ms after the cut%n",
              cut, terminated, live, outcome, TimeUnit.NANOSECONDS.toMillis(confirmedAt - cutAt));
          workload.awaitConfirmed(workload.confirmedCount() + 200, Duration.ofSeconds(60));
        }
      } finally {
        monitor.interrupt();
        monitor.join(5_000);
      }
      report = workload.finish(Duration.ofSeconds(60));
    }
    System.out.printf(
        "HA SPLIT BRAIN cut: %d port checks, epochs %s; %s%n",
        checks.get(), epochs, report.summary());
    assertEquals(List.of(), bothAccepting, "moments when both brokers accepted connections");
    for (int i = 1; i < epochs.size(); i++) {
      assertTrue(epochs.get(i) > epochs.get(i - 1), "epochs strictly increasing: " + epochs);
    }
    assertEquals(List.of(), report.lost(), "confirmed messages lost");
    assertEquals(List.of(), report.duplicatesNotRedelivered(), "consumed again, not redelivered");
    assertEquals(List.of(), report.unknown(), "consumed, never published");
  }
}
