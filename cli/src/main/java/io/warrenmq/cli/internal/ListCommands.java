package io.warrenmq.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Parameters;

/**
 * The {@code list_*} commands: one GET of the management API, the requested columns ({@code
 * rabbitmqctl}'s info items, see {@link TableSpec}) printed by {@code --formatter}. A column the
 * API does not return for an object prints empty ({@code null} in JSON); RabbitMQ, for instance,
 * returns a new queue's {@code messages} only after its next statistics emission (every 5 s by
 * default).
 */
final class ListCommands {
  private ListCommands() {}

  /** The shared part: columns parameter, GET, print. */
  abstract static class ListCommand extends ApiCommand {
    @Parameters(
        paramLabel = "COLUMN",
        arity = "0..*",
        description =
            "Columns to print, as separate arguments or comma-separated (known columns: below).")
    List<String> columns = new ArrayList<>();

    /** The known and default columns. */
    abstract TableSpec table();

    /** The API path to GET, returning an array of objects. */
    abstract String path();

    /** The informational line printed before a table ("Listing queues for vhost / ..."). */
    abstract String banner();

    @Override
    void run() {
      List<Column> selected = table().resolve(columns);
      JsonNode answer = client().get(path());
      if (!answer.isArray()) {
        throw new CliException(
            ExitCodes.SOFTWARE,
            "GET " + client().url(path()) + ": expected a JSON array, got " + answer.getNodeType());
      }
      List<JsonNode> rows = new ArrayList<>();
      answer.forEach(rows::add);
      if (root().formatter() == OutputFormat.table) {
        info(banner());
      }
      root().formatter().print(out(), selected, rows, root().headers());
    }
  }

  /**
   * Lists each {@code list_*} command's known columns in its usage footer and offers them to shell
   * completion.
   */
  static void describeColumns(CommandLine root) {
    for (CommandLine sub : root.getSubcommands().values()) {
      if (sub.getCommand() instanceof ListCommand list) {
        List<String> names = list.table().names();
        CommandSpec spec = sub.getCommandSpec();
        PositionalParamSpec old = spec.positionalParameters().get(0);
        spec.remove(old);
        spec.addPositional(PositionalParamSpec.builder(old).completionCandidates(names).build());
        spec.usageMessage()
            .footer(
                "%nKnown columns: " + String.join(" ", names),
                "Default columns: " + String.join(" ", list.table().defaults()));
      }
    }
  }

  private static List<Column> fields(String... names) {
    return Stream.of(names).map(Column::field).toList();
  }

