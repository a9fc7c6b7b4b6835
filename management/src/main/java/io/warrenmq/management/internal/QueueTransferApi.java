package io.warrenmq.management.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.engine.QueueControlMXBean;
import io.warrenmq.engine.QueueInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * WarrenMQ's extensions of the queue resource, which RabbitMQ's API does not have (RabbitMQ's UI
 * moves messages with a dynamic shovel instead): {@code POST
 * /api/queues/{vhost}/{name}/warrenmq-move} ({@code {"destination": "q", "filter": "selector"}})
 * moves the ready messages to another queue of the virtual host, {@code POST
 * /api/queues/{vhost}/{name}/warrenmq-redrive} sends a dead-letter queue's ready messages back to
 * the queues their {@code x-death} header names. Both answer {@code {"moved": n, "remaining": m}}
 * (m: the messages left in the source) and are crash-safe per message (a duplicate at worst, never
 * a loss; {@link QueueControlMXBean#moveMessages}).
 *
 * <p>Rights, as an AMQP client that consumed from the source and published to the destination would
 * need them: access to the virtual host, {@code read} on the source queue and, for a move, {@code
 * write} on the destination queue (checked against the queue's name, as RabbitMQ checks a bind);
 * otherwise 401 {@code not_authorised} "Access refused.", as the rest of the API answers an engine
 * refusal. A missing {@code destination}, a destination that does not exist or is the source, and a
 * filter that is not a JMS selector get 400 {@code bad_request} naming what was wrong.
 */
final class QueueTransferApi {
  /** The path segment of the move operation. */
  static final String MOVE = "warrenmq-move";

  /** The path segment of the re-drive operation. */
  static final String REDRIVE = "warrenmq-redrive";

  private final Broker broker;

  QueueTransferApi(Broker broker) {
    this.broker = broker;
  }

  /** Answers {@code POST .../{name}/{operation}}; the virtual host is checked to be accessible. */
  Reply handle(Call c, String vhost, String queue, String operation) {
    if (!c.is("POST")) {
      throw ApiException.methodNotAllowed();
    }
    QueueControlMXBean control =
        broker.queueControl(vhost, queue).orElseThrow(ApiException::notFound);
    ObjectNode body = c.json();
    PermissionInfo rights =
        broker
            .users()
            .permission(c.who().name(), vhost)
            .orElseThrow(() -> ApiException.notAuthorised("Access refused."));
    require(rights.read(), queue);
    int moved;
    try {
      if (operation.equals(MOVE)) {
        String destination = Json.requiredText(body, "destination");
        if (broker.queue(vhost, destination).isEmpty()) {
          throw ApiException.badRequest(
              "destination queue '" + destination + "' not found in vhost '" + vhost + "'");
        }
        require(rights.write(), destination);
        moved = control.moveMessages(Json.text(body, "filter", null), destination);
      } else {
        moved = control.retryMessages();
      }
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("moved", moved);
    out.put("remaining", broker.queue(vhost, queue).map(QueueInfo::messagesReady).orElse(0L));
    return Reply.ok(out);
  }

  /** A permission expression allows a name as the engine's check does: a regex search. */
  private static void require(String regex, String name) {
    boolean allowed;
    try {
      allowed = !regex.isEmpty() && Pattern.compile(regex).matcher(name).find();
    } catch (PatternSyntaxException e) {
      allowed = false;
    }
    if (!allowed) {
      throw ApiException.notAuthorised("Access refused.");
    }
  }
}
