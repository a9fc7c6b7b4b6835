package io.warrenmq.server.internal.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RabbitMQ's information units (https://www.rabbitmq.com/docs/memory, "Memory threshold units"): a
 * number of bytes, or a whole number followed by {@code k}/{@code kiB} (1024), {@code M}/{@code
 * MiB} (1024²), {@code G}/{@code GiB} (1024³), {@code kB} (1000), {@code MB} (1000²) or {@code GB}
 * (1000³), as in {@code vm_memory_high_watermark.absolute = 2GB} and {@code
 * disk_free_limit.absolute = 50MB}.
 *
 * <p>Thread-safety: stateless.
 */
public final class ByteSize {
  private static final Pattern FORM = Pattern.compile("([0-9]+)([A-Za-z]*)");

  /** What {@link #parse} accepts, for messages. */
  public static final String EXPECTED =
      "a number of bytes or a whole number with a unit: k, kiB, M, MiB, G, GiB (1024-based) or"
          + " kB, MB, GB (1000-based), e.g. 512MiB or 2GB";

  private ByteSize() {}

  /**
   * The number of bytes.
   *
   * @throws IllegalArgumentException if the text is not of that form or exceeds {@link
   *     Long#MAX_VALUE} bytes
   */
  public static long parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a byte size");
    }
    long unit =
        switch (m.group(2)) {
          case "" -> 1L;
          case "k", "kiB" -> 1L << 10;
          case "M", "MiB" -> 1L << 20;
          case "G", "GiB" -> 1L << 30;
          case "kB" -> 1_000L;
          case "MB" -> 1_000_000L;
          case "GB" -> 1_000_000_000L;
          default -> throw new IllegalArgumentException("unknown unit '" + m.group(2) + "'");
        };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("too large");
    }
  }
}
