package io.warrenmq.engine.internal;

import java.util.Arrays;

/** Copy-on-write helpers for binding arrays. Stateless. */
final class Bindings {
  static final Binding[] NONE = new Binding[0];

  private Bindings() {}

  static int indexOf(Binding[] array, Binding b) {
    for (int i = 0; i < array.length; i++) {
      if (array[i].equals(b)) {
        return i;
      }
    }
    return -1;
  }

  /** A copy with {@code b} appended, or the same array if it already holds it. */
  static Binding[] with(Binding[] array, Binding b) {
    if (indexOf(array, b) >= 0) {
      return array;
    }
    Binding[] copy = Arrays.copyOf(array, array.length + 1);
    copy[array.length] = b;
    return copy;
  }

  /** A copy without {@code b}, or the same array if it does not hold it. */
  static Binding[] without(Binding[] array, Binding b) {
    int i = indexOf(array, b);
    if (i < 0) {
      return array;
    }
    if (array.length == 1) {
      return NONE;
    }
    Binding[] copy = new Binding[array.length - 1];
    System.arraycopy(array, 0, copy, 0, i);
    System.arraycopy(array, i + 1, copy, i, array.length - i - 1);
    return copy;
  }
}
