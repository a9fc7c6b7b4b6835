package io.warrenmq.client.internal.selector;

/**
 * A LIKE pattern (Jakarta Messaging 3.1, 3.8.1.1): {@code _} stands for any single character,
 * {@code %} for any sequence of characters including the empty one, the escape character makes the
 * next character stand for itself, and all others stand for themselves. Matched without regex and
 * without allocating, since selectors run at routing time. A character is a Unicode code point: a
 * surrogate pair counts as one.
 *
 * <p>Thread-safety: immutable.
 */
final class LikePattern {
  private static final byte LITERAL = 0;
  private static final byte ONE = 1;
  private static final byte ANY = 2;

  private final char[] chars;
  private final byte[] kinds;

  /**
   * @throws SelectorSyntaxException when the pattern ends with its escape character
   */
  LikePattern(String like, Character escape, int position) {
    char[] c = new char[like.length()];
    byte[] k = new byte[like.length()];
    int m = 0;
    for (int i = 0; i < like.length(); i++) {
      char ch = like.charAt(i);
      if (escape != null && ch == escape) {
        if (++i >= like.length()) {
          throw new SelectorSyntaxException(
              "LIKE pattern ends with its escape character", position);
        }
        c[m] = like.charAt(i);
        k[m++] = LITERAL;
      } else {
        c[m] = ch;
        k[m++] = ch == '%' ? ANY : ch == '_' ? ONE : LITERAL;
      }
    }
    chars = java.util.Arrays.copyOf(c, m);
    kinds = java.util.Arrays.copyOf(k, m);
  }

  /** Whether the whole of {@code s} matches (greedy scan, backing up to the last {@code %}). */
  boolean matches(String s) {
    int n = s.length();
    int m = chars.length;
    int si = 0;
    int pi = 0;
    int lastAny = -1;
    int resume = 0;
    while (si < n) {
      if (pi < m && kinds[pi] == ONE) {
        si = nextCharacter(s, si);
        pi++;
      } else if (pi < m && kinds[pi] == LITERAL && chars[pi] == s.charAt(si)) {
        si++;
        pi++;
      } else if (pi < m && kinds[pi] == ANY) {
        lastAny = pi++;
        resume = si;
      } else if (lastAny >= 0) {
        // let the last % take one more character and retry from there
        pi = lastAny + 1;
        resume = nextCharacter(s, resume);
        si = resume;
      } else {
        return false;
      }
    }
    while (pi < m && kinds[pi] == ANY) {
      pi++;
    }
    return pi == m;
  }

  private static int nextCharacter(String s, int i) {
    return Character.isHighSurrogate(s.charAt(i))
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))
        ? i + 2
        : i + 1;
  }
}
