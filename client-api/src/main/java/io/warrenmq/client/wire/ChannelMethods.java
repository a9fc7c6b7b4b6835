package io.warrenmq.client.wire;

import static io.warrenmq.client.wire.WireReader.readLongStringBytes;
import static io.warrenmq.client.wire.WireReader.readOctet;
import static io.warrenmq.client.wire.WireReader.readShort;
import static io.warrenmq.client.wire.WireReader.readShortString;
import static io.warrenmq.client.wire.WireWriter.writeShortString;

import io.netty.buffer.ByteBuf;

/** The methods of class {@code channel} (id 20) and the deprecated class {@code access} (30). */
public final class ChannelMethods {
  private ChannelMethods() {}

  /** channel.open (10); its reserved out-of-band field is dropped. */
  public record Open() implements AmqpMethod {
    static Open read(ByteBuf in) {
      readShortString(in, "out-of-band");
      return new Open();
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, "");
    }

    @Override
    public MethodId id() {
      return MethodId.CHANNEL_OPEN;
    }
  }

  /** channel.open-ok (11); its reserved channel-id long string is empty. */
  public record OpenOk() implements AmqpMethod {
    static OpenOk read(ByteBuf in) {
      readLongStringBytes(in, "channel-id");
      return new OpenOk();
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeInt(0);
    }

    @Override
    public MethodId id() {
      return MethodId.CHANNEL_OPEN_OK;
    }
  }

  /** channel.flow (20) and, with {@code ok}, channel.flow-ok (21). */
  public record Flow(boolean active, boolean ok) implements AmqpMethod {
    static Flow read(ByteBuf in, boolean ok) {
      return new Flow(AmqpMethod.bit(readOctet(in, "active"), 0), ok);
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeByte(active ? 1 : 0);
    }

    @Override
    public MethodId id() {
      return ok ? MethodId.CHANNEL_FLOW_OK : MethodId.CHANNEL_FLOW;
    }
  }

  /**
   * access.request (class 30, method 10): deprecated in 0-9-1, still answered by RabbitMQ with a
   * ticket of 1; its arguments are dropped.
   */
  public record AccessRequest() implements AmqpMethod {
    static AccessRequest read(ByteBuf in) {
      readShortString(in, "realm");
      readOctet(in, "flags");
      return new AccessRequest();
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, "/data");
      out.writeByte(0);
    }

    @Override
    public MethodId id() {
      return MethodId.ACCESS_REQUEST;
    }
  }

  /** access.request-ok (class 30, method 11). */
  public record AccessRequestOk(int ticket) implements AmqpMethod {
    static AccessRequestOk read(ByteBuf in) {
      return new AccessRequestOk(readShort(in, "ticket"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeShort(ticket);
    }

    @Override
    public MethodId id() {
      return MethodId.ACCESS_REQUEST_OK;
    }
  }
}
