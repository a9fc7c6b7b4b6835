package io.warrenmq.server.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.management.ManagementConfig;
import io.warrenmq.management.ManagementServer;
import io.warrenmq.store.jdbc.Definitions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every endpoint × each user tag → the status code, as RabbitMQ documents and answers
 * (https://www.rabbitmq.com/docs/management#permissions). The expected table was taken from
 * RabbitMQ 3.10.8 with curl; the second test checks the same table against the local RabbitMQ when
 * its management API answers on 127.0.0.1:15672, so that the table stays RabbitMQ's.
 *
 * <p>Users: {@code administrator} (guest), {@code monitoring} without permissions, {@code
 * management} with full permissions on {@code /}, {@code policymaker} without permissions, and a
 * user without tags.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PermissionMatrixTest {
  private static final String[] USERS = {"admin", "mon", "mgmt", "policy", "none"};

  /** One request and the status each user gets; {@code {u}} in the path is the user's name. */
  private record Row(String method, String path, String body, int... expected) {}

  private static final String GET_BODY =
      "{\"count\":1,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\"}";

  private static final List<Row> ROWS =
      List.of(
          new Row("GET", "/api/overview", null, 200, 200, 200, 200, 401),
          new Row("GET", "/api/whoami", null, 200, 200, 200, 200, 401),
          new Row("GET", "/api/vhosts", null, 200, 200, 200, 200, 401),
          new Row("GET", "/api/vhosts/%2F", null, 200, 401, 401, 401, 401),
          new Row("GET", "/api/users", null, 200, 401, 401, 401, 401),
          new Row("GET", "/api/users/guest", null, 200, 401, 401, 401, 401),
          new Row("GET", "/api/permissions", null, 200, 401, 401, 401, 401),
          new Row("GET", "/api/permissions/%2F/guest", null, 200, 401, 401, 401, 401),
          new Row("GET", "/api/exchanges", null, 200, 200, 200, 200, 401),
          new Row("GET", "/api/exchanges/%2F", null, 200, 401, 200, 401, 401),
          new Row("GET", "/api/exchanges/%2F/amq.direct", null, 200, 401, 200, 401, 401),
          new Row("GET", "/api/queues", null, 200, 200, 200, 200, 401),
          new Row("GET", "/api/queues/%2F", null, 200, 401, 200, 401, 401),
          new Row("GET", "/api/queues/%2F/pmx-q1", null, 200, 401, 200, 401, 401),
          new Row("GET", "/api/queues/%2F/pmx-q1/bindings", null, 200, 401, 200, 401, 401),
          new Row("GET", "/api/bindings", null, 200, 200, 200, 200, 401),
          new Row("GET", "/api/bindings/%2F", null, 200, 401, 200, 401, 401),
          new Row("GET", "/api/connections", null, 200, 200, 200, 200, 401),
          new Row("GET", "/api/channels", null, 200, 200, 200, 200, 401),
          new Row("GET", "/api/consumers", null, 200, 200, 200, 200, 401),
          new Row("GET", "/api/definitions", null, 200, 401, 401, 401, 401),
          new Row("GET", "/api/definitions/%2F", null, 200, 401, 401, 401, 401),
          new Row("GET", "/api/health/checks/alarms", null, 200, 200, 200, 200, 401),
          new Row("GET", "/api/aliveness-test/%2F", null, 200, 401, 200, 401, 401),
          new Row("GET", "/api/nodes", null, 200, 200, 401, 401, 401),
          new Row("PUT", "/api/vhosts/pmx-v-{u}", "{}", 201, 401, 401, 401, 401),
          new Row(
              "PUT",
              "/api/users/pmx-u-{u}",
              "{\"password\":\"p\",\"tags\":\"\"}",
              201,
              401,
              401,
              401,
              401),
          new Row(
              "PUT",
              "/api/exchanges/%2F/pmx-x-{u}",
              "{\"type\":\"direct\"}",
              201,
              401,
              201,
              401,
              401),
          new Row("PUT", "/api/queues/%2F/pmx-nq-{u}", "{}", 201, 401, 201, 401, 401),
          new Row("POST", "/api/queues/%2F/pmx-q1/get", GET_BODY, 200, 401, 200, 401, 401),
          new Row("DELETE", "/api/queues/%2F/pmx-q1/contents", null, 204, 401, 204, 401, 401),
          new Row("DELETE", "/api/queues/%2F/pmx-nq-{u}", null, 204, 401, 204, 401, 401),
          new Row("DELETE", "/api/exchanges/%2F/pmx-x-{u}", null, 204, 401, 204, 401, 401));

  static Broker broker;
  static ManagementServer management;

  @BeforeAll
  static void start() {
    broker = new Broker(BrokerConfig.named("permission-matrix"));
    management =
        ManagementServer.start(
            broker,
            ManagementConfig.of("127.0.0.1", 0)
                .withDefinitions(Definitions::export, Definitions::importInto));
  }

  @AfterAll
  static void stop() {
    management.close();
    broker.close();
  }

  /** Creates the users (prefixed) and the queue the rows use, as guest. */
  private static void setUp(ApiClient api, String prefix) {
    String[][] users = {
      {"mon", "monitoring"}, {"mgmt", "management"}, {"policy", "policymaker"}, {"none", ""}
    };
    for (String[] u : users) {
      ApiClient.Answer a =
          api.put(
              "/api/users/" + prefix + u[0],
              "{\"password\":\"pw-" + u[0] + "\",\"tags\":\"" + u[1] + "\"}");
      assertEquals(true, a.status() == 201 || a.status() == 204, a.toString());
    }
    api.put(
        "/api/permissions/%2F/" + prefix + "mgmt",
        "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
    api.put("/api/queues/%2F/pmx-q1", "{\"durable\":false}");
  }

  private static void tearDown(ApiClient api, String prefix) {
    for (String u : USERS) {
      String name = u.equals("admin") ? "guest" : prefix + u;
      api.delete("/api/vhosts/pmx-v-" + name);
      api.delete("/api/users/pmx-u-" + name);
      api.delete("/api/queues/%2F/pmx-nq-" + name);
      api.delete("/api/exchanges/%2F/pmx-x-" + name);
      if (!u.equals("admin")) {
        api.delete("/api/users/" + name);
      }
    }
    api.delete("/api/queues/%2F/pmx-q1");
  }

  /** Runs the table; returns the differences, one line each. */
  private static List<String> run(ApiClient api, String prefix) {
    List<String> wrong = new ArrayList<>();
    for (Row row : ROWS) {
      for (int i = 0; i < USERS.length; i++) {
        String user = i == 0 ? "guest" : prefix + USERS[i];
        String password = i == 0 ? "guest" : "pw-" + USERS[i];
        String path = row.path().replace("{u}", user);
        int status = api.call(row.method(), path, user, password, row.body()).status();
        if (status != row.expected()[i]) {
          wrong.add(
              row.method()
                  + " "
                  + path
                  + " as "
                  + USERS[i]
                  + ": "
                  + status
                  + ", expected "
                  + row.expected()[i]);
        }
      }
    }
    return wrong;
  }

  @Test
  void everyEndpointAnswersEachTagAsRabbitMqDocuments() {
    ApiClient api = new ApiClient("http://127.0.0.1:" + management.port());
    setUp(api, "");
    try {
      assertEquals(List.of(), run(api, ""));
    } finally {
      tearDown(api, "");
    }
  }

  @Test
  void theTableIsWhatTheLocalRabbitMqAnswers() {
    ApiClient rabbit = new ApiClient(RabbitMqComparisonTest.RABBITMQ_API);
    Assumptions.assumeTrue(
        RabbitMqComparisonTest.rabbitMqAnswers(),
        "SKIPPED: RabbitMQ's management API does not answer on "
            + RabbitMqComparisonTest.RABBITMQ_API);
    setUp(rabbit, "warren-pmx-");
    try {
      assertEquals(List.of(), run(rabbit, "warren-pmx-"));
    } finally {
      tearDown(rabbit, "warren-pmx-");
    }
  }
}
