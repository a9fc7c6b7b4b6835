package io.warrenmq.server.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.management.ManagementConfig;
import io.warrenmq.management.ManagementServer;
import io.warrenmq.server.ServerConfig;
import io.warrenmq.server.WarrenServer;
import io.warrenmq.store.jdbc.Definitions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The management HTTP API against a real broker with its AMQP listener: RabbitMQ's paths, status
 * codes and error JSON (RabbitMQ 3.10.8's answers, asked with curl, are the expectations).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManagementApiTest {
  private static final long MAX_BODY = 64 * 1024;

  static Broker broker;
  static WarrenServer server;
  static ManagementServer management;
  static ApiClient api;

  @BeforeAll
  static void start() {
    broker = new Broker(BrokerConfig.named("mgmt-api"));
    server = WarrenServer.start(broker, ServerConfig.defaults());
    management =
        ManagementServer.start(
            broker,
            ManagementConfig.of("127.0.0.1", 0)
                .withMaxBodyBytes(MAX_BODY)
                .withDefinitions(Definitions::export, Definitions::importInto)
                .withEndpoint(
                    "/metrics",
                    new ManagementConfig.TextEndpoint("text/plain", () -> "# metrics hook\n")));
    api = new ApiClient("http://127.0.0.1:" + management.port());
  }

  @AfterAll
  static void stop() {
    management.close();
    server.close();
    broker.close();
  }

  private static ConnectionFactory amqp() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(server.port());
    return f;
  }

  private static <T> T poll(Supplier<T> get, Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    T last = get.get();
    while (!done.test(last) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      TimeUnit.MILLISECONDS.sleep(20);
      last = get.get();
    }
    return last;
  }

  @Test
  void overviewAndWhoamiAnswerTheGuestAdministrator() {
    ApiClient.Answer overview = api.get("/api/overview");
    assertEquals(200, overview.status(), overview.body());
    for (String f :
        List.of(
            "management_version",
            "rabbitmq_version",
            "product_name",
            "message_stats",
            "queue_totals",
            "object_totals",
            "node",
            "exchange_types")) {
      assertTrue(overview.json().has(f), f + " in " + overview.body());
    }
    assertEquals("{\"name\":\"warrenmq@localhost\"}", api.get("/api/cluster-name").body());
    assertEquals("[]", api.get("/api/extensions").body());
    ApiClient.Answer whoami = api.get("/api/whoami");
    assertEquals("{\"name\":\"guest\",\"tags\":[\"administrator\"]}", whoami.body());
  }

  @Test
  void missingCredentialsGet401WithTheBasicChallengeAndNoBody() {
    ApiClient.Answer a = api.call("GET", "/api/overview", null, null, null);
    assertEquals(401, a.status());
    assertEquals(
        "Basic realm=\"RabbitMQ Management\"",
        a.response().headers().firstValue("www-authenticate").orElse(null));
    assertEquals("", a.body());
  }

  @Test
  void aWrongPasswordGets401LoginFailed() {
    ApiClient.Answer a = api.call("GET", "/api/overview", "guest", "wrong", null);
    assertEquals(401, a.status());
    assertEquals("{\"error\":\"not_authorized\",\"reason\":\"Login failed\"}", a.body());
    assertTrue(a.response().headers().firstValue("www-authenticate").isPresent());
  }

  @Test
  void aQueueIsDeclaredFilledPeekedPurgedAndDeleted() {
    assertEquals(201, api.put("/api/queues/%2F/mq-life", "{\"durable\":false}").status());
    assertEquals(204, api.put("/api/queues/%2F/mq-life", "{\"durable\":false}").status());
    ApiClient.Answer inequivalent = api.put("/api/queues/%2F/mq-life", "{\"durable\":true}");
    assertEquals(400, inequivalent.status(), inequivalent.body());
    assertEquals("bad_request", inequivalent.error());
    assertTrue(inequivalent.reason().contains("durable"), inequivalent.body());

    ApiClient.Answer published =
        api.post(
            "/api/exchanges/%2F/amq.default/publish",
            "{\"properties\":{\"delivery_mode\":2,\"headers\":{\"h\":1}},\"routing_key\":\"mq-life\","
                + "\"payload\":\"hello\",\"payload_encoding\":\"string\"}");
    assertEquals("{\"routed\":true}", published.body());

    JsonNode q = api.get("/api/queues/%2F/mq-life").json();
    assertEquals(1, q.get("messages_ready").asInt(), q.toString());
    assertEquals(1, q.get("messages").asInt());
    assertEquals(0, q.get("messages_unacknowledged").asInt());
    assertEquals(1, q.path("message_stats").path("publish").asInt(), q.toString());
    assertTrue(q.path("message_stats").path("publish_details").has("rate"));
    assertFalse(q.get("durable").asBoolean());

    ApiClient.Answer got =
        api.post(
            "/api/queues/%2F/mq-life/get",
            "{\"count\":5,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\",\"truncate\":3}");
    assertEquals(200, got.status(), got.body());
    JsonNode m = got.json().get(0);
    assertEquals(1, got.json().size());
    assertEquals("hel", m.get("payload").asText());
    assertEquals(5, m.get("payload_bytes").asInt());
    assertEquals("string", m.get("payload_encoding").asText());
    assertEquals(2, m.path("properties").path("delivery_mode").asInt(), m.toString());
    assertEquals(1, m.path("properties").path("headers").path("h").asInt());
    assertEquals(1, api.get("/api/queues/%2F/mq-life").json().get("messages_ready").asInt());

    ApiClient.Answer again =
        api.post(
            "/api/queues/%2F/mq-life/get",
            "{\"count\":1,\"ackmode\":\"ack_requeue_false\",\"encoding\":\"base64\"}");
    assertTrue(again.json().get(0).get("redelivered").asBoolean(), again.body());
    assertEquals("aGVsbG8=", again.json().get(0).get("payload").asText());
    assertEquals(0, api.get("/api/queues/%2F/mq-life").json().get("messages_ready").asInt());

    api.post(
        "/api/exchanges/%2F/amq.default/publish",
        "{\"properties\":{},\"routing_key\":\"mq-life\",\"payload\":\"x\","
            + "\"payload_encoding\":\"string\"}");
    assertEquals(204, api.delete("/api/queues/%2F/mq-life/contents").status());
    assertEquals(0, api.get("/api/queues/%2F/mq-life").json().get("messages").asInt());
    assertEquals(204, api.delete("/api/queues/%2F/mq-life").status());
    ApiClient.Answer gone = api.get("/api/queues/%2F/mq-life");
    assertEquals(404, gone.status());
    assertEquals("{\"error\":\"Object Not Found\",\"reason\":\"Not Found\"}", gone.body());
  }

  @Test
  void anUnroutablePublishAnswersRoutedFalse() {
    ApiClient.Answer a =
        api.post(
            "/api/exchanges/%2F/amq.direct/publish",
            "{\"properties\":{},\"routing_key\":\"nobody\",\"payload\":\"x\","
                + "\"payload_encoding\":\"string\"}");
    assertEquals("{\"routed\":false}", a.body());
  }

  @Test
  void bindingsAreCreatedListedByPropertiesKeyAndDeleted() {
    assertEquals(201, api.put("/api/exchanges/%2F/mx-topic", "{\"type\":\"topic\"}").status());
    assertEquals(201, api.put("/api/exchanges/%2F/mx-fan", "{\"type\":\"fanout\"}").status());
    assertEquals(201, api.put("/api/queues/%2F/mq-bound", "{}").status());
    ApiClient.Answer created =
        api.post(
            "/api/bindings/%2F/e/mx-topic/q/mq-bound",
            "{\"routing_key\":\"a.*\",\"arguments\":{}}");
    assertEquals(201, created.status(), created.body());
    assertEquals("a.*", created.response().headers().firstValue("location").orElse(null));
    assertEquals(
        201, api.post("/api/bindings/%2F/e/mx-topic/e/mx-fan", "{\"routing_key\":\"#\"}").status());

    JsonNode between = api.get("/api/bindings/%2F/e/mx-topic/q/mq-bound").json();
    assertEquals(1, between.size());
    assertEquals("a.*", between.get(0).get("properties_key").asText());
    assertEquals("queue", between.get(0).get("destination_type").asText());
    JsonNode ofQueue = api.get("/api/queues/%2F/mq-bound/bindings").json();
    assertEquals(2, ofQueue.size(), "default exchange binding and ours: " + ofQueue);
    assertEquals(200, api.get("/api/bindings/%2F/e/mx-topic/q/mq-bound/a.*").status());
    JsonNode source = api.get("/api/exchanges/%2F/mx-topic/bindings/source").json();
    assertEquals(2, source.size(), source.toString());

    String routed =
        api.post(
                "/api/exchanges/%2F/mx-topic/publish",
                "{\"properties\":{},\"routing_key\":\"a.b\",\"payload\":\"x\","
                    + "\"payload_encoding\":\"string\"}")
            .body();
    assertEquals("{\"routed\":true}", routed);

    assertEquals(204, api.delete("/api/bindings/%2F/e/mx-topic/q/mq-bound/a.*").status());
    assertEquals(404, api.delete("/api/bindings/%2F/e/mx-topic/q/mq-bound/a.*").status());
    assertEquals(0, api.get("/api/bindings/%2F/e/mx-topic/q/mq-bound").json().size());
    ApiClient.Answer noSource =
        api.post("/api/bindings/%2F/e/nosuch/q/mq-bound", "{\"routing_key\":\"k\"}");
    assertEquals(404, noSource.status());
    api.delete("/api/queues/%2F/mq-bound");
    api.delete("/api/exchanges/%2F/mx-topic");
    api.delete("/api/exchanges/%2F/mx-fan");
    assertEquals(404, api.get("/api/exchanges/%2F/mx-fan").status());
  }

  @Test
  void vhostsUsersAndPermissionsAreManagedAndANewUserCanLogIn() {
    assertEquals(201, api.put("/api/vhosts/mv1", "{\"description\":\"d\"}").status());
    assertEquals(204, api.put("/api/vhosts/mv1", "{}").status());
    assertEquals("mv1", api.get("/api/vhosts/mv1").json().get("name").asText());
    assertEquals(
        201, api.put("/api/users/mu1", "{\"password\":\"pw1\",\"tags\":\"management\"}").status());
    JsonNode user = api.get("/api/users/mu1").json();
    assertEquals("management", user.get("tags").get(0).asText(), user.toString());
    assertTrue(user.has("password_hash") && !user.toString().contains("pw1"));
    assertEquals(
        201,
        api.put(
                "/api/permissions/mv1/mu1",
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}")
            .status());
    assertEquals(".*", api.get("/api/permissions/mv1/mu1").json().get("read").asText());

    ApiClient.Answer own = api.call("GET", "/api/vhosts", "mu1", "pw1", null);
    assertEquals(200, own.status());
    assertEquals(
        List.of("mv1"),
        ApiClient.items(own.json()).stream().map(v -> v.get("name").asText()).toList());
    assertEquals(201, api.call("PUT", "/api/queues/mv1/mq-of-mu1", "mu1", "pw1", "{}").status());
    assertEquals(
        401, api.call("GET", "/api/queues/%2F", "mu1", "pw1", null).status(), "not its vhost");

    // hash-only user (RabbitMQ's definitions form)
    String hash = api.get("/api/users/mu1").json().get("password_hash").asText();
    assertEquals(
        201,
        api.put("/api/users/mu2", "{\"password_hash\":\"" + hash + "\",\"tags\":[\"monitoring\"]}")
            .status());
    assertEquals(200, api.call("GET", "/api/nodes", "mu2", "pw1", null).status());

    ApiClient.Answer missing = api.put("/api/permissions/mv1/mu1", "{\"configure\":\".*\"}");
    assertEquals(
        "{\"error\":\"bad_request\",\"reason\":\"[{key_missing,write},{key_missing,read}]\"}",
        missing.body());
    // as RabbitMQ: a PUT without password leaves the user without one
    assertEquals(204, api.put("/api/users/mu1", "{\"tags\":\"management\"}").status());
    assertEquals(401, api.call("GET", "/api/whoami", "mu1", "pw1", null).status());

    assertEquals(204, api.delete("/api/permissions/mv1/mu1").status());
    assertEquals(404, api.get("/api/permissions/mv1/mu1").status());
    assertEquals(204, api.delete("/api/vhosts/mv1").status());
    assertEquals(404, api.get("/api/vhosts/mv1").status());
    assertEquals(204, api.delete("/api/users/mu1").status());
    assertEquals(204, api.delete("/api/users/mu2").status());
    assertEquals(404, api.delete("/api/users/mu2").status());
  }

  @Test
  void connectionsChannelsAndConsumersAreListedAndAConnectionIsClosedWith320() throws Exception {
    ConnectionFactory f = amqp();
    f.setClientProperties(java.util.Map.of("connection_name", "mgmt-test"));
    com.rabbitmq.client.Connection c = f.newConnection();
    try {
      com.rabbitmq.client.Channel ch = c.createChannel();
      ch.basicQos(7);
      ch.queueDeclare("mq-consumed", false, false, true, null);
      ch.basicPublish("", "mq-consumed", null, "m".getBytes(StandardCharsets.UTF_8));
      CompletableFuture<Long> delivered = new CompletableFuture<>();
      ch.basicConsume(
          "mq-consumed",
          false,
          "ctag-1",
          new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(
                String tag, com.rabbitmq.client.Envelope e, AMQP.BasicProperties p, byte[] b) {
              delivered.complete(e.getDeliveryTag());
            }
          });
      delivered.get(10, TimeUnit.SECONDS);

      JsonNode conns = api.get("/api/connections").json();
      JsonNode mine = null;
      for (JsonNode x : conns) {
        if ("mgmt-test".equals(x.path("client_properties").path("connection_name").asText())) {
          mine = x;
        }
      }
      assertNotNull(mine, conns.toString());
      assertEquals("guest", mine.get("user").asText());
      assertEquals("/", mine.get("vhost").asText());
      assertEquals("127.0.0.1", mine.get("peer_host").asText());
      assertEquals(server.port(), mine.get("port").asInt());
      String name = mine.get("name").asText();
      assertTrue(name.contains(" -> "), name);

      JsonNode channels = api.get("/api/channels").json();
      JsonNode channel = null;
      for (JsonNode x : channels) {
        if (name.equals(x.path("connection_details").path("name").asText())) {
          channel = x;
        }
      }
      assertNotNull(channel, channels.toString());
      assertEquals(7, channel.get("prefetch_count").asInt());
      assertEquals(1, channel.get("consumer_count").asInt());
      assertEquals(1, channel.get("messages_unacknowledged").asInt());

      JsonNode consumers = api.get("/api/consumers/%2F").json();
      assertEquals(1, consumers.size(), consumers.toString());
      assertEquals("ctag-1", consumers.get(0).get("consumer_tag").asText());
      assertEquals("mq-consumed", consumers.get(0).path("queue").path("name").asText());

      JsonNode q = api.get("/api/queues/%2F/mq-consumed").json();
      assertEquals(1, q.get("messages_unacknowledged").asInt(), q.toString());
      assertEquals(0, q.get("messages_ready").asInt());
      assertEquals(1, q.get("consumers").asInt());

      CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
      c.addShutdownListener(closed::complete);
      String path =
          "/api/connections/"
              + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
      assertEquals(200, api.get(path).status());
      JsonNode ofVhost = api.get("/api/vhosts/%2F/connections").json();
      assertTrue(ofVhost.toString().contains(name), ofVhost.toString());
      assertEquals(1, api.get("/api/vhosts/%2F/channels").json().size());
      assertEquals(
          204, api.call("DELETE", path, "guest", "guest", null, "maintenance window").status());
      ShutdownSignalException why = closed.get(10, TimeUnit.SECONDS);
      assertTrue(why.getMessage().contains("maintenance window"), why.getMessage());
      assertTrue(
          why.getMessage().contains("320") || why.getMessage().contains("CONNECTION_FORCED"),
          why.getMessage());
      assertEquals(404, poll(() -> api.get(path).status(), s -> s == 404));
    } finally {
      c.abort();
    }
  }

  @Test
  void badInputGetsRabbitMqsErrorsAndChangesNothing() {
    ApiClient.Answer notJson = api.put("/api/queues/%2F/mq-bad", "{bad");
    assertEquals(400, notJson.status());
    assertEquals("{\"error\":\"bad_request\",\"reason\":\"not_json\"}", notJson.body());
    ApiClient.Answer wrongType = api.put("/api/queues/%2F/mq-bad", "{\"durable\":\"yes\"}");
    assertEquals(400, wrongType.status());
    assertEquals(
        "{\"error\":\"bad_request\",\"reason\":[\"not_boolean\",\"yes\"]}", wrongType.body());
    ApiClient.Answer noVhost = api.put("/api/queues/nosuch/mq-bad", "{}");
    assertEquals(404, noVhost.status());
    assertEquals("Object Not Found", noVhost.error());
    ApiClient.Answer tooBig =
        api.put(
            "/api/queues/%2F/mq-bad",
            "{\"arguments\":{\"x\":\"" + "a".repeat((int) MAX_BODY) + "\"}}");
    assertEquals(413, tooBig.status(), tooBig.body());
    ApiClient.Answer dots = api.put("/api/queues/%2F/%2E%2E", "{}");
    // RabbitMQ (cowboy) answers 405; Undertow refuses encoded dot segments itself with 400
    assertTrue(dots.status() == 405 || dots.status() == 400, dots.toString());
    ApiClient.Answer plainDots = api.put("/api/queues/%2F/../x", "{}");
    assertTrue(plainDots.status() == 405 || plainDots.status() == 400, plainDots.toString());
    assertEquals(404, api.get("/api/queues/%2F/mq-bad").status(), "nothing was declared");
    ApiClient.Answer badArg =
        api.put("/api/queues/%2F/mq-bad", "{\"arguments\":{\"x-max-length\":\"ten\"}}");
    assertEquals(400, badArg.status(), badArg.body());
    assertEquals(404, api.get("/api/queues/%2F/mq-bad").status(), "nothing was declared");
    ApiClient.Answer badType = api.put("/api/exchanges/%2F/mx-bad", "{\"type\":\"nosuchtype\"}");
    assertEquals(
        "{\"error\":\"bad_request\",\"reason\":\"unknown exchange type 'nosuchtype'\"}",
        badType.body());
    assertEquals(404, api.get("/api/exchanges/%2F/mx-bad").status(), "nothing was declared");
    ApiClient.Answer noPayload =
        api.post("/api/exchanges/%2F/amq.default/publish", "{\"routing_key\":\"x\"}");
    assertEquals(
        "{\"error\":\"bad_request\",\"reason\":\"[{key_missing,properties},"
            + "{key_missing,payload},{key_missing,payload_encoding}]\"}",
        noPayload.body());
    ApiClient.Answer badCount =
        api.post(
            "/api/queues/%2F/mq-nosuch/get",
            "{\"count\":\"x\",\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\"}");
    assertEquals(404, badCount.status(), "the queue is looked up first");
    assertEquals(404, api.get("/api/nosuch").status());
    assertEquals(405, api.post("/api/overview", "{}").status());
  }

  @Test
  void listsAreSortedFilteredPagedAndCutToColumnsAsRabbitMqDoes() {
    for (String q : List.of("mq-page-b", "mq-page-a", "mq-page-c")) {
      assertEquals(201, api.put("/api/queues/%2F/" + q, "{}").status());
    }
    try {
      JsonNode paged =
          api.get("/api/queues/%2F?page=2&page_size=1&name=mq-page&sort=name&columns=name,vhost")
              .json();
      assertEquals(3, paged.get("filtered_count").asInt(), paged.toString());
      assertEquals(3, paged.get("page_count").asInt());
      assertEquals(2, paged.get("page").asInt());
      assertEquals(1, paged.get("item_count").asInt());
      assertEquals(
          "{\"name\":\"mq-page-b\",\"vhost\":\"/\"}", paged.get("items").get(0).toString());
      JsonNode reversed = api.get("/api/queues?sort=name&sort_reverse=true&columns=name").json();
      assertEquals("mq-page-c", reversed.get(0).get("name").asText(), reversed.toString());
      ApiClient.Answer out = api.get("/api/queues?page=9");
      assertEquals(400, out.status());
      assertEquals("page_out_of_range", out.error());
      assertEquals("invalid_pagination_parameters", api.get("/api/queues?page=0").error());
      JsonNode nested = api.get("/api/queues/%2F?columns=name,message_stats.publish").json();
      assertTrue(nested.get(0).path("message_stats").has("publish"), nested.toString());
      assertFalse(nested.get(0).path("message_stats").has("ack"), nested.toString());
    } finally {
      for (String q : List.of("mq-page-b", "mq-page-a", "mq-page-c")) {
        api.delete("/api/queues/%2F/" + q);
      }
    }
  }

  @Test
  void anOversizedChunkedBodyGets413AndChangesNothing() throws Exception {
    byte[] big =
        ("{\"arguments\":{\"x\":\"" + "a".repeat((int) MAX_BODY * 2) + "\"}}")
            .getBytes(StandardCharsets.UTF_8);
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(
                    "http://127.0.0.1:" + management.port() + "/api/queues/%2F/mq-chunked"))
            .header(
                "Authorization",
                "Basic "
                    + java.util.Base64.getEncoder()
                        .encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
            .header("Content-Type", "application/json")
            // no length known: sent chunked, so only the server's running count can refuse it
            .PUT(
                java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(big)))
            .build();
    int status;
    try {
      status =
          java.net.http.HttpClient.newBuilder()
              .version(java.net.http.HttpClient.Version.HTTP_1_1)
              .build()
              .send(request, java.net.http.HttpResponse.BodyHandlers.ofString())
              .statusCode();
    } catch (java.io.IOException e) {
      status = -1; // the server may close the socket while the client still writes
    }
    assertTrue(status == 413 || status == -1, "status " + status);
    assertEquals(404, api.get("/api/queues/%2F/mq-chunked").status(), "nothing was declared");
  }

  @Test
  void aNameWithAnEncodedSlashIsOneName() {
    assertEquals(201, api.put("/api/queues/%2F/a%2Fb", "{}").status());
    assertEquals("a/b", api.get("/api/queues/%2F/a%2Fb").json().get("name").asText());
    assertEquals(204, api.delete("/api/queues/%2F/a%2Fb").status());
  }

  @Test
  void definitionsAreExportedAndImportedInRabbitMqsFormat() {
    api.put("/api/queues/%2F/mq-def", "{\"arguments\":{\"x-max-length\":10}}");
    JsonNode all = api.get("/api/definitions").json();
    for (String f :
        List.of(
            "rabbit_version",
            "users",
            "vhosts",
            "permissions",
            "queues",
            "exchanges",
            "bindings")) {
      assertTrue(all.has(f), f + " in " + all);
    }
    JsonNode vhost = api.get("/api/definitions/%2F").json();
    assertFalse(vhost.has("users"));
    assertTrue(vhost.get("queues").toString().contains("mq-def"), vhost.toString());
    assertFalse(vhost.get("queues").get(0).has("vhost"));
    api.delete("/api/queues/%2F/mq-def");

    ApiClient.Answer imported =
        api.post(
            "/api/definitions/%2F",
            "{\"queues\":[{\"name\":\"mq-imported\",\"durable\":true,\"auto_delete\":false,"
                + "\"arguments\":{}}]}");
    assertEquals(204, imported.status(), imported.body());
    assertEquals(200, api.get("/api/queues/%2F/mq-imported").status());
    api.delete("/api/queues/%2F/mq-imported");
    ApiClient.Answer bad = api.post("/api/definitions", "{\"queues\":[{\"name\":5}]}");
    assertEquals(400, bad.status(), bad.body());
  }

  @Test
  void healthAlivenessNodesAndTheMetricsHookAnswer() {
    assertEquals("{\"status\":\"ok\"}", api.get("/api/health/checks/alarms").body());
    assertEquals("{\"status\":\"ok\"}", api.get("/api/health/checks/local-alarms").body());
    assertEquals("{\"status\":\"ok\"}", api.get("/api/health/checks/virtual-hosts").body());
    assertEquals(
        "{\"status\":\"ok\",\"reason\":\"single node cluster\"}",
        api.get("/api/health/checks/node-is-quorum-critical").body());
    assertEquals(404, api.get("/api/health/checks/nosuch").status());
    assertEquals("{\"status\":\"ok\"}", api.get("/api/aliveness-test/%2F").body());
    assertEquals(404, api.get("/api/aliveness-test/nosuch").status());
    JsonNode nodes = api.get("/api/nodes").json();
    assertEquals(1, nodes.size());
    assertTrue(nodes.get(0).get("running").asBoolean());
    ApiClient.Answer metrics = api.call("GET", "/metrics", null, null, null);
    assertEquals(200, metrics.status());
    assertEquals("# metrics hook\n", metrics.body());
  }

  @Test
  void nodesReportTheDiskWatchersLastReadingAndNoLimitWithoutOne() {
    JsonNode unwatched = api.get("/api/nodes").json().get(0);
    assertEquals(0, unwatched.get("disk_free_limit").asLong(), "nothing watches a disk here");
    assertTrue(unwatched.get("disk_free").asLong() > 0, unwatched.toString());
    broker.recordDiskFree(123_456_789L, 50_000_000L);
    JsonNode watched = api.get("/api/nodes").json().get(0);
    assertEquals(123_456_789L, watched.get("disk_free").asLong());
    assertEquals(50_000_000L, watched.get("disk_free_limit").asLong());
    assertFalse(watched.get("disk_free_alarm").asBoolean());
  }
}
