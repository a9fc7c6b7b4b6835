package io.warrenmq.engine.internal;

import io.warrenmq.client.BasicProperties;
import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The queue arguments the engine implements, parsed and validated once at {@code queue.declare}.
 *
 * <p>Validation follows RabbitMQ 3.10 (checked against the broker): a wrong type or range is 406
 * PRECONDITION_FAILED with the reply text RabbitMQ uses, e.g. {@code invalid arg 'x-max-length' for
 * queue 'q' in vhost '/': {value_negative,-1}}. Arguments the engine does not know are kept and
 * ignored, as RabbitMQ does.
 *
 * <p>One deviation: RabbitMQ accepts {@code x-delivery-limit} only on quorum queues (and there
 * without checking it); the engine implements it on every queue and requires a non-negative
 * integer.
 *
 * <h2>Semantics</h2>
 *
 * Those of RabbitMQ's classic queues unless said otherwise; {@link Queue} applies them under its
 * lock:
 *
 * <ul>
 *   <li>{@code x-max-priority} (1-255; parsed by {@link ServerVirtualHost} because it fixes the
 *       queue's shape, not kept here): priority levels, highest first.
 *   <li>{@code x-message-ttl} and per-message {@code expiration} (ms; the lower applies, fixed at
 *       enqueue and kept across requeues; https://www.rabbitmq.com/docs/ttl). An expired message is
 *       never delivered. As in RabbitMQ, expired messages are removed only when they reach the head
 *       of the queue (of their priority level): the broker's timer fires at the head's deadline,
 *       and dispatch and {@code basic.get} skip expired heads. A message with a short {@code
 *       expiration} behind one with a long (or no) TTL therefore stays counted until the messages
 *       ahead of it are gone, but is never delivered late: it is dropped when it reaches the head.
 *       TTL 0 delivers to a consumer that can take the message at once, else expires it at once.
 *   <li>{@code x-expires} (ms): a queue without consumers, {@code basic.get} or (passive)
 *       declaration for that long is deleted by the timer.
 *   <li>{@code x-max-length}, {@code x-max-length-bytes} (ready messages and their body bytes;
 *       unacked ones do not count) with {@code x-overflow} {@code drop-head} (default: the oldest
 *       are dropped and dead-lettered with reason {@code maxlen}), {@code reject-publish} (the new
 *       message is refused: {@link Queue.EnqueueOutcome#REJECTED}) or {@code reject-publish-dlx}
 *       (refused and dead-lettered). https://www.rabbitmq.com/docs/maxlength
 *   <li>{@code x-dead-letter-exchange}, {@code x-dead-letter-routing-key}: see {@link
 *       DeadLetterer}; reasons {@code rejected}, {@code expired}, {@code maxlen}, {@code
 *       delivery_limit}. Dead-lettering runs after the queue lock is released.
 *   <li>{@code x-delivery-limit}: a message returned to the queue (nack/reject with requeue,
 *       recover, channel close) whose delivery count then exceeds the limit is dead-lettered with
 *       reason {@code delivery_limit} (dropped without DLX), as RabbitMQ's quorum queues do.
 *   <li>{@code x-single-active-consumer}: only the oldest consumer receives messages; when it is
 *       cancelled the next oldest takes over. Every {@code basic.consume} succeeds (RabbitMQ
 *       answers consume-ok to the waiting consumers too).
 * </ul>
 *
 * @param messageTtl {@code x-message-ttl} in ms, -1 when absent
 * @param expires {@code x-expires} in ms (at least 1), -1 when absent
 * @param maxLength {@code x-max-length} in ready messages, -1 when absent
 * @param maxLengthBytes {@code x-max-length-bytes} in ready body bytes, -1 when absent
 * @param overflow {@code x-overflow}, {@link Overflow#DROP_HEAD} by default
 * @param deadLetterExchange {@code x-dead-letter-exchange}, null when absent
 * @param deadLetterRoutingKey {@code x-dead-letter-routing-key}, null when absent
 * @param singleActiveConsumer {@code x-single-active-consumer}
 * @param deliveryLimit {@code x-delivery-limit}, -1 when absent
 */
record QueueArguments(
    long messageTtl,
    long expires,
    long maxLength,
    long maxLengthBytes,
    Overflow overflow,
    String deadLetterExchange,
    String deadLetterRoutingKey,
    boolean singleActiveConsumer,
    long deliveryLimit) {

  /** A TTL beyond this (about 73 years) cannot be added to {@link System#nanoTime()}: none. */
  private static final long MAX_TTL_MS = TimeUnit.NANOSECONDS.toMillis(Long.MAX_VALUE / 4);

  /** No argument set. */
  static final QueueArguments NONE =
      new QueueArguments(-1, -1, -1, -1, Overflow.DROP_HEAD, null, null, false, -1);

  /** {@code x-overflow}: what happens when a length limit is reached. */
  enum Overflow {
    DROP_HEAD("drop-head"),
    REJECT_PUBLISH("reject-publish"),
    REJECT_PUBLISH_DLX("reject-publish-dlx");

    final String value;

    Overflow(String value) {
      this.value = value;
    }
  }

  /**
   * A message's TTL in ms: the lower of {@code x-message-ttl} and its {@code expiration}, -1 for
   * none (also for a TTL too large to add to {@link System#nanoTime()}).
   */
  long ttlMillis(BasicProperties properties) {
    long ttl = messageTtl;
    String expiration = properties.expiration();
    if (expiration != null) {
      try {
        long ms = Long.parseLong(expiration.trim());
        if (ms >= 0 && (ttl < 0 || ms < ttl)) {
          ttl = ms;
        }
      } catch (NumberFormatException ignored) {
        // not a TTL: RabbitMQ refuses such a publish; the engine ignores the field
      }
    }
    return ttl > MAX_TTL_MS ? -1 : ttl;
  }

  boolean hasLengthLimit() {
    return maxLength >= 0 || maxLengthBytes >= 0;
  }

  /** Whether a queue holding {@code ready} messages of {@code bytes} body bytes is over a limit. */
  boolean isOverLimit(long ready, long bytes) {
    return (maxLength >= 0 && ready > maxLength) || (maxLengthBytes >= 0 && bytes > maxLengthBytes);
  }

  /**
   * Parses and validates.
   *
   * @throws io.warrenmq.client.AmqpException 406 PRECONDITION_FAILED naming the first invalid
   *     argument
   */
  static QueueArguments parse(Map<String, Object> args, String queue, String vhost) {
    if (args.isEmpty()) {
      return NONE;
    }
    String where = " for " + Errors.describe("queue", queue, vhost) + ": ";
    long ttl = nonNegative(args, "x-message-ttl", where);
    long expires = nonNegative(args, "x-expires", where);
    if (expires == 0) {
      throw invalid("x-expires", where, "{value_zero,0}");
    }
    long maxLength = nonNegative(args, "x-max-length", where);
    long maxBytes = nonNegative(args, "x-max-length-bytes", where);
    Overflow overflow = Overflow.DROP_HEAD;
    Object o = args.get("x-overflow");
    if (o != null) {
      if (!(o instanceof String s)) {
        throw invalid("x-overflow", where, "{unacceptable_type," + typeName(o) + "}");
      }
      overflow = null;
      for (Overflow candidate : Overflow.values()) {
        if (candidate.value.equals(s)) {
          overflow = candidate;
        }
      }
      if (overflow == null) {
        throw invalid("x-overflow", where, "invalid_overflow");
      }
    }
    Object dlx = args.get("x-dead-letter-exchange");
    if (dlx != null && !(dlx instanceof String)) {
      throw Errors.precondition(
          "invalid type '"
              + typeName(dlx)
              + "' for arg 'x-dead-letter-exchange' in "
              + Errors.describe("queue", queue, vhost));
    }
    Object dlrk = args.get("x-dead-letter-routing-key");
    if (dlrk != null) {
      if (!(dlrk instanceof String)) {
        throw invalid(
            "x-dead-letter-routing-key", where, "{unacceptable_type," + typeName(dlrk) + "}");
      }
      if (dlx == null) {
        throw invalid("x-dead-letter-routing-key", where, "routing_key_but_no_dlx_defined");
      }
    }
    Object sac = args.get("x-single-active-consumer");
    if (sac != null && !(sac instanceof Boolean)) {
      throw invalid("x-single-active-consumer", where, "{unacceptable_type," + typeName(sac) + "}");
    }
    long deliveryLimit = nonNegative(args, "x-delivery-limit", where);
    return new QueueArguments(
        ttl,
        expires,
        maxLength,
        maxBytes,
        overflow,
        (String) dlx,
        (String) dlrk,
        Boolean.TRUE.equals(sac),
        deliveryLimit);
  }

  private static long nonNegative(Map<String, Object> args, String name, String where) {
    Object v = args.get(name);
    if (v == null) {
      return -1;
    }
    if (!Arguments.isIntegral(v)) {
      throw invalid(name, where, "\"expected integer, got " + typeName(v) + "\"");
    }
    long n = ((Number) v).longValue();
    if (n < 0) {
      throw invalid(name, where, "{value_negative," + n + "}");
    }
    return n;
  }

  private static io.warrenmq.client.AmqpException invalid(String arg, String where, String why) {
    return Errors.precondition("invalid arg '" + arg + "'" + where + why);
  }

  /** The AMQP field-table type name RabbitMQ reports for a value. */
  static String typeName(Object v) {
    if (v instanceof String) {
      return "longstr";
    } else if (v instanceof Integer) {
      return "signedint";
    } else if (v instanceof Long) {
      return "long";
    } else if (v instanceof Short) {
      return "short";
    } else if (v instanceof Byte) {
      return "byte";
    } else if (v instanceof Boolean) {
      return "bool";
    } else if (v instanceof Double) {
      return "double";
    } else if (v instanceof Float) {
      return "float";
    } else if (v instanceof BigDecimal) {
      return "decimal";
    } else if (v instanceof Date) {
      return "timestamp";
    } else if (v instanceof byte[]) {
      return "binary";
    } else if (v instanceof List) {
      return "array";
    } else if (v instanceof Map) {
      return "table";
    }
    return v.getClass().getSimpleName();
  }
}
