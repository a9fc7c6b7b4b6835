package io.warrenmq.server.internal;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.MessageSelector;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.wire.BasicMethods;
import io.warrenmq.client.wire.MethodId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * WarrenMQ's browse extension (docs/protocol-browse.md): a {@code basic.consume} whose arguments
 * hold {@code x-warrenmq-browse = true} is not a consumer but one snapshot of the queue's ready
 * messages ({@link AmqpChannel#queueBrowse}, as the in-VM {@code QueueBrowser} takes it), written
 * as {@code basic.consume-ok}, one {@code basic.deliver} per message with delivery tag 0 (nothing
 * to acknowledge: the messages stay in the queue, unlocked), then {@code basic.cancel} (no-wait)
 * that ends the snapshot. An {@code x-jms-selector} argument filters the snapshot on the broker.
 *
 * <p>Memory: the snapshot's frames are written at once, so the socket may hold every ready body of
 * the queue once more until the client has read them.
 *
 * <p>Thread-safety: runs on its channel's command queue; the frames of one browse are written
 * before any later command's reply.
 */
final class WireBrowse {
  /** The {@code basic.consume} argument that asks for a browse; a boolean ({@code t}). */
  static final String ARGUMENT = "x-warrenmq-browse";

  private static final String SELECTOR_ARGUMENT = "x-jms-selector";

  private WireBrowse() {}

  /**
   * Whether {@code arguments} ask for a browse.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED when the argument is not a boolean
   */
  static boolean requested(Map<String, Object> arguments) {
    Object value = arguments.get(ARGUMENT);
    if (value == null || Boolean.FALSE.equals(value)) {
      return false;
    }
    if (!(value instanceof Boolean)) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED,
          "invalid arg '"
              + ARGUMENT
              + "': expected a boolean, got "
              + value.getClass().getSimpleName());
    }
    return true;
  }

  /**
   * Takes the snapshot and writes it.
   *
   * @param inUse whether a consumer of the channel already has this tag
   * @throws AmqpException 404 NOT_FOUND, 405 RESOURCE_LOCKED as {@code queueBrowse}; 530
   *     NOT_ALLOWED for a tag in use; 406 for an invalid selector
   */
  static void run(
      int channel,
      AmqpChannel engine,
      FrameSink out,
      BasicMethods.Consume consume,
      java.util.function.Predicate<String> inUse) {
    String tag =
        consume.consumerTag().isEmpty()
            ? "amq.ctag-browse-" + UUID.randomUUID()
            : consume.consumerTag();
    if (inUse.test(tag)) {
      throw new AmqpException(ReplyCode.NOT_ALLOWED, "attempt to reuse consumer tag '" + tag + "'");
    }
    MessageSelector selector = selector(consume.arguments());
    List<Delivery> snapshot = engine.queueBrowse(consume.queue());
    if (!consume.noWait()) {
      out.method(channel, new BasicMethods.ConsumerTagOk(MethodId.BASIC_CONSUME_OK, tag));
    }
    for (Delivery d : snapshot) {
      if (selector == null || selector.matches(d.properties())) {
        out.content(
            channel,
            new BasicMethods.Deliver(tag, 0, d.redelivered(), d.exchange(), d.routingKey()),
            d.properties(),
            d.body());
      }
    }
    out.method(channel, new BasicMethods.Cancel(tag, true));
  }

  private static MessageSelector selector(Map<String, Object> arguments) {
    Object value = arguments.get(SELECTOR_ARGUMENT);
    if (value == null || (value instanceof String s && s.isBlank())) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED,
          "invalid arg '" + SELECTOR_ARGUMENT + "': expected a string");
    }
    try {
      return MessageSelector.parse(text);
    } catch (IllegalArgumentException e) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED,
          "invalid arg '"
              + SELECTOR_ARGUMENT
              + "': '"
              + text
              + "' is not a JMS selector: "
              + e.getMessage());
    }
  }
}
