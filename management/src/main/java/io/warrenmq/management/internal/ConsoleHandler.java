package io.warrenmq.management.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web console's static files (classpath resources under {@value #ROOT}) at {@code /}
 * (its {@code index.html}) and {@code /console/...}; every other path goes to the next handler (the
 * API). The console itself talks only to {@code /api/...} with the user's basic credentials, so
 * these files are public, as RabbitMQ's UI files are.
 *
 * <p>Only GET and HEAD (others: 405). A path is decoded per segment and each segment must be a
 * plain file name ({@code [A-Za-z0-9_-]} and inner dots, no {@code ..}, no encoded slash or
 * backslash): anything else, and any file whose extension has no known content type, is 404, so no
 * path can leave {@value #ROOT}. Answers carry the content type, {@code Cache-Control: no-cache}
 * with a strong {@code ETag} (a browser revalidates and gets 304 while the file is unchanged: the
 * names are not versioned), {@code X-Content-Type-Options: nosniff}, and on HTML a
 * Content-Security-Policy that allows only this origin (the console loads nothing from elsewhere).
 *
 * <p>Thread-safe: files are read once and cached (they are part of the jar).
 */
public final class ConsoleHandler implements HttpHandler {
  /** The resource folder of the console's files. */
  static final String ROOT = "/io/warrenmq/management/console/";

  /** The URL prefix of the console's files other than the index. */
  static final String PREFIX = "/console/";

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "json", "application/json");

  private static final String CSP =
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
          + " frame-ancestors 'none'; form-action 'none'";

  private record File(byte[] body, String type, String etag) {}

  private final HttpHandler next;
  private final Map<String, Optional<File>> cache = new ConcurrentHashMap<>();

  /**
   * @param next the handler of every path that is not the console's
   */
  public ConsoleHandler(HttpHandler next) {
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    String raw = ex.getRequestPath();
    String name;
    if (raw.equals("/")) {
      name = "index.html";
    } else if (raw.startsWith(PREFIX)) {
      name = raw.substring(PREFIX.length());
    } else {
      next.handleRequest(ex);
      return;
    }
    if (!ex.getRequestMethod().equals(Methods.GET) && !ex.getRequestMethod().equals(Methods.HEAD)) {
      ex.setStatusCode(405);
      ex.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
      ex.endExchange();
      return;
    }
    Optional<File> file =
        resolve(name).flatMap(n -> cache.computeIfAbsent(n, ConsoleHandler::load));
    if (file.isEmpty()) {
      ex.setStatusCode(404);
      ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
      ex.getResponseSender().send("Not Found");
      return;
    }
    File f = file.get();
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
    ex.getResponseHeaders().put(Headers.ETAG, f.etag());
    ex.getResponseHeaders().put(new HttpString("X-Content-Type-Options"), "nosniff");
    if (f.type().startsWith("text/html")) {
      ex.getResponseHeaders().put(new HttpString("Content-Security-Policy"), CSP);
      ex.getResponseHeaders().put(new HttpString("X-Frame-Options"), "DENY");
    }
    if (f.etag().equals(ex.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH))) {
      ex.setStatusCode(304);
      ex.endExchange();
      return;
    }
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, f.type());
    ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, f.body().length);
    if (ex.getRequestMethod().equals(Methods.HEAD)) {
      ex.endExchange();
      return;
    }
    ex.getResponseSender().send(ByteBuffer.wrap(f.body()));
  }

  /**
   * The resource name of a raw URL path below the console's root, or empty if a segment is not a
   * plain file name (dot segments, encoded slashes, backslashes, malformed escapes) or the
   * extension is unknown.
   */
  static Optional<String> resolve(String rawName) {
    if (rawName.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    for (String s : rawName.split("/", -1)) {
      String decoded;
      try {
        decoded = URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      if (!SEGMENT.matcher(decoded).matches()) {
        return Optional.empty();
      }
      if (!out.isEmpty()) {
        out.append('/');
      }
      out.append(decoded);
    }
    String name = out.toString();
    int dot = name.lastIndexOf('.');
    if (dot < 0 || !TYPES.containsKey(name.substring(dot + 1))) {
      return Optional.empty();
    }
    return Optional.of(name);
  }

  private static Optional<File> load(String name) {
    try (InputStream in = ConsoleHandler.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] body = in.readAllBytes();
      String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
      String etag =
          "\""
              + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16)
              + "\"";
      return Optional.of(new File(body, type, etag));
    } catch (IOException e) {
      throw new UncheckedIOException("console resource " + name + " could not be read", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
