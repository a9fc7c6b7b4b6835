package io.warrenmq.management.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ConfirmListener;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.BindingInfo;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import io.warrenmq.engine.QueueInfo;
import io.warrenmq.engine.VirtualHost;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * {@code /api/exchanges}, {@code /api/queues} and {@code /api/bindings}. Reads use the engine's
 * snapshots; changes go through an engine connection opened as the authenticated user, so that the
 * user's configure/write/read permissions apply exactly as over AMQP (RabbitMQ's management plugin
 * does the same through a direct connection).
 */
final class TopologyApi {
  /** The default exchange's name in paths, as in RabbitMQ ({@code ""} cannot be a segment). */
  private static final String DEFAULT_EXCHANGE = "amq.default";

  private static final long PUBLISH_CONFIRM_TIMEOUT_MS = 10_000;

  private final Broker broker;
  private final Render render;
  private final QueueTransferApi transfers;

  TopologyApi(Broker broker, Render render) {
    this.broker = broker;
    this.render = render;
    this.transfers = new QueueTransferApi(broker);
  }

  private <T> T withChannel(Call c, String vhost, Function<Channel, T> work) {
    try (Connection conn = broker.newConnectionAs(vhost, c.who().name())) {
      return work.apply(conn.createChannel());
    }
  }

  private static String exchangeName(String segment) {
    return segment.equals(DEFAULT_EXCHANGE) ? "" : segment;
  }

  private List<String> visibleVhosts(Call c) {
    return broker.virtualHostNames().stream().filter(v -> c.who().sees(broker, v)).toList();
  }

  // ---- exchanges ------------------------------------------------------------------------------

  Reply exchanges(Call c) {
    if (c.size() == 1) {
      AccessApi.requireGet(c);
      List<Object> out = new ArrayList<>();
      for (String v : visibleVhosts(c)) {
        broker.virtualHost(v).allExchanges().forEach(x -> out.add(Render.exchange(v, x)));
      }
      return Reply.ok(out);
    }
    String vhost = c.accessibleVhost(1);
    VirtualHost vh = broker.virtualHost(vhost);
    if (c.size() == 2) {
      AccessApi.requireGet(c);
      return Reply.ok(vh.allExchanges().stream().map(x -> Render.exchange(vhost, x)).toList());
    }
    String name = exchangeName(c.seg(2));
    if (c.size() == 3) {
      switch (c.method()) {
        case "GET" -> {
          return Reply.ok(Render.exchange(vhost, exchange(vh, name)));
        }
        case "PUT" -> {
          ObjectNode body = c.json();
          ExchangeSpec spec =
              new ExchangeSpec(
                  name,
                  Json.text(body, "type", "direct"),
                  Json.bool(body, "durable", true),
                  Json.bool(body, "auto_delete", false),
                  Json.bool(body, "internal", false),
                  Json.table(body, "arguments"));
          boolean created = !vh.exchangeExists(name);
          withChannel(
              c,
              vhost,
              ch -> {
                ch.exchangeDeclare(spec);
                return null;
              });
          return Reply.createdOr(created);
        }
        case "DELETE" -> {
          exchange(vh, name);
          boolean ifUnused = "true".equals(c.query("if-unused"));
          withChannel(
              c,
              vhost,
              ch -> {
                ch.exchangeDelete(name, ifUnused);
                return null;
              });
          return Reply.noContent();
        }
        default -> throw ApiException.methodNotAllowed();
      }
    }
    if (c.size() == 4 && c.seg(3).equals("publish")) {
      if (!c.is("POST")) {
        throw ApiException.methodNotAllowed();
      }
      exchange(vh, name);
      return publish(c, vhost, name);
    }
    if (c.size() == 5 && c.seg(3).equals("bindings")) {
      AccessApi.requireGet(c);
      exchange(vh, name);
      boolean source = c.seg(4).equals("source");
      if (!source && !c.seg(4).equals("destination")) {
        throw ApiException.notFound();
      }
      return Reply.ok(
          vh.bindings().stream()
              .filter(
                  b ->
                      source
                          ? b.source().equals(name)
                          : !b.isQueueDestination() && b.destination().equals(name))
              .map(b -> Render.binding(vhost, b))
              .toList());
    }
    throw ApiException.notFound();
  }

  private static ExchangeSpec exchange(VirtualHost vh, String name) {
    return vh.allExchanges().stream()
        .filter(x -> x.name().equals(name))
        .findFirst()
        .orElseThrow(ApiException::notFound);
  }

