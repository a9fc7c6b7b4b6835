package io.warrenmq.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.engine.QueueInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WarrenMQ's API extensions {@code POST /api/queues/{vhost}/{name}/warrenmq-move} and {@code
 * .../warrenmq-redrive}: what they move, their answers, and their errors in the API's form (status
 * and {@code {"error","reason"}}); also that a script's 401 (the web console's) carries no basic
 * challenge.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QueueTransferApiTest {
  static Broker broker;
  static ManagementServer management;
  static Connection engine;
  static Channel channel;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    broker = new Broker(BrokerConfig.named("queue-transfer-api"));
    management = ManagementServer.start(broker, ManagementConfig.of("127.0.0.1", 0));
    engine = broker.newConnection("/", "guest", "guest");
    channel = engine.createChannel();
    broker.users().putUser("reader", "secret", List.of("management"));
    broker.users().setPermissions(new PermissionInfo("reader", "/", ".*", "^mine$", "^mine$"));
  }

  @AfterAll
  static void stop() {
    engine.close();
    management.close();
    broker.close();
  }

  private static HttpResponse<String> post(String path, String body, String user, String password)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management.port() + path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (user != null) {
      b.header(
          "authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return post(path, body, "guest", "guest");
  }

  private static void declare(String name, Map<String, Object> args) {
    channel.queueDeclare(new QueueSpec(name, true, false, false, args));
  }

  private static void publish(String queue, Map<String, Object> headers) {
    channel.basicPublish(
        "", queue, false, BasicProperties.builder().headers(headers).build(), new byte[] {42});
  }

  private static long ready(String queue) {
    return broker.queue("/", queue).map(QueueInfo::messagesReady).orElse(-1L);
  }

  @Test
  void moveSendsTheReadyMessagesToTheDestination() throws Exception {
    declare("m.src", Map.of());
    declare("m.dst", Map.of());
    for (int i = 0; i < 3; i++) {
      publish("m.src", Map.of());
    }
    HttpResponse<String> r =
        post("/api/queues/%2F/m.src/warrenmq-move", "{\"destination\":\"m.dst\"}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("{\"moved\":3,\"remaining\":0}", r.body());
    assertEquals(0, ready("m.src"));
    assertEquals(3, ready("m.dst"));
  }

  @Test
  void moveWithAFilterMovesOnlyTheMatchingMessages() throws Exception {
    declare("f.src", Map.of());
    declare("f.dst", Map.of());
    publish("f.src", Map.of("colour", "red"));
    publish("f.src", Map.of("colour", "blue"));
    HttpResponse<String> r =
        post(
            "/api/queues/%2F/f.src/warrenmq-move",
            "{\"destination\":\"f.dst\",\"filter\":\"colour = 'red'\"}");
    assertEquals("{\"moved\":1,\"remaining\":1}", r.body());
    GetResponse moved = channel.basicGet("f.dst", true);
    assertEquals("red", String.valueOf(moved.delivery().properties().headers().get("colour")));
  }

  @Test
  void moveErrorsNameWhatWasWrong() throws Exception {
    declare("e.src", Map.of());
    declare("e.dst", Map.of());
    publish("e.src", Map.of());
    assertError(
        post("/api/queues/%2F/e.src/warrenmq-move", "{}"),
        400,
        "{\"error\":\"bad_request\",\"reason\":\"[{key_missing,destination}]\"}");
    assertError(
        post("/api/queues/%2F/e.src/warrenmq-move", "{\"destination\":\"nope\"}"),
        400,
        "{\"error\":\"bad_request\",\"reason\":\"destination queue 'nope' not found in vhost '/'\"}");
    assertError(
        post("/api/queues/%2F/e.src/warrenmq-move", "{\"destination\":\"e.src\"}"),
        400,
        "{\"error\":\"bad_request\",\"reason\":\"cannot move messages of queue 'e.src' to itself\"}");
    HttpResponse<String> badFilter =
        post(
            "/api/queues/%2F/e.src/warrenmq-move",
            "{\"destination\":\"e.dst\",\"filter\":\"colour = \"}");
    assertEquals(400, badFilter.statusCode());
    assertTrue(badFilter.body().contains("invalid filter 'colour = '"), badFilter.body());
    assertError(
        post("/api/queues/%2F/no.such.queue/warrenmq-move", "{\"destination\":\"e.src\"}"),
        404,
        "{\"error\":\"Object Not Found\",\"reason\":\"Not Found\"}");
    assertError(
        post("/api/queues/%2F/e.src/warrenmq-move", "not json"),
        400,
        "{\"error\":\"bad_request\",\"reason\":\"not_json\"}");
    HttpResponse<String> get =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + management.port()
                            + "/api/queues/%2F/e.src/warrenmq-move"))
                .header("authorization", "Basic Z3Vlc3Q6Z3Vlc3Q=")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    assertEquals(1, ready("e.src"), "nothing moved by a refused request");
  }

  @Test
  void moveNeedsReadOnTheSourceAndWriteOnTheDestination() throws Exception {
    declare("mine", Map.of());
    declare("theirs", Map.of());
    publish("theirs", Map.of());
    publish("mine", Map.of());
    String refused = "{\"error\":\"not_authorised\",\"reason\":\"Access refused.\"}";
    assertError(
        post(
            "/api/queues/%2F/theirs/warrenmq-move",
            "{\"destination\":\"mine\"}", "reader", "secret"),
        401,
        refused);
    assertError(
        post(
            "/api/queues/%2F/mine/warrenmq-move",
            "{\"destination\":\"theirs\"}", "reader", "secret"),
        401,
        refused);
    assertEquals(1, ready("mine"));
    assertEquals(1, ready("theirs"));
    HttpResponse<String> noLogin = post("/api/queues/%2F/mine/warrenmq-move", "{}", null, null);
    assertEquals(401, noLogin.statusCode());
  }

  @Test
  void redriveSendsDeadLetteredMessagesBackToTheQueueTheirXDeathNames() throws Exception {
    declare("r.dlq", Map.of());
    declare("r.work", Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "r.dlq"));
    publish("r.work", Map.of());
    publish("r.work", Map.of());
    for (int i = 0; i < 2; i++) {
      GetResponse g = channel.basicGet("r.work", false);
      channel.basicNack(g.delivery().deliveryTag(), false, false);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (ready("r.dlq") < 2 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    publish("r.dlq", Map.of()); // no x-death: stays
    HttpResponse<String> r = post("/api/queues/%2F/r.dlq/warrenmq-redrive", "");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("{\"moved\":2,\"remaining\":1}", r.body());
    assertEquals(2, ready("r.work"));
    assertEquals(1, ready("r.dlq"));
  }

  @Test
  void aScriptsFailedLoginGetsNoBasicChallenge() throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + management.port() + "/api/overview");
    HttpResponse<String> browser =
        HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, browser.statusCode());
    assertTrue(browser.headers().firstValue("www-authenticate").isPresent());
    HttpResponse<String> script =
        HTTP.send(
            HttpRequest.newBuilder(uri)
                .header("X-Requested-With", "XMLHttpRequest")
                .header("authorization", "Basic Z3Vlc3Q6d3Jvbmc=")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, script.statusCode());
    assertEquals("{\"error\":\"not_authorized\",\"reason\":\"Login failed\"}", script.body());
    assertFalse(script.headers().firstValue("www-authenticate").isPresent());
  }

  private static void assertError(HttpResponse<String> r, int status, String body) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(body, r.body());
  }
}
