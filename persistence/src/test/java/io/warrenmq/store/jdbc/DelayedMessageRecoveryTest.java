package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persistent messages held by a durable {@code x-delayed-message} exchange are stored with their
 * due time and survive a restart and a SIGKILL: delivered when due (late ones at once), routed as
 * the exchange routes then, exactly once (issue 15, section 2).
 */
@Timeout(180)
class DelayedMessageRecoveryTest {
  @TempDir Path dataDir;

  JdbcStoreConfig config;

  @BeforeEach
  void useTheStore() {
    config = JdbcStoreConfig.h2(dataDir);
  }

  /** The durable delayed exchange {@code d} (direct) routing key {@code k} to durable queue q. */
  static void declare(Channel ch) {
    ch.exchangeDeclare(
        new ExchangeSpec(
            "d", "x-delayed-message", true, false, false, Map.of("x-delayed-type", "direct")));
    ch.queueDeclare(QueueSpec.durable("q"));
    ch.queueBind("q", "d", "k", null);
  }

  private Broker open(String name) {
    return new Broker(BrokerConfig.named(name), JdbcMessageStore.open(config, name));
  }

  private static BasicProperties delayed(int delayMs) {
    return BasicProperties.builder()
        .deliveryMode(BasicProperties.PERSISTENT)
        .header("x-delay", delayMs)
        .build();
  }

  /** Publishes one persistent delayed message to {@code d} and waits for its confirm. */
  private void publishAndClose(int delayMs, String body) throws Exception {
    try (Broker b = open("before");
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      declare(ch);
      ch.confirmSelect();
      ch.basicPublish("d", "k", false, delayed(delayMs), body.getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(10_000);
    }
  }

  /** Polls {@code queue} until it holds a message or the deadline passes. */
  private static GetResponse poll(Channel ch, String queue, long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      GetResponse r = ch.basicGet(queue, true);
      if (r != null) {
        return r;
      }
      Thread.sleep(10); // polling with a deadline
    }
    return null;
  }

  private static String body(GetResponse r) {
    return new String(r.delivery().body(), StandardCharsets.UTF_8);
  }

  @Test
  void delayedPersistentMessageSurvivesRestart() throws Exception {
    long start = System.currentTimeMillis();
    publishAndClose(2_000, "held");
    assertEquals(1, StoreProbe.count(config, "warren_delayed_message"), "stored before confirmed");
    try (Broker b = open("after");
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      GetResponse r = poll(ch, "q", 30_000);
      long at = System.currentTimeMillis();
      assertNotNull(r, "delivered after the restart");
      assertEquals("held", body(r));
      assertTrue(at >= start + 2_000, "not before it was due: " + (at - start) + " ms");
      assertEquals("d", r.delivery().exchange());
      assertEquals(-2_000, r.delivery().properties().headers().get("x-delay"));
      assertTrue(r.delivery().properties().isPersistent());
      assertNull(ch.basicGet("q", true), "delivered once");
    }
    assertEquals(0, StoreProbe.count(config, "warren_delayed_message"), "forgotten when routed");
    try (Broker b = open("again");
        Connection c = b.newConnection("/", "t")) {
      assertNull(poll(c.createChannel(), "q", 500), "not delivered again after another restart");
    }
  }

  @Test
  void lateDelayedMessageIsDeliveredAtOnceAfterRestart() throws Exception {
    publishAndClose(3_600_000, "an hour");
    makeDue(); // the broker was down while it fell due
    try (Broker b = open("after");
        Connection c = b.newConnection("/", "t")) {
      GetResponse r = poll(c.createChannel(), "q", 10_000);
      assertNotNull(r, "a late message is delivered at once, not after its hour");
      assertEquals("an hour", body(r));
    }
    assertEquals(0, StoreProbe.count(config, "warren_delayed_message"));
  }

  /** Makes every stored delayed message due now, as if the broker had been down meanwhile. */
  private void makeDue() throws Exception {
    try (java.sql.Connection c = StoreProbe.connect(config);
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE warren_delayed_message SET due_at = " + (System.currentTimeMillis() - 60_000));
    }
  }

