package io.warrenmq.client.wire;

import io.netty.buffer.ByteBuf;

/**
 * Every method without arguments: the {@code -ok} replies of connection.close, channel.close,
 * exchange.declare/delete/bind/unbind, queue.bind/unbind, basic.qos/recover, confirm.select and
 * every method of class tx, plus connection.unblocked, connection.update-secret-ok, and dtx.select
 * and dtx.get-timeout of WarrenMQ's XA extension.
 *
 * @param id which method
 */
public record NoArguments(MethodId id) implements AmqpMethod {
  @Override
  public void writeArguments(ByteBuf out) {}
}
