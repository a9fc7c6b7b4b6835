package io.warrenmq.cli.internal;

import static io.warrenmq.cli.internal.ManagementClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code status} and {@code close_connection}. */
final class ServerCommands {
  private ServerCommands() {}

  /** The {@code /api/overview} fields {@code status} prints, as {@code key} / JSON pointer. */
  private static final String[][] STATUS_FIELDS = {
    {"product_name", "/product_name"},
    {"product_version", "/product_version"},
    {"management_version", "/management_version"},
    {"rabbitmq_version", "/rabbitmq_version"},
    {"erlang_version", "/erlang_version"},
    {"cluster_name", "/cluster_name"},
    {"node", "/node"},
    {"connections", "/object_totals/connections"},
    {"channels", "/object_totals/channels"},
    {"exchanges", "/object_totals/exchanges"},
    {"queues", "/object_totals/queues"},
    {"consumers", "/object_totals/consumers"},
    {"messages", "/queue_totals/messages"},
    {"messages_ready", "/queue_totals/messages_ready"},
    {"messages_unacknowledged", "/queue_totals/messages_unacknowledged"},
  };

  @Command(
      name = "status",
      description =
          "Prints the broker's product, version, node, listeners and object and message totals"
              + " (GET /api/overview); fails (exit 69, 77, ...) when the API does not serve this"
              + " user.")
  static final class Status extends ApiCommand {
    @Override
    void run() {
      JsonNode overview = client().get("/api/overview");
      ObjectNode status = ManagementClient.JSON.createObjectNode();
      for (String[] field : STATUS_FIELDS) {
        JsonNode value = overview.at(field[1]);
        if (!value.isMissingNode() && !value.isNull()) {
          status.set(field[0], value);
        }
      }
      List<String> listeners = new ArrayList<>();
      for (JsonNode listener : overview.path("listeners")) {
        listeners.add(
            listener.path("protocol").asText()
                + " "
                + listener.path("ip_address").asText()
                + ":"
                + listener.path("port").asText());
      }
      if (!listeners.isEmpty()) {
        status.put("listeners", String.join(", ", listeners));
      }
      if (root().formatter() == OutputFormat.json) {
        out().println(OutputFormat.pretty(status));
        return;
      }
      info("Status of the broker at " + client().url("") + " ...");
      List<JsonNode> rows = new ArrayList<>();
      for (Map.Entry<String, JsonNode> entry : status.properties()) {
        rows.add(
            ManagementClient.JSON
                .createObjectNode()
                .put("key", entry.getKey())
                .put("value", OutputFormat.cell(entry.getValue())));
      }
      root()
          .formatter()
          .print(
              out(), List.of(Column.field("key"), Column.field("value")), rows, root().headers());
    }
  }

  @Command(
      name = "close_connection",
      description =
          "Closes a client connection (DELETE /api/connections/{name}, the explanation sent as"
              + " X-Reason); names as list_connections name prints them.")
  static final class CloseConnection extends ApiCommand {
    @Parameters(index = "0", paramLabel = "CONNECTION")
    String name;

    @Parameters(index = "1", paramLabel = "EXPLANATION")
    String explanation;

    @Override
    void run() {
      info("Closing connection " + name + ", reason: " + explanation + "...");
      client()
          .send(
              "DELETE", "/api/connections/" + segment(name), null, Map.of("X-Reason", explanation));
    }
  }
}
