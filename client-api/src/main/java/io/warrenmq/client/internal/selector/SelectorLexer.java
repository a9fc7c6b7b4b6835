package io.warrenmq.client.internal.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a JMS message selector into tokens (Jakarta Messaging 3.1, section 3.8.1.1 "Message
 * selector syntax"): string literals in single quotes with {@code ''} for a quote; exact numeric
 * literals in the Java integer literal syntax (decimal, hex {@code 0x}, octal {@code 0}, binary
 * {@code 0b}, underscores between digits, optional {@code L} suffix), all in the range of {@code
 * long}; approximate numeric literals in the Java floating-point literal syntax ({@code 7E3},
 * {@code 7.}, {@code .5}, {@code 1F}, {@code 1D}, hexadecimal {@code 0x1p3}), a {@code F} suffix
 * rounding to {@code float} as Java does; identifiers by {@link Character#isJavaIdentifierStart}
 * and {@link Character#isJavaIdentifierPart}; keywords case-insensitively; Java whitespace.
 */
final class SelectorLexer {

  enum Kind {
    IDENTIFIER,
    KEYWORD,
    STRING,
    LONG,
    /**
     * The decimal literal 9223372036854775808 (with or without {@code L}): valid only as the
     * operand of unary minus, giving {@link Long#MIN_VALUE} (Java Language Specification 3.10.1).
     */
    LONG_MIN_MAGNITUDE,
    DOUBLE,
    OPERATOR,
    LPAREN,
    RPAREN,
    COMMA,
    END
  }

  record Token(Kind kind, String text, Object value, int position) {
    boolean is(Kind k, String t) {
      return kind == k && text.equals(t);
    }

    boolean isKeyword(String keyword) {
      return is(Kind.KEYWORD, keyword);
    }
  }

  /** The words that cannot be identifiers (3.8.1.1), matched case-insensitively. */
  static final Set<String> KEYWORDS =
      Set.of("NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "NULL", "TRUE", "FALSE", "ESCAPE");

  private static final String LONG_MIN_DIGITS = "9223372036854775808";

  private final String s;
  private final int n;
  private final List<Token> tokens = new ArrayList<>();

  private SelectorLexer(String selector) {
    this.s = selector;
    this.n = selector.length();
  }

  static List<Token> tokenize(String selector) {
    return new SelectorLexer(selector).run();
  }

  private List<Token> run() {
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (isWhitespace(c)) {
        i++;
      } else if (c == '\'') {
        i = string(i);
      } else if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(s.charAt(i + 1)))) {
        i = number(i);
      } else if (Character.isJavaIdentifierStart(c)) {
        int start = i;
        while (i < n && Character.isJavaIdentifierPart(s.charAt(i))) {
          i++;
        }
        String word = s.substring(start, i);
        String upper = word.toUpperCase(Locale.ROOT);
        tokens.add(
            KEYWORDS.contains(upper)
                ? new Token(Kind.KEYWORD, upper, null, start)
                : new Token(Kind.IDENTIFIER, word, word, start));
      } else if (c == '(') {
        tokens.add(new Token(Kind.LPAREN, "(", null, i++));
      } else if (c == ')') {
        tokens.add(new Token(Kind.RPAREN, ")", null, i++));
      } else if (c == ',') {
        tokens.add(new Token(Kind.COMMA, ",", null, i++));
      } else {
        String op = operatorAt(i);
        if (op == null) {
          throw new SelectorSyntaxException("unexpected character '" + c + "'", i);
        }
        tokens.add(new Token(Kind.OPERATOR, op, null, i));
        i += op.length();
      }
    }
    tokens.add(new Token(Kind.END, "<end>", null, n));
    return tokens;
  }

  /** Java whitespace (JLS 3.6): space, horizontal tab, form feed, line terminators. */
  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private String operatorAt(int i) {
    for (String op : new String[] {"<>", "<=", ">=", "=", "<", ">", "+", "-", "*", "/"}) {
      if (s.startsWith(op, i)) {
        return op;
      }
    }
    return null;
  }

  private int string(int start) {
    StringBuilder sb = new StringBuilder();
    int i = start + 1;
    while (true) {
      if (i >= n) {
        throw new SelectorSyntaxException("unterminated string literal", start);
      }
      char d = s.charAt(i++);
      if (d == '\'') {
        if (i < n && s.charAt(i) == '\'') {
          sb.append('\'');
          i++;
        } else {
          break;
        }
      } else {
        sb.append(d);
      }
    }
    String value = sb.toString();
    tokens.add(new Token(Kind.STRING, value, value, start));
    return i;
  }

  /**
   * The end of a run of digits of {@code radix} starting at {@code i}, with underscores allowed
   * only between digits (JLS 3.10.1); {@code i} itself when there is no digit.
   */
  private int digits(int i, int radix) {
    int start = i;
    while (i < n && (Character.digit(s.charAt(i), radix) >= 0 || s.charAt(i) == '_')) {
      i++;
    }
    if (i > start && (s.charAt(start) == '_' || s.charAt(i - 1) == '_')) {
      throw new SelectorSyntaxException("an underscore must stand between digits", start);
    }
    return i;
  }

  private boolean at(int i, char lower) {
    return i < n && Character.toLowerCase(s.charAt(i)) == lower;
  }

  private int number(int start) {
    if (s.charAt(start) == '0' && (at(start + 1, 'x') || at(start + 1, 'b'))) {
      return radixNumber(start);
    }
    int i = digits(start, 10);
    boolean floating = false;
    if (i < n && s.charAt(i) == '.') {
      floating = true;
      i = digits(i + 1, 10);
    }
    if (at(i, 'e')) {
      int e = i + 1;
      if (e < n && (s.charAt(e) == '+' || s.charAt(e) == '-')) {
        e++;
      }
      int end = digits(e, 10);
      if (end == e) {
        throw new SelectorSyntaxException("an exponent needs digits", i);
      }
      floating = true;
      i = end;
    }
    if (at(i, 'f') || at(i, 'd')) {
      return floating(start, i + 1, at(i, 'f'));
    }
    if (floating) {
      return floating(start, i, false);
    }
    String digits = s.substring(start, i).replace("_", "");
    int end = at(i, 'l') ? i + 1 : i;
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      return integral(start, end, digits.substring(1), 8);
    }
    if (digits.equals(LONG_MIN_DIGITS)) {
      tokens.add(new Token(Kind.LONG_MIN_MAGNITUDE, s.substring(start, end), null, start));
      return end;
    }
    try {
      tokens.add(new Token(Kind.LONG, s.substring(start, end), Long.parseLong(digits), start));
    } catch (NumberFormatException e) {
      throw new SelectorSyntaxException(
          "exact numeric literal out of the range of long: " + s.substring(start, end), start);
    }
    return end;
  }

  /** Hexadecimal (integral or floating) and binary literals. */
  private int radixNumber(int start) {
    boolean hex = at(start + 1, 'x');
    int radix = hex ? 16 : 2;
    int body = start + 2;
    int i = digits(body, radix);
    if (hex && (at(i, '.') || at(i, 'p'))) {
      if (at(i, '.')) {
        i = digits(i + 1, 16);
      }
      if (!at(i, 'p')) {
        throw new SelectorSyntaxException("a hexadecimal floating literal needs 'p'", start);
      }
      int e = i + 1;
      if (e < n && (s.charAt(e) == '+' || s.charAt(e) == '-')) {
        e++;
      }
      int end = digits(e, 10);
      boolean mantissa = !s.substring(body, i).replace(".", "").replace("_", "").isEmpty();
      if (end == e || !mantissa) {
        throw new SelectorSyntaxException("malformed hexadecimal floating literal", start);
      }
      boolean suffix = at(end, 'f') || at(end, 'd');
      return floating(start, suffix ? end + 1 : end, at(end, 'f'));
    }
    if (i == body) {
      throw new SelectorSyntaxException(
          "a " + (hex ? "hexadecimal" : "binary") + " literal needs digits", start);
    }
    int end = at(i, 'l') ? i + 1 : i;
    return integral(start, end, s.substring(body, i).replace("_", ""), radix);
  }

  /** Hex, octal and binary literals: up to 64 bits, as Java's long literals (two's complement). */
  private int integral(int start, int end, String digits, int radix) {
    try {
      tokens.add(
          new Token(
              Kind.LONG, s.substring(start, end), Long.parseUnsignedLong(digits, radix), start));
    } catch (NumberFormatException e) {
      throw new SelectorSyntaxException(
          "exact numeric literal out of the range of long or with a digit of another radix: "
              + s.substring(start, end),
          start);
    }
    return end;
  }

  /**
   * An approximate literal from {@code start} to {@code end} (suffix included): a {@code double},
   * or a {@code float} widened to double when {@code isFloat}. As in Java, a literal too large or a
   * non-zero literal that rounds to zero is an error.
   */
  private int floating(int start, int end, boolean isFloat) {
    String text = s.substring(start, end);
    String plain = text.replace("_", "");
    double v = isFloat ? Float.parseFloat(plain) : Double.parseDouble(plain);
    if (Double.isInfinite(v)) {
      throw new SelectorSyntaxException(
          "approximate numeric literal out of the range of " + (isFloat ? "float" : "double"),
          start);
    }
    if (v == 0 && hasNonZeroMantissa(plain)) {
      throw new SelectorSyntaxException(
          "approximate numeric literal too small for " + (isFloat ? "float" : "double"), start);
    }
    tokens.add(new Token(Kind.DOUBLE, text, v, start));
    return end;
  }

  private static boolean hasNonZeroMantissa(String literal) {
    boolean hex = literal.length() > 1 && Character.toLowerCase(literal.charAt(1)) == 'x';
    for (int i = hex ? 2 : 0; i < literal.length(); i++) {
      char c = Character.toLowerCase(literal.charAt(i));
      if (hex ? c == 'p' : c == 'e') {
        break;
      }
      if (Character.digit(c, hex ? 16 : 10) > 0) {
        return true;
      }
    }
    return false;
  }
}
