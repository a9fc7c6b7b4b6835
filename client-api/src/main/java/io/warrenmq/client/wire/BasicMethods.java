package io.warrenmq.client.wire;

import static io.warrenmq.client.wire.AmqpMethod.bit;
import static io.warrenmq.client.wire.WireReader.readLong;
import static io.warrenmq.client.wire.WireReader.readLongLong;
import static io.warrenmq.client.wire.WireReader.readOctet;
import static io.warrenmq.client.wire.WireReader.readShort;
import static io.warrenmq.client.wire.WireReader.readShortString;
import static io.warrenmq.client.wire.WireReader.readTable;
import static io.warrenmq.client.wire.WireWriter.writeShortString;
import static io.warrenmq.client.wire.WireWriter.writeTable;

import io.netty.buffer.ByteBuf;
import java.util.Map;

/**
 * The methods of class {@code basic} (id 60), with RabbitMQ's {@code basic.nack} and WarrenMQ's
 * {@code basic.release} (docs/protocol-release.md).
 */
public final class BasicMethods {
  private BasicMethods() {}

  /**
   * The method id of WarrenMQ's {@code basic.release} in class basic: 200, clear of the ids 10..120
   * that AMQP 0-8, 0-9, 0-9-1 and RabbitMQ's extensions give the class (docs/protocol-release.md).
   */
  public static final int RELEASE_METHOD_ID = 200;

  /**
   * basic.qos (10).
   *
   * @param prefetchSize bytes, 0 = no limit (RabbitMQ refuses anything else with 540)
   * @param prefetchCount messages, 0 = no limit
   * @param global RabbitMQ's meaning: per channel when true, per consumer when false
   */
  public record Qos(long prefetchSize, int prefetchCount, boolean global) implements AmqpMethod {
    static Qos read(ByteBuf in) {
      return new Qos(
          readLong(in, "prefetch-size"),
          readShort(in, "prefetch-count"),
          bit(readOctet(in, "global"), 0));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeInt((int) prefetchSize);
      out.writeShort(prefetchCount);
      out.writeByte(bit(global, 0));
    }

    @Override
    public MethodId id() {
      return MethodId.BASIC_QOS;
    }
  }

