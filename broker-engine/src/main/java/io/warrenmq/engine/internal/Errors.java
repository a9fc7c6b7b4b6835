package io.warrenmq.engine.internal;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;

/**
 * Factory of the engine's {@link AmqpException}s, with reply texts worded as RabbitMQ words them so
 * that logs and client code read the same against either broker.
 *
 * <p>Thread-safety: stateless.
 */
public final class Errors {
  private Errors() {}

  static String describe(String kind, String name, String vhost) {
    return kind + " '" + name + "' in vhost '" + vhost + "'";
  }

  public static AmqpException noQueue(String vhost, String queue) {
    return new AmqpException(
        ReplyCode.NOT_FOUND, "no queue '" + queue + "' in vhost '" + vhost + "'");
  }

  public static AmqpException noExchange(String vhost, String exchange) {
    return new AmqpException(
        ReplyCode.NOT_FOUND, "no exchange '" + exchange + "' in vhost '" + vhost + "'");
  }

  public static AmqpException defaultExchangeRefused() {
    return new AmqpException(
        ReplyCode.ACCESS_REFUSED, "operation not permitted on the default exchange");
  }

  public static AmqpException reservedName(String kind, String name) {
    return new AmqpException(
        ReplyCode.ACCESS_REFUSED, kind + " name '" + name + "' contains reserved prefix 'amq.*'");
  }

  public static AmqpException locked(String vhost, String queue) {
    return new AmqpException(
        ReplyCode.RESOURCE_LOCKED,
        "cannot obtain exclusive access to locked "
            + describe("queue", queue, vhost)
            + ". It could be originally declared on another connection or the exclusive property"
            + " value does not match that of the original declaration.");
  }

  public static AmqpException inequivalent(
      String kind, String name, String vhost, String field, Object received, Object current) {
    return new AmqpException(
        ReplyCode.PRECONDITION_FAILED,
        "inequivalent arg '"
            + field
            + "' for "
            + describe(kind, name, vhost)
            + ": received "
            + quote(received)
            + " but current is "
            + quote(current));
  }

  private static String quote(Object value) {
    return value == null ? "none" : "'" + value + "'";
  }

  public static AmqpException precondition(String text) {
    return new AmqpException(ReplyCode.PRECONDITION_FAILED, text);
  }

  public static AmqpException unknownDeliveryTag(long tag) {
    return new AmqpException(ReplyCode.PRECONDITION_FAILED, "unknown delivery tag " + tag);
  }

  public static AmqpException channelClosed() {
    return new AmqpException(ReplyCode.CHANNEL_ERROR, "channel is closed");
  }
}
