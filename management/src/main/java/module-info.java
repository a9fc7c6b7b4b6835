/**
 * WarrenMQ's RabbitMQ-compatible management HTTP API ({@code /api/...}) over a {@link
 * io.warrenmq.engine.Broker}, served by Undertow with JSON by Jackson: {@link
 * io.warrenmq.management.ManagementServer}, and the web console over it at {@code /} (static files,
 * resources under {@code io/warrenmq/management/console/}). Only {@code io.warrenmq.management} is
 * exported; the resources, authentication, JSON rendering and the console's file handler stay in
 * {@code io.warrenmq.management.internal}.
 */
module io.warrenmq.management {
  requires transitive io.warrenmq.engine;
  requires undertow.core;
  requires xnio.api;
  requires com.fasterxml.jackson.databind;
  requires io.prometheus.metrics.model;
  requires io.prometheus.writer.text;

  exports io.warrenmq.management;
}
