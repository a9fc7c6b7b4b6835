package io.warrenmq.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** A small HTTP client for a management API (WarrenMQ's or RabbitMQ's), with basic auth. */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          // no h2c upgrade: RabbitMQ's cowboy drops a PUT with a body that asks for one
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;

  ApiClient(String base) {
    this.base = base;
  }

  /** An answer: status, body text, parsed JSON (null when the body is empty or not JSON). */
  record Answer(int status, String body, JsonNode json, HttpResponse<String> response) {
    String error() {
      return json == null ? null : json.path("error").asText(null);
    }

    String reason() {
      return json == null ? null : json.path("reason").toString();
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  Answer call(String method, String path, String user, String password, String body) {
    return call(method, path, user, password, body, null);
  }

  /** With an {@code X-Reason} header when {@code reason} is not null. */
  Answer call(
      String method, String path, String user, String password, String body, String reason) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (reason != null) {
      b.header("X-Reason", reason);
    }
    if (user != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r;
      try {
        r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (!closedBeforeAnswering(e)) {
          throw e;
        }
        // A kept-alive connection the server had just closed (RabbitMQ's Cowboy closes one after
        // 100 requests, max_keepalive): the request was never read, so it is sent again, once, on
        // a new connection.
        r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      }
      JsonNode json = null;
      if (!r.body().isBlank()) {
        try {
          json = JSON.readTree(r.body());
        } catch (IOException e) {
          json = null;
        }
      }
      return new Answer(r.statusCode(), r.body(), json, r);
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Whether the server closed the connection without sending a byte of an answer. */
  private static boolean closedBeforeAnswering(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.EOFException
          || String.valueOf(t.getMessage()).contains("header parser received no bytes")) {
        return true;
      }
    }
    return false;
  }

  Answer get(String path) {
    return call("GET", path, "guest", "guest", null);
  }

  Answer put(String path, String body) {
    return call("PUT", path, "guest", "guest", body);
  }

  Answer post(String path, String body) {
    return call("POST", path, "guest", "guest", body);
  }

  Answer delete(String path) {
    return call("DELETE", path, "guest", "guest", null);
  }

  /** The field names of an object, or of a list's first object; sorted. */
  static TreeSet<String> fields(JsonNode node) {
    TreeSet<String> out = new TreeSet<>();
    JsonNode o = node != null && node.isArray() && node.size() > 0 ? node.get(0) : node;
    if (o != null && o.isObject()) {
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        out.add(it.next());
      }
    }
    return out;
  }

  /** The elements of a JSON array. */
  static List<JsonNode> items(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
