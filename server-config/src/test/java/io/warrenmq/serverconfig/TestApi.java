package io.warrenmq.serverconfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The JAX-RS driver of a test WAR ({@code xa-orders.war}, {@code redelivery.war}) on the server
 * under test: one HTTP call, outside any transaction of the test. Thread-safe.
 */
public final class TestApi {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(90);

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI api;

  /**
   * @param api the WAR's JAX-RS root, ending with {@code /}
   */
  public TestApi(URI api) {
    this.api = api;
  }

  /** {@code method} on {@code pathAndQuery} relative to the root; the body as a string. */
  public HttpResponse<String> call(String method, String pathAndQuery)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(api.resolve(pathAndQuery))
            .timeout(CALL_TIMEOUT)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
