package io.warrenmq.client.wire;

import static io.warrenmq.client.wire.AmqpMethod.bit;
import static io.warrenmq.client.wire.WireReader.readOctet;

import io.netty.buffer.ByteBuf;

/** The methods of classes {@code tx} (id 90) and RabbitMQ's {@code confirm} (id 85). */
public final class TxMethods {
  private TxMethods() {}

  /** confirm.select (85.10): publisher confirms on this channel from now on. */
  public record ConfirmSelect(boolean noWait) implements AmqpMethod {
    static ConfirmSelect read(ByteBuf in) {
      return new ConfirmSelect(bit(readOctet(in, "nowait"), 0));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeByte(bit(noWait, 0));
    }

    @Override
    public MethodId id() {
      return MethodId.CONFIRM_SELECT;
    }
  }
}
