package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import io.warrenmq.engine.GetResponse;
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
 * must be in the queue exactly once (unconfirmed ones may or may not be), and no message twice.
 */
@Timeout(180)
class KillRecoveryTest {
  private static final int ROUNDS = 3;

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

  /** Runs the child until it confirmed {@code killAfter} messages, kills it, returns the ids. */
  private static Set<String> runAndKill(String[] store, String round, int killAfter)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            KillRecoveryChild.class.getName(),
            store[0],
            store[1],
            round);
    Process child =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.appendTo(new File("target/kill-child.log")))
            .start();
    Set<String> confirmed = new HashSet<>();
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
        } else if (line.startsWith("C ")) {
          confirmed.add(line.substring(2, line.length() - 1));
          if (confirmed.size() == killAfter) {
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of
            // the pipe, losing confirms the child wrote just before it died
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
    assertTrue(confirmed.size() >= killAfter, "child confirmed " + confirmed.size());
    return confirmed;
  }
}
