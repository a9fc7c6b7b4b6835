package io.warrenmq.management.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.warrenmq.engine.UserInfo;
import io.warrenmq.management.HaStatus;
import io.warrenmq.management.ManagementConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The management listener of a shared-store HA backup, which has no broker while it waits
 * (README.md, "High availability"): {@code GET /api/nodes} (and {@code /api/nodes/<name>}) show
 * this node with its {@code ha_*} fields, for a user with the {@code monitoring} or {@code
 * administrator} tag (checked against the users stored in the shared store); the extra endpoints
 * ({@code /metrics}) answer as on a live node; every other {@code /api/} path answers 503 {@code
 * {"error":"service_unavailable", ...}} naming the live node's epoch, so that a tool asks the live
 * node instead.
 *
 * <p>Thread-safety: stateless; requests run on Undertow's worker threads.
 */
public final class BackupApiHandler implements HttpHandler {
  private static final String REALM = "Basic realm=\"RabbitMQ Management\"";

  private final ManagementConfig config;
  private final Function<String, Optional<UserInfo>> users;
  private final long startedAt = System.currentTimeMillis();

  /**
   * @param config the extra endpoints and the HA state
   * @param users finds a stored user by name (may block briefly on the database; empty if unknown
   *     or unreadable)
   */
  public BackupApiHandler(ManagementConfig config, Function<String, Optional<UserInfo>> users) {
    this.config = config;
    this.users = users;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    if (ex.isInIoThread()) {
      ex.dispatch(this);
      return;
    }
    String path = ex.getRequestPath();
    ManagementConfig.TextEndpoint extra = config.endpoints().get(path);
    boolean get = ex.getRequestMethod().equalToString("GET");
    if (extra != null) {
      if (!get) {
        send(ex, 405, null);
        return;
      }
      ex.getResponseHeaders().put(Headers.CONTENT_TYPE, extra.contentType());
      ex.getResponseSender().send(extra.body().get(), StandardCharsets.UTF_8);
      return;
    }
    List<String> seg = ApiHandler.segments(path);
    if (seg.isEmpty() || !seg.get(0).equals("api")) {
      send(ex, 404, error("Object Not Found", "Not Found"));
      return;
    }
    Optional<UserInfo> who = authenticate(ex);
    if (who.isEmpty()) {
      ex.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, REALM);
      send(ex, 401, error("not_authorized", "Login failed"));
      return;
    }
    boolean nodes = seg.size() >= 2 && seg.get(1).equals("nodes");
    if (!nodes) {
      HaStatus s = config.haStatus().get();
      send(
          ex,
          503,
          error(
              "service_unavailable",
              "this node is a shared-store HA backup (the live node holds epoch "
                  + s.epoch()
                  + "); it serves only /api/nodes and /metrics until it takes over"));
      return;
    }
    List<String> tags = who.get().tags();
    if (!tags.contains("administrator") && !tags.contains("monitoring")) {
      send(ex, 401, error("not_authorised", "Not monitor user"));
      return;
    }
    if (!get) {
      send(ex, 405, null);
      return;
    }
    if (seg.size() == 2) {
      send(ex, 200, List.of(node()));
    } else if (seg.size() == 3 && seg.get(2).equals(Render.NODE)) {
      send(ex, 200, node());
    } else {
      send(ex, 404, error("Object Not Found", "Not Found"));
    }
  }

  private Map<String, Object> node() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", Render.NODE);
    m.put("os_pid", String.valueOf(ProcessHandle.current().pid()));
    m.put("running", true);
    m.put("type", "disc");
    m.put("uptime", System.currentTimeMillis() - startedAt);
    m.putAll(config.haStatus().get().fields());
    return m;
  }

  private Optional<UserInfo> authenticate(HttpServerExchange ex) {
    String header = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    String user = colon < 0 ? decoded : decoded.substring(0, colon);
    String password = colon < 0 ? "" : decoded.substring(colon + 1);
    return users.apply(user).filter(u -> u.passwordMatches(password));
  }

  private static Map<String, Object> error(String error, String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", error);
    m.put("reason", reason);
    return m;
  }

  private static void send(HttpServerExchange ex, int status, Object body) {
    ex.setStatusCode(status);
    if (body == null) {
      ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
      ex.endExchange();
      return;
    }
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    ex.getResponseSender().send(ByteBuffer.wrap(Json.write(body)));
  }
}
