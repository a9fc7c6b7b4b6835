package io.warrenmq.management;

import io.warrenmq.engine.Broker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a {@link ManagementServer} listens and what it offers beyond the broker itself.
 *
 * <p>Keys of the standalone server's {@code rabbitmq.conf}: {@code management.tcp.port} and {@code
 * management.tcp.ip}, as RabbitMQ's management plugin (https://www.rabbitmq.com/docs/management).
 *
 * @param host the address to bind, e.g. {@code "0.0.0.0"} or {@code "127.0.0.1"}
 * @param port the TCP port, 0 for an ephemeral one (see {@link ManagementServer#port()})
 * @param maxBodyBytes the largest request body accepted, bytes (RabbitMQ's {@code
 *     management.http.max_body_size}, default 20 MiB); a larger one gets 413
 * @param definitionsExport renders a broker's definitions as RabbitMQ's definitions JSON (for
 *     {@code GET /api/definitions}), or null: the endpoint then answers 501
 * @param definitionsImport applies RabbitMQ's definitions JSON to a broker (for {@code POST
 *     /api/definitions}); throws {@link RuntimeException} on bad input, or null
 * @param endpoints extra plain-text endpoints by exact path (e.g. {@code "/metrics"} for
 *     Prometheus), answered to {@code GET} without authentication, as RabbitMQ's Prometheus plugin
 *     does; never null
 * @param haStatus the node's high-availability state for {@code /api/nodes}; null means {@link
 *     HaStatus#NONE}
 */
public record ManagementConfig(
    String host,
    int port,
    long maxBodyBytes,
    Function<Broker, String> definitionsExport,
    BiConsumer<Broker, String> definitionsImport,
    Map<String, TextEndpoint> endpoints,
    Supplier<HaStatus> haStatus) {

  /** RabbitMQ's default {@code management.http.max_body_size}: 20 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 20L * 1024 * 1024;

  /**
   * An extra endpoint's answer.
   *
   * @param contentType the {@code Content-Type}, e.g. {@code "text/plain; version=0.0.4;
   *     charset=utf-8"}
   * @param body produces the body on each request; called on a worker thread, may block briefly
   */
  public record TextEndpoint(String contentType, Supplier<String> body) {
    public TextEndpoint {
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(body, "body");
    }
  }

  public ManagementConfig {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("management port must be 0..65535, was " + port);
    }
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
    }
    endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
    haStatus = haStatus == null ? () -> HaStatus.NONE : haStatus;
  }

  /** Listens on {@code host:port} with the default body limit, no definitions, no extras. */
  public static ManagementConfig of(String host, int port) {
    return new ManagementConfig(host, port, DEFAULT_MAX_BODY_BYTES, null, null, Map.of(), null);
  }

  /** A copy with definitions export and import. */
  public ManagementConfig withDefinitions(
      Function<Broker, String> export, BiConsumer<Broker, String> importer) {
    return new ManagementConfig(host, port, maxBodyBytes, export, importer, endpoints, haStatus);
  }

  /** A copy with one more extra endpoint at {@code path} (e.g. {@code "/metrics"}). */
  public ManagementConfig withEndpoint(String path, TextEndpoint endpoint) {
    Map<String, TextEndpoint> more = new LinkedHashMap<>(endpoints);
    more.put(path, endpoint);
    return new ManagementConfig(
        host, port, maxBodyBytes, definitionsExport, definitionsImport, more, haStatus);
  }

  /** A copy with another body limit, bytes. */
  public ManagementConfig withMaxBodyBytes(long bytes) {
    return new ManagementConfig(
        host, port, bytes, definitionsExport, definitionsImport, endpoints, haStatus);
  }

  /** A copy whose {@code /api/nodes} shows this high-availability state (read at each request). */
  public ManagementConfig withHaStatus(Supplier<HaStatus> status) {
    return new ManagementConfig(
        host, port, maxBodyBytes, definitionsExport, definitionsImport, endpoints, status);
  }
}
