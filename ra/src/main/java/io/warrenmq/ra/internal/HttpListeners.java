package io.warrenmq.ra.internal;

import io.warrenmq.engine.Broker;
import io.warrenmq.management.ManagementConfig;
import io.warrenmq.management.ManagementServer;
import io.warrenmq.management.MetricsServer;
import io.warrenmq.management.PrometheusMetrics;
import io.warrenmq.store.jdbc.Definitions;
import java.util.Objects;

/**
 * The embedded broker's HTTP listeners inside an application server, as the standalone server
 * starts them: the management API ({@link ManagementServer}, RabbitMQ's {@code /api/...}) with
 * Prometheus' {@code /metrics} and {@code /metrics/per-object} on the same port, and optionally the
 * metrics alone on a port of their own ({@link MetricsServer}, RabbitMQ's {@code
 * rabbitmq_prometheus} port). Either port may be off.
 *
 * <p>Concurrency: {@link #close} is thread-safe and idempotent.
 */
public final class HttpListeners implements AutoCloseable {
  private final ManagementServer management;
  private final MetricsServer prometheus;

  private HttpListeners(ManagementServer management, MetricsServer prometheus) {
    this.management = management;
    this.prometheus = prometheus;
  }

  /**
   * Starts the listeners that have a port.
   *
   * @param broker the embedded broker; not closed by {@link #close()}
   * @param host the address both listeners bind, e.g. {@code 127.0.0.1}
   * @param managementPort the management API's TCP port, 1..65535, or 0 for none
   * @param prometheusPort the metrics-only TCP port, 1..65535, or 0 for none
   * @param version WarrenMQ's version for {@code rabbitmq_build_info}
   * @return the running listeners (possibly none)
   * @throws IllegalArgumentException naming the config property if {@code host:port} cannot be
   *     bound; nothing is left listening then
   */
  public static HttpListeners start(
      Broker broker, String host, int managementPort, int prometheusPort, String version) {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(host, "host");
    PrometheusMetrics metrics = new PrometheusMetrics(broker, version);
    ManagementServer management = null;
    if (managementPort != 0) {
      ManagementConfig config =
          ManagementConfig.of(host, managementPort)
              .withDefinitions(Definitions::export, Definitions::importInto)
              .withEndpoint("/metrics", metrics.endpoint())
              .withEndpoint("/metrics/per-object", metrics.perObjectEndpoint());
      try {
        management = ManagementServer.start(broker, config);
      } catch (IllegalStateException e) {
        throw bindError("managementHost / managementPort", host, managementPort, e);
      }
    }
    MetricsServer prometheus = null;
    if (prometheusPort != 0) {
      try {
        prometheus = MetricsServer.start(metrics, host, prometheusPort);
      } catch (IllegalStateException e) {
        if (management != null) {
          management.close();
        }
        throw bindError("managementHost / prometheusPort", host, prometheusPort, e);
      }
    }
    return new HttpListeners(management, prometheus);
  }

  private static IllegalArgumentException bindError(
      String properties, String host, int port, IllegalStateException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return new IllegalArgumentException(
        "config properties "
            + properties
            + ": cannot listen on "
            + host
            + ":"
            + port
            + " ("
            + cause
            + "); choose a free port, or 0 to leave the listener off",
        e);
  }

  /** The management API's bound port, or 0 when it is off. */
  public int managementPort() {
    return management == null ? 0 : management.port();
  }

  /** The metrics-only listener's bound port, or 0 when it is off. */
  public int prometheusPort() {
    return prometheus == null ? 0 : prometheus.port();
  }

  /** Stops both listeners; requests under way are cut. Idempotent. */
  @Override
  public void close() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (management != null) {
      management.close();
    }
  }
}
