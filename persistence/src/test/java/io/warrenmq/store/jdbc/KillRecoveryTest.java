package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety with a real process kill: a child JVM ({@link KillRecoveryChild}) publishes
 * persistent messages with confirms; the parent kills it with SIGKILL ({@code destroyForcibly})
 * after a random number of confirms, three rounds on the same store; then every confirmed message
 * must be in the queue exactly once (unconfirmed ones may or may not be), and no message twice. And
 * a child that consumes and acks is killed after a random number of acks: no unacked message is
 * lost, and every delivered one that comes back is {@code redelivered} (issue 4: "A kill between a
 * consumer's ack and its commit redelivers the message with redelivered set; never loses it").
 */
@Timeout(180)
class KillRecoveryTest {
  private static final int ROUNDS = 3;
  private static final int TO_CONSUME = 4_000;

  @TempDir Path dataDir;

  @Test
  void everyConfirmedMessageSurvivesSigkillExactlyOnceOnH2() throws Exception {
    killRounds(new String[] {"h2", dataDir.toString()}, JdbcStoreConfig.h2(dataDir));
  }

  @Test
  void everyConfirmedMessageSurvivesSigkillExactlyOnceOnPostgres() throws Exception {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    String schema = Databases.createSchema();
    try {
      killRounds(new String[] {"pg", schema}, Databases.postgres(schema));
    } finally {
      Databases.dropSchema(schema);
    }
  }

  @Test
  void aKillWhileAConsumerAcksRedeliversEveryUnackedMessageFlaggedAndLosesNoneOnH2()
      throws Exception {
    killWhileConsuming(new String[] {"h2", dataDir.toString()}, JdbcStoreConfig.h2(dataDir));
  }

  @Test
  void aKillWhileAConsumerAcksRedeliversEveryUnackedMessageFlaggedAndLosesNoneOnPostgres()
      throws Exception {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    String schema = Databases.createSchema();
    try {
      killWhileConsuming(new String[] {"pg", schema}, Databases.postgres(schema));
    } finally {
      Databases.dropSchema(schema);
    }
  }

  /**
   * Publishes {@link #TO_CONSUME} messages (committed), lets the child consume them, acking every
   * other one, and kills it after a random number of acks: the acks it made are not all committed,
   * and its delivered marks are not written. After the restart every message that was not acked is
   * there, and every message that was delivered and is there comes back {@code redelivered}.
   */
  private void killWhileConsuming(String[] store, JdbcStoreConfig config) throws Exception {
    Set<String> published = new HashSet<>();
    BasicProperties persistent =
        BasicProperties.builder().deliveryMode(BasicProperties.PERSISTENT).build();
    try (Broker b = new Broker(BrokerConfig.named("fill"), JdbcMessageStore.open(config, "fill"));
        Connection c = b.newConnection("/", "fill")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      ch.confirmSelect();
      for (int i = 0; i < TO_CONSUME; i++) {
        String id = "m" + i;
        ch.basicPublish("", "q", false, persistent, id.getBytes(StandardCharsets.UTF_8));
        published.add(id);
      }
      ch.waitForConfirmsOrDie(30_000);
    }
    int killAfter = 100 + new Random().nextInt(TO_CONSUME / 2 - 200);
    Map<String, Set<String>> events = runAndKill(store, "consume", "A", killAfter);
    Set<String> delivered = events.get("D");
    Set<String> acked = events.get("A");
    assertTrue(acked.size() >= killAfter, "child acked " + acked.size());
    Map<String, Boolean> found = new HashMap<>();
    List<String> duplicates = new ArrayList<>();
    try (Broker b =
            new Broker(BrokerConfig.named("check"), JdbcMessageStore.open(config, "check"));
        Connection c = b.newConnection("/", "check")) {
      Channel ch = c.createChannel();
      GetResponse r;
      while ((r = ch.basicGet("q", true)) != null) {
        String id = new String(r.delivery().body(), StandardCharsets.UTF_8);
        if (found.put(id, r.delivery().redelivered()) != null) {
          duplicates.add(id);
        }
      }
    }
    assertEquals(List.of(), duplicates, "messages stored twice");
    List<String> lost = new ArrayList<>();
    for (String id : published) {
      if (!acked.contains(id) && !found.containsKey(id)) {
        lost.add(id);
      }
    }
    assertEquals(0, lost.size(), "unacked messages lost, e.g. " + first(lost));
    List<String> notFlagged = new ArrayList<>();
    for (String id : delivered) {
      if (Boolean.FALSE.equals(found.get(id))) {
        notFlagged.add(id);
      }
    }
    assertEquals(
        0,
        notFlagged.size(),
        "delivered messages that came back not redelivered, e.g. " + first(notFlagged));
    assertTrue(delivered.size() > acked.size(), "the child held unacked deliveries");
  }

  private void killRounds(String[] store, JdbcStoreConfig config) throws Exception {
    Random random = new Random();
    Set<String> confirmed = new HashSet<>();
    for (int round = 0; round < ROUNDS; round++) {
      int killAfter = 200 + random.nextInt(3_000);
      confirmed.addAll(runAndKill(store, "r" + round, killAfter));
    }
    Map<String, Integer> found = new HashMap<>();
    try (Broker b =
            new Broker(BrokerConfig.named("check"), JdbcMessageStore.open(config, "check"));
        Connection c = b.newConnection("/", "check")) {
      Channel ch = c.createChannel();
      GetResponse r;
      while ((r = ch.basicGet("q", true)) != null) {
        found.merge(new String(r.delivery().body(), StandardCharsets.UTF_8), 1, Integer::sum);
      }
    }
    List<String> duplicates = new ArrayList<>();
    found.forEach(
        (id, n) -> {
          if (n > 1) {
            duplicates.add(id);
          }
        });
    assertEquals(List.of(), duplicates, "messages stored twice");
    List<String> lost = new ArrayList<>();
    for (String id : confirmed) {
      if (!found.containsKey(id)) {
        lost.add(id);
      }
    }
    assertEquals(List.of(), lost, "confirmed messages lost");
    assertTrue(confirmed.size() >= ROUNDS * 200, "confirmed: " + confirmed.size());
  }

  private static List<String> first(List<String> ids) {
    return ids.subList(0, Math.min(10, ids.size()));
  }

  /** Runs the child until it confirmed {@code killAfter} messages, kills it, returns the ids. */
  private static Set<String> runAndKill(String[] store, String round, int killAfter)
      throws IOException, InterruptedException {
    Set<String> confirmed = runAndKill(store, round, "C", killAfter).get("C");
    assertTrue(confirmed.size() >= killAfter, "child confirmed " + confirmed.size());
    return confirmed;
  }

  /**
   * Runs the child in {@code mode} until it printed {@code killAfter} events of kind {@code
   * killOn}, kills it with SIGKILL, and returns the ids of its events by kind ({@code C}, {@code
   * D}, {@code A}).
   */
  private static Map<String, Set<String>> runAndKill(
      String[] store, String mode, String killOn, int killAfter)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            java,
            "-Xmx256m",
            // a short-lived child: the client compiler alone starts it in about half the CPU
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            KillRecoveryChild.class.getName(),
            store[0],
            store[1],
            mode);
    Process child =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.appendTo(new File("target/kill-child.log")))
            .start();
    Map<String, Set<String>> events = new HashMap<>();
    for (String kind : List.of("C", "D", "A")) {
      events.put(kind, new HashSet<>());
    }
    boolean ready = false;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.endsWith(";")) {
          continue; // cut by the kill
        }
        if (line.equals("READY;")) {
          ready = true;
        } else if (line.length() > 2 && events.containsKey(line.substring(0, 1))) {
          Set<String> ids = events.get(line.substring(0, 1));
          ids.add(line.substring(2, line.length() - 1));
          if (line.startsWith(killOn + " ") && ids.size() == killAfter) {
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of
            // the pipe, losing events the child wrote just before it died
            child.toHandle().destroyForcibly();
          }
        }
      }
    } finally {
      child.destroyForcibly();
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        fail("child JVM did not end");
      }
    }
    assertTrue(ready, "child started (see target/kill-child.log)");
    return events;
  }
}
