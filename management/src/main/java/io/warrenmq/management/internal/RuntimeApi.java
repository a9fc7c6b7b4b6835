package io.warrenmq.management.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.ChannelInfo;
import io.warrenmq.engine.Connection;
import io.warrenmq.engine.ConnectionInfo;
import io.warrenmq.engine.ConsumerInfo;
import io.warrenmq.engine.MessageCounts;
import io.warrenmq.engine.QueueInfo;
import io.warrenmq.management.ManagementConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code /api/overview}, {@code /api/nodes}, {@code /api/connections}, {@code /api/channels},
 * {@code /api/consumers}, {@code /api/definitions}, {@code /api/health/checks/alarms} and {@code
 * /api/aliveness-test}: the broker at run time.
 */
final class RuntimeApi {
  /** The management API version RabbitMQ clients see: the version this API follows. */
  static final String RABBITMQ_VERSION = "3.10.8";

  private static final List<String[]> EXCHANGE_TYPES =
      List.of(
          new String[] {"direct", "AMQP direct exchange, as per the AMQP specification"},
          new String[] {"fanout", "AMQP fanout exchange, as per the AMQP specification"},
          new String[] {"headers", "AMQP headers exchange, as per the AMQP specification"},
          new String[] {"topic", "AMQP topic exchange, as per the AMQP specification"},
          new String[] {"x-delayed-message", "Delayed message exchange (x-delay header, ms)"});

  private final Broker broker;
  private final Render render;
  private final ManagementConfig config;
  private final long startedAt = System.currentTimeMillis();

  RuntimeApi(Broker broker, Render render, ManagementConfig config) {
    this.broker = broker;
    this.render = render;
    this.config = config;
  }

