package io.warrenmq.server.internal.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.server.internal.config.ConfFile;
import io.warrenmq.server.internal.config.ConfigException;
import io.warrenmq.server.internal.config.SettingsReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} in Prometheus text format on the management listener and on {@code
 * prometheus.tcp.port}, with RabbitMQ 3.10.8's {@code rabbitmq_prometheus} names, against a real
 * server (H2 store) and RabbitMQ's Java client.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrometheusMetricsTest {
  @TempDir static Path dir;
  static StandaloneServer server;
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One sample line: name, optional labels, value. */
  static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? ([^ ]+)$");

  @BeforeAll
  static void start() {
    String conf =
        String.join(
            "\n",
            "listeners.tcp.default = 127.0.0.1:0",
            "warrenmq.data_dir = " + dir.resolve("data"),
            "management.tcp.port = 0",
            "management.tcp.ip = 127.0.0.1",
            "prometheus.tcp.port = 0",
            "prometheus.tcp.ip = 127.0.0.1");
    server = StandaloneServer.start(SettingsReader.read(ConfFile.parse("m.conf", conf), dir), "t");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The unlabelled samples (and labelled ones keyed with their labels) of an exposition text. */
  static Map<String, Double> samples(String text) {
    Map<String, Double> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertTrue(m.matches(), "not a sample line: " + line);
      String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
      out.put(key, Double.parseDouble(m.group(3)));
    }
    return out;
  }

  /** {@code # TYPE} lines: metric name to type. */
  static Map<String, String> types(String text) {
    Map<String, String> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] p = line.split(" ");
        out.put(p[2], p[3]);
      }
    }
    return out;
  }

  static Connection connect() throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(server.port());
    f.setAutomaticRecoveryEnabled(false);
    return f.newConnection();
  }

  @Test
  void bothEndpointsCountConfirmedPublishesGetsAcksAndQueueDepthExactly() throws Exception {
    int n = 20;
    int consumed = 7;
    int promPort = server.prometheus().orElseThrow().port();
    Map<String, Double> before = samples(get(promPort, "/metrics").body());
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("metrics-q", true, false, false, null);
      ch.confirmSelect();
      for (int i = 0; i < n; i++) {
        ch.basicPublish("", "metrics-q", MessageProps.PERSISTENT, ("m" + i).getBytes());
      }
      ch.waitForConfirmsOrDie(10_000);
      ch.basicPublish("", "no-such-queue", false, null, "x".getBytes()); // dropped
      for (int i = 0; i < consumed; i++) {
        GetResponse r = ch.basicGet("metrics-q", false);
        assertNotNull(r);
        ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
      }
      ch.queueDeclare("metrics-empty", false, false, false, null);
      assertEquals(null, ch.basicGet("metrics-empty", true)); // get_empty
    }
    // the store's files: its H2 file and its journal
    List<Path> storeFiles =
        List.of(dir.resolve("data/warren.mv.db"), dir.resolve("data/warren.journal"));
    for (int port : List.of(promPort, server.managementPort())) {
      long fileBefore = size(storeFiles);
      HttpResponse<String> r = get(port, "/metrics");
      long fileAfter = size(storeFiles);
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(
          r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"),
          r.headers().toString());
      String text = r.body();
      Map<String, Double> s = samples(text);
      Map<String, String> t = types(text);
      assertEquals(
          before.get("rabbitmq_channel_messages_published_total") + n + 1,
          s.get("rabbitmq_channel_messages_published_total"),
          text);
      assertEquals(
          // the unroutable publish is confirmed too (RabbitMQ acks it once no queue took it)
          before.get("rabbitmq_channel_messages_confirmed_total") + n + 1,
          s.get("rabbitmq_channel_messages_confirmed_total"));
      assertEquals(
          before.get("rabbitmq_channel_messages_unroutable_dropped_total") + 1,
          s.get("rabbitmq_channel_messages_unroutable_dropped_total"));
      assertEquals(
          before.get("rabbitmq_channel_get_ack_total") + consumed,
          s.get("rabbitmq_channel_get_ack_total"));
      assertEquals(
          before.get("rabbitmq_channel_messages_acked_total") + consumed,
          s.get("rabbitmq_channel_messages_acked_total"));
      assertEquals((double) (n - consumed), s.get("rabbitmq_queue_messages_ready"));
      assertEquals(0.0, s.get("rabbitmq_queue_messages_unacked"));
      assertEquals((double) (n - consumed), s.get("rabbitmq_queue_messages"));
      assertEquals(2.0, s.get("rabbitmq_queues"));
      assertEquals(
          before.get("rabbitmq_channel_get_empty_total") + 1,
          s.get("rabbitmq_channel_get_empty_total"));
      assertEquals(
          before.get("rabbitmq_queues_declared_total") + 2,
          s.get("rabbitmq_queues_declared_total"));
      assertEquals(
          before.get("rabbitmq_connections_opened_total") + 1,
          s.get("rabbitmq_connections_opened_total"));
      assertEquals(
          before.get("rabbitmq_connections_closed_total") + 1,
          s.get("rabbitmq_connections_closed_total"));
      assertEquals(0.0, s.get("rabbitmq_connections"));
      assertEquals(0.0, s.get("rabbitmq_alarms_memory_used_watermark"));
      assertEquals("counter", t.get("rabbitmq_channel_messages_published_total"));
      assertEquals("gauge", t.get("rabbitmq_queue_messages_ready"));
      assertEquals("untyped", t.get("rabbitmq_alarms_memory_used_watermark"));
      assertEquals(0.0, s.get("rabbitmq_alarms_free_disk_space_watermark"));
      assertEquals("untyped", t.get("rabbitmq_alarms_free_disk_space_watermark"));
      assertTrue(
          text.contains(
              "# HELP rabbitmq_channel_messages_published_total Total number of messages published"
                  + " into an exchange on a channel\n"),
          text);
      assertTrue(text.contains("rabbitmq_build_info{"), text);
      assertTrue(
          s.get("rabbitmq_process_resident_memory_bytes") > 1 << 20, "RSS of a JVM on Linux");
      // the H2 store's group commit wrote the 20 persistent messages and the 7 acks
      assertTrue(s.get("warrenmq_store_commits_total") > 0, text);
      assertTrue(s.get("warrenmq_store_group_commit_operations_count") > 0, text);
      assertTrue(s.get("warrenmq_store_group_commit_operations_sum") >= n + consumed, text);
      assertTrue(s.get("warrenmq_store_sync_seconds_count") > 0, text);
      assertEquals("histogram", t.get("warrenmq_store_group_commit_operations"));
      assertEquals("summary", t.get("warrenmq_store_sync_seconds"));
      // the size of warrenmq.data_dir's store files, as the file system saw it around the scrape
      assertEquals("gauge", t.get("warrenmq_store_file_bytes"));
      double fileBytes = s.get("warrenmq_store_file_bytes");
      assertTrue(
          fileBytes >= Math.min(fileBefore, fileAfter)
              && fileBytes <= Math.max(fileBefore, fileAfter),
          fileBytes + " bytes, the files had " + fileBefore + " then " + fileAfter);
    }
    Map<String, Double> perObject = samples(get(promPort, "/metrics/per-object").body());
    assertEquals(
        (double) (n - consumed),
        perObject.get("rabbitmq_queue_messages_ready{queue=\"metrics-q\",vhost=\"/\"}"),
        perObject.toString());
  }

  @Test
  void consumerDeliveriesByAckModeRedeliveriesAndReturnsAreCounted() throws Exception {
    int promPort = server.prometheus().orElseThrow().port();
    Map<String, Double> before = samples(get(promPort, "/metrics").body());
    try (Connection c = connect()) {
      Channel ch = c.createChannel();
      ch.queueDeclare("metrics-consume", false, false, false, null);
      CountDownLatch returned = new CountDownLatch(1);
      ch.addReturnListener(r -> returned.countDown());
      ch.basicPublish("", "no-such-queue", true, null, "r".getBytes()); // returned
      assertTrue(returned.await(10, TimeUnit.SECONDS));
      for (int i = 0; i < 3; i++) {
        ch.basicPublish("", "metrics-consume", null, ("c" + i).getBytes());
      }
      // manual ack: the first delivery is rejected with requeue, so it comes back redelivered
      BlockingQueue<Delivery> manual = new LinkedBlockingQueue<>();
      String tag = ch.basicConsume("metrics-consume", false, (t, d) -> manual.add(d), t -> {});
      Delivery first = manual.poll(10, TimeUnit.SECONDS);
      assertNotNull(first);
      ch.basicReject(first.getEnvelope().getDeliveryTag(), true);
      int acked = 0;
      while (acked < 3) {
        Delivery d = manual.poll(10, TimeUnit.SECONDS);
        assertNotNull(d, "delivery after " + acked + " acks");
        ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
        acked++;
      }
      ch.basicCancel(tag);
      // automatic ack
      ch.basicPublish("", "metrics-consume", null, "auto".getBytes());
      BlockingQueue<Delivery> auto = new LinkedBlockingQueue<>();
      String autoTag = ch.basicConsume("metrics-consume", true, (t, d) -> auto.add(d), t -> {});
      assertNotNull(auto.poll(10, TimeUnit.SECONDS));
      ch.basicCancel(autoTag);
      ch.queueDelete("metrics-consume");
    }
    Map<String, Double> s = samples(get(promPort, "/metrics").body());
    assertEquals(
        before.get("rabbitmq_channel_messages_delivered_ack_total") + 4,
        s.get("rabbitmq_channel_messages_delivered_ack_total"),
        "3 messages, one delivered twice");
    assertEquals(
        before.get("rabbitmq_channel_messages_redelivered_total") + 1,
        s.get("rabbitmq_channel_messages_redelivered_total"));
    assertEquals(
        before.get("rabbitmq_channel_messages_delivered_total") + 1,
        s.get("rabbitmq_channel_messages_delivered_total"));
    assertEquals(
        before.get("rabbitmq_channel_messages_acked_total") + 3,
        s.get("rabbitmq_channel_messages_acked_total"));
    assertEquals(
        before.get("rabbitmq_channel_messages_unroutable_returned_total") + 1,
        s.get("rabbitmq_channel_messages_unroutable_returned_total"));
    assertEquals(
        before.get("rabbitmq_queues_deleted_total") + 1,
        s.get("rabbitmq_queues_deleted_total"),
        "queue.delete");
  }

  @Test
  void prometheusKeysAreValidatedNamingTheKeyAndLine() {
    ConfigException port =
        assertThrows(
            ConfigException.class,
            () ->
                SettingsReader.read(ConfFile.parse("p.conf", "prometheus.tcp.port = 65536"), dir));
    assertEquals("prometheus.tcp.port", port.key());
    assertTrue(port.getMessage().startsWith("p.conf:1: prometheus.tcp.port: "), port.getMessage());
    ConfigException ip =
        assertThrows(
            ConfigException.class,
            () ->
                SettingsReader.read(
                    ConfFile.parse("p.conf", "\nprometheus.tcp.ip = localhost"), dir));
    assertEquals("prometheus.tcp.ip", ip.key());
    assertTrue(ip.getMessage().contains("is not an IP address"), ip.getMessage());
    ConfigException unknown =
        assertThrows(
            ConfigException.class,
            () ->
                SettingsReader.read(
                    ConfFile.parse("p.conf", "prometheus.return_per_object_metrics = true"), dir));
    assertEquals("prometheus.return_per_object_metrics", unknown.key());
    assertEquals(
        15692,
        SettingsReader.read(ConfFile.parse("p.conf", "prometheus.tcp.port = 15692"), dir)
            .prometheusPort()
            .getAsInt());
    assertTrue(
        SettingsReader.read(ConfFile.parse("p.conf", ""), dir).prometheusPort().isEmpty(),
        "off by default");
  }

  @Test
  void theMetricsNeedNoCredentialsAndOtherPathsAre404() throws Exception {
    int promPort = server.prometheus().orElseThrow().port();
    assertEquals(404, get(promPort, "/api/overview").statusCode());
    assertEquals(200, get(server.managementPort(), "/metrics").statusCode());
    assertEquals(401, get(server.managementPort(), "/api/overview").statusCode());
  }

  @Test
  void everyRabbitmqNameExistsInRabbitMqsOwnOutputWithTheSameType() throws Exception {
    HttpResponse<String> ours = get(server.prometheus().orElseThrow().port(), "/metrics");
    String theirs;
    try {
      theirs = get(15692, "/metrics").body();
    } catch (IOException e) {
      theirs = null;
    }
    assumeTrue(theirs != null, "RabbitMQ's Prometheus plugin is not on 127.0.0.1:15692: skipped");
    Map<String, String> rabbit = types(theirs);
    int compared = 0;
    for (Map.Entry<String, String> e : types(ours.body()).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("rabbitmq_")) {
        continue;
      }
      assertTrue(rabbit.containsKey(name), name + " is not in RabbitMQ's /metrics");
      // the Prometheus Java client writes info metrics as gauge, RabbitMQ as untyped (documented)
      String expected = name.endsWith("_info") ? "gauge" : rabbit.get(name);
      if (name.endsWith("_info")) {
        assertEquals("untyped", rabbit.get(name), name);
      }
      assertEquals(expected, e.getValue(), name);
      compared++;
    }
    assertTrue(compared >= 25, "compared " + compared);
  }

  /** Persistent delivery mode. */
  static final class MessageProps {
    static final AMQP.BasicProperties PERSISTENT =
        new AMQP.BasicProperties.Builder().deliveryMode(2).build();
  }

  private static long size(List<Path> files) throws java.io.IOException {
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
    }
    return bytes;
  }
}
