package io.warrenmq.engine.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Helpers for AMQP field tables used as declaration arguments. Stateless. */
public final class Arguments {
  private Arguments() {}

  /**
   * Whether two argument values are equivalent for a re-declaration: integral numbers compare by
   * value whatever their boxed type (a client may send {@code 10} as byte, short, int or long),
   * byte arrays by content, the rest with {@code equals}.
   */
  public static boolean equivalent(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (isIntegral(a) && isIntegral(b)) {
      return ((Number) a).longValue() == ((Number) b).longValue();
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    return a.equals(b);
  }

  static boolean isIntegral(Object o) {
    return o instanceof Byte || o instanceof Short || o instanceof Integer || o instanceof Long;
  }

  /**
   * The first key whose value differs between two argument tables, or null when they are
   * equivalent.
   */
  public static String firstDifference(Map<String, Object> received, Map<String, Object> current) {
    Set<String> keys = new HashSet<>(received.keySet());
    keys.addAll(current.keySet());
    for (String key : keys.stream().sorted().toList()) {
      if (!equivalent(received.get(key), current.get(key))) {
        return key;
      }
    }
    return null;
  }

  /** An unmodifiable copy without null values; {@code null} gives an empty map. */
  public static Map<String, Object> copy(Map<String, Object> args) {
    if (args == null || args.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> copy = new HashMap<>();
    args.forEach(
        (k, v) -> {
          if (k != null && v != null) {
            copy.put(k, v);
          }
        });
    return Map.copyOf(copy);
  }
}