  @Test
  void aRecoveredDelayedMessageIsRoutedAsItsExchangeRoutesWhenDue() throws Exception {
    publishAndClose(3_600_000, "rerouted");
    try (Broker b = open("rebind");
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q2"));
      ch.queueBind("q2", "d", "k", null); // bound after the publish, before it is due
      ch.queueUnbind("q", "d", "k", null);
    }
    makeDue();
    try (Broker b = open("after");
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      GetResponse r = poll(ch, "q2", 10_000);
      assertNotNull(r);
      assertEquals("rerouted", body(r));
      assertNull(ch.basicGet("q", true), "q was unbound before it was due");
    }
  }

  @Test
  void aStoredDelayedMessageOfADeletedExchangeIsDroppedAndForgotten() throws Exception {
    publishAndClose(3_600_000, "orphan");
    try (Broker b = open("delete");
        Connection c = b.newConnection("/", "t")) {
      c.createChannel().exchangeDelete("d", false);
    }
    try (Broker b = open("after")) {
      // recovery drops it: forgotten by the time the store closes
    }
    assertEquals(0, StoreProbe.count(config, "warren_delayed_message"));
  }

  /**
   * A child JVM publishes persistent delayed messages with confirms and is killed with SIGKILL;
   * after the store is reopened here, every confirmed message is delivered once, not before it was
   * due (some were released by the child before the kill: they are in the queue already).
   */
  @Test
  void everyConfirmedDelayedMessageIsDeliveredWhenDueAfterSigkill() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                // a short-lived child: the client compiler alone starts it in about half the CPU
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                DelayedKillChild.class.getName(),
                dataDir.toString())
            .redirectError(
                ProcessBuilder.Redirect.appendTo(new File("target/delayed-kill-child.log")))
            .start();
    Set<String> confirmed = new HashSet<>();
    boolean ready = false;
    int killAfter = 300;
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
            child.toHandle().destroyForcibly(); // SIGKILL; our end of the pipe stays readable
          }
        }
      }
    } finally {
      child.destroyForcibly();
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        fail("child JVM did not end");
      }
    }
    assertTrue(ready, "child started (see target/delayed-kill-child.log)");
    assertTrue(confirmed.size() >= killAfter, "confirmed " + confirmed.size());
    long lastDue = 0;
    for (String b : confirmed) {
      lastDue = Math.max(lastDue, Long.parseLong(b.substring(b.indexOf('@') + 1)));
    }
    Map<String, Integer> found = new HashMap<>();
    List<String> early = new ArrayList<>();
    try (Broker b = open("check");
        Connection c = b.newConnection("/", "check")) {
      Channel ch = c.createChannel();
      long deadline = Math.max(lastDue, System.currentTimeMillis()) + 30_000;
      while (System.currentTimeMillis() < deadline && !found.keySet().containsAll(confirmed)) {
        GetResponse r = poll(ch, "q", 1_000);
        if (r != null) {
          String body = body(r);
          long due = Long.parseLong(body.substring(body.indexOf('@') + 1));
          if (System.currentTimeMillis() < due) {
            early.add(body);
          }
          found.merge(body, 1, Integer::sum);
        }
      }
      GetResponse r;
      while ((r = poll(ch, "q", 300)) != null) { // anything left is counted too
        found.merge(body(r), 1, Integer::sum);
      }
    }
    List<String> lost = new ArrayList<>();
    for (String id : confirmed) {
      if (!found.containsKey(id)) {
        lost.add(id);
      }
    }
    List<String> twice = new ArrayList<>();
    found.forEach(
        (id, n) -> {
          if (n > 1) {
            twice.add(id);
          }
        });
    assertEquals(List.of(), lost, "confirmed delayed messages lost");
    assertEquals(List.of(), twice, "delayed messages delivered twice");
    assertEquals(List.of(), early, "delivered before due");
    assertEquals(0, StoreProbe.count(config, "warren_delayed_message"));
  }
}
