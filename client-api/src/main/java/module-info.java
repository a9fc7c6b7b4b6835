/**
 * WarrenMQ's client contract: the one AMQP 0-9-1 channel interface ({@link
 * io.warrenmq.client.AmqpChannel}) that the engine implements, the wire server maps frames onto and
 * the JMS provider speaks, and the immutable values that cross it. Depends on the JDK alone.
 */
module io.warrenmq.client {
  // dtx methods carry javax.transaction.xa.Xid and throw XAException
  requires transitive java.transaction.xa;

  exports io.warrenmq.client;
}