  private Reply publish(Call c, String vhost, String exchange) {
    ObjectNode body = c.json();
    Json.requireKeys(body, "properties", "routing_key", "payload", "payload_encoding");
    String routingKey = Json.requiredText(body, "routing_key");
    String payload = Json.requiredText(body, "payload");
    String encoding = Json.text(body, "payload_encoding", "string");
    byte[] bytes;
    if (encoding.equals("string")) {
      bytes = payload.getBytes(StandardCharsets.UTF_8);
    } else if (encoding.equals("base64")) {
      try {
        bytes = Base64.getDecoder().decode(payload);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("payload is not valid base64");
      }
    } else {
      throw ApiException.badRequest(List.of("unsupported_encoding", encoding));
    }
    BasicProperties props = properties(body.get("properties"));
    boolean routed =
        withChannel(
            c,
            vhost,
            ch -> {
              AtomicBoolean returned = new AtomicBoolean();
              CompletableFuture<Boolean> confirmed = new CompletableFuture<>();
              ch.addReturnListener(r -> returned.set(true));
              // confirm listeners run after the return of the same message (both are posted to
              // the channel's serial dispatch task, the return first, as AMQP 0-9-1 orders them)
              ch.addConfirmListener(
                  new ConfirmListener() {
                    @Override
                    public void handleAck(long tag, boolean multiple) {
                      confirmed.complete(true);
                    }

                    @Override
                    public void handleNack(long tag, boolean multiple) {
                      confirmed.complete(false);
                    }
                  });
              ch.confirmSelect();
              ch.basicPublish(exchange, routingKey, true, props, bytes);
              boolean acked;
              try {
                acked = confirmed.get(PUBLISH_CONFIRM_TIMEOUT_MS, TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AmqpException(ReplyCode.INTERNAL_ERROR, "interrupted while publishing");
              } catch (ExecutionException | TimeoutException e) {
                throw new AmqpException(ReplyCode.INTERNAL_ERROR, "publish not confirmed in time");
              }
              if (!acked) {
                throw new AmqpException(
                    ReplyCode.PRECONDITION_FAILED, "the message was refused (basic.nack)");
              }
              return !returned.get();
            });
    return Reply.ok(Map.of("routed", routed));
  }

  /** The {@code properties} object of a publish, with RabbitMQ's field names. */
  private static BasicProperties properties(JsonNode n) {
    if (n == null || n.isNull() || (n.isArray() && n.isEmpty())) {
      return BasicProperties.EMPTY;
    }
    if (!(n instanceof ObjectNode p)) {
      throw ApiException.badRequest(List.of("not_object", n.toString()));
    }
    BasicProperties.Builder b = BasicProperties.builder();
    String ct = Json.text(p, "content_type", null);
    if (ct != null) {
      b.contentType(ct);
    }
    String ce = Json.text(p, "content_encoding", null);
    if (ce != null) {
      b.contentEncoding(ce);
    }
    if (p.has("headers")) {
      b.headers(Json.table(p, "headers"));
    }
    long dm = Json.integer(p, "delivery_mode", 0);
    if (dm != 0) {
      b.deliveryMode((int) dm);
    }
    long pr = Json.integer(p, "priority", -1);
    if (pr >= 0) {
      b.priority((int) pr);
    }
    String s;
    if ((s = Json.text(p, "correlation_id", null)) != null) {
      b.correlationId(s);
    }
    if ((s = Json.text(p, "reply_to", null)) != null) {
      b.replyTo(s);
    }
    if ((s = Json.text(p, "expiration", null)) != null) {
      b.expiration(s);
    }
    if ((s = Json.text(p, "message_id", null)) != null) {
      b.messageId(s);
    }
    long ts = Json.integer(p, "timestamp", -1);
    if (ts >= 0) {
      b.timestamp(ts);
    }
    if ((s = Json.text(p, "type", null)) != null) {
      b.type(s);
    }
    if ((s = Json.text(p, "user_id", null)) != null) {
      b.userId(s);
    }
    if ((s = Json.text(p, "app_id", null)) != null) {
      b.appId(s);
    }
    return b.build();
  }

  // ---- queues ---------------------------------------------------------------------------------

  Reply queues(Call c) {
    if (c.size() == 1) {
      AccessApi.requireGet(c);
      List<Object> out = new ArrayList<>();
      for (String v : visibleVhosts(c)) {
        broker.queues(v).forEach(q -> out.add(render.queue(q)));
      }
      return Reply.ok(out);
    }
    String vhost = c.accessibleVhost(1);
    if (c.size() == 2) {
      AccessApi.requireGet(c);
      return Reply.ok(broker.queues(vhost).stream().map(render::queue).toList());
    }
    String name = c.seg(2);
    VirtualHost vh = broker.virtualHost(vhost);
    if (c.size() == 3) {
      switch (c.method()) {
        case "GET" -> {
          return Reply.ok(render.queue(queue(vhost, name)));
        }
        case "PUT" -> {
          ObjectNode body = c.json();
          QueueSpec spec =
              new QueueSpec(
                  name,
                  Json.bool(body, "durable", true),
                  false,
                  Json.bool(body, "auto_delete", false),
                  Json.table(body, "arguments"));
          boolean created = !vh.queueExists(name);
          withChannel(c, vhost, ch -> ch.queueDeclare(spec));
          return Reply.createdOr(created);
        }
        case "DELETE" -> {
          queue(vhost, name);
          boolean ifUnused = "true".equals(c.query("if-unused"));
          boolean ifEmpty = "true".equals(c.query("if-empty"));
          withChannel(c, vhost, ch -> ch.queueDelete(name, ifUnused, ifEmpty));
          return Reply.noContent();
        }
        default -> throw ApiException.methodNotAllowed();
      }
    }
    String action = c.seg(3);
    if (c.size() == 4 && action.equals("contents")) {
      if (!c.is("DELETE")) {
        throw ApiException.methodNotAllowed();
      }
      queue(vhost, name);
      withChannel(c, vhost, ch -> ch.queuePurge(name));
      return Reply.noContent();
    }
    if (c.size() == 4 && action.equals("get")) {
      if (!c.is("POST")) {
        throw ApiException.methodNotAllowed();
      }
      queue(vhost, name);
      return get(c, vhost, name);
    }
    if (c.size() == 4
        && (action.equals(QueueTransferApi.MOVE) || action.equals(QueueTransferApi.REDRIVE))) {
      return transfers.handle(c, vhost, name, action);
    }
    if (c.size() == 4 && action.equals("bindings")) {
      AccessApi.requireGet(c);
      queue(vhost, name);
      List<Object> out = new ArrayList<>();
      out.add(Render.defaultBinding(vhost, name));
      vh.bindings().stream()
          .filter(b -> b.isQueueDestination() && b.destination().equals(name))
          .forEach(b -> out.add(Render.binding(vhost, b)));
      return Reply.ok(out);
    }
    throw ApiException.notFound();
  }

  private QueueInfo queue(String vhost, String name) {
    return broker.queue(vhost, name).orElseThrow(ApiException::notFound);
  }

  /**
   * {@code POST /api/queues/{vhost}/{name}/get}: takes up to {@code count} messages with {@code
   * basic.get}, then settles them all at once as {@code ackmode} says ({@code ack_requeue_true} and
   * {@code reject_requeue_true} put them back, marked redelivered, as RabbitMQ does).
   */
  private Reply get(Call c, String vhost, String name) {
    ObjectNode body = c.json();
    Json.requireKeys(body, "count", "ackmode", "encoding");
    long count = Json.integer(body, "count", -1);
    String ackmode = Json.requiredText(body, "ackmode");
    String encoding = Json.requiredText(body, "encoding");
    long truncate = Json.integer(body, "truncate", -1);
    if (count < 0) {
      throw ApiException.badRequest("[{key_missing,count}]");
    }
    boolean requeue;
    boolean reject;
    switch (ackmode) {
      case "ack_requeue_true" -> {
        requeue = true;
        reject = false;
      }
      case "ack_requeue_false" -> {
        requeue = false;
        reject = false;
      }
      case "reject_requeue_true" -> {
        requeue = true;
        reject = true;
      }
      case "reject_requeue_false" -> {
        requeue = false;
        reject = true;
      }
      default -> throw ApiException.badRequest(List.of("unknown_ackmode", ackmode));
    }
    if (!encoding.equals("auto") && !encoding.equals("base64")) {
      throw ApiException.badRequest(List.of("unsupported_encoding", encoding));
    }
    return withChannel(
        c,
        vhost,
        ch -> {
          List<Object> out = new ArrayList<>();
          long last = 0;
          for (long i = 0; i < count; i++) {
            GetResponse r = ch.basicGet(name, false);
            if (r == null) {
              break;
            }
            last = r.delivery().deliveryTag();
            out.add(message(r, encoding, truncate));
          }
          if (last != 0) {
            if (requeue || reject) {
              ch.basicNack(last, true, requeue);
            } else {
              ch.basicAck(last, true);
            }
          }
          return Reply.ok(out);
        });
  }

  private static Map<String, Object> message(GetResponse r, String encoding, long truncate) {
    Delivery d = r.delivery();
    byte[] payload = d.body();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("payload_bytes", payload.length);
    m.put("redelivered", d.redelivered());
    m.put("exchange", d.exchange());
    m.put("routing_key", d.routingKey());
    m.put("message_count", r.messageCount());
    m.put("properties", properties(d.properties()));
    byte[] shown =
        truncate >= 0 && payload.length > truncate
            ? Arrays.copyOf(payload, (int) truncate)
            : payload;
    Optional<String> text = encoding.equals("auto") ? utf8(shown) : Optional.empty();
    m.put("payload", text.orElseGet(() -> Base64.getEncoder().encodeToString(shown)));
    m.put("payload_encoding", text.isPresent() ? "string" : "base64");
    return m;
  }

  private static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** Message properties as RabbitMQ renders them: {@code []} when none is set. */
  private static Object properties(BasicProperties p) {
    if (p == null) {
      return List.of();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    putIf(m, "content_type", p.contentType());
    putIf(m, "content_encoding", p.contentEncoding());
    if (p.headers() != null && !p.headers().isEmpty()) {
      m.put("headers", p.headers());
    }
    putIf(m, "delivery_mode", p.deliveryMode());
    putIf(m, "priority", p.priority());
    putIf(m, "correlation_id", p.correlationId());
    putIf(m, "reply_to", p.replyTo());
    putIf(m, "expiration", p.expiration());
    putIf(m, "message_id", p.messageId());
    putIf(m, "timestamp", p.timestamp());
    putIf(m, "type", p.type());
    putIf(m, "user_id", p.userId());
    putIf(m, "app_id", p.appId());
    return m.isEmpty() ? List.of() : m;
  }

  private static void putIf(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  // ---- bindings -------------------------------------------------------------------------------

  Reply bindings(Call c) {
    if (c.size() == 1) {
      AccessApi.requireGet(c);
      List<Object> out = new ArrayList<>();
      for (String v : visibleVhosts(c)) {
        out.addAll(vhostBindings(v));
      }
      return Reply.ok(out);
    }
    String vhost = c.accessibleVhost(1);
    if (c.size() == 2) {
      AccessApi.requireGet(c);
      return Reply.ok(vhostBindings(vhost));
    }
    // /bindings/{vhost}/e/{source}/{q|e}/{destination}[/{props}]
    if ((c.size() != 6 && c.size() != 7)
        || !c.seg(2).equals("e")
        || !(c.seg(4).equals("q") || c.seg(4).equals("e"))) {
      throw ApiException.notFound();
    }
    VirtualHost vh = broker.virtualHost(vhost);
    String source = exchangeName(c.seg(3));
    boolean toQueue = c.seg(4).equals("q");
    String destination = c.seg(5);
    exchange(vh, source);
    if (toQueue) {
      queue(vhost, destination);
    } else {
      exchange(vh, exchangeName(destination));
    }
    String dest = toQueue ? destination : exchangeName(destination);
    List<BindingInfo> between =
        vh.bindings().stream()
            .filter(
                b ->
                    b.source().equals(source)
                        && b.isQueueDestination() == toQueue
                        && b.destination().equals(dest))
            .toList();
    if (c.size() == 6) {
      switch (c.method()) {
        case "GET" -> {
          return Reply.ok(between.stream().map(b -> Render.binding(vhost, b)).toList());
        }
        case "POST" -> {
          ObjectNode body = c.json();
          String key = Json.text(body, "routing_key", "");
          Map<String, Object> args = Json.table(body, "arguments");
          withChannel(
              c,
              vhost,
              ch -> {
                if (toQueue) {
                  ch.queueBind(dest, source, key, args);
                } else {
                  ch.exchangeBind(dest, source, key, args);
                }
                return null;
              });
          return new Reply(201, null, Render.propertiesKey(key, args));
        }
        default -> throw ApiException.methodNotAllowed();
      }
    }
    String props = c.seg(6);
    BindingInfo b =
        between.stream()
            .filter(x -> Render.matchesPropertiesKey(props, x.routingKey(), x.arguments()))
            .findFirst()
            .orElseThrow(ApiException::notFound);
    switch (c.method()) {
      case "GET" -> {
        return Reply.ok(Render.binding(vhost, b));
      }
      case "DELETE" -> {
        withChannel(
            c,
            vhost,
            ch -> {
              if (toQueue) {
                ch.queueUnbind(dest, source, b.routingKey(), b.arguments());
              } else {
                ch.exchangeUnbind(dest, source, b.routingKey(), b.arguments());
              }
              return null;
            });
        return Reply.noContent();
      }
      default -> throw ApiException.methodNotAllowed();
    }
  }

  /** A vhost's bindings with the default exchange's implicit ones first, as RabbitMQ lists. */
  private List<Object> vhostBindings(String vhost) {
    List<Object> out = new ArrayList<>();
    VirtualHost vh = broker.virtualHost(vhost);
    vh.queues().forEach(q -> out.add(Render.defaultBinding(vhost, q.name())));
    vh.bindings().forEach(b -> out.add(Render.binding(vhost, b)));
    return out;
  }
}
