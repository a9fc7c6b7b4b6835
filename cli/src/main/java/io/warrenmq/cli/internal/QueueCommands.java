package io.warrenmq.cli.internal;

import static io.warrenmq.cli.internal.ManagementClient.segment;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code purge_queue}, {@code delete_queue} and {@code move_messages}. */
final class QueueCommands {
  private QueueCommands() {}

  @Command(
      name = "purge_queue",
      description =
          "Removes every ready message from a queue (DELETE /api/queues/{vhost}/{queue}/contents);"
              + " unacknowledged messages stay.")
  static final class PurgeQueue extends ApiCommand {
    @Parameters(index = "0", paramLabel = "QUEUE")
    String queue;

    @Override
    void run() {
      info("Purging queue '" + queue + "' in vhost '" + vhost() + "' ...");
      client()
          .send(
              "DELETE",
              "/api/queues/" + vhostSegment() + "/" + segment(queue) + "/contents",
              null,
              Map.of());
    }
  }

  @Command(
      name = "delete_queue",
      description = "Deletes a queue and its messages (DELETE /api/queues/{vhost}/{queue}).")
  static final class DeleteQueue extends ApiCommand {
    @Parameters(index = "0", paramLabel = "QUEUE")
    String queue;

    @Option(
        names = {"-e", "--if-empty"},
        description = "Only if the queue has no messages (else HTTP 400, exit 65).")
    boolean ifEmpty;

    @Option(
        names = {"-u", "--if-unused"},
        description = "Only if the queue has no consumers (else HTTP 400, exit 65).")
    boolean ifUnused;

    @Override
    void run() {
      StringBuilder query = new StringBuilder();
      if (ifEmpty) {
        query.append("if-empty=true");
      }
      if (ifUnused) {
        query.append(query.length() == 0 ? "" : "&").append("if-unused=true");
      }
      info("Deleting queue '" + queue + "' on vhost '" + vhost() + "' ...");
      client()
          .send(
              "DELETE",
              "/api/queues/"
                  + vhostSegment()
                  + "/"
                  + segment(queue)
                  + (query.length() == 0 ? "" : "?" + query),
              null,
              Map.of());
    }
  }

  @Command(
      name = "move_messages",
      description = {
        "Moves the messages of queue SOURCE to queue DESTINATION of the same virtual host, one at"
            + " a time through the API (get with ackmode ack_requeue_false, then publish to the"
            + " default exchange with routing key DESTINATION), and prints how many moved.",
        "Not atomic: a message taken from SOURCE is lost if warrenctl dies before publishing it."
            + " RabbitMQ's shovel acknowledges the source only after the destination confirmed;"
            + " use one where a loss cannot be accepted."
      })
  static final class MoveMessages extends ApiCommand {
    @Parameters(index = "0", paramLabel = "SOURCE")
    String source;

    @Parameters(index = "1", paramLabel = "DESTINATION")
    String destination;

    @Option(
        names = "--max",
        paramLabel = "N",
        description = "Move at most N messages (default: until SOURCE is empty).")
    Long max;

    @Override
    void run() {
      if (source.equals(destination)) {
        throw new CliException(ExitCodes.USAGE, "SOURCE and DESTINATION are the same queue");
      }
      if (max != null && max < 0) {
        throw new CliException(ExitCodes.USAGE, "--max must be 0 or more, not " + max);
      }
      info(
          "Moving messages from queue '"
              + source
              + "' to queue '"
              + destination
              + "' in vhost '"
              + vhost()
              + "' ...");
      long moved =
          new MessageMover(client(), vhost())
              .move(source, destination, max == null ? Long.MAX_VALUE : max);
      if (root().formatter() == OutputFormat.json) {
        out()
            .println(
                ManagementClient.JSON
                    .createObjectNode()
                    .put("vhost", vhost())
                    .put("source", source)
                    .put("destination", destination)
                    .put("moved", moved));
      } else {
        out().println(moved);
      }
    }
  }
}
