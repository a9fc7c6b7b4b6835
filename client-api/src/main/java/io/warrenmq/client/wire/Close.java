package io.warrenmq.client.wire;

import static io.warrenmq.client.wire.WireReader.readShort;
import static io.warrenmq.client.wire.WireReader.readShortString;
import static io.warrenmq.client.wire.WireWriter.writeShortString;

import io.netty.buffer.ByteBuf;

/**
 * connection.close (10.50) and channel.close (20.40), which carry the same arguments: why, and the
 * method that caused it (0, 0 when none). The reply text is cut to 255 UTF-8 bytes on the wire.
 *
 * @param id {@link MethodId#CONNECTION_CLOSE} or {@link MethodId#CHANNEL_CLOSE}
 * @param replyCode an AMQP reply code (200 normal, 320 CONNECTION_FORCED, 4xx soft, 5xx hard)
 * @param replyText {@code "CODE - text"}, as RabbitMQ writes it
 * @param failingClassId the class id of the method that failed, 0 for none
 * @param failingMethodId the method id of the method that failed, 0 for none
 */
public record Close(
    MethodId id, int replyCode, String replyText, int failingClassId, int failingMethodId)
    implements AmqpMethod {
  /** A connection.close. */
  public static Close connection(int replyCode, String replyText, int classId, int methodId) {
    return new Close(MethodId.CONNECTION_CLOSE, replyCode, replyText, classId, methodId);
  }

  /** A channel.close. */
  public static Close channel(int replyCode, String replyText, int classId, int methodId) {
    return new Close(MethodId.CHANNEL_CLOSE, replyCode, replyText, classId, methodId);
  }

  static Close read(ByteBuf in, MethodId id) {
    return new Close(
        id,
        readShort(in, "reply-code"),
        readShortString(in, "reply-text"),
        readShort(in, "class-id"),
        readShort(in, "method-id"));
  }

  @Override
  public void writeArguments(ByteBuf out) {
    out.writeShort(replyCode);
    writeShortString(out, Texts.shortText(replyText));
    out.writeShort(failingClassId);
    out.writeShort(failingMethodId);
  }
}
