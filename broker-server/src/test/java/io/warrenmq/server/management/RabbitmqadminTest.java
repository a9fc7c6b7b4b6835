package io.warrenmq.server.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.management.ManagementConfig;
import io.warrenmq.management.ManagementServer;
import io.warrenmq.store.jdbc.Definitions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RabbitMQ's own command line client {@code rabbitmqadmin} (downloaded from the local RabbitMQ's
 * management API, {@code /cli/rabbitmqadmin}, and run with {@code python3}) against WarrenMQ's
 * management API, unchanged: proof that a client written for RabbitMQ's API works. Skipped, saying
 * so, without RabbitMQ's management API on 127.0.0.1:15672 or without {@code python3}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RabbitmqadminTest {
  static Broker broker;
  static ManagementServer management;
  static Path script;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(
        RabbitMqComparisonTest.rabbitMqAnswers(),
        "SKIPPED: RabbitMQ's management API (the source of rabbitmqadmin) does not answer on "
            + RabbitMqComparisonTest.RABBITMQ_API);
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/python3")), "SKIPPED: no /usr/bin/python3");
    HttpResponse<byte[]> r =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(
                        URI.create(RabbitMqComparisonTest.RABBITMQ_API + "/cli/rabbitmqadmin"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), "download of rabbitmqadmin");
    script = dir.resolve("rabbitmqadmin");
    Files.write(script, r.body());
    broker = new Broker(BrokerConfig.named("rabbitmqadmin"));
    management =
        ManagementServer.start(
            broker,
            ManagementConfig.of("127.0.0.1", 0)
                .withDefinitions(Definitions::export, Definitions::importInto));
  }

  @AfterAll
  static void stop() {
    if (management != null) {
      management.close();
      broker.close();
    }
  }

  /** Runs rabbitmqadmin against WarrenMQ; returns its exit status and output. */
  private static String[] admin(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "/usr/bin/python3",
            script.toString(),
            "-H",
            "127.0.0.1",
            "-P",
            String.valueOf(management.port()),
            "-u",
            "guest",
            "-p",
            "guest"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "rabbitmqadmin finished");
    return new String[] {String.valueOf(p.exitValue()), out};
  }

  private static String ok(String... args) throws IOException, InterruptedException {
    String[] r = admin(args);
    assertEquals("0", r[0], String.join(" ", args) + ": " + r[1]);
    return r[1];
  }

  @Test
  void rabbitmqadminDeclaresListsPublishesGetsAndDeletesUnchanged() throws Exception {
    assertTrue(ok("declare", "queue", "name=admin-q", "durable=false").contains("queue declared"));
    assertTrue(ok("declare", "exchange", "name=admin-x", "type=fanout").contains("declared"));
    assertTrue(
        ok("declare", "binding", "source=admin-x", "destination=admin-q").contains("declared"));
    String queues = ok("list", "queues", "name", "messages");
    assertTrue(queues.contains("admin-q"), queues);
    assertTrue(
        ok("publish", "exchange=admin-x", "routing_key=any", "payload=hello-admin")
            .contains("Message published"));
    String got = ok("get", "queue=admin-q", "ackmode=ack_requeue_false");
    assertTrue(got.contains("hello-admin"), got);
    assertEquals(
        0,
        broker.queues("/").stream()
            .filter(q -> q.name().equals("admin-q"))
            .findFirst()
            .orElseThrow()
            .messagesReady());
    String overview = ok("show", "overview");
    assertTrue(overview.contains("3.10.8"), overview);
    assertTrue(ok("list", "exchanges").contains("admin-x"));
    assertTrue(ok("list", "bindings").contains("admin-x"));
    assertTrue(ok("list", "users").contains("guest"));
    assertTrue(ok("list", "vhosts").contains("/"));
    ok("list", "connections"); // exit status 0: the listing parsed
    ok("list", "channels");
    ok("list", "consumers");
    String definitions = ok("export", "/dev/stdout");
    assertTrue(definitions.contains("admin-q"), definitions);
    assertTrue(ok("delete", "queue", "name=admin-q").contains("deleted"));
    assertTrue(ok("delete", "exchange", "name=admin-x").contains("deleted"));
    String[] missing = admin("delete", "queue", "name=admin-q");
    assertEquals("1", missing[0], missing[1]);
    assertTrue(
        missing[1].contains("Not found") || missing[1].contains("Object Not Found"), missing[1]);
  }
}
