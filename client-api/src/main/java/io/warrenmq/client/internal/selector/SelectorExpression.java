package io.warrenmq.client.internal.selector;

import java.util.Set;
import java.util.function.Function;

/**
 * A node of a parsed JMS selector (Jakarta Messaging 3.1, section 3.8.1 "Message selector"). {@link
 * #eval} returns {@code Boolean.TRUE}, {@code Boolean.FALSE}, {@code null} for NULL and SQL's
 * UNKNOWN (3.8.1.2 "Null values": comparison or arithmetic with NULL is unknown, AND, OR and NOT
 * use three-valued logic), or a {@code Long}, {@code Double} or {@code String} value.
 *
 * <p>Types at evaluation (3.8.1.1): only like types compare; exact and approximate numbers compare
 * and compute after Java numeric promotion ({@code long} with {@code long} as {@code long},
 * otherwise as {@code double}, with Java's operators: {@code NaN} equals nothing, {@code 0.0 =
 * -0.0}); comparing values of unlike types, or strings or booleans with an operator other than
 * {@code =} and {@code <>}, is false. The parser refuses these where both types are known (literals
 * and expressions built from them); an identifier's type is known only here.
 *
 * <p>Arithmetic on a value that is not a number is unknown, and so is an exact division by zero
 * (Java would throw); an approximate one follows IEEE 754 as Java does (infinity, NaN).
 */
public sealed interface SelectorExpression {

  /** The type of a node's value as far as it is known when parsing. */
  enum Type {
    BOOLEAN,
    NUMERIC,
    STRING,
    /** An identifier: its type is that of the message's value, known only at evaluation. */
    ANY;

    /** Whether a node of this type may stand where {@code wanted} is required. */
    boolean fits(Type wanted) {
      return this == ANY || this == wanted;
    }
  }

  /**
   * @param identifiers the value of each identifier in the message, null when absent; numbers are
   *     Long or Double
   */
  Object eval(Function<String, Object> identifiers);

  /** The type of the value, {@link Type#ANY} when only the message tells. */
  Type type();

  /** The nesting depth of the node: 1 for a leaf. {@link #eval} recurses this deep. */
  default int depth() {
    return 1;
  }

  private static int maxDepth(SelectorExpression... children) {
    int max = 0;
    for (SelectorExpression c : children) {
      max = Math.max(max, c.depth());
    }
    return max;
  }

  /** {@code TRUE}, {@code FALSE}, or {@code null} (unknown) as SQL's AND (3.8.1.2, table 3-4). */
  static Boolean and(Object l, Object r) {
    if (Boolean.FALSE.equals(l) || Boolean.FALSE.equals(r)) {
      return Boolean.FALSE;
    }
    return Boolean.TRUE.equals(l) && Boolean.TRUE.equals(r) ? Boolean.TRUE : null;
  }

  /** As SQL's OR (3.8.1.2, table 3-5). */
  static Boolean or(Object l, Object r) {
    if (Boolean.TRUE.equals(l) || Boolean.TRUE.equals(r)) {
      return Boolean.TRUE;
    }
    return Boolean.FALSE.equals(l) && Boolean.FALSE.equals(r) ? Boolean.FALSE : null;
  }

  /** As SQL's NOT (3.8.1.2, table 3-6); a value that is not a boolean is unknown. */
  static Boolean not(Object v) {
    return v instanceof Boolean b ? (b ? Boolean.FALSE : Boolean.TRUE) : null;
  }

