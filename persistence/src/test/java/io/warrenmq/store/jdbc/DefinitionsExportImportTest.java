package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.BindingInfo;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.engine.UserInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class DefinitionsExportImportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger BROKERS = new AtomicInteger();

  private final List<Broker> brokers = new ArrayList<>();

  @AfterEach
  void closeBrokers() {
    brokers.forEach(Broker::close);
  }

  private Broker newBroker() {
    Broker b = new Broker(new BrokerConfig("defs-" + BROKERS.incrementAndGet(), 1));
    brokers.add(b);
    return b;
  }

  private static JsonNode tree(String json) throws IOException {
    return JSON.readTree(json);
  }

  private static String sample() throws IOException {
    try (InputStream in =
        DefinitionsExportImportTest.class.getResourceAsStream(
            "/rabbitmq-3.10.8-definitions.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static AmqpException assertAmqpError(ReplyCode code, String text, Executable call) {
    AmqpException e = assertThrows(AmqpException.class, call);
    assertEquals(code, e.replyCode(), e::getMessage);
    assertEquals(text, e.replyText());
    return e;
  }

  /** A topology with something of every kind the format carries. */
  private static void populate(Broker broker) {
    broker.virtualHost("orders-vh");
    broker.users().putUser("app", "app-secret", List.of("management", "monitoring"));
    broker.users().putUser("ops", "ops-secret", List.of("administrator"));
    broker.users().setPermissions(new PermissionInfo("app", "orders-vh", "^app\\..*", ".*", ""));
    broker.users().setPermissions(PermissionInfo.full("ops", "orders-vh"));
    for (String vh : List.of("/", "orders-vh")) {
      try (Connection c = broker.newConnection(vh, "setup")) {
        Channel ch = c.createChannel();
        ch.exchangeDeclare(
            new ExchangeSpec(
                "orders", "topic", true, false, false, Map.of("alternate-exchange", "unrouted")));
        ch.exchangeDeclare(new ExchangeSpec("unrouted", "fanout", true, false, true, Map.of()));
        ch.exchangeDeclare(new ExchangeSpec("hdr", "headers", false, true, false, Map.of()));
        ch.exchangeDeclare(
            new ExchangeSpec(
                "later",
                "x-delayed-message",
                true,
                false,
                false,
                Map.of("x-delayed-type", "direct")));
        ch.queueDeclare(
            new QueueSpec(
                "orders.q",
                true,
                false,
                false,
                Map.of(
                    "x-max-priority",
                    9,
                    "x-message-ttl",
                    60_000L,
                    "x-dead-letter-exchange",
                    "unrouted",
                    "x-overflow",
                    "reject-publish")));
        ch.queueDeclare(new QueueSpec("transient", false, false, true, Map.of()));
        ch.queueBind("orders.q", "orders", "order.*.created", null);
        ch.queueBind("transient", "hdr", "", Map.of("x-match", "any", "kind", "bulk", "n", 3));
        ch.queueBind("orders.q", "amq.direct", "orders", null);
        ch.exchangeBind("hdr", "orders", "bulk.#", null);
      }
    }
  }

  @Test
  void aFreshBrokerExportsGuestTheDefaultVirtualHostAndEmptyLists() throws IOException {
    JsonNode d = tree(Definitions.export(newBroker()));
    assertEquals(Definitions.RABBIT_VERSION, d.get("rabbit_version").asText());
    assertEquals(1, d.get("users").size());
    JsonNode guest = d.get("users").get(0);
    assertEquals("guest", guest.get("name").asText());
    assertEquals("rabbit_password_hashing_sha256", guest.get("hashing_algorithm").asText());
    assertEquals(48, guest.get("password_hash").asText().length(), "base64 of 36 bytes");
    assertEquals("[\"administrator\"]", guest.get("tags").toString());
    assertEquals(
        tree(
            "[{\"user\":\"guest\",\"vhost\":\"/\",\"configure\":\".*\",\"write\":\".*\","
                + "\"read\":\".*\"}]"),
        d.get("permissions"));
    assertEquals("/", d.get("vhosts").get(0).get("name").asText());
    for (String empty :
        List.of(
            "queues",
            "exchanges",
            "bindings",
            "policies",
            "parameters",
            "global_parameters",
            "topic_permissions")) {
      assertTrue(d.get(empty).isArray() && d.get(empty).isEmpty(), empty);
    }
  }

  @Test
  void exportNamesEveryFieldOfQueuesExchangesAndBindingsAsRabbitMqDoes() throws IOException {
    Broker broker = newBroker();
    populate(broker);
    JsonNode d = tree(Definitions.export(broker));
    assertEquals(
        tree(
            "{\"name\":\"orders\",\"vhost\":\"/\",\"type\":\"topic\",\"durable\":true,"
                + "\"auto_delete\":false,\"internal\":false,"
                + "\"arguments\":{\"alternate-exchange\":\"unrouted\"}}"),
        find(d.get("exchanges"), "/", "orders"));
    assertEquals(
        tree(
            "{\"name\":\"orders.q\",\"vhost\":\"/\",\"durable\":true,\"auto_delete\":false,"
                + "\"type\":\"classic\",\"arguments\":{\"x-max-priority\":9,"
                + "\"x-message-ttl\":60000,\"x-dead-letter-exchange\":\"unrouted\","
                + "\"x-overflow\":\"reject-publish\"}}"),
        find(d.get("queues"), "/", "orders.q"));
    assertTrue(
        contains(
            d.get("bindings"),
            tree(
                "{\"source\":\"orders\",\"vhost\":\"orders-vh\",\"destination\":\"hdr\","
                    + "\"destination_type\":\"exchange\",\"routing_key\":\"bulk.#\","
                    + "\"arguments\":{}}")));
    assertTrue(
        contains(
            d.get("bindings"),
            tree(
                "{\"source\":\"hdr\",\"vhost\":\"/\",\"destination\":\"transient\","
                    + "\"destination_type\":\"queue\",\"routing_key\":\"\","
                    + "\"arguments\":{\"x-match\":\"any\",\"kind\":\"bulk\",\"n\":3}}")));
    assertEquals(8, d.get("exchanges").size(), "4 per vhost, no amq.* nor default");
    assertEquals(8, d.get("bindings").size());
    assertFalse(Definitions.export(broker).contains("app-secret"), "only hashes leave");
  }

  @Test
  void roundTripIntoAFreshBrokerGivesTheSameJson() throws IOException {
    Broker source = newBroker();
    populate(source);
    String first = Definitions.export(source);

    Broker target = newBroker();
    Definitions.importInto(target, first);
    String second = Definitions.export(target);

    assertEquals(tree(first), tree(second));
    assertEquals(first, second, "keys and lists are sorted, so even the text is the same");
    assertTrue(target.users().checkPassword("app", "app-secret"), "hash moved, password works");
    target.newConnection("orders-vh", "app", "app-secret").close();
  }

  @Test
  void importedTopologyRoutesMessages() {
    Broker source = newBroker();
    populate(source);
    Broker target = newBroker();
    Definitions.importInto(target, Definitions.export(source));
    try (Connection c = target.newConnection("orders-vh", "t")) {
      Channel ch = c.createChannel();
      ch.basicPublish("orders", "order.7.created", false, BasicProperties.EMPTY, new byte[] {1});
      ch.basicPublish("orders", "nowhere", false, BasicProperties.EMPTY, new byte[] {2});
      assertEquals(1, target.virtualHost("orders-vh").queueMessageCount("orders.q"));
      assertEquals(
          List.of(new BindingInfo("orders", "hdr", "exchange", "bulk.#", Map.of())),
          target.virtualHost("orders-vh").bindings().stream()
              .filter(b -> b.destination().equals("hdr"))
              .toList());
    }
  }

  @Test
  void importingTwiceIsANoOp() throws IOException {
    Broker source = newBroker();
    populate(source);
    String defs = Definitions.export(source);
    Broker target = newBroker();
    Definitions.importInto(target, defs);
    Definitions.importInto(target, defs);
    assertEquals(tree(defs), tree(Definitions.export(target)));
  }

  @Test
  void exclusiveQueuesAndTheirBindingsAreNotExported() throws IOException {
    Broker broker = newBroker();
    try (Connection c = broker.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      String q = ch.queueDeclare(QueueSpec.exclusiveAutoDelete("")).queue();
      ch.queueBind(q, "amq.fanout", "", null);
      JsonNode d = tree(Definitions.export(broker));
      assertTrue(d.get("queues").isEmpty());
      assertTrue(d.get("bindings").isEmpty());
    }
  }

  @Test
  void aRabbitMqExportImportsWithUsersPermissionsAndTopology() throws IOException {
    Broker broker = newBroker();
    Definitions.importInto(broker, sample());

    assertEquals(List.of("/", "defs.v"), broker.virtualHostNames());
    assertTrue(broker.users().checkPassword("guest", "guest"));
    assertEquals(
        "NK5Gh9kPPxz+7xPJsb9KXLxn4YDCWpW3JcYSv5xBYtOSNS+v",
        broker.users().user("guest").orElseThrow().passwordHash());
    UserInfo u = broker.users().user("defs.u").orElseThrow();
    assertEquals(List.of("management", "monitoring"), u.tags());
    broker.newConnection("defs.v", "defs.u", "pw").close();
    assertEquals(
        new PermissionInfo("defs.u", "defs.v", "^defs\\..*", "^defs\\..*", "^defs\\..*"),
        broker.users().permission("defs.u", "defs.v").orElseThrow());
    assertEquals(
        new QueueSpec(
            "defs.orders.q",
            true,
            false,
            false,
            Map.of(
                "x-max-priority", 9,
                "x-dead-letter-exchange", "defs.dlx",
                "x-message-ttl", 60000)),
        broker.virtualHost("defs.v").queues().get(2));
    assertEquals(
        new ExchangeSpec("defs.hdr", "headers", true, true, false, Map.of()),
        broker.virtualHost("defs.v").exchanges().get(1));
    assertEquals(4, broker.virtualHost("defs.v").bindings().size());
  }

  @Test
  void reExportingARabbitMqSampleKeepsEveryEntryOfIt() throws IOException {
    Broker broker = newBroker();
    Definitions.importInto(broker, sample());
    JsonNode ours = tree(Definitions.export(broker));
    JsonNode theirs = tree(sample());
    for (String section : List.of("users", "permissions", "queues", "bindings")) {
      assertEquals(asSet(theirs.get(section)), asSet(ours.get(section)), section);
    }
    Set<JsonNode> exchanges = new HashSet<>();
    for (JsonNode x : ours.get("exchanges")) {
      assertFalse(x.get("internal").asBoolean());
      exchanges.add(((ObjectNode) x.deepCopy()).without("internal"));
    }
    assertEquals(asSet(theirs.get("exchanges")), exchanges, "RabbitMQ 3.10 omits 'internal'");
  }

  @Test
  void olderFormatsClearPasswordsCommaTagsAndMissingAlgorithmAreAccepted() {
    Broker broker = newBroker();
    Definitions.importInto(
        broker,
        "{\"users\":[{\"name\":\"a\",\"password\":\"pa\",\"tags\":\"administrator,management\"},"
            + "{\"name\":\"b\",\"password_hash\":\"AQIDBJR91gt1SAWTmvD+VzA7MFU=\",\"tags\":\"\"}],"
            + "\"policies\":[{\"vhost\":\"/\",\"name\":\"p\",\"pattern\":\".*\",\"definition\":{}}]}");
    assertTrue(broker.users().checkPassword("a", "pa"));
    assertEquals(
        List.of("administrator", "management"), broker.users().user("a").orElseThrow().tags());
    UserInfo b = broker.users().user("b").orElseThrow();
    assertEquals(UserInfo.MD5, b.hashingAlgorithm(), "RabbitMQ's default for old files");
    assertTrue(broker.users().checkPassword("b", "pw"));
  }

  @Test
  void textThatIsNotJsonIsRefusedAndChangesNothing() {
    Broker broker = newBroker();
    AmqpException e =
        assertThrows(AmqpException.class, () -> Definitions.importInto(broker, "{\"vhosts\": ["));
    assertEquals(ReplyCode.PRECONDITION_FAILED, e.replyCode());
    assertTrue(e.replyText().startsWith("definitions are not valid JSON: "), e.replyText());
    assertAmqpError(
        ReplyCode.PRECONDITION_FAILED,
        "definitions must be a JSON object",
        () -> Definitions.importInto(broker, "[]"));
    assertAmqpError(
        ReplyCode.PRECONDITION_FAILED,
        "'queues' must be a list",
        () -> Definitions.importInto(broker, "{\"queues\":{}}"));
  }

  @Test
  void aMalformedEntryIsNamedAndNothingIsApplied() {
    Broker broker = newBroker();
    assertAmqpError(
        ReplyCode.PRECONDITION_FAILED,
        "queue 'q' in vhost 'v': 'durable' must be true or false",
        () ->
            Definitions.importInto(
                broker,
                "{\"vhosts\":[{\"name\":\"v\"}],"
                    + "\"queues\":[{\"name\":\"q\",\"vhost\":\"v\",\"durable\":\"yes\"}]}"));
    assertFalse(broker.virtualHostExists("v"), "checked before anything was applied");
    assertAmqpError(
        ReplyCode.PRECONDITION_FAILED,
        "entry 2 of 'exchanges': 'name' is missing",
        () ->
            Definitions.importInto(
                broker,
                "{\"exchanges\":[{\"name\":\"x\",\"vhost\":\"/\",\"type\":\"direct\"},"
                    + "{\"vhost\":\"/\",\"type\":\"direct\"}]}"));
    assertAmqpError(
        ReplyCode.PRECONDITION_FAILED,
        "queue 'qq' in vhost '/': queue type 'quorum' is not supported; WarrenMQ has classic"
            + " queues only (change the type to 'classic' or remove the queue from the file)",
        () ->
            Definitions.importInto(
                broker,
                "{\"queues\":[{\"name\":\"qq\",\"vhost\":\"/\",\"durable\":true,"
                    + "\"arguments\":{\"x-queue-type\":\"quorum\"}}]}"));
    assertAmqpError(
        ReplyCode.PRECONDITION_FAILED,
        "binding of topic 'q' to exchange 'x' with key '' in vhost '/': 'destination_type' must be"
            + " 'queue' or 'exchange'",
        () ->
            Definitions.importInto(
                broker,
                "{\"bindings\":[{\"source\":\"x\",\"vhost\":\"/\",\"destination\":\"q\","
                    + "\"destination_type\":\"topic\",\"routing_key\":\"\"}]}"));
    assertTrue(broker.virtualHost("/").exchanges().isEmpty());
  }

  @Test
  void engineRefusalsCarryTheEngineCodeAndTextPrefixedWithTheEntry() {
    Broker broker = newBroker();
    try (Connection c = broker.newConnection("/", "t")) {
      c.createChannel().queueDeclare(new QueueSpec("q", false, false, false, Map.of()));
    }
    assertAmqpError(
        ReplyCode.PRECONDITION_FAILED,
        "queue 'q' in vhost '/': inequivalent arg 'durable' for queue 'q' in vhost '/': received"
            + " 'true' but current is 'false'",
        () ->
            Definitions.importInto(
                broker,
                "{\"queues\":[{\"name\":\"q\",\"vhost\":\"/\",\"durable\":true,"
                    + "\"auto_delete\":false,\"arguments\":{}}]}"));
    assertAmqpError(
        ReplyCode.NOT_FOUND,
        "binding of queue 'nope' to exchange 'amq.direct' with key 'k' in vhost '/': no queue"
            + " 'nope' in vhost '/'",
        () ->
            Definitions.importInto(
                broker,
                "{\"bindings\":[{\"source\":\"amq.direct\",\"vhost\":\"/\",\"destination\":"
                    + "\"nope\",\"destination_type\":\"queue\",\"routing_key\":\"k\"}]}"));
    assertAmqpError(
        ReplyCode.NOT_ALLOWED,
        "exchange 'x' in vhost 'missing': vhost 'missing' not found",
        () ->
            Definitions.importInto(
                broker,
                "{\"exchanges\":[{\"name\":\"x\",\"vhost\":\"missing\",\"type\":\"direct\"}]}"));
    assertAmqpError(
        ReplyCode.PRECONDITION_FAILED,
        "user 'u': password hash is not base64",
        () ->
            Definitions.importInto(
                broker,
                "{\"users\":[{\"name\":\"u\",\"password_hash\":\"%%\",\"hashing_algorithm\":"
                    + "\"rabbit_password_hashing_sha256\",\"tags\":[]}]}"));
    assertAmqpError(
        ReplyCode.NOT_FOUND,
        "permissions of user 'ghost' in vhost '/': no user 'ghost'",
        () ->
            Definitions.importInto(
                broker,
                "{\"permissions\":[{\"user\":\"ghost\",\"vhost\":\"/\",\"configure\":\".*\","
                    + "\"write\":\".*\",\"read\":\".*\"}]}"));
  }

  private static JsonNode find(JsonNode list, String vhost, String name) {
    for (JsonNode e : list) {
      if (e.get("vhost").asText().equals(vhost) && e.get("name").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no " + name + " in " + vhost + ": " + list);
  }

  private static boolean contains(JsonNode list, JsonNode entry) {
    for (JsonNode e : list) {
      if (e.equals(entry)) {
        return true;
      }
    }
    return false;
  }

  private static Set<JsonNode> asSet(JsonNode list) {
    Set<JsonNode> out = new HashSet<>();
    list.forEach(out::add);
    return out;
  }
}
