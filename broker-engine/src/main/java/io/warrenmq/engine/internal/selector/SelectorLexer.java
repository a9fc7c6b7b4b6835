package io.warrenmq.engine.internal.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Splits a JMS message selector into tokens (Jakarta Messaging 3.1, section 3.8.1.1). */
final class SelectorLexer {

  enum Kind {
    IDENTIFIER,
    KEYWORD,
    STRING,
    LONG,
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

  static final Set<String> KEYWORDS =
      Set.of("NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "NULL", "TRUE", "FALSE", "ESCAPE");

  private SelectorLexer() {}

  static List<Token> tokenize(String selector) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = selector.length();
    while (i < n) {
      char c = selector.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '\'') {
        StringBuilder sb = new StringBuilder();
        int start = i++;
        while (true) {
          if (i >= n) {
            throw new SelectorSyntaxException("unterminated string literal", start);
          }
          char d = selector.charAt(i++);
          if (d == '\'') {
            if (i < n && selector.charAt(i) == '\'') {
              sb.append('\'');
              i++;
            } else {
              break;
            }
          } else {
            sb.append(d);
          }
        }
        tokens.add(new Token(Kind.STRING, sb.toString(), sb.toString(), start));
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < n && Character.isDigit(selector.charAt(i + 1)))) {
        int start = i;
        i = scanNumber(selector, i, tokens);
        if (i == start) {
          throw new SelectorSyntaxException("bad number", start);
        }
      } else if (Character.isJavaIdentifierStart(c)) {
        int start = i;
        while (i < n && Character.isJavaIdentifierPart(selector.charAt(i))) {
          i++;
        }
        String word = selector.substring(start, i);
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
        String op = operatorAt(selector, i);
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

  private static String operatorAt(String s, int i) {
    for (String op : new String[] {"<>", "<=", ">=", "=", "<", ">", "+", "-", "*", "/"}) {
      if (s.startsWith(op, i)) {
        return op;
      }
    }
    return null;
  }

  /** Exact (long, optional L suffix, hex 0x, octal 0) or approximate (double) numeric literal. */
  private static int scanNumber(String s, int i, List<Token> tokens) {
    int start = i;
    int n = s.length();
    if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
      i += 2;
      int digits = i;
      while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
        i++;
      }
      long v = Long.parseUnsignedLong(s.substring(digits, i), 16);
      i = skipLongSuffix(s, i);
      tokens.add(new Token(Kind.LONG, s.substring(start, i), v, start));
      return i;
    }
    while (i < n && Character.isDigit(s.charAt(i))) {
      i++;
    }
    boolean approximate = false;
    if (i < n && s.charAt(i) == '.') {
      approximate = true;
      i++;
      while (i < n && Character.isDigit(s.charAt(i))) {
        i++;
      }
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      int mark = i;
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      if (i < n && Character.isDigit(s.charAt(i))) {
        approximate = true;
        while (i < n && Character.isDigit(s.charAt(i))) {
          i++;
        }
      } else {
        i = mark;
      }
    }
    String text = s.substring(start, i);
    if (approximate
        || (i < n
            && (s.charAt(i) == 'd'
                || s.charAt(i) == 'D'
                || s.charAt(i) == 'f'
                || s.charAt(i) == 'F'))) {
      if (i < n && "dDfF".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      tokens.add(new Token(Kind.DOUBLE, text, Double.parseDouble(text), start));
      return i;
    }
    long v;
    try {
      v =
          text.length() > 1 && text.startsWith("0")
              ? Long.parseLong(text, 8)
              : Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new SelectorSyntaxException("number out of range: " + text, start);
    }
    i = skipLongSuffix(s, i);
    tokens.add(new Token(Kind.LONG, text, v, start));
    return i;
  }

  private static int skipLongSuffix(String s, int i) {
    return i < s.length() && (s.charAt(i) == 'l' || s.charAt(i) == 'L') ? i + 1 : i;
  }
}
