package io.warrenmq.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The web console's static files on the management listener: content types, caching headers, the
 * security headers of the page, and that no path leaves the console's resource folder.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsoleHandlerTest {
  static Broker broker;
  static ManagementServer management;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    broker = new Broker(BrokerConfig.named("console-files"));
    management = ManagementServer.start(broker, ManagementConfig.of("127.0.0.1", 0));
  }

  @AfterAll
  static void stop() {
    management.close();
    broker.close();
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management.port() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends the path exactly as given (an HTTP client might normalise it) and reads the answer. */
  private static String raw(String method, String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", management.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          (method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theRootIsTheConsolePageWithItsSecurityAndCachingHeaders() throws Exception {
    HttpResponse<String> r = get("/");
    assertEquals(200, r.statusCode());
    assertEquals("text/html; charset=utf-8", r.headers().firstValue("content-type").orElseThrow());
    assertEquals("no-cache", r.headers().firstValue("cache-control").orElseThrow());
    assertTrue(
        r.headers()
            .firstValue("content-security-policy")
            .orElseThrow()
            .startsWith("default-src 'self'"));
    assertEquals("DENY", r.headers().firstValue("x-frame-options").orElseThrow());
    assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElseThrow());
    assertTrue(r.body().contains("<title>WarrenMQ</title>"), r.body());
    assertFalse(r.body().contains("http://") || r.body().contains("https://"), "no external URL");
  }

  @Test
  void assetsHaveTheirContentTypes() throws Exception {
    assertEquals(
        "text/css; charset=utf-8",
        get("/console/console.css").headers().firstValue("content-type").orElseThrow());
    assertEquals(
        "text/javascript; charset=utf-8",
        get("/console/js/pages/queue.js").headers().firstValue("content-type").orElseThrow());
    assertEquals(
        "image/svg+xml",
        get("/console/favicon.svg").headers().firstValue("content-type").orElseThrow());
  }

  @Test
  void anUnchangedFileIsAnswered304() throws Exception {
    HttpResponse<String> first = get("/console/js/main.js");
    String etag = first.headers().firstValue("etag").orElseThrow();
    HttpResponse<String> again = get("/console/js/main.js", "If-None-Match", etag);
    assertEquals(304, again.statusCode());
    assertEquals("", again.body());
    assertEquals(200, get("/console/js/main.js", "If-None-Match", "\"other\"").statusCode());
  }

  @Test
  void headHasNoBodyAndOtherMethodsAre405() throws Exception {
    String head = raw("HEAD", "/console/console.css");
    assertTrue(head.startsWith("HTTP/1.1 200"), head);
    assertTrue(head.endsWith("\r\n\r\n"), "no body: " + head);
    String post = raw("POST", "/");
    assertTrue(post.startsWith("HTTP/1.1 405"), post);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/console/../console/index.html",
        "/console/js/../console.css",
        "/console/%2e%2e/console/index.html",
        "/console/js/%2E%2E/console.css",
        "/console/js/..%2Fconsole.css",
        "/console/js%2F..%2Fconsole.css",
        "/console/..%5Cconsole.css",
        "/console/../../../../META-INF/MANIFEST.MF",
        "/console/%2e%2e/%2e%2e/ManagementServer.class",
        "/console/./console.css",
        "/console//console.css",
        "/console/",
        "/console/nothing.js",
        "/console/index.html%00.js",
      })
  void pathsThatLeaveOrBendTheConsoleFolderAreNotFound(String path) throws IOException {
    String answer = raw("GET", path);
    String status = answer.substring(0, answer.indexOf("\r\n"));
    // Undertow itself refuses some of these with 400; the console answers 404 to the rest
    assertTrue(
        status.equals("HTTP/1.1 404 Not Found") || status.equals("HTTP/1.1 400 Bad Request"),
        path + " -> " + status);
    assertFalse(answer.contains("<title>WarrenMQ"), path);
    assertFalse(answer.contains(":root"), path); // console.css
  }

  @Test
  void theApiIsStillTheApi() throws Exception {
    HttpResponse<String> r = get("/api/overview");
    assertEquals(401, r.statusCode());
    assertEquals(404, get("/favicon.ico").statusCode());
  }
}
