package io.warrenmq.jms;

import jakarta.jms.JMSException;
import java.util.Map;

/**
 * How much a consumer may hold unacknowledged: the {@code basic.qos} a session sends with its first
 * consumer (AMQP 0-9-1 section 1.8.3.1), in messages and, where the broker has byte windows, in
 * body bytes.
 *
 * <p>A broker with byte windows (WarrenMQ's server and the in-VM engine: capability {@code
 * warrenmq.prefetch_size}, docs/protocol-prefetch-size.md) gets both limits; one without (RabbitMQ,
 * which closes the connection with 540 for a byte window) gets the count alone. When the count was
 * not configured, it is {@value #AUTOMATIC_WITH_BYTES} messages where the byte window bounds what
 * that many large messages would take (the same order as Artemis's 1 MiB {@code
 * consumerWindowSize}), and {@value #AUTOMATIC_WITHOUT_BYTES} (the earlier default) where nothing
 * does.
 *
 * <p>Immutable, thread-safe.
 *
 * @param messages unacknowledged messages per consumer, 1-65535, or 0 for the automatic count
 * @param bytes body bytes per consumer, 0 (no byte limit) to 4,294,967,295; one message is always
 *     sent when none is unacknowledged, however large
 */
record Prefetch(int messages, long bytes) {
  /** The byte window when none is configured: 1 MiB. */
  static final long DEFAULT_BYTES = 1L << 20;

  /** The automatic count on a broker with byte windows. */
  static final int AUTOMATIC_WITH_BYTES = 1000;

  /** The automatic count on a broker without byte windows. */
  static final int AUTOMATIC_WITHOUT_BYTES = 100;

  Prefetch {
    if (messages < 0 || messages > 65535) {
      throw new IllegalArgumentException("prefetch must be 1-65535, was " + messages);
    }
    if (bytes < 0 || bytes > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("prefetchSize must be 0-4294967295, was " + bytes);
    }
  }

  /** A configured count, with the default byte window. */
  static Prefetch of(int messages) {
    if (messages < 1) {
      throw new IllegalArgumentException("prefetch must be >= 1, was " + messages);
    }
    return new Prefetch(messages, DEFAULT_BYTES);
  }

  /**
   * The URL options {@code prefetch} (messages, 1-65535) and {@code prefetchSize} (bytes,
   * 0-4,294,967,295, default {@link #DEFAULT_BYTES}).
   *
   * @param options the URL's options
   * @param shownUrl the URL as errors show it (passwords masked)
   * @param unsetCount the count when {@code prefetch} is absent; 0 for the automatic one
   * @throws JMSException naming the URL and the option that is not a valid number
   */
  static Prefetch fromUrlOptions(Map<String, String> options, String shownUrl, int unsetCount)
      throws JMSException {
    int messages = unsetCount;
    String count = options.get("prefetch");
    if (count != null) {
      messages = (int) parse(count, shownUrl, "prefetch", "a whole number 1-65535", 1, 65535);
    }
    long bytes = DEFAULT_BYTES;
    String size = options.get("prefetchSize");
    if (size != null) {
      bytes =
          parse(
              size,
              shownUrl,
              "prefetchSize",
              "a whole number of bytes 0-4294967295",
              0,
              0xFFFF_FFFFL);
    }
    return new Prefetch(messages, bytes);
  }

  private static long parse(
      String value, String shownUrl, String option, String what, long min, long max)
      throws JMSException {
    long v;
    try {
      v = Long.parseLong(value);
    } catch (NumberFormatException e) {
      v = min - 1;
    }
    if (v < min || v > max) {
      throw new JMSException(
          "connection URL '"
              + shownUrl
              + "': option "
              + option
              + " must be "
              + what
              + ", was '"
              + value
              + "'");
    }
    return v;
  }

  /** The count to send to a broker that has byte windows or not. */
  int messagesFor(boolean byteWindows) {
    if (messages > 0) {
      return messages;
    }
    return byteWindows ? AUTOMATIC_WITH_BYTES : AUTOMATIC_WITHOUT_BYTES;
  }

  /** The byte window to send: 0 to a broker without byte windows. */
  long bytesFor(boolean byteWindows) {
    return byteWindows ? bytes : 0;
  }
}
