/**
 * WarrenMQ's AMQP 0-9-1 server: the wire listener ({@link io.warrenmq.server.WarrenServer}, which
 * an application may embed in front of a broker) and the standalone launcher ({@link
 * io.warrenmq.server.Main}). Only {@code io.warrenmq.server} is exported; the codec, the dispatch,
 * the configuration reader and the launcher's internals stay in {@code internal} packages. The
 * store, picocli and SLF4J are needed by the standalone launcher alone, hence {@code static}.
 */
module io.warrenmq.server {
  requires transitive io.warrenmq.engine;
  requires jdk.management;
  requires io.warrenmq.management;
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.handler;
  requires io.netty.codec;
  requires static io.warrenmq.store.jdbc;
  requires static info.picocli;
  requires static org.slf4j;
  requires static jul.to.slf4j;

  exports io.warrenmq.server;

  // picocli sets Main's annotated fields reflectively
  opens io.warrenmq.server to
      info.picocli;
}
