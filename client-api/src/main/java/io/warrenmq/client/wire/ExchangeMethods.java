package io.warrenmq.client.wire;

import static io.warrenmq.client.wire.AmqpMethod.bit;
import static io.warrenmq.client.wire.WireReader.readOctet;
import static io.warrenmq.client.wire.WireReader.readShort;
import static io.warrenmq.client.wire.WireReader.readShortString;
import static io.warrenmq.client.wire.WireReader.readTable;
import static io.warrenmq.client.wire.WireWriter.writeShortString;
import static io.warrenmq.client.wire.WireWriter.writeTable;

import io.netty.buffer.ByteBuf;
import java.util.Map;

/** The methods of class {@code exchange} (id 40), with RabbitMQ's exchange-to-exchange bindings. */
public final class ExchangeMethods {
  private ExchangeMethods() {}

  /** exchange.declare (10). */
  public record Declare(
      String exchange,
      String type,
      boolean passive,
      boolean durable,
      boolean autoDelete,
      boolean internal,
      boolean noWait,
      Map<String, Object> arguments)
      implements AmqpMethod {
    static Declare read(ByteBuf in) {
      readShort(in, "ticket");
      String exchange = readShortString(in, "exchange");
      String type = readShortString(in, "type");
      int bits = readOctet(in, "flags");
      return new Declare(
          exchange,
          type,
          bit(bits, 0),
          bit(bits, 1),
          bit(bits, 2),
          bit(bits, 3),
          bit(bits, 4),
          readTable(in, "arguments"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeShort(0);
      writeShortString(out, exchange);
      writeShortString(out, type);
      out.writeByte(
          bit(passive, 0)
              | bit(durable, 1)
              | bit(autoDelete, 2)
              | bit(internal, 3)
              | bit(noWait, 4));
      writeTable(out, arguments);
    }

    @Override
    public MethodId id() {
      return MethodId.EXCHANGE_DECLARE;
    }
  }

  /** exchange.delete (20). */
  public record Delete(String exchange, boolean ifUnused, boolean noWait) implements AmqpMethod {
    static Delete read(ByteBuf in) {
      readShort(in, "ticket");
      String exchange = readShortString(in, "exchange");
      int bits = readOctet(in, "flags");
      return new Delete(exchange, bit(bits, 0), bit(bits, 1));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeShort(0);
      writeShortString(out, exchange);
      out.writeByte(bit(ifUnused, 0) | bit(noWait, 1));
    }

    @Override
    public MethodId id() {
      return MethodId.EXCHANGE_DELETE;
    }
  }

  /**
   * exchange.bind (30) and, with {@code unbind}, exchange.unbind (40): RabbitMQ's
   * exchange-to-exchange bindings (same arguments).
   */
  public record Bind(
      String destination,
      String source,
      String routingKey,
      boolean noWait,
      Map<String, Object> arguments,
      boolean unbind)
      implements AmqpMethod {
    static Bind read(ByteBuf in, boolean unbind) {
      readShort(in, "ticket");
      return new Bind(
          readShortString(in, "destination"),
          readShortString(in, "source"),
          readShortString(in, "routing-key"),
          bit(readOctet(in, "no-wait"), 0),
          readTable(in, "arguments"),
          unbind);
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeShort(0);
      writeShortString(out, destination);
      writeShortString(out, source);
      writeShortString(out, routingKey);
      out.writeByte(bit(noWait, 0));
      writeTable(out, arguments);
    }

    @Override
    public MethodId id() {
      return unbind ? MethodId.EXCHANGE_UNBIND : MethodId.EXCHANGE_BIND;
    }
  }
}
