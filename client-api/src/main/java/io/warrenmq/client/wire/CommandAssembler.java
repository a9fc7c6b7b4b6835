package io.warrenmq.client.wire;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ReplyCode;
import java.util.Arrays;

/**
 * Puts one channel's frames back together into commands (spec 4.2.6: a method, then for a
 * content-bearing method its content header and body frames, with nothing else on that channel in
 * between). The body is collected into one array, the only copy made of it: the engine shares that
 * array between every queue the message reaches.
 *
 * <p>Errors are RabbitMQ's, all connection errors: a content header or body frame where a method
 * was expected, a method frame where content was expected, a content header of another class: 505
 * UNEXPECTED_FRAME; body frames carrying more than the content header announced: 501 FRAME_ERROR. A
 * body over {@code maxBodySize}: 406 PRECONDITION_FAILED, a channel error as in RabbitMQ ("message
 * size ... is larger than configured max size ..."); the caller then drops the rest of that content
 * while the channel closes.
 *
 * <p>Thread-safety: one per channel, used by the connection's event-loop thread only.
 */
public final class CommandAssembler {
  /** A whole command: its method and, for a content-bearing one, properties and body. */
  public record Command(AmqpMethod method, BasicProperties properties, byte[] body) {}

  /** Bodies up to this size get their whole array at once; larger ones grow as frames arrive. */
  private static final int EAGER_BODY = 1 << 20;

  private static final byte[] EMPTY = new byte[0];

  private final long maxBodySize;
  private AmqpMethod pending; // a content-bearing method waiting for its content
  private ContentHeader header; // its header, once read
  private byte[] body;
  private int filled;

  /**
   * @param maxBodySize the largest body accepted, in bytes (RabbitMQ's {@code max_message_size})
   */
  public CommandAssembler(long maxBodySize) {
    this.maxBodySize = maxBodySize;
  }

  /**
   * Takes the next frame of this channel (method, header or body; never a heartbeat).
   *
   * @return the command the frame completes, or null while content is still expected
   * @throws AmqpException see above
   */
  public Command accept(Frame frame) {
    if (pending == null) {
      if (frame.type() != Frame.METHOD) {
        throw new AmqpException(
            ReplyCode.UNEXPECTED_FRAME, "expected method frame, got non method frame instead");
      }
      AmqpMethod method = MethodCodec.decode(frame.payload());
      if (!method.id().hasContent()) {
        return new Command(method, null, null);
      }
      pending = method;
      return null;
    }
    if (header == null) {
      if (frame.type() != Frame.HEADER) {
        throw unexpected(
            "expected content header for class "
                + pending.id().classId()
                + ", got non content header frame instead");
      }
      ContentHeader h = ContentHeader.decode(frame.payload());
      if (h.classId() != pending.id().classId()) {
        throw unexpected(
            "expected content header for class "
                + pending.id().classId()
                + ", got one for class "
                + h.classId()
                + " instead");
      }
      if (h.bodySize() > maxBodySize) {
        AmqpMethod method = pending;
        reset();
        throw new AmqpException(
            ReplyCode.PRECONDITION_FAILED,
            "message size "
                + h.bodySize()
                + " is larger than configured max size "
                + maxBodySize
                + " ("
                + method.id().spec()
                + ")");
      }
      if (h.bodySize() == 0) {
        return complete(pending, h.properties(), EMPTY);
      }
      header = h;
      body = new byte[(int) Math.min(h.bodySize(), EAGER_BODY)];
      filled = 0;
      return null;
    }
    if (frame.type() != Frame.BODY) {
      throw unexpected("expected content body, got non content body frame instead");
    }
    int length = frame.payload().readableBytes();
    long expected = header.bodySize();
    if (filled + (long) length > expected) {
      throw new AmqpException(
          ReplyCode.FRAME_ERROR,
          "content body frames carry "
              + (filled + (long) length)
              + " bytes, more than the "
              + expected
              + " the content header announced");
    }
    if (filled + length > body.length) {
      body =
          Arrays.copyOf(
              body, (int) Math.min(expected, Math.max(body.length * 2L, filled + length)));
    }
    frame.payload().readBytes(body, filled, length);
    filled += length;
    return filled == expected ? complete(pending, header.properties(), body) : null;
  }

  /** Whether a content-bearing method is waiting for its content. */
  public boolean inContent() {
    return pending != null;
  }

  /** Drops a half-received command (the channel closes). */
  public void reset() {
    pending = null;
    header = null;
    body = null;
    filled = 0;
  }

  private Command complete(AmqpMethod method, BasicProperties properties, byte[] content) {
    reset();
    return new Command(method, properties, content);
  }

  private static AmqpException unexpected(String text) {
    return new AmqpException(ReplyCode.UNEXPECTED_FRAME, text);
  }
}
