package io.warrenmq.management;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The Prometheus endpoint on a listener of its own, as RabbitMQ's {@code rabbitmq_prometheus}
 * plugin serves it on {@code prometheus.tcp.port} (https://www.rabbitmq.com/docs/prometheus):
 * {@code GET /metrics} (queue metrics summed) and {@code GET /metrics/per-object} (one sample per
 * queue), without authentication. Other paths answer 404, other methods 405.
 *
 * <p>Served by Undertow (one IO thread, two worker threads). Concurrency: {@link #close} is
 * thread-safe and idempotent.
 */
public final class MetricsServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(MetricsServer.class.getName());

  private final Undertow undertow;
  private final int port;
  private volatile boolean closed;

  private MetricsServer(Undertow undertow, int port) {
    this.undertow = undertow;
    this.port = port;
  }

  /**
   * Starts listening.
   *
   * @param metrics what to serve
   * @param host the address to bind, e.g. {@code "0.0.0.0"}
   * @param port the TCP port, 0 for an ephemeral one (see {@link #port()})
   * @return the running server
   * @throws IllegalStateException if the port cannot be bound (the message names host, port and the
   *     {@code prometheus.tcp.*} keys)
   */
  public static MetricsServer start(PrometheusMetrics metrics, String host, int port) {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(host, "host");
    Undertow undertow =
        Undertow.builder()
            .addHttpListener(port, host)
            .setIoThreads(1)
            .setWorkerThreads(2)
            .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
            .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
            .setHandler(
                ex -> {
                  if (ex.isInIoThread()) {
                    ex.dispatch(
                        e -> {
                          String path = e.getRequestPath();
                          boolean perObject = path.equals("/metrics/per-object");
                          if (!perObject && !path.equals("/metrics")) {
                            e.setStatusCode(404);
                            e.getResponseSender().send("Not Found");
                          } else if (!e.getRequestMethod().equals(Methods.GET)) {
                            e.setStatusCode(405);
                            e.getResponseHeaders().put(Headers.ALLOW, "GET");
                            e.getResponseSender().send("Method Not Allowed");
                          } else {
                            e.getResponseHeaders()
                                .put(Headers.CONTENT_TYPE, PrometheusMetrics.CONTENT_TYPE);
                            e.getResponseSender()
                                .send(metrics.scrape(perObject), StandardCharsets.UTF_8);
                          }
                        });
                  }
                })
            .build();
    try {
      undertow.start();
    } catch (RuntimeException e) {
      try {
        undertow.stop();
      } catch (RuntimeException ignored) {
        // nothing more to release
      }
      throw new IllegalStateException(
          "prometheus listener could not bind "
              + host
              + ":"
              + port
              + " (prometheus.tcp.ip / prometheus.tcp.port): "
              + e.getMessage(),
          e);
    }
    int bound =
        undertow.getListenerInfo().get(0).getAddress() instanceof InetSocketAddress a
            ? a.getPort()
            : port;
    LOG.log(System.Logger.Level.INFO, "Prometheus metrics on {0}:{1,number,#}", host, bound);
    return new MetricsServer(undertow, bound);
  }

  /** The bound TCP port (the ephemeral one if the configured port was 0). */
  public int port() {
    return port;
  }

  /** Stops listening. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    undertow.stop();
  }
}
