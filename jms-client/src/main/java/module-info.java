/**
 * WarrenMQ's Jakarta Messaging 3.1 provider. Exported: {@code io.warrenmq.jms} (connection
 * factories, the JNDI bootstrap, the JMS objects) and {@code io.warrenmq.jms.spi} (the transport a
 * connection factory talks through). The JMS layer speaks the {@link
 * io.warrenmq.client.AmqpChannel} contract only; the engine is needed for the in-VM transport alone
 * ({@code vm://} URLs, {@code WarrenConnectionFactory(Broker)}), so it is an optional ({@code
 * static}) dependency: a client that reaches its broker over the wire ({@code amqp://}, {@code
 * amqps://}) runs without it, on Netty.
 */
module io.warrenmq.jms {
  requires transitive io.warrenmq.client;
  requires transitive jakarta.messaging;
  requires static io.warrenmq.engine;
  requires java.naming;
  // the wire transport (amqp://, amqps://), io.warrenmq.jms.internal.wire
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.handler;
  requires io.netty.codec;

  exports io.warrenmq.jms;
  exports io.warrenmq.jms.spi;

  // a vm:// URL with store options opens the store that provides this (persistence's JDBC store)
  uses io.warrenmq.engine.MessageStoreProvider;
}
