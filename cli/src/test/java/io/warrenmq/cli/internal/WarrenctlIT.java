package io.warrenmq.cli.internal;

import static io.warrenmq.cli.internal.ManagementClient.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.cli.Warrenctl;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * warrenctl against a live RabbitMQ-compatible management API: RabbitMQ's on 127.0.0.1:15672 by
 * default (its API is the contract WarrenMQ's copies), or the one {@code -Dwarrenctl.it.url=...}
 * names, with {@code -Dwarrenctl.it.username}/{@code password} (default guest/guest) and the AMQP
 * URI {@code -Dwarrenctl.it.amqp} (default amqp://guest:guest@127.0.0.1:5672) for the connection
 * and consumer tests. Every test runs the CLI in-process through picocli's {@link
 * CommandLine#execute}, works in its own virtual host or with names carrying a random suffix, and
 * removes what it made. The class is skipped, with the reason printed, when the API does not
 * answer.
 */
@Timeout(120)
class WarrenctlIT {
  private static final String URL =
      System.getProperty("warrenctl.it.url", "http://127.0.0.1:15672");
  private static final String USER = System.getProperty("warrenctl.it.username", "guest");
  private static final String PASSWORD = System.getProperty("warrenctl.it.password", "guest");
  private static final String AMQP =
      System.getProperty("warrenctl.it.amqp", "amqp://guest:guest@127.0.0.1:5672");

  /** RabbitMQ refreshes queue counts in the API every 5 s (collect_statistics_interval). */
  private static final long STATS_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

  private static ManagementClient api;

  @TempDir Path dir;
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final List<Runnable> cleanups = new ArrayList<>();

  record Result(int exit, String out, String err) {
    List<String> lines() {
      return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\R"));
    }
  }

  @BeforeAll
  static void apiAnswers() {
    ManagementClient.Endpoint endpoint = ManagementClient.Endpoint.parse(URL);
    api = new ManagementClient(endpoint.root(), USER, PASSWORD, Duration.ofSeconds(10));
    String failure = null;
    try {
      api.get("/api/overview");
    } catch (CliException e) {
      failure = e.getMessage();
    }
    if (failure != null) {
      System.err.println("WarrenctlIT skipped: no management API at " + URL + ": " + failure);
    }
    assumeTrue(failure == null, "no management API at " + URL + ": " + failure);
  }

  @BeforeEach
  void nothingToCleanYet() {
    cleanups.clear();
  }

  @AfterEach
  void cleanUp() {
    for (int i = cleanups.size() - 1; i >= 0; i--) {
      try {
        cleanups.get(i).run();
      } catch (RuntimeException e) {
        // already gone
      }
    }
  }

  private Result ctl(String... args) {
    return ctlWithInput("", args);
  }

  private Result ctlWithInput(String stdin, String... args) {
    Map<String, String> env = new HashMap<>();
    env.put("WARRENCTL_URL", URL);
    env.put("WARRENCTL_USERNAME", USER);
    env.put("WARRENCTL_PASSWORD", PASSWORD);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine =
        Warrenctl.commandLine(
            env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private Result ok(String... args) {
    Result result = ctl(args);
    assertEquals(0, result.exit(), () -> String.join(" ", args) + ": " + result.err());
    return result;
  }

  private String vhost() {
    String vhost = "warrenctl-it-" + suffix;
    api.send("PUT", "/api/vhosts/" + segment(vhost), null, Map.of());
    cleanups.add(() -> api.send("DELETE", "/api/vhosts/" + segment(vhost), null, Map.of()));
    return vhost;
  }

  private void declareQueue(String vhost, String queue, String arguments) throws Exception {
    ObjectNode body = ManagementClient.JSON.createObjectNode();
    body.put("durable", false).put("auto_delete", false);
    body.set("arguments", ManagementClient.JSON.readTree(arguments));
    api.send("PUT", "/api/queues/" + segment(vhost) + "/" + segment(queue), body, Map.of());
  }

  private void publish(String vhost, String queue, String payload) {
    ObjectNode body = ManagementClient.JSON.createObjectNode();
    body.putObject("properties").put("delivery_mode", 1).put("message_id", payload);
    body.put("routing_key", queue).put("payload", payload).put("payload_encoding", "string");
    JsonNode answer =
        api.send(
            "POST", "/api/exchanges/" + segment(vhost) + "/amq.default/publish", body, Map.of());
    assertTrue(answer.path("routed").asBoolean(), answer.toString());
  }

  /** Takes every message of {@code queue} (ack_requeue_false), in order: their payloads. */
  private List<String> drain(String vhost, String queue) {
    ObjectNode body = ManagementClient.JSON.createObjectNode();
    body.put("count", 1000).put("ackmode", "ack_requeue_false").put("encoding", "auto");
    JsonNode answer =
        api.send(
            "POST",
            "/api/queues/" + segment(vhost) + "/" + segment(queue) + "/get",
            body,
            Map.of());
    List<String> payloads = new ArrayList<>();
    answer.forEach(message -> payloads.add(message.path("payload").asText()));
    return payloads;
  }

  /** Runs warrenctl until its output satisfies {@code done}, for the API's statistics delay. */
  private Result poll(Predicate<Result> done, String... args) throws InterruptedException {
    long deadline = System.nanoTime() + STATS_DEADLINE_NANOS;
    Result result = ok(args);
    while (!done.test(result) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(250);
      result = ok(args);
    }
    return result;
  }

  @Test
  void addVhostListVhostsDeleteVhostRoundTrip() {
    String vhost = "warrenctl-it-vh-" + suffix;
    cleanups.add(() -> api.send("DELETE", "/api/vhosts/" + segment(vhost), null, Map.of()));
    Result added = ok("add_vhost", vhost, "--description", "made by WarrenctlIT");
    assertTrue(added.out().contains("Adding vhost \"" + vhost + "\""), added.out());

    List<String> names = ok("list_vhosts", "--formatter", "tsv", "--no-table-headers").lines();
    assertTrue(names.contains(vhost), names.toString());
    assertTrue(names.contains("/"), names.toString());
    Result described = ok("list_vhosts", "name", "description", "--formatter", "tsv");
    assertTrue(described.lines().contains(vhost + "\tmade by WarrenctlIT"), described.out());

    ok("-q", "delete_vhost", vhost);
    assertFalse(ok("list_vhosts", "--formatter", "tsv").lines().contains(vhost));

    Result again = ctl("delete_vhost", vhost);
    assertEquals(ExitCodes.DATA_ERROR, again.exit());
    assertTrue(again.err().contains("HTTP 404"), again.err());
    assertTrue(again.err().contains("/api/vhosts/" + vhost), again.err());
  }

  @Test
  void usersTagsPermissionsAndPasswordsRoundTrip() throws Exception {
    String vhost = vhost();
    String user = "warrenctl-it-user-" + suffix;
    cleanups.add(() -> api.send("DELETE", "/api/users/" + segment(user), null, Map.of()));

    ok("add_user", user, "first-pw");
    Result twice = ctl("add_user", user, "other-pw");
    assertEquals(ExitCodes.DATA_ERROR, twice.exit());
    assertTrue(twice.err().contains("already exists"), twice.err());

    ok("set_user_tags", user, "monitoring", "management");
    JsonNode users = ManagementClient.JSON.readTree(ok("list_users", "--formatter", "json").out());
    JsonNode listed = null;
    for (JsonNode node : users) {
      if (node.path("user").asText().equals(user)) {
        listed = node;
      }
    }
    assertTrue(listed != null, users.toString());
    assertEquals("[\"monitoring\",\"management\"]", listed.get("tags").toString());

    ok("set_permissions", "-p", vhost, user, "^cfg-.*", ".*", "");
    Result permissions = ok("list_permissions", "-p", vhost, "--formatter", "tsv");
    assertTrue(permissions.lines().contains(user + "\t^cfg-.*\t.*\t"), permissions.out());
    assertEquals("user\tconfigure\twrite\tread", permissions.lines().get(0));

    // the new user logs in with its password (monitoring may read the overview)
    assertEquals(0, ctl("--username", user, "--password", "first-pw", "status").exit());
    ok("change_password", user, "second-pw");
    Result old = ctl("--username", user, "--password", "first-pw", "status");
    assertEquals(ExitCodes.NO_PERMISSION, old.exit());
    assertEquals(0, ctl("--username", user, "--password", "second-pw", "status").exit());
    // change_password kept the tags, set_user_tags kept the password
    assertTrue(
        ok("list_users", "--formatter", "tsv")
            .lines()
            .contains(user + "\t[\"monitoring\",\"management\"]"));
    ok("set_user_tags", user);
    // without tags the user may not use the management API at all (RabbitMQ: 401)
    Result untagged = ctl("--username", user, "--password", "second-pw", "list_vhosts");
    assertEquals(ExitCodes.NO_PERMISSION, untagged.exit(), untagged.err());

    ok("clear_permissions", "-p", vhost, user);
    assertFalse(ok("list_permissions", "-p", vhost, "--formatter", "tsv").out().contains(user));
    ok("delete_user", user);
    assertFalse(ok("list_users", "--formatter", "tsv").out().contains(user));
    assertEquals(ExitCodes.DATA_ERROR, ctl("change_password", user, "x").exit());
  }

  @Test
  void listQueuesPrintsTheRequestedColumnsInTsvAndJson() throws Exception {
    String vhost = vhost();
    String queue = "orders-" + suffix;
    declareQueue(vhost, queue, "{\"x-max-length\": 100}");
    declareQueue(vhost, "empty-" + suffix, "{}");
    for (int i = 0; i < 3; i++) {
      publish(vhost, queue, "m" + i);
    }

    String expected = queue + "\t3\t3\t0\t0\tfalse\t{\"x-max-length\":100}";
    Result tsv =
        poll(
            r -> r.lines().contains(expected),
            "list_queues",
            "-p",
            vhost,
            "--formatter",
            "tsv",
            "name",
            "messages",
            "messages_ready",
            "messages_unacknowledged",
            "consumers",
            "durable,arguments");
    assertEquals(
        "name\tmessages\tmessages_ready\tmessages_unacknowledged\tconsumers\tdurable\targuments",
        tsv.lines().get(0));
    assertTrue(tsv.lines().contains(expected), tsv.out());
    assertEquals(3, tsv.lines().size(), tsv.out());

    JsonNode json =
        ManagementClient.JSON.readTree(
            ok("list_queues", "-p", vhost, "--formatter", "json", "name", "messages", "arguments")
                .out());
    assertEquals(2, json.size(), json.toString());
    JsonNode orders = json.get(0).get("name").asText().equals(queue) ? json.get(0) : json.get(1);
    assertEquals(3, orders.get("messages").intValue());
    assertEquals(100, orders.get("arguments").get("x-max-length").intValue());

    Result table = ok("list_queues", "-p", vhost);
    assertEquals("Listing queues for vhost " + vhost + " ...", table.lines().get(0));
    assertTrue(table.lines().get(1).matches("name\\s+messages"), table.out());
    Result quiet = ok("-q", "list_queues", "-p", vhost, "--no-table-headers", "name");
    assertEquals(2, quiet.lines().size(), quiet.out());
  }

  @Test
  void listExchangesAndBindingsShowWhatTheApiDeclared() throws Exception {
    String vhost = vhost();
    String queue = "bound-" + suffix;
    declareQueue(vhost, queue, "{}");
    ObjectNode exchange = ManagementClient.JSON.createObjectNode().put("type", "topic");
    api.send("PUT", "/api/exchanges/" + segment(vhost) + "/events", exchange, Map.of());
    api.send(
        "POST",
        "/api/bindings/" + segment(vhost) + "/e/events/q/" + segment(queue),
        ManagementClient.JSON.createObjectNode().put("routing_key", "order.*"),
        Map.of());

    Result exchanges = ok("list_exchanges", "-p", vhost, "--formatter", "tsv");
    assertTrue(exchanges.lines().contains("events\ttopic"), exchanges.out());
    assertTrue(exchanges.lines().contains("amq.direct\tdirect"), exchanges.out());
    Result bindings = ok("list_bindings", "-p", vhost, "--formatter", "tsv");
    assertTrue(
        bindings.lines().contains("events\texchange\t" + queue + "\tqueue\torder.*\t{}"),
        bindings.out());
  }

  @Test
  void purgeQueueEmptiesTheQueue() throws Exception {
    String vhost = vhost();
    String queue = "purge-" + suffix;
    declareQueue(vhost, queue, "{}");
    for (int i = 0; i < 4; i++) {
      publish(vhost, queue, "p" + i);
    }
    Result purged = ok("purge_queue", "-p", vhost, queue);
    assertTrue(purged.out().contains("Purging queue '" + queue + "'"), purged.out());
    assertEquals(List.of(), drain(vhost, queue));

    Result missing = ctl("purge_queue", "-p", vhost, "no-such-" + suffix);
    assertEquals(ExitCodes.DATA_ERROR, missing.exit());
    assertTrue(missing.err().contains("HTTP 404"), missing.err());
  }

  @Test
  void deleteQueueRemovesItAndIfEmptyRefusesAQueueWithMessages() throws Exception {
    String vhost = vhost();
    String queue = "delete-" + suffix;
    declareQueue(vhost, queue, "{}");
    publish(vhost, queue, "keep");
    Result refused = ctl("delete_queue", "-p", vhost, "--if-empty", queue);
    assertEquals(ExitCodes.DATA_ERROR, refused.exit(), refused.err());
    assertTrue(refused.err().contains("HTTP 400"), refused.err());
    ok("delete_queue", "-p", vhost, queue);
    assertTrue(api.find("/api/queues/" + segment(vhost) + "/" + segment(queue)).isEmpty());
  }

  @Test
  void moveMessagesMovesEveryMessageInOrderAndCountsThem() throws Exception {
    String vhost = vhost();
    String source = "src-" + suffix;
    String destination = "dst-" + suffix;
    declareQueue(vhost, source, "{}");
    declareQueue(vhost, destination, "{}");
    for (int i = 0; i < 5; i++) {
      publish(vhost, source, "move-" + i);
    }

    Result two = ok("-q", "move_messages", "-p", vhost, "--max", "2", source, destination);
    assertEquals(List.of("2"), two.lines());
    Result rest = ok("move_messages", "-p", vhost, source, destination, "--formatter", "json");
    JsonNode counted = ManagementClient.JSON.readTree(rest.out());
    assertEquals(3, counted.get("moved").intValue(), rest.out());

    assertEquals(List.of(), drain(vhost, source));
    assertEquals(
        List.of("move-0", "move-1", "move-2", "move-3", "move-4"), drain(vhost, destination));
    assertEquals(List.of("0"), ok("-q", "move_messages", "-p", vhost, source, destination).lines());
  }

  @Test
  void moveMessagesKeepsPropertiesAndBinaryPayloads() throws Exception {
    String vhost = vhost();
    String source = "src-" + suffix;
    String destination = "dst-" + suffix;
    declareQueue(vhost, source, "{}");
    declareQueue(vhost, destination, "{}");
    ObjectNode body = ManagementClient.JSON.createObjectNode();
    body.putObject("properties")
        .put("content_type", "application/octet-stream")
        .putObject("headers")
        .put("origin", "it");
    body.put("routing_key", source).put("payload", "AAECA/8=").put("payload_encoding", "base64");
    api.send("POST", "/api/exchanges/" + segment(vhost) + "/amq.default/publish", body, Map.of());

    assertEquals(List.of("1"), ok("-q", "move_messages", "-p", vhost, source, destination).lines());
    ObjectNode get = ManagementClient.JSON.createObjectNode();
    get.put("count", 1).put("ackmode", "ack_requeue_false").put("encoding", "base64");
    JsonNode moved =
        api.send(
                "POST",
                "/api/queues/" + segment(vhost) + "/" + segment(destination) + "/get",
                get,
                Map.of())
            .get(0);
    assertEquals("AAECA/8=", moved.get("payload").asText());
    assertEquals("application/octet-stream", moved.at("/properties/content_type").asText());
    assertEquals("it", moved.at("/properties/headers/origin").asText());
  }

  @Test
  void moveMessagesToAMissingQueueFailsWithoutTakingAnything() throws Exception {
    String vhost = vhost();
    String source = "src-" + suffix;
    declareQueue(vhost, source, "{}");
    publish(vhost, source, "stay");
    Result result = ctl("move_messages", "-p", vhost, source, "missing-" + suffix);
    assertEquals(ExitCodes.DATA_ERROR, result.exit());
    assertTrue(result.err().contains("'missing-" + suffix + "'"), result.err());
    assertEquals(List.of("stay"), drain(vhost, source));
  }

  @Test
  void exportThenImportDefinitionsRecreatesTheVirtualHostsObjects() throws Exception {
    String vhost = vhost();
    String queue = "defs-" + suffix;
    declareQueue(vhost, queue, "{\"x-message-ttl\": 60000}");
    api.send(
        "PUT",
        "/api/exchanges/" + segment(vhost) + "/defs-ex",
        ManagementClient.JSON.createObjectNode().put("type", "fanout").put("durable", true),
        Map.of());
    api.send(
        "POST",
        "/api/bindings/" + segment(vhost) + "/e/defs-ex/q/" + segment(queue),
        ManagementClient.JSON.createObjectNode().put("routing_key", ""),
        Map.of());

    Path file = dir.resolve("definitions.json");
    ok("export_definitions", "-p", vhost, file.toString());
    JsonNode exported = ManagementClient.JSON.readTree(Files.readString(file));
    assertEquals(queue, exported.at("/queues/0/name").asText(), exported.toString());
    Result toStdout = ok("export_definitions", "-p", vhost, "-");
    assertEquals(exported, ManagementClient.JSON.readTree(toStdout.out()));

    api.send("DELETE", "/api/queues/" + segment(vhost) + "/" + segment(queue), null, Map.of());
    api.send("DELETE", "/api/exchanges/" + segment(vhost) + "/defs-ex", null, Map.of());
    ok("import_definitions", "-p", vhost, file.toString());
    JsonNode queueBack = api.get("/api/queues/" + segment(vhost) + "/" + segment(queue));
    assertEquals(60000, queueBack.at("/arguments/x-message-ttl").intValue());
    assertEquals(
        "fanout", api.get("/api/exchanges/" + segment(vhost) + "/defs-ex").get("type").asText());
    assertEquals(
        1, api.get("/api/bindings/" + segment(vhost) + "/e/defs-ex/q/" + segment(queue)).size());

    api.send("DELETE", "/api/queues/" + segment(vhost) + "/" + segment(queue), null, Map.of());
    Result emptyStdin = ctl("import_definitions", "-p", vhost, "-");
    assertEquals(ExitCodes.DATA_ERROR, emptyStdin.exit(), emptyStdin.err());
    Result fromStdin = ctlWithInput(toStdout.out(), "import_definitions", "-p", vhost, "-");
    assertEquals(0, fromStdin.exit(), fromStdin.err());
    assertTrue(api.find("/api/queues/" + segment(vhost) + "/" + segment(queue)).isPresent());

    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"queues\": [");
    Result notJson = ctl("import_definitions", "-p", vhost, broken.toString());
    assertEquals(ExitCodes.DATA_ERROR, notJson.exit());
    assertTrue(notJson.err().contains("is not JSON"), notJson.err());
    assertEquals(
        ExitCodes.DATA_ERROR,
        ctl("import_definitions", dir.resolve("absent.json").toString()).exit());
  }

  @Test
  void aWrongPasswordExits77AndTheMessageNeverShowsIt() {
    Result result = ctl("--password", "Wr0ngPassw0rd-" + suffix, "list_queues");
    assertEquals(ExitCodes.NO_PERMISSION, result.exit());
    assertTrue(result.err().contains("HTTP 401"), result.err());
    assertTrue(result.err().contains(URL + "/api/queues/%2F"), result.err());
    assertFalse(result.err().contains("Wr0ngPassw0rd"), result.err());
    assertFalse(result.out().contains("Wr0ngPassw0rd"), result.out());
    assertEquals(1, result.err().lines().count(), result.err());

    String withUserInfo = URL.replace("://", "://guest:Url5ecret-" + suffix + "@");
    Result viaUrl =
        ctl("--url", withUserInfo, "--username", "guest", "--password", "nope-" + suffix, "status");
    assertEquals(ExitCodes.NO_PERMISSION, viaUrl.exit());
    assertFalse(viaUrl.err().contains("Url5ecret"), viaUrl.err());
    assertFalse(viaUrl.err().contains("nope-" + suffix), viaUrl.err());
  }

  @Test
  void aUrlsUserInformationIsUsedWhenNoOptionOrVariableGivesCredentials() {
    String withUserInfo = URL.replace("://", "://" + USER + ":" + PASSWORD + "@");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine =
        Warrenctl.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    assertEquals(
        0, commandLine.execute("--url", withUserInfo, "-q", "list_vhosts"), err.toString());
    assertFalse(out.toString().contains(PASSWORD + "@"));
  }

  @Test
  @Timeout(10)
  void anUnreachablePortExits69Quickly() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    long start = System.nanoTime();
    Result result = ctl("--url", "http://127.0.0.1:" + port, "status");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(ExitCodes.UNAVAILABLE, result.exit(), result.err());
    assertTrue(result.err().contains("http://127.0.0.1:" + port + "/api/overview"), result.err());
    assertTrue(result.err().contains("cannot connect"), result.err());
    assertTrue(millis < 5000, millis + " ms");
  }

  @Test
  void statusPrintsTheProductAndTotals() throws Exception {
    Result table = ok("status");
    assertTrue(table.out().contains("management_version"), table.out());
    assertTrue(table.out().contains("queues"), table.out());
    JsonNode json = ManagementClient.JSON.readTree(ok("status", "--formatter", "json").out());
    assertTrue(json.has("product_name"), json.toString());
    assertTrue(json.get("queues").isNumber(), json.toString());
  }

  @Test
  void listConnectionsAndConsumersShowAClientAndCloseConnectionClosesIt() throws Exception {
    String vhost = vhost();
    api.send(
        "PUT",
        "/api/permissions/" + segment(vhost) + "/" + segment(USER),
        ManagementClient.JSON
            .createObjectNode()
            .put("configure", ".*")
            .put("write", ".*")
            .put("read", ".*"),
        Map.of());
    String queue = "consumed-" + suffix;
    declareQueue(vhost, queue, "{}");
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(AMQP);
    factory.setVirtualHost(vhost);
    String clientName = "warrenctl-it-" + suffix;
    try (Connection connection = factory.newConnection(clientName)) {
      CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
      connection.addShutdownListener(closed::complete);
      Channel channel = connection.createChannel();
      channel.basicQos(7);
      channel.basicConsume(queue, false, "tag-" + suffix, new DefaultConsumer(channel));

      Result consumers =
          poll(
              r -> r.out().contains("tag-" + suffix),
              "list_consumers",
              "-p",
              vhost,
              "--formatter",
              "tsv",
              "--no-table-headers",
              "queue_name",
              "consumer_tag",
              "ack_required",
              "prefetch_count");
      assertTrue(
          consumers.lines().contains(queue + "\ttag-" + suffix + "\ttrue\t7"), consumers.out());

      Result connections =
          poll(
              r -> r.out().contains("\t" + vhost + "\t"),
              "list_connections",
              "--formatter",
              "tsv",
              "name",
              "vhost",
              "user",
              "client_properties");
      String name = null;
      for (String line : connections.lines()) {
        if (line.contains("\t" + vhost + "\t") && line.contains(clientName)) {
          name = line.split("\t")[0];
        }
      }
      assertTrue(name != null, connections.out());

      ok("close_connection", name, "closed by WarrenctlIT");
      ShutdownSignalException signal = closed.get(30, TimeUnit.SECONDS);
      assertTrue(signal.getMessage().contains("320"), signal.getMessage());
      assertTrue(signal.getMessage().contains("closed by WarrenctlIT"), signal.getMessage());
    } catch (com.rabbitmq.client.AlreadyClosedException e) {
      // the try-with-resources close after the server closed it
    }
  }
}
