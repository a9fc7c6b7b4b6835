package io.warrenmq.client.wire;

import static io.warrenmq.client.wire.AmqpMethod.bit;
import static io.warrenmq.client.wire.WireReader.readLong;
import static io.warrenmq.client.wire.WireReader.readOctet;
import static io.warrenmq.client.wire.WireReader.readShort;
import static io.warrenmq.client.wire.WireReader.readShortString;
import static io.warrenmq.client.wire.WireReader.readTable;
import static io.warrenmq.client.wire.WireWriter.writeShortString;
import static io.warrenmq.client.wire.WireWriter.writeTable;

import io.netty.buffer.ByteBuf;
import java.util.Map;

/** The methods of class {@code queue} (id 50). */
public final class QueueMethods {
  private QueueMethods() {}

  /** queue.declare (10); an empty name asks the broker to name the queue. */
  public record Declare(
      String queue,
      boolean passive,
      boolean durable,
      boolean exclusive,
      boolean autoDelete,
      boolean noWait,
      Map<String, Object> arguments)
      implements AmqpMethod {
    static Declare read(ByteBuf in) {
      readShort(in, "ticket");
      String queue = readShortString(in, "queue");
      int bits = readOctet(in, "flags");
      return new Declare(
          queue,
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
      writeShortString(out, queue);
      out.writeByte(
          bit(passive, 0)
              | bit(durable, 1)
              | bit(exclusive, 2)
              | bit(autoDelete, 3)
              | bit(noWait, 4));
      writeTable(out, arguments);
    }

    @Override
    public MethodId id() {
      return MethodId.QUEUE_DECLARE;
    }
  }

  /** queue.declare-ok (11): the queue's name and its ready messages and consumers. */
  public record DeclareOk(String queue, long messageCount, long consumerCount)
      implements AmqpMethod {
    static DeclareOk read(ByteBuf in) {
      return new DeclareOk(
          readShortString(in, "queue"),
          readLong(in, "message-count"),
          readLong(in, "consumer-count"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, queue);
      out.writeInt((int) messageCount);
      out.writeInt((int) consumerCount);
    }

    @Override
    public MethodId id() {
      return MethodId.QUEUE_DECLARE_OK;
    }
  }

  /**
   * queue.bind (20) and, with {@code unbind}, queue.unbind (50); unbind has no no-wait bit on the
   * wire ({@code noWait} is then false).
   */
  public record Bind(
      String queue,
      String exchange,
      String routingKey,
      boolean noWait,
      Map<String, Object> arguments,
      boolean unbind)
      implements AmqpMethod {
    static Bind read(ByteBuf in, boolean unbind) {
      readShort(in, "ticket");
      String queue = readShortString(in, "queue");
      String exchange = readShortString(in, "exchange");
      String routingKey = readShortString(in, "routing-key");
      boolean noWait = !unbind && bit(readOctet(in, "no-wait"), 0);
      return new Bind(queue, exchange, routingKey, noWait, readTable(in, "arguments"), unbind);
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeShort(0);
      writeShortString(out, queue);
      writeShortString(out, exchange);
      writeShortString(out, routingKey);
      if (!unbind) {
        out.writeByte(bit(noWait, 0));
      }
      writeTable(out, arguments);
    }

    @Override
    public MethodId id() {
      return unbind ? MethodId.QUEUE_UNBIND : MethodId.QUEUE_BIND;
    }
  }

  /** queue.purge (30). */
  public record Purge(String queue, boolean noWait) implements AmqpMethod {
    static Purge read(ByteBuf in) {
      readShort(in, "ticket");
      return new Purge(readShortString(in, "queue"), bit(readOctet(in, "no-wait"), 0));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeShort(0);
      writeShortString(out, queue);
      out.writeByte(bit(noWait, 0));
    }

    @Override
    public MethodId id() {
      return MethodId.QUEUE_PURGE;
    }
  }

  /** queue.delete (40). */
  public record Delete(String queue, boolean ifUnused, boolean ifEmpty, boolean noWait)
      implements AmqpMethod {
    static Delete read(ByteBuf in) {
      readShort(in, "ticket");
      String queue = readShortString(in, "queue");
      int bits = readOctet(in, "flags");
      return new Delete(queue, bit(bits, 0), bit(bits, 1), bit(bits, 2));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeShort(0);
      writeShortString(out, queue);
      out.writeByte(bit(ifUnused, 0) | bit(ifEmpty, 1) | bit(noWait, 2));
    }

    @Override
    public MethodId id() {
      return MethodId.QUEUE_DELETE;
    }
  }

  /** queue.purge-ok (31) and queue.delete-ok (41): how many messages went. */
  public record CountOk(MethodId id, long messageCount) implements AmqpMethod {
    static CountOk read(ByteBuf in, MethodId id) {
      return new CountOk(id, readLong(in, "message-count"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeInt((int) messageCount);
    }
  }
}
