package io.warrenmq.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two server processes (the launcher, {@link Main}) on one PostgreSQL database with {@code
 * warrenmq.ha.mode = shared-store} (a fresh database for the class, dropped afterwards; skipped
 * with a message without PostgreSQL on 127.0.0.1:5432): the first is live and serves RabbitMQ's
 * Java client, the second is a backup whose AMQP port refuses connections; after a SIGKILL of the
 * live one the backup takes over within the lease timeout plus a few seconds and serves the
 * persistent message that was confirmed before the kill.
 */
@Timeout(300)
class SharedStoreFailoverTest {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long LEASE_MS = 3_000;
  private static final long RENEW_MS = 1_000;
  private static String db;
  private final List<HaNodeProcess> nodes = new ArrayList<>();

  @BeforeAll
  static void createDatabase() throws Exception {
    Assumptions.assumeTrue(
        HaPair.sharedPostgresReachable(), "PostgreSQL not reachable on 127.0.0.1:5432: skipped");
    db = "warren_ha_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    execute("CREATE DATABASE " + db);
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (db != null) {
      execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
  }

  @AfterEach
  void killNodes() throws Exception {
    for (HaNodeProcess n : nodes) {
      n.close();
    }
  }

  private HaNodeProcess node(String name) throws Exception {
    HaNodeProcess n =
        HaNodeProcess.start(
            name,
            PG + db,
            List.of(
                "warrenmq.ha.lease_timeout = " + LEASE_MS,
                "warrenmq.ha.renew_interval = " + RENEW_MS));
    nodes.add(n);
    return n;
  }

  private static ConnectionFactory factory(int port) {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(port);
    f.setAutomaticRecoveryEnabled(false);
    return f;
  }

  @Test
  void theBackupRefusesClientsUntilTheLiveIsKilledThenTakesOverWithTheConfirmedMessage()
      throws Exception {
    HaNodeProcess a = node("node-a");
    a.awaitLog("HA: node node-a is live (epoch ", 120_000);
    HaNodeProcess b = node("node-b");
    b.awaitLog("HA: node node-b is backup; live is node-a (epoch ", 120_000);
    assertFalse(b.acceptsAmqp(), "a backup does not bind its AMQP listener");
    assertThrows(ConnectException.class, () -> factory(b.amqpPort()).newConnection());
    JsonNode liveNode = node(a);
    JsonNode backupNode = node(b);
    assertEquals("shared-store", liveNode.path("ha_mode").asText());
    assertEquals("live", liveNode.path("ha_role").asText());
    assertEquals("backup", backupNode.path("ha_role").asText());
    assertEquals("shared-store", backupNode.path("ha_mode").asText());
    assertEquals(liveNode.path("ha_epoch").asLong(), backupNode.path("ha_epoch").asLong());
    assertTrue(liveNode.path("ha_epoch").asLong() >= 1, liveNode.toString());
    assertTrue(liveNode.path("ha_lease_age_ms").asLong() < LEASE_MS, liveNode.toString());
    assertTrue(backupNode.path("ha_lease_age_ms").isNumber(), backupNode.toString());
    assertTrue(metrics(b).contains("\nwarrenmq_ha_live 0.0\n"), metrics(b));
    assertTrue(metrics(a).contains("\nwarrenmq_ha_live 1.0\n"), metrics(a));
    assertEquals(503, get(b, "/api/queues").statusCode(), "a backup serves /api/nodes only");

    byte[] body = "confirmed before the kill".getBytes(StandardCharsets.UTF_8);
    try (Connection c = factory(a.amqpPort()).newConnection()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("orders", true, false, false, null);
      ch.confirmSelect();
      ch.basicPublish("", "orders", MessageProperties.PERSISTENT_BASIC, body);
      ch.waitForConfirmsOrDie(10_000);
    }
    String liveLine = line(a.log(), "HA: node node-a is live (epoch ");
    long epochA = epochOf(liveLine);

    long killed = System.nanoTime();
    a.kill();
    long deadline = killed + TimeUnit.MILLISECONDS.toNanos(LEASE_MS + 30_000);
    while (!b.acceptsAmqp()) {
      assertTrue(b.process().isAlive(), "the backup exited:\n" + b.log());
      assertTrue(System.nanoTime() < deadline, "no takeover:\n" + b.log());
      Thread.sleep(20);
    }
    long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
    System.out.println("failover (kill -9 to the backup's listener bound): " + failoverMs + " ms");
    // the backup counts the lease from the last renewal it saw, which came up to one renew
    // interval before the kill: a takeover sooner than that would have deposed a renewing broker
    assertTrue(
        failoverMs >= LEASE_MS - RENEW_MS,
        "took over " + failoverMs + " ms after the kill: before the lease could have expired");
    b.awaitLog("HA: node node-b is live (epoch " + (epochA + 1) + ")", 10_000);

    JsonNode tookOver = node(b);
    assertEquals("live", tookOver.path("ha_role").asText());
    assertEquals(epochA + 1, tookOver.path("ha_epoch").asLong());
    String m = metrics(b);
    assertTrue(m.contains("\nwarrenmq_ha_takeovers_total 1.0\n"), m);
    assertTrue(m.contains("\nwarrenmq_ha_epoch " + (epochA + 1) + ".0\n"), m);
    try (Connection c = factory(b.amqpPort()).newConnection()) {
      Channel ch = c.createChannel();
      GetResponse got = ch.basicGet("orders", true);
      assertNotNull(got, "the confirmed message is on the new live node");
      assertEquals("confirmed before the kill", new String(got.getBody(), StandardCharsets.UTF_8));
      assertEquals(null, ch.basicGet("orders", true));
    }
  }

  private static HttpResponse<String> get(HaNodeProcess n, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.managementPort() + path))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(30))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** This node in {@code GET /api/nodes}; waits for the listener (it starts with the node). */
  private static JsonNode node(HaNodeProcess n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        HttpResponse<String> r = get(n, "/api/nodes");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode nodes = new ObjectMapper().readTree(r.body());
        assertEquals(1, nodes.size(), r.body());
        return nodes.get(0);
      } catch (java.io.IOException e) {
        assertTrue(System.nanoTime() < deadline, "no management listener: " + e + "\n" + n.log());
        Thread.sleep(100);
      }
    }
  }

  private static String metrics(HaNodeProcess n) throws Exception {
    HttpResponse<String> r = get(n, "/metrics");
    assertEquals(200, r.statusCode());
    return r.body();
  }

  private static String line(String log, String start) {
    for (String l : log.split("\n")) {
      if (l.contains(start)) {
        return l;
      }
    }
    throw new AssertionError("no line with '" + start + "' in\n" + log);
  }

  private static long epochOf(String line) {
    int at = line.lastIndexOf("(epoch ");
    return Long.parseLong(line.substring(at + 7, line.indexOf(')', at)).trim());
  }

  private static void execute(String sql) throws Exception {
    try (java.sql.Connection c = DriverManager.getConnection(PG + "postgres", "postgres", null);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