  private static List<Object> exchangeTypes() {
    List<Object> out = new ArrayList<>();
    for (String[] t : EXCHANGE_TYPES) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t[0]);
      m.put("description", t[1]);
      m.put("enabled", true);
      out.add(m);
    }
    return out;
  }

  Reply overview(Call c) {
    List<String> vhosts =
        broker.virtualHostNames().stream().filter(v -> c.who().sees(broker, v)).toList();
    long ready = 0;
    long unacked = 0;
    long queues = 0;
    long exchanges = 0;
    MessageCounts counts = MessageCounts.ZERO;
    for (String v : vhosts) {
      for (QueueInfo q : broker.queues(v)) {
        ready += q.messagesReady();
        unacked += q.messagesUnacknowledged();
        queues++;
      }
      exchanges += broker.virtualHost(v).allExchanges().size();
      counts = counts.plus(broker.messageCounts(v));
    }
    List<ConnectionInfo> conns = visibleConnections(c);
    List<ChannelInfo> channels = visibleChannels(c);
    long consumers = visibleConsumers(c, conns).size();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("management_version", RABBITMQ_VERSION);
    m.put("rates_mode", "basic");
    m.put("sample_retention_policies", Map.of("global", List.of(600), "basic", List.of(600)));
    m.put("exchange_types", exchangeTypes());
    m.put("product_version", version());
    m.put("product_name", "WarrenMQ");
    m.put("rabbitmq_version", RABBITMQ_VERSION);
    m.put("cluster_name", Render.NODE);
    m.put("erlang_version", "Java " + Runtime.version());
    m.put(
        "erlang_full_version",
        "Java " + Runtime.version() + " " + System.getProperty("java.vm.name"));
    m.put("release_series_support_status", "supported");
    m.put("disable_stats", false);
    m.put("enable_queue_totals", false);
    String key = "overview|" + (c.who().isMonitoring() ? "*" : c.who().name());
    m.put("message_stats", render.messageStats(counts, key));
    m.put("churn_rates", Map.of());
    Map<String, Object> totals = new LinkedHashMap<>();
    render.counted(totals, "messages", ready + unacked, key);
    render.counted(totals, "messages_ready", ready, key);
    render.counted(totals, "messages_unacknowledged", unacked, key);
    m.put("queue_totals", totals);
    Map<String, Object> objects = new LinkedHashMap<>();
    objects.put("channels", channels.size());
    objects.put("connections", conns.size());
    objects.put("consumers", consumers);
    objects.put("exchanges", exchanges);
    objects.put("queues", queues);
    m.put("object_totals", objects);
    m.put("statistics_db_event_queue", 0);
    m.put("node", Render.NODE);
    m.put("listeners", List.of());
    m.put("contexts", List.of());
    return Reply.ok(m);
  }

  private static String version() {
    String v = RuntimeApi.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0" : v;
  }

  // ---- connections, channels, consumers ---------------------------------------------------------

  private List<ConnectionInfo> visibleConnections(Call c) {
    return broker.connections().stream().filter(x -> c.who().seesConnectionOf(x.user())).toList();
  }

  private List<ChannelInfo> visibleChannels(Call c) {
    return broker.channels().stream().filter(ch -> c.who().seesConnectionOf(ch.user())).toList();
  }

  private List<ConsumerInfo> visibleConsumers(Call c, List<ConnectionInfo> conns) {
    Map<String, ConnectionInfo> byName = byName(conns);
    return broker.consumers().stream().filter(x -> byName.containsKey(x.connection())).toList();
  }

  private static Map<String, ConnectionInfo> byName(List<ConnectionInfo> conns) {
    return conns.stream()
        .collect(Collectors.toMap(ConnectionInfo::name, Function.identity(), (a, b) -> a));
  }

  Reply connections(Call c) {
    if (c.size() == 1) {
      AccessApi.requireGet(c);
      return Reply.ok(visibleConnections(c).stream().map(render::connection).toList());
    }
    String name = c.seg(1);
    ConnectionInfo conn =
        visibleConnections(c).stream()
            .filter(x -> x.name().equals(name))
            .findFirst()
            .orElseThrow(ApiException::notFound);
    if (c.size() == 3 && c.seg(2).equals("channels")) {
      AccessApi.requireGet(c);
      return Reply.ok(
          broker.channels().stream()
              .filter(ch -> ch.connection().equals(name))
              .map(ch -> render.channel(ch, conn))
              .toList());
    }
    if (c.size() != 2) {
      throw ApiException.notFound();
    }
    switch (c.method()) {
      case "GET" -> {
        return Reply.ok(render.connection(conn));
      }
      case "DELETE" -> {
        // RabbitMQ lets management users close their own connections, monitoring users none
        // but their own, administrators any
        if (!c.who().isAdministrator() && !c.who().name().equals(conn.user())) {
          throw ApiException.notAuthorised("Not administrator user");
        }
        String reason =
            c.reasonHeader() == null ? "Closed via management plugin" : c.reasonHeader();
        broker.closeConnection(name, reason);
        return Reply.noContent();
      }
      default -> throw ApiException.methodNotAllowed();
    }
  }

  Reply channels(Call c) {
    if (c.size() != 1) {
      throw ApiException.notFound();
    }
    AccessApi.requireGet(c);
    return Reply.ok(channelsOf(c, null));
  }

  private List<Object> channelsOf(Call c, String vhost) {
    Map<String, ConnectionInfo> conns = byName(visibleConnections(c));
    return broker.channels().stream()
        .filter(ch -> conns.containsKey(ch.connection()))
        .filter(ch -> vhost == null || vhost.equals(ch.virtualHost()))
        .map(ch -> (Object) render.channel(ch, conns.get(ch.connection())))
        .toList();
  }

  /** {@code /api/vhosts/{vhost}/connections} and {@code /api/vhosts/{vhost}/channels}. */
  Reply ofVhost(Call c, String vhost, String what) {
    AccessApi.requireGet(c);
    if (what.equals("channels")) {
      return Reply.ok(channelsOf(c, vhost));
    }
    return Reply.ok(
        visibleConnections(c).stream()
            .filter(x -> vhost.equals(x.virtualHost()))
            .map(render::connection)
            .toList());
  }

  Reply consumers(Call c) {
    AccessApi.requireGet(c);
    String vhost = null;
    if (c.size() == 2) {
      vhost = c.accessibleVhost(1);
    } else if (c.size() != 1) {
      throw ApiException.notFound();
    }
    List<ConnectionInfo> visible = visibleConnections(c);
    Map<String, ConnectionInfo> conns = byName(visible);
    List<Object> out = new ArrayList<>();
    for (ConsumerInfo x : visibleConsumers(c, visible)) {
      if (vhost == null || vhost.equals(x.virtualHost())) {
        ConnectionInfo conn = conns.get(x.connection());
        out.add(Render.consumer(x, conn, conn == null ? null : conn.user()));
      }
    }
    return Reply.ok(out);
  }

  // ---- definitions ------------------------------------------------------------------------------

  private static final List<String> VHOST_SCOPED =
      List.of("parameters", "policies", "queues", "exchanges", "bindings");

  Reply definitions(Call c) {
    c.who().requireAdministrator();
    if (c.size() > 2) {
      throw ApiException.notFound();
    }
    String vhost = c.size() == 2 ? c.vhost(1) : null;
    switch (c.method()) {
      case "GET" -> {
        if (config.definitionsExport() == null) {
          throw new ApiException(501, "not_implemented", "definitions export is not available");
        }
        ObjectNode all = (ObjectNode) parse(config.definitionsExport().apply(broker));
        return Reply.ok(vhost == null ? all : forVhost(all, vhost));
      }
      case "POST" -> {
        if (config.definitionsImport() == null) {
          throw new ApiException(501, "not_implemented", "definitions import is not available");
        }
        ObjectNode body = c.json();
        if (vhost != null) {
          for (String field : VHOST_SCOPED) {
            if (body.get(field) instanceof ArrayNode items) {
              items.forEach(i -> ((ObjectNode) i).put("vhost", vhost));
            }
          }
        }
        try {
          config.definitionsImport().accept(broker, Json.MAPPER.writeValueAsString(body));
        } catch (io.warrenmq.client.AmqpException e) {
          throw ApiException.badRequest(e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw ApiException.badRequest("not_json");
        } catch (IllegalArgumentException | IllegalStateException e) {
          throw ApiException.badRequest(e.getMessage());
        }
        return Reply.noContent();
      }
      default -> throw ApiException.methodNotAllowed();
    }
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json.getBytes(StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("definitions export is not JSON: " + e.getMessage(), e);
    }
  }

  /** RabbitMQ's per-vhost export: no users, vhosts nor permissions; items without "vhost". */
  private static ObjectNode forVhost(ObjectNode all, String vhost) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    for (String f : List.of("rabbit_version")) {
      if (all.has(f)) {
        out.set(f, all.get(f));
      }
    }
    for (String field : VHOST_SCOPED) {
      ArrayNode items = out.putArray(field);
      if (all.get(field) instanceof ArrayNode src) {
        for (JsonNode i : src) {
          if (i instanceof ObjectNode o && vhost.equals(o.path("vhost").asText())) {
            ObjectNode copy = o.deepCopy();
            copy.remove("vhost");
            items.add(copy);
          }
        }
      }
    }
    return out;
  }

  // ---- nodes, health
  // ------------------------------------------------------------------------------

  Reply nodes(Call c) {
    c.who().requireMonitoring();
    AccessApi.requireGet(c);
    if (c.size() == 1) {
      return Reply.ok(List.of(node()));
    }
    if (c.size() == 2 && c.seg(1).equals(Render.NODE)) {
      return Reply.ok(node());
    }
    throw ApiException.notFound();
  }

  private Map<String, Object> node() {
    Runtime rt = Runtime.getRuntime();
    File dir = new File(".");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("applications", List.of());
    m.put(
        "auth_mechanisms",
        List.of(
            Map.of(
                "name",
                "PLAIN",
                "description",
                "SASL PLAIN authentication mechanism",
                "enabled",
                true)));
    m.put("config_files", List.of());
    m.put("contexts", List.of());
    // what the launcher's disk watcher last read; without one (store in PostgreSQL, the resource
    // adapter) the working directory's free space, and a limit of 0: no disk alarm can go off
    Broker.DiskReading disk =
        broker.diskReading().orElseGet(() -> new Broker.DiskReading(dir.getUsableSpace(), 0));
    m.put("disk_free", disk.freeBytes());
    m.put("disk_free_alarm", broker.diskAlarm());
    m.put("disk_free_limit", disk.limitBytes());
    m.put("enabled_plugins", List.of("rabbitmq_management"));
    m.put("exchange_types", exchangeTypes());
    m.put("log_files", List.of());
    m.put("mem_alarm", broker.memoryAlarm());
    m.put("mem_calculation_strategy", "message_bodies");
    m.put("mem_limit", broker.memoryLimitBytes());
    m.put("mem_used", broker.memoryUsedBytes());
    m.put("mem_used_details", Render.rate(0.0));
    m.put("name", Render.NODE);
    m.put("net_ticktime", 60);
    m.put("os_pid", String.valueOf(ProcessHandle.current().pid()));
    m.put("partitions", List.of());
    m.put("proc_total", rt.maxMemory());
    m.put("proc_used", rt.totalMemory() - rt.freeMemory());
    m.put("processors", rt.availableProcessors());
    m.put("rates_mode", "basic");
    m.put("run_queue", 0);
    m.put("running", true);
    m.put("sockets_used", broker.connections().size());
    m.put("type", "disc");
    m.put("uptime", System.currentTimeMillis() - startedAt);
    m.putAll(config.haStatus().get().fields());
    return m;
  }

  Reply health(Call c) {
    AccessApi.requireGet(c);
    if (c.size() != 3 || !c.seg(1).equals("checks")) {
      throw ApiException.notFound();
    }
    switch (c.seg(2)) {
      case "alarms", "local-alarms" -> {
        // one node: the cluster's alarms are this node's
      }
      case "virtual-hosts" -> {
        return Reply.ok(Map.of("status", "ok")); // every virtual host runs while the broker does
      }
      case "node-is-quorum-critical", "node-is-mirror-sync-critical" -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("reason", "single node cluster");
        return Reply.ok(m);
      }
      default -> throw ApiException.notFound();
    }
    List<Map<String, Object>> alarms = new java.util.ArrayList<>();
    if (broker.memoryAlarm()) {
      alarms.add(Map.of("node", Render.NODE, "resource", "memory"));
    }
    if (broker.diskAlarm()) {
      alarms.add(Map.of("node", Render.NODE, "resource", "disk"));
    }
    if (!alarms.isEmpty()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", "failed");
      m.put("reason", "resource alarm(s) in effect in the cluster");
      m.put("alarms", alarms);
      return new Reply(503, m, null);
    }
    return Reply.ok(Map.of("status", "ok"));
  }

  /**
   * RabbitMQ's aliveness test: declares the queue {@code aliveness-test} in the vhost, publishes a
   * message to it and gets it back.
   */
  Reply aliveness(Call c) {
    AccessApi.requireGet(c);
    if (c.size() != 2) {
      throw ApiException.notFound();
    }
    String vhost = c.accessibleVhost(1);
    try (Connection conn = broker.newConnectionAs(vhost, c.who().name())) {
      var ch = conn.createChannel();
      ch.queueDeclare(new QueueSpec("aliveness-test", false, false, false, Map.of()));
      ch.basicPublish(
          "", "aliveness-test", false, null, "test_message".getBytes(StandardCharsets.UTF_8));
      GetResponse r = null;
      long deadline = System.nanoTime() + 2_000_000_000L;
      while (r == null && System.nanoTime() < deadline) {
        r = ch.basicGet("aliveness-test", true);
        if (r == null) {
          java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
      }
      if (r == null) {
        return new Reply(503, Map.of("status", "failed", "reason", "message not received"), null);
      }
      return Reply.ok(Map.of("status", "ok"));
    }
  }
}
