/**
 * WarrenMQ's client contract: the one AMQP 0-9-1 channel interface ({@link
 * io.warrenmq.client.AmqpChannel}) that the engine implements, the wire server maps frames onto and
 * the JMS provider speaks, and the immutable values that cross it. Depends on the JDK alone, except
 * for the AMQP 0-9-1 frame codec ({@code io.warrenmq.client.wire}), which reads and writes Netty
 * buffers: Netty is a {@code static} (optional) dependency, and the codec is exported only to the
 * wire server and the JMS provider's wire transport, which bring Netty themselves.
 */
module io.warrenmq.client {
  // dtx methods carry javax.transaction.xa.Xid and throw XAException
  requires transitive java.transaction.xa;
  requires static io.netty.buffer;
  requires static io.netty.common;
  requires static io.netty.transport; // WriteHeartbeats, a channel handler
  requires static io.netty.handler; // Heartbeats, the reader timeout

  exports io.warrenmq.client;
  exports io.warrenmq.client.wire to
      io.warrenmq.server,
      io.warrenmq.jms;
}