  private static List<Column> concat(List<Column> first, List<Column> second) {
    List<Column> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  static final TableSpec QUEUES =
      new TableSpec(
          "list_queues",
          List.of("name", "messages"),
          fields(
              "name",
              "durable",
              "auto_delete",
              "arguments",
              "policy",
              "pid",
              "owner_pid",
              "exclusive",
              "exclusive_consumer_pid",
              "exclusive_consumer_tag",
              "messages_ready",
              "messages_unacknowledged",
              "messages",
              "messages_ready_ram",
              "messages_unacknowledged_ram",
              "messages_ram",
              "messages_persistent",
              "message_bytes",
              "message_bytes_ready",
              "message_bytes_unacknowledged",
              "message_bytes_ram",
              "message_bytes_persistent",
              "head_message_timestamp",
              "disk_reads",
              "disk_writes",
              "consumers",
              "consumer_utilisation",
              "consumer_capacity",
              "memory",
              "slave_pids",
              "synchronised_slave_pids",
              "state",
              "type",
              "leader",
              "members",
              "online"));

  static final TableSpec EXCHANGES =
      new TableSpec(
          "list_exchanges",
          List.of("name", "type"),
          fields("name", "type", "durable", "auto_delete", "internal", "arguments", "policy"));

  static final TableSpec BINDINGS =
      new TableSpec(
          "list_bindings",
          List.of(
              "source_name",
              "source_kind",
              "destination_name",
              "destination_kind",
              "routing_key",
              "arguments"),
          List.of(
              Column.at("source_name", "/source"),
              Column.constant("source_kind", "exchange"),
              Column.at("destination_name", "/destination"),
              Column.at("destination_kind", "/destination_type"),
              Column.field("routing_key"),
              Column.field("arguments"),
              Column.field("properties_key"),
              Column.field("vhost")));

  static final TableSpec CONNECTIONS =
      new TableSpec(
          "list_connections",
          List.of("user", "peer_host", "peer_port", "state"),
          concat(
              List.of(Column.at("pid", "/name")),
              fields(
                  "name",
                  "port",
                  "host",
                  "peer_port",
                  "peer_host",
                  "ssl",
                  "ssl_protocol",
                  "ssl_key_exchange",
                  "ssl_cipher",
                  "ssl_hash",
                  "peer_cert_subject",
                  "peer_cert_issuer",
                  "peer_cert_validity",
                  "state",
                  "channels",
                  "protocol",
                  "auth_mechanism",
                  "user",
                  "vhost",
                  "timeout",
                  "frame_max",
                  "channel_max",
                  "client_properties",
                  "recv_oct",
                  "recv_cnt",
                  "send_oct",
                  "send_cnt",
                  "send_pend",
                  "connected_at",
                  "node")));

  static final TableSpec CONSUMERS =
      new TableSpec(
          "list_consumers",
          List.of(
              "queue_name",
              "channel_pid",
              "consumer_tag",
              "ack_required",
              "prefetch_count",
              "active",
              "arguments"),
          concat(
              List.of(
                  Column.at("queue_name", "/queue/name"),
                  Column.at("channel_pid", "/channel_details/name")),
              fields(
                  "consumer_tag",
                  "ack_required",
                  "prefetch_count",
                  "active",
                  "activity_status",
                  "exclusive",
                  "arguments")));

  static final TableSpec USERS =
      new TableSpec(
          "list_users",
          List.of("user", "tags"),
          List.of(Column.at("user", "/name"), Column.field("tags"), Column.field("limits")));

  static final TableSpec VHOSTS =
      new TableSpec(
          "list_vhosts",
          List.of("name"),
          fields(
              "name",
              "description",
              "tags",
              "tracing",
              "cluster_state",
              "default_queue_type",
              "messages",
              "messages_ready",
              "messages_unacknowledged"));

  static final TableSpec PERMISSIONS =
      new TableSpec(
          "list_permissions",
          List.of("user", "configure", "write", "read"),
          fields("user", "configure", "write", "read", "vhost"));

  @Command(
      name = "list_queues",
      description =
          "Lists the queues of a virtual host (GET /api/queues/{vhost}). Default columns: name messages.")
  static final class ListQueues extends ListCommand {
    @Override
    TableSpec table() {
      return QUEUES;
    }

    @Override
    String path() {
      return "/api/queues/" + vhostSegment();
    }

    @Override
    String banner() {
      return "Listing queues for vhost " + vhost() + " ...";
    }
  }

  @Command(
      name = "list_exchanges",
      description =
          "Lists the exchanges of a virtual host (GET /api/exchanges/{vhost}). Default columns: name type.")
  static final class ListExchanges extends ListCommand {
    @Override
    TableSpec table() {
      return EXCHANGES;
    }

    @Override
    String path() {
      return "/api/exchanges/" + vhostSegment();
    }

    @Override
    String banner() {
      return "Listing exchanges for vhost " + vhost() + " ...";
    }
  }

  @Command(
      name = "list_bindings",
      description =
          "Lists the bindings of a virtual host (GET /api/bindings/{vhost}). Default columns: source_name source_kind destination_name destination_kind routing_key arguments.")
  static final class ListBindings extends ListCommand {
    @Override
    TableSpec table() {
      return BINDINGS;
    }

    @Override
    String path() {
      return "/api/bindings/" + vhostSegment();
    }

    @Override
    String banner() {
      return "Listing bindings for vhost " + vhost() + "...";
    }
  }

  @Command(
      name = "list_connections",
      description =
          "Lists the client connections of every virtual host (GET /api/connections). Default columns: user peer_host peer_port state.")
  static final class ListConnections extends ListCommand {
    @Override
    TableSpec table() {
      return CONNECTIONS;
    }

    @Override
    String path() {
      return "/api/connections";
    }

    @Override
    String banner() {
      return "Listing connections ...";
    }
  }

  @Command(
      name = "list_consumers",
      description =
          "Lists the consumers of a virtual host (GET /api/consumers/{vhost}). Default columns: queue_name channel_pid consumer_tag ack_required prefetch_count active arguments.")
  static final class ListConsumers extends ListCommand {
    @Override
    TableSpec table() {
      return CONSUMERS;
    }

    @Override
    String path() {
      return "/api/consumers/" + vhostSegment();
    }

    @Override
    String banner() {
      return "Listing consumers in vhost " + vhost() + " ...";
    }
  }

  @Command(
      name = "list_users",
      description = "Lists the users (GET /api/users). Default columns: user tags.")
  static final class ListUsers extends ListCommand {
    @Override
    TableSpec table() {
      return USERS;
    }

    @Override
    String path() {
      return "/api/users";
    }

    @Override
    String banner() {
      return "Listing users ...";
    }
  }

  @Command(
      name = "list_vhosts",
      description = "Lists the virtual hosts (GET /api/vhosts). Default column: name.")
  static final class ListVhosts extends ListCommand {
    @Override
    TableSpec table() {
      return VHOSTS;
    }

    @Override
    String path() {
      return "/api/vhosts";
    }

    @Override
    String banner() {
      return "Listing vhosts ...";
    }
  }

  @Command(
      name = "list_permissions",
      description =
          "Lists the users' permissions in a virtual host (GET /api/vhosts/{vhost}/permissions). Default columns: user configure write read.")
  static final class ListPermissions extends ListCommand {
    @Override
    TableSpec table() {
      return PERMISSIONS;
    }

    @Override
    String path() {
      return "/api/vhosts/" + vhostSegment() + "/permissions";
    }

    @Override
    String banner() {
      return "Listing permissions for vhost \"" + vhost() + "\" ...";
    }
  }
}