  /** basic.consume (20); an empty consumer tag asks the broker for one. */
  public record Consume(
      String queue,
      String consumerTag,
      boolean noLocal,
      boolean noAck,
      boolean exclusive,
      boolean noWait,
      Map<String, Object> arguments)
      implements AmqpMethod {
    static Consume read(ByteBuf in) {
      readShort(in, "ticket");
      String queue = readShortString(in, "queue");
      String tag = readShortString(in, "consumer-tag");
      int bits = readOctet(in, "flags");
      return new Consume(
          queue,
          tag,
          bit(bits, 0),
          bit(bits, 1),
          bit(bits, 2),
          bit(bits, 3),
          readTable(in, "arguments"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeShort(0);
      writeShortString(out, queue);
      writeShortString(out, consumerTag);
      out.writeByte(bit(noLocal, 0) | bit(noAck, 1) | bit(exclusive, 2) | bit(noWait, 3));
      writeTable(out, arguments);
    }

    @Override
    public MethodId id() {
      return MethodId.BASIC_CONSUME;
    }
  }

  /**
   * basic.consume-ok (21), basic.cancel-ok (31), and basic.cancel (30) when the broker cancels a
   * consumer (RabbitMQ's {@code consumer_cancel_notify}: no-wait set).
   */
  public record ConsumerTagOk(MethodId id, String consumerTag) implements AmqpMethod {
    static ConsumerTagOk read(ByteBuf in, MethodId id) {
      return new ConsumerTagOk(id, readShortString(in, "consumer-tag"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, consumerTag);
    }
  }

  /** basic.cancel (30). */
  public record Cancel(String consumerTag, boolean noWait) implements AmqpMethod {
    static Cancel read(ByteBuf in) {
      return new Cancel(readShortString(in, "consumer-tag"), bit(readOctet(in, "no-wait"), 0));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, consumerTag);
      out.writeByte(bit(noWait, 0));
    }

    @Override
    public MethodId id() {
      return MethodId.BASIC_CANCEL;
    }
  }

  /** basic.publish (40); a content header and body follow. */
  public record Publish(String exchange, String routingKey, boolean mandatory, boolean immediate)
      implements AmqpMethod {
    static Publish read(ByteBuf in) {
      readShort(in, "ticket");
      String exchange = readShortString(in, "exchange");
      String routingKey = readShortString(in, "routing-key");
      int bits = readOctet(in, "flags");
      return new Publish(exchange, routingKey, bit(bits, 0), bit(bits, 1));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeShort(0);
      writeShortString(out, exchange);
      writeShortString(out, routingKey);
      out.writeByte(bit(mandatory, 0) | bit(immediate, 1));
    }

    @Override
    public MethodId id() {
      return MethodId.BASIC_PUBLISH;
    }
  }

  /** basic.return (50): an unroutable mandatory message comes back; content follows. */
  public record Return(int replyCode, String replyText, String exchange, String routingKey)
      implements AmqpMethod {
    static Return read(ByteBuf in) {
      return new Return(
          readShort(in, "reply-code"),
          readShortString(in, "reply-text"),
          readShortString(in, "exchange"),
          readShortString(in, "routing-key"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeShort(replyCode);
      writeShortString(out, Texts.shortText(replyText));
      writeShortString(out, exchange);
      writeShortString(out, routingKey);
    }

    @Override
    public MethodId id() {
      return MethodId.BASIC_RETURN;
    }
  }

  /** basic.deliver (60): a message for a consumer; content follows. */
  public record Deliver(
      String consumerTag, long deliveryTag, boolean redelivered, String exchange, String routingKey)
      implements AmqpMethod {
    static Deliver read(ByteBuf in) {
      return new Deliver(
          readShortString(in, "consumer-tag"),
          readLongLong(in, "delivery-tag"),
          bit(readOctet(in, "redelivered"), 0),
          readShortString(in, "exchange"),
          readShortString(in, "routing-key"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, consumerTag);
      out.writeLong(deliveryTag);
      out.writeByte(bit(redelivered, 0));
      writeShortString(out, exchange);
      writeShortString(out, routingKey);
    }

    @Override
    public MethodId id() {
      return MethodId.BASIC_DELIVER;
    }
  }

  /** basic.get (70). */
  public record Get(String queue, boolean noAck) implements AmqpMethod {
    static Get read(ByteBuf in) {
      readShort(in, "ticket");
      return new Get(readShortString(in, "queue"), bit(readOctet(in, "no-ack"), 0));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeShort(0);
      writeShortString(out, queue);
      out.writeByte(bit(noAck, 0));
    }

    @Override
    public MethodId id() {
      return MethodId.BASIC_GET;
    }
  }

  /** basic.get-ok (71): a message and the count left ready; content follows. */
  public record GetOk(
      long deliveryTag, boolean redelivered, String exchange, String routingKey, long messageCount)
      implements AmqpMethod {
    static GetOk read(ByteBuf in) {
      return new GetOk(
          readLongLong(in, "delivery-tag"),
          bit(readOctet(in, "redelivered"), 0),
          readShortString(in, "exchange"),
          readShortString(in, "routing-key"),
          readLong(in, "message-count"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeLong(deliveryTag);
      out.writeByte(bit(redelivered, 0));
      writeShortString(out, exchange);
      writeShortString(out, routingKey);
      out.writeInt((int) messageCount);
    }

    @Override
    public MethodId id() {
      return MethodId.BASIC_GET_OK;
    }
  }

  /** basic.get-empty (72). */
  public record GetEmpty() implements AmqpMethod {
    static GetEmpty read(ByteBuf in) {
      readShortString(in, "cluster-id");
      return new GetEmpty();
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, "");
    }

    @Override
    public MethodId id() {
      return MethodId.BASIC_GET_EMPTY;
    }
  }

  /**
   * basic.ack (80), basic.reject (90) and basic.nack (120): settles {@code deliveryTag} (and every
   * earlier one when {@code multiple}). For ack, {@code requeue} is false; for reject, {@code
   * multiple} is false; a broker's ack or nack is a publisher confirm.
   */
  public record Settle(MethodId id, long deliveryTag, boolean multiple, boolean requeue)
      implements AmqpMethod {
    static Settle read(ByteBuf in, MethodId id) {
      long tag = readLongLong(in, "delivery-tag");
      int bits = readOctet(in, "flags");
      return switch (id) {
        case BASIC_ACK -> new Settle(id, tag, bit(bits, 0), false);
        case BASIC_REJECT -> new Settle(id, tag, false, bit(bits, 0));
        default -> new Settle(id, tag, bit(bits, 0), bit(bits, 1));
      };
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeLong(deliveryTag);
      out.writeByte(
          switch (id) {
            case BASIC_ACK -> bit(multiple, 0);
            case BASIC_REJECT -> bit(requeue, 0);
            default -> bit(multiple, 0) | bit(requeue, 1);
          });
    }
  }

  /** basic.recover (110) and basic.recover-async (100). */
  public record Recover(boolean requeue, boolean async) implements AmqpMethod {
    static Recover read(ByteBuf in, boolean async) {
      return new Recover(bit(readOctet(in, "requeue"), 0), async);
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeByte(bit(requeue, 0));
    }

    @Override
    public MethodId id() {
      return async ? MethodId.BASIC_RECOVER_ASYNC : MethodId.BASIC_RECOVER;
    }
  }

  /**
   * basic.release (200), WarrenMQ extension (docs/protocol-release.md): returns one unacked
   * delivery the client never handed to its application to its queue, not marked redelivered and
   * without counting a delivery attempt. No reply; an unknown tag closes the channel with 406, as
   * for {@code basic.reject}.
   *
   * @param deliveryTag the delivery's tag on this channel, not 0
   */
  public record Release(long deliveryTag) implements AmqpMethod {
    static Release read(ByteBuf in) {
      return new Release(readLongLong(in, "delivery-tag"));
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeLong(deliveryTag);
    }

    @Override
    public MethodId id() {
      return MethodId.BASIC_RELEASE;
    }
  }
}
