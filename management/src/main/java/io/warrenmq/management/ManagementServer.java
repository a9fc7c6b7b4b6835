package io.warrenmq.management;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.UserInfo;
import io.warrenmq.management.internal.ApiHandler;
import io.warrenmq.management.internal.BackupApiHandler;
import io.warrenmq.management.internal.ConsoleHandler;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The management HTTP API of a broker, compatible with RabbitMQ's management plugin
 * (https://www.rabbitmq.com/docs/management, the reference being RabbitMQ 3.10.8): the same paths,
 * methods, JSON field names, status codes and error JSON ({@code {"error":..., "reason":...}}), so
 * that tools written for RabbitMQ's API (e.g. {@code rabbitmqadmin}) work unchanged. HTTP basic
 * authentication against {@link Broker#users()}; the tags {@code administrator}, {@code
 * monitoring}, {@code policymaker} and {@code management} decide what a user sees and may do, as
 * RabbitMQ documents; a user without one of them gets 401.
 *
 * <p>The same listener serves the web console at {@code /} (static files under {@code /console/},
 * which call the API with the user's credentials, as RabbitMQ's UI does at port 15672).
 *
 * <p>The API is served by Undertow (one IO thread, requests on four worker threads); it holds no
 * engine lock across requests and reads snapshots that may be slightly stale. A request's line and
 * headers must arrive within 30 s, an idle kept-alive connection is closed after 60 s, and a body
 * over {@link ManagementConfig#maxBodyBytes()} gets 413.
 *
 * <p>Concurrency: {@link #start} and {@link #close} are thread-safe; {@code close} is idempotent.
 */
public final class ManagementServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ManagementServer.class.getName());

  /** How long a request's line and headers may take to arrive, ms. */
  static final int REQUEST_PARSE_TIMEOUT_MS = 30_000;

  /** How long a kept-alive connection may stay idle between requests, ms. */
  static final int IDLE_TIMEOUT_MS = 60_000;

  private final Undertow undertow;
  private final int port;
  private volatile boolean closed;

  private ManagementServer(Undertow undertow, int port) {
    this.undertow = undertow;
    this.port = port;
  }

  /**
   * Starts listening.
   *
   * @param broker the broker to manage; not closed by {@link #close()}
   * @param config where to listen and the extras
   * @return the running server
   * @throws IllegalStateException if the port cannot be bound (the message names host and port)
   */
  public static ManagementServer start(Broker broker, ManagementConfig config) {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(config, "config");
    return start(config, new ConsoleHandler(new ApiHandler(broker, config)));
  }

  /**
   * Starts the listener of a shared-store HA backup, which has no broker while it waits (README.md,
   * "High availability"): {@code GET /api/nodes} shows this node as backup with {@link
   * ManagementConfig#haStatus()}, for a user with the {@code monitoring} or {@code administrator}
   * tag; the extra endpoints ({@code /metrics}) are served; every other {@code /api/} path answers
   * 503. Close it before the node, once live, starts {@link #start(Broker, ManagementConfig)} on
   * the same port.
   *
   * @param config where to listen, the extras and the HA state
   * @param users finds a stored user by name (empty if unknown)
   * @throws IllegalStateException if the port cannot be bound (the message names host and port)
   */
  public static ManagementServer startBackup(
      ManagementConfig config, Function<String, Optional<UserInfo>> users) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(users, "users");
    return start(config, new BackupApiHandler(config, users));
  }

  private static ManagementServer start(ManagementConfig config, HttpHandler handler) {
    Undertow undertow =
        Undertow.builder()
            .addHttpListener(config.port(), config.host())
            .setIoThreads(1)
            .setWorkerThreads(4)
            // raw path segments: %2F inside a name (the vhost "/") is decoded per segment by us
            .setServerOption(UndertowOptions.DECODE_URL, false)
            .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, config.maxBodyBytes())
            // a client that opens a connection and sends nothing, or a request slowly, is cut
            .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, REQUEST_PARSE_TIMEOUT_MS)
            .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, IDLE_TIMEOUT_MS)
            .setHandler(handler)
            .build();
    try {
      undertow.start();
    } catch (RuntimeException e) {
      try {
        undertow.stop(); // its worker threads, started before the bind failed
      } catch (RuntimeException ignored) {
        // nothing more to release
      }
      throw new IllegalStateException(
          "management listener could not bind "
              + config.host()
              + ":"
              + config.port()
              + " (management.tcp.ip / management.tcp.port): "
              + e.getMessage(),
          e);
    }
    int port =
        undertow.getListenerInfo().get(0).getAddress() instanceof InetSocketAddress a
            ? a.getPort()
            : config.port();
    LOG.log(
        System.Logger.Level.INFO,
        "management API listening on {0}:{1,number,#}",
        config.host(),
        port);
    return new ManagementServer(undertow, port);
  }

  /** The bound TCP port (the ephemeral one if the configured port was 0). */
  public int port() {
    return port;
  }

  /** Stops listening; requests under way are cut. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    undertow.stop();
  }
}