  record Literal(Object value) implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      return value;
    }

    @Override
    public Type type() {
      if (value instanceof Boolean) {
        return Type.BOOLEAN;
      }
      return value instanceof String ? Type.STRING : Type.NUMERIC;
    }
  }

  record Identifier(String name) implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      return identifiers.apply(name);
    }

    @Override
    public Type type() {
      return Type.ANY;
    }
  }

  record Not(SelectorExpression operand) implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      return not(operand.eval(identifiers));
    }

    @Override
    public Type type() {
      return Type.BOOLEAN;
    }

    @Override
    public int depth() {
      return 1 + maxDepth(operand);
    }
  }

  /**
   * {@code a AND b AND ...}: a chain is one node, so a long chain costs no stack depth; evaluated
   * left to right, stopping at the first FALSE.
   */
  record And(SelectorExpression[] operands) implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      Boolean result = Boolean.TRUE;
      for (int i = 0; i < operands.length; i++) {
        result = and(result, operands[i].eval(identifiers));
        if (result == Boolean.FALSE) {
          return Boolean.FALSE;
        }
      }
      return result;
    }

    @Override
    public Type type() {
      return Type.BOOLEAN;
    }

    @Override
    public int depth() {
      return 1 + maxDepth(operands);
    }
  }

  /** {@code a OR b OR ...}, one node per chain, stopping at the first TRUE. */
  record Or(SelectorExpression[] operands) implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      Boolean result = Boolean.FALSE;
      for (int i = 0; i < operands.length; i++) {
        result = or(result, operands[i].eval(identifiers));
        if (result == Boolean.TRUE) {
          return Boolean.TRUE;
        }
      }
      return result;
    }

    @Override
    public Type type() {
      return Type.BOOLEAN;
    }

    @Override
    public int depth() {
      return 1 + maxDepth(operands);
    }
  }

  /** The comparison operators of 3.8.1.1. */
  enum Operator {
    EQ("="),
    NE("<>"),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    /** Whether the operator orders values (only numbers may be ordered). */
    boolean orders() {
      return this != EQ && this != NE;
    }

    static Operator of(String symbol) {
      for (Operator o : values()) {
        if (o.symbol.equals(symbol)) {
          return o;
        }
      }
      return null;
    }
  }

  /** {@code = <> < <= > >=}. */
  record Comparison(Operator operator, SelectorExpression left, SelectorExpression right)
      implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      return compare(operator, left.eval(identifiers), right.eval(identifiers));
    }

    /**
     * The comparison of two evaluated values (see the type rules on {@link SelectorExpression}).
     */
    static Boolean compare(Operator operator, Object l, Object r) {
      if (l == null || r == null) {
        return null;
      }
      boolean result;
      if (l instanceof Long a && r instanceof Long b) {
        long x = a;
        long y = b;
        result =
            switch (operator) {
              case EQ -> x == y;
              case NE -> x != y;
              case LT -> x < y;
              case LE -> x <= y;
              case GT -> x > y;
              case GE -> x >= y;
            };
      } else if (l instanceof Number a && r instanceof Number b) {
        double x = a.doubleValue();
        double y = b.doubleValue();
        result =
            switch (operator) {
              case EQ -> x == y;
              case NE -> x != y;
              case LT -> x < y;
              case LE -> x <= y;
              case GT -> x > y;
              case GE -> x >= y;
            };
      } else if ((l instanceof String && r instanceof String)
          || (l instanceof Boolean && r instanceof Boolean)) {
        // String and Boolean comparison is restricted to = and <> (3.8.1.1).
        result =
            switch (operator) {
              case EQ -> l.equals(r);
              case NE -> !l.equals(r);
              default -> false;
            };
      } else {
        // Values of unlike types: false (3.8.1.1).
        result = false;
      }
      return result ? Boolean.TRUE : Boolean.FALSE;
    }

    @Override
    public Type type() {
      return Type.BOOLEAN;
    }

    @Override
    public int depth() {
      return 1 + maxDepth(left, right);
    }
  }

  /** Binary {@code + - * /} on numbers; anything else gives unknown. */
  record Arithmetic(char operator, SelectorExpression left, SelectorExpression right)
      implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      Object l = left.eval(identifiers);
      Object r = right.eval(identifiers);
      if (!(l instanceof Number a) || !(r instanceof Number b)) {
        return null;
      }
      if (a instanceof Long x && b instanceof Long y) {
        return switch (operator) {
          case '+' -> x + y;
          case '-' -> x - y;
          case '*' -> x * y;
          default -> y == 0 ? null : x / y;
        };
      }
      double x = a.doubleValue();
      double y = b.doubleValue();
      return switch (operator) {
        case '+' -> x + y;
        case '-' -> x - y;
        case '*' -> x * y;
        default -> x / y;
      };
    }

    @Override
    public Type type() {
      return Type.NUMERIC;
    }

    @Override
    public int depth() {
      return 1 + maxDepth(left, right);
    }
  }

  /** Unary {@code -} ({@code negate}) or {@code +} on a number; anything else gives unknown. */
  record Sign(boolean negate, SelectorExpression operand) implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      Object v = operand.eval(identifiers);
      if (v instanceof Long l) {
        return negate ? -l : l;
      }
      if (v instanceof Double d) {
        return negate ? -d : d;
      }
      return null;
    }

    @Override
    public Type type() {
      return Type.NUMERIC;
    }

    @Override
    public int depth() {
      return 1 + maxDepth(operand);
    }
  }

  /**
   * {@code v [NOT] BETWEEN low AND high}, as the spec defines it (3.8.1.1): {@code v >= low AND v
   * <= high}, and for NOT {@code v < low OR v > high}. A value that is not a number thus gives
   * false both ways; NULL gives unknown.
   */
  record Between(
      SelectorExpression value, SelectorExpression low, SelectorExpression high, boolean negated)
      implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      Object v = value.eval(identifiers);
      Object lo = low.eval(identifiers);
      Object hi = high.eval(identifiers);
      return negated
          ? or(Comparison.compare(Operator.LT, v, lo), Comparison.compare(Operator.GT, v, hi))
          : and(Comparison.compare(Operator.GE, v, lo), Comparison.compare(Operator.LE, v, hi));
    }

    @Override
    public Type type() {
      return Type.BOOLEAN;
    }

    @Override
    public int depth() {
      return 1 + maxDepth(value, low, high);
    }
  }

  /**
   * {@code identifier [NOT] IN ('a', ...)}, as the spec defines it (3.8.1.1): {@code identifier =
   * 'a' OR ...}, and NOT IN its negation. NULL gives unknown; a value that is not a string equals
   * none of the strings (false), so NOT IN is true for it.
   */
  record In(Identifier identifier, Set<String> values, boolean negated)
      implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      Object v = identifier.eval(identifiers);
      if (v == null) {
        return null;
      }
      boolean in = v instanceof String s && values.contains(s);
      return in != negated ? Boolean.TRUE : Boolean.FALSE;
    }

    @Override
    public Type type() {
      return Type.BOOLEAN;
    }
  }

  /**
   * {@code identifier [NOT] LIKE pattern [ESCAPE c]} (3.8.1.1); NOT LIKE is the negation of LIKE
   * (SQL-92 8.5). NULL gives unknown; a value that is not a string does not match (false), so NOT
   * LIKE is true for it.
   */
  record Like(Identifier identifier, LikePattern pattern, boolean negated)
      implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      Object v = identifier.eval(identifiers);
      if (v == null) {
        return null;
      }
      boolean like = v instanceof String s && pattern.matches(s);
      return like != negated ? Boolean.TRUE : Boolean.FALSE;
    }

    @Override
    public Type type() {
      return Type.BOOLEAN;
    }
  }

  /** {@code identifier IS [NOT] NULL}: true or false, never unknown (3.8.1.2). */
  record IsNull(Identifier identifier, boolean negated) implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      return (identifier.eval(identifiers) == null) != negated ? Boolean.TRUE : Boolean.FALSE;
    }

    @Override
    public Type type() {
      return Type.BOOLEAN;
    }
  }
}
