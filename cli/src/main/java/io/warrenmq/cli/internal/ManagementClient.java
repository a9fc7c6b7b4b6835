package io.warrenmq.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * A client of a RabbitMQ-compatible management HTTP API ({@code /api/...}, JSON bodies, HTTP basic
 * authentication), on the JDK's {@link HttpClient}. Every failure becomes a {@link CliException}
 * whose one-line message names the method, the URL (without user information), the HTTP status and
 * the API's {@code error}/{@code reason}, and whose exit code follows {@link ExitCodes}.
 *
 * <p>Thread-safety: immutable, safe for concurrent use (warrenctl itself uses one thread).
 */
public final class ManagementClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String authorization;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param base the API's root, such as {@code http://127.0.0.1:15672} (no user information, no
   *     trailing slash; a path prefix such as {@code /rabbitmq} is kept)
   * @param username the basic-authentication user
   * @param password its password; sent only in the Authorization header, never printed
   * @param timeout the connect timeout and the timeout of each request
   */
  public ManagementClient(URI base, String username, String password, Duration timeout) {
    this.base = base;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            // HTTP/1.1 as rabbitmqadmin and curl: the JDK's default would offer an h2c upgrade,
            // which RabbitMQ's Cowboy answers by closing requests that carry a body
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * The management URL a user gave, split into its root (for requests and messages) and the
   * credentials it carried in its user information, if any.
   *
   * @param root scheme, host, port and path prefix; no user information, no trailing slash
   * @param username from {@code http://user:password@host}, or null
   * @param password from {@code http://user:password@host}, or null
   */
  public record Endpoint(URI root, String username, String password) {
    /**
     * Parses {@code --url}.
     *
     * @throws CliException ({@link ExitCodes#USAGE}) when it is not an http(s) URL with a host
     */
    public static Endpoint parse(String url) {
      URI uri;
      try {
        uri = new URI(url.trim());
      } catch (URISyntaxException e) {
        throw new CliException(ExitCodes.USAGE, "--url is not a URL: " + mask(url));
      }
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        throw new CliException(
            ExitCodes.USAGE,
            "--url must be http://host:port or https://host:port, not " + mask(url));
      }
      String user = null;
      String password = null;
      String info = uri.getUserInfo();
      if (info != null) {
        int colon = info.indexOf(':');
        user = colon < 0 ? info : info.substring(0, colon);
        password = colon < 0 ? null : info.substring(colon + 1);
      }
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
      URI root = URI.create(scheme.toLowerCase() + "://" + uri.getHost() + port + path);
      return new Endpoint(root, user, password);
    }

    /** {@code url} with its user information, if any, replaced by {@code ****}. */
    static String mask(String url) {
      return url.replaceAll("(?<=://)[^/@]*@", "****@");
    }
  }

  /**
   * Percent-encodes one path segment ({@code /} becomes {@code %2F}, so the default virtual host
   * {@code /} is {@code %2F}, as the API expects).
   */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The URL of {@code path} (which starts with {@code /api/}), for requests and messages. */
  public String url(String path) {
    return base + path;
  }

  /**
   * GET {@code path}.
   *
   * @return the JSON answer
   * @throws CliException for any failure, 404 included
   */
  public JsonNode get(String path) {
    return send("GET", path, null, Map.of());
  }

  /**
   * GET {@code path}, or empty when the API answers 404 (the object does not exist).
   *
   * @throws CliException for any other failure
   */
  public Optional<JsonNode> find(String path) {
    try {
      return Optional.of(get(path));
    } catch (NotFound e) {
      return Optional.empty();
    }
  }

  /**
   * Sends a request.
   *
   * @param method GET, PUT, POST or DELETE
   * @param path starts with {@code /api/}; segments already encoded by {@link #segment}
   * @param body the JSON body, or null for none
   * @param headers extra request headers (e.g. {@code X-Reason})
   * @return the JSON answer, or a {@link MissingNode} for an empty one (201, 204)
   * @throws CliException for any failure (see {@link ExitCodes} for the mapping)
   */
  public JsonNode send(String method, String path, JsonNode body, Map<String, String> headers) {
    String url = url(path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            // no Accept header: RabbitMQ 3.10 answers 406 to DELETE .../contents with
            // "Accept: application/json" (that resource offers no JSON); its answers are JSON
            // anyway
            .header("Authorization", authorization);
    headers.forEach(request::header);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    String what = method + " " + url;
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      throw new CliException(
          ExitCodes.TEMP_FAILURE,
          what + ": no connection within " + timeout.toMillis() + " ms (connect timeout)",
          e);
    } catch (HttpTimeoutException e) {
      throw new CliException(
          ExitCodes.TEMP_FAILURE,
          what + ": no answer within " + timeout.toMillis() + " ms (request timeout)",
          e);
    } catch (ConnectException e) {
      throw new CliException(
          ExitCodes.UNAVAILABLE,
          what
              + ": cannot connect ("
              + (e.getMessage() == null ? "connection refused" : e.getMessage())
              + "); is the management API running there?",
          e);
    } catch (IOException e) {
      throw new CliException(ExitCodes.UNAVAILABLE, what + ": " + describe(e), e);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.UNAVAILABLE, what + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.SOFTWARE, what + ": interrupted", e);
    }
    int status = response.statusCode();
    String text = response.body();
    if (status >= 200 && status < 300) {
      if (text == null || text.isBlank()) {
        return MissingNode.getInstance();
      }
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.SOFTWARE,
            what + ": HTTP " + status + " but the body is not JSON: " + abbreviate(text),
            e);
      }
    }
    String message = what + ": HTTP " + status + " " + apiReason(text);
    if (status == 404) {
      throw new NotFound(message);
    }
    throw new CliException(exitCodeFor(status), message);
  }

  /** A 404 answer: the object does not exist ({@link ExitCodes#DATA_ERROR}). */
  static final class NotFound extends CliException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
      super(ExitCodes.DATA_ERROR, message);
    }
  }

  /** The exit status for an HTTP error status. */
  static int exitCodeFor(int status) {
    if (status == 401 || status == 403) {
      return ExitCodes.NO_PERMISSION;
    }
    if (status == 503) {
      return ExitCodes.UNAVAILABLE;
    }
    if (status == 408 || status == 504) {
      return ExitCodes.TEMP_FAILURE;
    }
    if (status >= 400 && status < 500) {
      return ExitCodes.DATA_ERROR;
    }
    return ExitCodes.SOFTWARE;
  }

  /**
   * The API's {@code {"error": ..., "reason": ...}} as {@code error: reason}, or the body itself
   * (abbreviated) when it is not that JSON.
   */
  static String apiReason(String body) {
    if (body == null || body.isBlank()) {
      return "(empty body)";
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.isObject() && (node.has("error") || node.has("reason"))) {
        String error = text(node.get("error"));
        String reason = text(node.get("reason"));
        if (error.isEmpty()) {
          return reason;
        }
        return reason.isEmpty() || reason.equals(error) ? error : error + ": " + reason;
      }
    } catch (IOException e) {
      // not JSON: quote the body
    }
    return abbreviate(body);
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "";
    }
    return node.isTextual() ? node.asText() : node.toString();
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    if (message == null && e.getCause() != null) {
      return describe(e.getCause());
    }
    return message == null
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }

  private static String abbreviate(String text) {
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }
}
