package io.warrenmq.server.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.management.ManagementConfig;
import io.warrenmq.management.ManagementServer;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import io.warrenmq.store.jdbc.Definitions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same requests to the local RabbitMQ's management API (127.0.0.1:15672, guest/guest) and to
 * WarrenMQ's: the status codes must be equal, every JSON field WarrenMQ answers must be one
 * RabbitMQ answers for the same object (no invented names, nested objects included), and the fields
 * clients rely on must be there. Values are not compared. Skipped, saying so, when RabbitMQ's
 * management API does not answer (enable it with {@code rabbitmq-plugins enable
 * rabbitmq_management}; {@code .ci/run} does).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RabbitMqComparisonTest {
  static final String RABBITMQ_API = "http://127.0.0.1:15672";

  /** Objects whose keys are data, not field names (arguments, client properties, headers). */
  private static final Set<String> DATA_MAPS =
      Set.of("arguments", "client_properties", "headers", "cluster_state", "capabilities");

  private static final String Q = "warren-cmp-q";
  private static final String CQ = "warren-cmp-cq";
  private static final String X = "warren-cmp-x";
  private static final String TAG = "warren-cmp-tag";

  static Broker broker;
  static WarrenServer server;
  static ManagementServer management;
  static ApiClient warren;
  static ApiClient rabbit;
  static Connection warrenAmqp;
  static Connection rabbitAmqp;

  /** Whether RabbitMQ's management API answers guest on 127.0.0.1:15672. */
  static boolean rabbitMqAnswers() {
    try {
      return new ApiClient(RABBITMQ_API).get("/api/overview").status() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(
        rabbitMqAnswers(),
        "SKIPPED: RabbitMQ's management API does not answer on "
            + RABBITMQ_API
            + " (rabbitmq-plugins enable rabbitmq_management)");
    broker = new Broker(BrokerConfig.named("comparison"));
    server = WarrenServer.start(broker, ServerConfig.defaults());
    management =
        ManagementServer.start(
            broker,
            ManagementConfig.of("127.0.0.1", 0)
                .withDefinitions(Definitions::export, Definitions::importInto));
    warren = new ApiClient("http://127.0.0.1:" + management.port());
    rabbit = new ApiClient(RABBITMQ_API);
    warrenAmqp = setUp(warren, server.port());
    rabbitAmqp = setUp(rabbit, 5672);
  }

  /** The same objects on both brokers, and a connection with a consumer holding a message. */
  private static Connection setUp(ApiClient api, int amqpPort) throws Exception {
    cleanUp(api);
    api.put("/api/queues/%2F/" + Q, "{\"durable\":false,\"arguments\":{\"x-max-length\":100}}");
    api.put("/api/queues/%2F/" + CQ, "{\"durable\":false}");
    api.put("/api/exchanges/%2F/" + X, "{\"type\":\"topic\",\"durable\":false}");
    api.post("/api/bindings/%2F/e/" + X + "/q/" + Q, "{\"routing_key\":\"k.#\"}");
    String publish =
        "{\"properties\":{},\"routing_key\":\"k.1\",\"payload\":\"m\",\"payload_encoding\":\"string\"}";
    api.post("/api/exchanges/%2F/amq.default/publish", publish.replace("k.1", CQ));
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(amqpPort);
    f.setClientProperties(Map.of("connection_name", "warren-cmp"));
    Connection c = f.newConnection();
    Channel ch = c.createChannel();
    ch.basicQos(3);
    ch.basicConsume(CQ, false, TAG, new DefaultConsumer(ch));
    // Q's message through this channel, which stays open: RabbitMQ gives a queue message_stats
    // from the stats of the channels that published to it, and the management API's publish
    // channel may close before its first stats emission, leaving the queue without them
    ch.basicPublish(X, "k.1", null, "m".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return c;
  }

  private static void cleanUp(ApiClient api) {
    api.delete("/api/queues/%2F/" + Q);
    api.delete("/api/queues/%2F/" + CQ);
    api.delete("/api/exchanges/%2F/" + X);
  }

  @AfterAll
  static void stop() throws Exception {
    if (broker == null) {
      return;
    }
    for (Connection c : new Connection[] {warrenAmqp, rabbitAmqp}) {
      if (c != null) {
        c.abort();
      }
    }
    cleanUp(rabbit);
    management.close();
    server.close();
    broker.close();
  }

  /** Polls a GET until the predicate holds on its JSON (RabbitMQ's statistics come every 5 s). */
  private static JsonNode await(ApiClient api, String path, Predicate<JsonNode> ready)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode last = api.get(path).json();
    while (!ready.test(last) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(250);
      last = api.get(path).json();
    }
    assertTrue(ready.test(last), path + " never got ready: " + last);
    return last;
  }

  private static JsonNode find(JsonNode list, Predicate<JsonNode> which) {
    for (JsonNode x : list) {
      if (which.test(x)) {
        return x;
      }
    }
    return null;
  }

  /** Field paths WarrenMQ answers that RabbitMQ does not, recursively through nested objects. */
  /**
   * WarrenMQ's documented additions to RabbitMQ's objects: the shared-store HA state of a node in
   * {@code /api/nodes} (README.md, "Management HTTP API").
   */
  private static final Set<String> WARRENMQ_FIELDS =
      Set.of("ha_mode", "ha_role", "ha_epoch", "ha_lease_age_ms");

  private static void extraFields(JsonNode ours, JsonNode theirs, String at, List<String> out) {
    for (Iterator<String> it = ours.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!theirs.has(f) && !WARRENMQ_FIELDS.contains(f)) {
        out.add(at + f);
      } else if (!DATA_MAPS.contains(f)
          // RabbitMQ lists only the counters that moved; its overview has them all (checked there)
          && !f.equals("message_stats")
          && ours.get(f).isObject()
          && theirs.get(f).isObject()) {
        extraFields(ours.get(f), theirs.get(f), at + f + ".", out);
      }
    }
  }

  private static void sameShape(String what, JsonNode ours, JsonNode theirs, String... required) {
    assertNotNull(ours, what + ": not in WarrenMQ's answer");
    assertNotNull(theirs, what + ": not in RabbitMQ's answer");
    List<String> extra = new ArrayList<>();
    extraFields(ours, theirs, "", extra);
    assertEquals(List.of(), extra, what + ": fields RabbitMQ does not have");
    TreeSet<String> missing = new TreeSet<>(List.of(required));
    missing.removeAll(ApiClient.fields(ours));
    assertEquals(Set.of(), missing, what + ": required fields missing; ours " + ours);
    TreeSet<String> theirsRequired = new TreeSet<>(List.of(required));
    theirsRequired.removeAll(ApiClient.fields(theirs));
    assertEquals(Set.of(), theirsRequired, what + ": the test asks RabbitMQ for a field it lacks");
  }

  private static JsonNode both(String path, int status, JsonNode[] out) {
    ApiClient.Answer a = warren.get(path);
    ApiClient.Answer b = rabbit.get(path);
    assertEquals(b.status(), a.status(), path + ": RabbitMQ " + b + ", WarrenMQ " + a);
    assertEquals(status, a.status(), path);
    out[0] = a.json();
    out[1] = b.json();
    return a.json();
  }

  @Test
  void topLevelObjectsHaveRabbitMqsShape() {
    JsonNode[] r = new JsonNode[2];
    both("/api/overview", 200, r);
    sameShape(
        "overview",
        r[0],
        r[1],
        "management_version",
        "rabbitmq_version",
        "product_name",
        "product_version",
        "message_stats",
        "queue_totals",
        "object_totals",
        "node",
        "exchange_types",
        "listeners",
        "contexts");
    TreeSet<String> stats = ApiClient.fields(r[0].get("message_stats"));
    stats.removeAll(ApiClient.fields(r[1].get("message_stats")));
    assertEquals(Set.of(), stats, "message_stats fields RabbitMQ does not have");
    both("/api/whoami", 200, r);
    sameShape("whoami", r[0], r[1], "name", "tags");
    both("/api/nodes", 200, r);
    sameShape(
        "node",
        r[0].get(0),
        r[1].get(0),
        "name",
        "running",
        "mem_used",
        "mem_limit",
        "mem_alarm",
        "disk_free",
        "uptime",
        "type");
    both("/api/vhosts/%2F", 200, r);
    sameShape(
        "vhost",
        r[0],
        r[1],
        "name",
        "messages",
        "messages_ready",
        "messages_unacknowledged",
        "tracing");
    both("/api/users/guest", 200, r);
    sameShape("user", r[0], r[1], "name", "password_hash", "hashing_algorithm", "tags", "limits");
    both("/api/permissions/%2F/guest", 200, r);
    sameShape("permission", r[0], r[1], "user", "vhost", "configure", "write", "read");
    both("/api/exchanges/%2F/amq.direct", 200, r);
    sameShape(
        "exchange",
        r[0],
        r[1],
        "name",
        "vhost",
        "type",
        "durable",
        "auto_delete",
        "internal",
        "arguments");
    both("/api/health/checks/alarms", 200, r);
    sameShape("alarms", r[0], r[1], "status");
    both("/api/aliveness-test/%2F", 200, r);
    sameShape("aliveness", r[0], r[1], "status");
    both("/api/definitions", 200, r);
    sameShape(
        "definitions",
        r[0],
        r[1],
        "users",
        "vhosts",
        "permissions",
        "queues",
        "exchanges",
        "bindings");
    both("/api/definitions/%2F", 200, r);
    sameShape("vhost definitions", r[0], r[1], "queues", "exchanges", "bindings");
  }

  @Test
  void queuesBindingsAndMessagesHaveRabbitMqsShape() throws InterruptedException {
    String qPath = "/api/queues/%2F/" + Q;
    JsonNode theirs =
        await(
            rabbit,
            qPath,
            q -> q.has("messages") && q.has("message_stats") && q.has("memory") && q.has("state"));
    JsonNode[] r = new JsonNode[2];
    both(qPath, 200, r);
    sameShape(
        "queue",
        r[0],
        theirs,
        "name",
        "vhost",
        "durable",
        "auto_delete",
        "exclusive",
        "arguments",
        "messages",
        "messages_ready",
        "messages_unacknowledged",
        "consumers",
        "memory",
        "message_stats",
        "state",
        "node");
    JsonNode theirList =
        await(
            rabbit,
            "/api/queues/%2F",
            l -> find(l, q -> q.path("name").asText().equals(Q) && q.has("messages")) != null);
    both("/api/queues/%2F", 200, r);
    sameShape(
        "queue in list",
        find(r[0], q -> q.path("name").asText().equals(Q)),
        find(theirList, q -> q.path("name").asText().equals(Q)),
        "name",
        "messages");
    both("/api/bindings/%2F/e/" + X + "/q/" + Q, 200, r);
    sameShape(
        "binding",
        r[0].get(0),
        r[1].get(0),
        "source",
        "vhost",
        "destination",
        "destination_type",
        "routing_key",
        "arguments",
        "properties_key");
    assertEquals(r[1].get(0).get("properties_key"), r[0].get(0).get("properties_key"));
    both(qPath + "/bindings", 200, r);
    assertEquals(r[1].size(), r[0].size(), "default binding and ours");
    both("/api/exchanges/%2F/" + X + "/bindings/source", 200, r);
    sameShape("exchange source bindings", r[0].get(0), r[1].get(0), "source", "destination");

    String get =
        "{\"count\":1,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\",\"truncate\":50000}";
    ApiClient.Answer a = warren.post(qPath + "/get", get);
    ApiClient.Answer b = rabbit.post(qPath + "/get", get);
    assertEquals(b.status(), a.status());
    sameShape(
        "message",
        a.json().get(0),
        b.json().get(0),
        "payload",
        "payload_bytes",
        "payload_encoding",
        "redelivered",
        "exchange",
        "routing_key",
        "message_count",
        "properties");
    assertEquals(b.json().get(0).get("properties"), a.json().get(0).get("properties"));

    String publish =
        "{\"properties\":{},\"routing_key\":\"none\",\"payload\":\"x\",\"payload_encoding\":\"string\"}";
    assertEquals(
        rabbit.post("/api/exchanges/%2F/" + X + "/publish", publish).body(),
        warren.post("/api/exchanges/%2F/" + X + "/publish", publish).body());
  }

  @Test
  void connectionsChannelsAndConsumersHaveRabbitMqsShape() throws InterruptedException {
    Predicate<JsonNode> ours =
        c -> "warren-cmp".equals(c.path("client_properties").path("connection_name").asText());
    JsonNode theirList =
        await(
            rabbit,
            "/api/connections",
            l -> {
              JsonNode c = find(l, ours);
              return c != null && c.has("channels");
            });
    JsonNode[] r = new JsonNode[2];
    both("/api/connections", 200, r);
    JsonNode mine = find(r[0], ours);
    JsonNode theirs = find(theirList, ours);
    sameShape(
        "connection",
        mine,
        theirs,
        "name",
        "user",
        "vhost",
        "peer_host",
        "peer_port",
        "host",
        "port",
        "protocol",
        "channels",
        "client_properties",
        "connected_at",
        "ssl",
        "state",
        "type");
    String path =
        "/api/connections/"
            + URLEncoder.encode(mine.get("name").asText(), StandardCharsets.UTF_8)
                .replace("+", "%20");
    assertEquals(200, warren.get(path).status());
    assertEquals(
        200,
        rabbit
            .get(
                "/api/connections/"
                    + URLEncoder.encode(theirs.get("name").asText(), StandardCharsets.UTF_8)
                        .replace("+", "%20"))
            .status());

    Predicate<JsonNode> ourChannel =
        ch -> ch.path("connection_details").path("name").asText().equals(mine.get("name").asText());
    Predicate<JsonNode> theirChannel =
        ch ->
            ch.path("connection_details").path("name").asText().equals(theirs.get("name").asText());
    JsonNode theirChannels =
        await(
            rabbit,
            "/api/channels",
            l -> {
              JsonNode ch = find(l, theirChannel);
              return ch != null && ch.has("consumer_count");
            });
    sameShape(
        "channel",
        find(warren.get("/api/channels").json(), ourChannel),
        find(theirChannels, theirChannel),
        "name",
        "number",
        "user",
        "vhost",
        "connection_details",
        "consumer_count",
        "messages_unacknowledged",
        "prefetch_count",
        "confirm",
        "transactional");

    Predicate<JsonNode> tag = c -> TAG.equals(c.path("consumer_tag").asText());
    both("/api/consumers/%2F", 200, r);
    sameShape(
        "consumer",
        find(r[0], tag),
        find(r[1], tag),
        "consumer_tag",
        "queue",
        "channel_details",
        "ack_required",
        "prefetch_count",
        "exclusive",
        "arguments");
  }

  @Test
  void errorsHaveRabbitMqsStatusAndBody() {
    String[][] gets = {
      {"/api/queues/%2F/warren-cmp-nosuch"},
      {"/api/queues/warren-no-vhost"},
      {"/api/exchanges/%2F/warren-cmp-nosuch"},
      {"/api/users/warren-cmp-nosuch"},
      {"/api/vhosts/warren-no-vhost"},
      {"/api/permissions/%2F/warren-cmp-nosuch"}
    };
    for (String[] g : gets) {
      ApiClient.Answer a = warren.get(g[0]);
      ApiClient.Answer b = rabbit.get(g[0]);
      assertEquals(b.status(), a.status(), g[0]);
      assertEquals(b.body(), a.body(), g[0]);
    }
    ApiClient.Answer a = warren.put("/api/queues/%2F/warren-cmp-bad", "{bad");
    ApiClient.Answer b = rabbit.put("/api/queues/%2F/warren-cmp-bad", "{bad");
    assertEquals(b.toString(), a.toString());
    a = warren.put("/api/queues/%2F/warren-cmp-bad", "{\"durable\":\"yes\"}");
    b = rabbit.put("/api/queues/%2F/warren-cmp-bad", "{\"durable\":\"yes\"}");
    assertEquals(b.toString(), a.toString());
    a = warren.call("GET", "/api/overview", null, null, null);
    b = rabbit.call("GET", "/api/overview", null, null, null);
    assertEquals(b.toString(), a.toString());
    assertEquals(
        b.response().headers().firstValue("www-authenticate"),
        a.response().headers().firstValue("www-authenticate"));
    a = warren.call("GET", "/api/overview", "guest", "wrong", null);
    b = rabbit.call("GET", "/api/overview", "guest", "wrong", null);
    assertEquals(b.toString(), a.toString());
    a =
        warren.put(
            "/api/queues/%2F/" + Q, "{\"durable\":true,\"arguments\":{\"x-max-length\":100}}");
    b =
        rabbit.put(
            "/api/queues/%2F/" + Q, "{\"durable\":true,\"arguments\":{\"x-max-length\":100}}");
    assertEquals(b.status(), a.status(), "inequivalent: RabbitMQ " + b + ", WarrenMQ " + a);
    assertEquals(b.error(), a.error());
  }
}
