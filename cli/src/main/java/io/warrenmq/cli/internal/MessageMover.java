package io.warrenmq.cli.internal;

import static io.warrenmq.cli.internal.ManagementClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Moves messages from one queue to another through the management API alone: repeatedly {@code POST
 * /api/queues/{vhost}/{src}/get} with {@code count 1} and {@code ackmode ack_requeue_false} (the
 * message leaves the source), then {@code POST /api/exchanges/{vhost}/amq.default/publish} with
 * routing key {@code dst} (the default exchange routes it to the queue of that name), with the
 * payload (base64 when it is not UTF-8 text) and the properties the API returned.
 *
 * <p><b>Not atomic per message.</b> The get removes the message before the publish adds it; if this
 * process dies, or the connection fails, between the two, that one message is lost. If the publish
 * is refused (it answers {@code routed: false}, e.g. the destination was deleted), the mover
 * publishes the message back to the source queue (at its tail) and stops with an error. The
 * properties go through the API's JSON form, so header value types may widen (a byte becomes a
 * number). RabbitMQ's own "move messages" (the management UI, via the Shovel plugin) is safe: a
 * shovel consumes from the source with manual acknowledgements, publishes to the destination with
 * publisher confirms, and acknowledges the source only after the destination confirmed ({@code
 * ack-mode on-confirm}); a crash then duplicates a message, never loses it. Use a shovel where a
 * loss cannot be accepted.
 *
 * <p>Thread-safety: one move at a time per instance; concurrent consumers of the source queue
 * simply take some of its messages.
 */
final class MessageMover {
  private final ManagementClient client;
  private final String vhost;

  MessageMover(ManagementClient client, String vhost) {
    this.client = client;
    this.vhost = vhost;
  }

  /**
   * Moves up to {@code limit} messages, until the source is empty.
   *
   * @param source the queue the messages leave
   * @param destination the queue they are published to (through the default exchange)
   * @param limit the most messages to move; {@link Long#MAX_VALUE} for all
   * @return the number of messages moved
   * @throws CliException ({@link ExitCodes#DATA_ERROR}) when a queue does not exist or a publish
   *     was not routed, or any API failure; the message says how many were moved before
   */
  long move(String source, String destination, long limit) {
    String vh = segment(vhost);
    for (String queue : new String[] {source, destination}) {
      if (client.find("/api/queues/" + vh + "/" + segment(queue)).isEmpty()) {
        throw new CliException(
            ExitCodes.DATA_ERROR, "queue '" + queue + "' in vhost '" + vhost + "' does not exist");
      }
    }
    ObjectNode get = ManagementClient.JSON.createObjectNode();
    get.put("count", 1).put("ackmode", "ack_requeue_false").put("encoding", "auto");
    String getPath = "/api/queues/" + vh + "/" + segment(source) + "/get";
    long moved = 0;
    while (moved < limit) {
      JsonNode answer;
      try {
        answer = client.send("POST", getPath, get, Map.of());
      } catch (CliException e) {
        throw new CliException(
            e.exitCode(), movedBefore(moved, source, destination) + e.getMessage(), e);
      }
      if (!answer.isArray() || answer.isEmpty()) {
        return moved;
      }
      JsonNode message = answer.get(0);
      String failure;
      try {
        failure = publish(message, destination);
      } catch (CliException e) {
        failure = e.getMessage();
      }
      if (failure != null) {
        String fate;
        try {
          String back = publish(message, source);
          fate = back == null ? "it was put back at the tail of '" + source + "'" : "it is lost";
        } catch (CliException e) {
          fate = "it is lost (putting it back failed: " + e.getMessage() + ")";
        }
        throw new CliException(
            ExitCodes.DATA_ERROR,
            movedBefore(moved, source, destination)
                + "publishing the next message to '"
                + destination
                + "' failed ("
                + failure
                + "); "
                + fate);
      }
      moved++;
    }
    return moved;
  }

  private static String movedBefore(long moved, String source, String destination) {
    return moved + " message(s) moved from '" + source + "' to '" + destination + "', then ";
  }

  /** Publishes {@code message} (a /get answer) to queue {@code queue}; null if routed, else why. */
  private String publish(JsonNode message, String queue) {
    ObjectNode body = ManagementClient.JSON.createObjectNode();
    JsonNode properties = message.path("properties");
    body.set(
        "properties",
        properties.isObject() ? properties : ManagementClient.JSON.createObjectNode());
    body.put("routing_key", queue);
    body.put("payload", message.path("payload").asText(""));
    body.put("payload_encoding", message.path("payload_encoding").asText("string"));
    JsonNode answer =
        client.send(
            "POST", "/api/exchanges/" + segment(vhost) + "/amq.default/publish", body, Map.of());
    return answer.path("routed").asBoolean(false) ? null : "not routed";
  }
}
