package io.warrenmq.management.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.warrenmq.client.AmqpException;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.UserInfo;
import io.warrenmq.management.ManagementConfig;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one Undertow handler of the management listener: reads the request on a worker thread,
 * authenticates it (HTTP basic against the broker's users, as an AMQP login checks passwords),
 * routes {@code /api/...} to the resources and writes the JSON answer or RabbitMQ's error JSON.
 * Never logs a password: only user names reach the log.
 */
public final class ApiHandler implements HttpHandler {
  private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
  private static final String REALM = "Basic realm=\"RabbitMQ Management\"";

  private final Broker broker;
  private final ManagementConfig config;
  private final AccessApi access;
  private final TopologyApi topology;
  private final RuntimeApi runtime;

  public ApiHandler(Broker broker, ManagementConfig config) {
    this.broker = broker;
    this.config = config;
    Render render = new Render(new Rates());
    this.runtime = new RuntimeApi(broker, render, config);
    this.access = new AccessApi(broker, render, runtime);
    this.topology = new TopologyApi(broker, render);
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    if (ex.isInIoThread()) {
      ex.dispatch(this);
      return;
    }
    ex.startBlocking();
    try {
      Reply reply = handle(ex);
      if (reply != null) {
        send(ex, reply.status(), reply.body(), reply.location());
      }
    } catch (ApiException e) {
      sendError(ex, e);
    } catch (AmqpException e) {
      sendError(ex, fromEngine(e));
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "management API: " + ex.getRequestMethod() + " " + ex.getRequestPath() + " failed",
          e);
      sendError(ex, new ApiException(500, "internal_server_error", String.valueOf(e.getMessage())));
    }
  }

  private Reply handle(HttpServerExchange ex) throws IOException {
    String raw = ex.getRequestPath();
    ManagementConfig.TextEndpoint extra = config.endpoints().get(raw);
    if (extra != null) {
      if (!ex.getRequestMethod().equalToString("GET")) {
        throw ApiException.methodNotAllowed();
      }
      ex.getResponseHeaders().put(Headers.CONTENT_TYPE, extra.contentType());
      ex.getResponseSender().send(extra.body().get(), StandardCharsets.UTF_8);
      return null;
    }
    List<String> path = segments(raw);
    if (path.isEmpty() || !path.get(0).equals("api")) {
      throw ApiException.notFound();
    }
    for (String s : path) {
      if (s.equals("..") || s.equals(".")) {
        throw ApiException.methodNotAllowed(); // RabbitMQ (cowboy) answers 405 to dot segments
      }
    }
    String method = ex.getRequestMethod().toString();
    if (!List.of("GET", "PUT", "POST", "DELETE").contains(method)) {
      throw ApiException.methodNotAllowed();
    }
    Principal who = authenticate(ex);
    byte[] body = readBody(ex);
    Call call =
        new Call(
            broker,
            method,
            List.copyOf(path.subList(1, path.size())),
            who,
            body,
            ex.getQueryParameters(),
            ex.getRequestHeaders().getFirst("X-Reason"));
    Reply reply = route(call);
    if (call.is("GET") && reply.status() == 200) {
      return new Reply(200, Listing.apply(call, reply.body()), reply.location());
    }
    return reply;
  }

  private Reply route(Call c) {
    if (c.size() == 0) {
      throw ApiException.notFound();
    }
    return switch (c.seg(0)) {
      case "overview" -> only(c, 1, () -> runtime.overview(c));
      case "whoami" -> only(c, 1, () -> access.whoami(c));
      case "vhosts" -> access.vhosts(c);
      case "users" -> access.users(c);
      case "permissions" -> access.permissions(c);
      case "exchanges" -> topology.exchanges(c);
      case "queues" -> topology.queues(c);
      case "bindings" -> topology.bindings(c);
      case "connections" -> runtime.connections(c);
      case "channels" -> runtime.channels(c);
      case "consumers" -> runtime.consumers(c);
      case "definitions" -> runtime.definitions(c);
      case "nodes" -> runtime.nodes(c);
      case "health" -> runtime.health(c);
      case "cluster-name" -> only(c, 1, () -> Reply.ok(Map.of("name", Render.NODE)));
      case "extensions" -> only(c, 1, () -> Reply.ok(List.of()));
      case "aliveness-test" -> runtime.aliveness(c);
      default -> throw ApiException.notFound();
    };
  }

  private static Reply only(Call c, int size, java.util.function.Supplier<Reply> get) {
    if (c.size() != size) {
      throw ApiException.notFound();
    }
    if (!c.is("GET")) {
      throw ApiException.methodNotAllowed();
    }
    return get.get();
  }

  /** Splits the raw path on '/', then percent-decodes each segment ({@code %2F} is the vhost /). */
  static List<String> segments(String raw) {
    List<String> out = new ArrayList<>();
    for (String s : raw.split("/", -1)) {
      if (s.isEmpty()) {
        continue;
      }
      try {
        // '+' is a literal plus in a path, not a space (URLDecoder decodes form data)
        out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("malformed percent-encoding in the path");
      }
    }
    // a trailing "" after the vhost or name (e.g. "/api/queues/%2F/") counts as absent, as in
    // RabbitMQ; an explicitly empty name in the middle cannot be expressed and is not needed
    return out;
  }

  private Principal authenticate(HttpServerExchange ex) {
    String header = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw new ApiException(401, null, null);
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiException(401, "not_authorized", "Login failed");
    }
    int colon = decoded.indexOf(':');
    String user = colon < 0 ? decoded : decoded.substring(0, colon);
    String password = colon < 0 ? "" : decoded.substring(colon + 1);
    if (!broker.users().checkPassword(user, password)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "management API: login of user ''{0}'' from {1} refused: invalid credentials",
          user,
          ex.getSourceAddress());
      throw new ApiException(401, "not_authorized", "Login failed");
    }
    Optional<UserInfo> info = broker.users().user(user);
    Principal who = new Principal(user, info.map(UserInfo::tags).orElse(List.of()));
    if (!who.isManagement()) {
      throw ApiException.notAuthorised("Not management user");
    }
    return who;
  }

  private byte[] readBody(HttpServerExchange ex) throws IOException {
    long declared = ex.getRequestContentLength();
    if (declared > config.maxBodyBytes()) {
      throw tooLarge();
    }
    try {
      return ex.getInputStream().readAllBytes();
    } catch (IOException e) {
      // Undertow's RequestTooBigException (MAX_ENTITY_SIZE) for a chunked body over the limit
      if (e.getClass().getSimpleName().equals("RequestTooBigException")) {
        throw tooLarge();
      }
      throw e;
    }
  }

  private ApiException tooLarge() {
    return new ApiException(
        413,
        "bad_request",
        "request body exceeds the limit of " + config.maxBodyBytes() + " bytes");
  }

  /** Maps an engine error to RabbitMQ's HTTP answer for it. */
  static ApiException fromEngine(AmqpException e) {
    String text = e.getMessage() == null ? "" : e.getMessage();
    String prefix = e.replyCode().name() + " - ";
    if (text.startsWith(prefix)) {
      text = text.substring(prefix.length());
    }
    return switch (e.replyCode()) {
      case NOT_FOUND -> new ApiException(404, "not_found", text);
      case ACCESS_REFUSED, NOT_ALLOWED -> ApiException.notAuthorised("Access refused.");
      case PRECONDITION_FAILED, RESOURCE_LOCKED, COMMAND_INVALID, SYNTAX_ERROR, NOT_IMPLEMENTED ->
          ApiException.badRequest(text);
      default -> new ApiException(500, "internal_server_error", text);
    };
  }

  private static void sendError(HttpServerExchange ex, ApiException e) {
    if (ex.isResponseStarted()) {
      ex.endExchange();
      return;
    }
    if (e.status == 413) {
      // the rest of the body is not read: the connection cannot carry another request
      ex.setPersistent(false);
    }
    // a script's request (the web console sends X-Requested-With) gets no challenge, so the
    // browser shows the console's login form rather than its own basic-auth dialog
    if (e.status == 401
        && (e.error == null || e.error.equals("not_authorized"))
        && !"XMLHttpRequest".equals(ex.getRequestHeaders().getFirst("X-Requested-With"))) {
      ex.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, REALM);
    }
    Object body = null;
    if (e.error != null) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("error", e.error);
      m.put("reason", e.reason == null ? "" : e.reason);
      body = m;
    }
    send(ex, e.status, body, null);
  }

  private static void send(HttpServerExchange ex, int status, Object body, String location) {
    ex.setStatusCode(status);
    ex.getResponseHeaders().put(new HttpString("vary"), "accept, accept-encoding, origin");
    if (location != null) {
      ex.getResponseHeaders().put(Headers.LOCATION, location);
    }
    if (body == null) {
      ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
      ex.endExchange();
      return;
    }
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    ex.getResponseSender().send(ByteBuffer.wrap(Json.write(body)));
  }
}
