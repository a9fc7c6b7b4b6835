package io.warrenmq.server.internal.config;

/**
 * A limit given either relative to a quantity or in absolute bytes, as RabbitMQ's {@code
 * vm_memory_high_watermark.relative}/{@code .absolute} and {@code disk_free_limit.relative}/{@code
 * .absolute}. Exactly one of the two is set.
 *
 * @param key the key that set it (its {@code .relative} or {@code .absolute} form), or the
 *     default's
 * @param relative the fraction or factor, or null
 * @param absoluteBytes the bytes, or null
 */
public record ResourceLimit(String key, Double relative, Long absoluteBytes) {
  public ResourceLimit {
    if ((relative == null) == (absoluteBytes == null)) {
      throw new IllegalArgumentException("exactly one of relative and absoluteBytes");
    }
  }

  /** The limit in bytes: the absolute one, or {@code relative x base}. */
  public long bytes(long base) {
    return absoluteBytes != null ? absoluteBytes : (long) (relative * base);
  }

  @Override
  public String toString() {
    return key + " = " + (relative != null ? relative.toString() : absoluteBytes.toString());
  }
}
