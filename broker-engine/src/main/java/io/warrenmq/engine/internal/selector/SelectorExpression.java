package io.warrenmq.engine.internal.selector;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A node of a parsed JMS selector. {@link #eval} returns {@code Boolean.TRUE}, {@code
 * Boolean.FALSE}, {@code null} for SQL's UNKNOWN, or a {@code Long}, {@code Double} or {@code
 * String} value (Jakarta Messaging 3.1, 3.8.1.2: three-valued logic).
 */
public sealed interface SelectorExpression {

  /**
   * @param identifiers the value of each identifier in the message, null when absent; numbers are
   *     Long or Double
   */
  Object eval(Function<String, Object> identifiers);

  /** Whether the node always yields a boolean or unknown (a selector's root must). */
  default boolean isBoolean() {
    return false;
  }

  record Literal(Object value) implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      return value;
    }

    @Override
    public boolean isBoolean() {
      return value instanceof Boolean;
    }
  }

  record Identifier(String name) implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      return identifiers.apply(name);
    }

    @Override
    public boolean isBoolean() {
      // A boolean property may stand alone; a non-boolean one makes the selector false.
      return true;
    }
  }

  record Not(SelectorExpression operand) implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      Object v = operand.eval(identifiers);
      return v instanceof Boolean b ? !b : null;
    }

    @Override
    public boolean isBoolean() {
      return true;
    }
  }

  record And(SelectorExpression left, SelectorExpression right) implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      Object l = left.eval(identifiers);
      if (Boolean.FALSE.equals(l)) {
        return false;
      }
      Object r = right.eval(identifiers);
      if (Boolean.FALSE.equals(r)) {
        return false;
      }
      return Boolean.TRUE.equals(l) && Boolean.TRUE.equals(r) ? Boolean.TRUE : null;
    }

    @Override
    public boolean isBoolean() {
      return true;
    }
  }

  record Or(SelectorExpression left, SelectorExpression right) implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      Object l = left.eval(identifiers);
      if (Boolean.TRUE.equals(l)) {
        return true;
      }
      Object r = right.eval(identifiers);
      if (Boolean.TRUE.equals(r)) {
        return true;
      }
      return Boolean.FALSE.equals(l) && Boolean.FALSE.equals(r) ? Boolean.FALSE : null;
    }

    @Override
    public boolean isBoolean() {
      return true;
    }
  }

  /** {@code = <> < <= > >=}. */
  record Comparison(String operator, SelectorExpression left, SelectorExpression right)
      implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      return compare(operator, left.eval(identifiers), right.eval(identifiers));
    }

    static Object compare(String operator, Object l, Object r) {
      if (l == null || r == null) {
        return null;
      }
      int c;
      if (l instanceof Number a && r instanceof Number b) {
        c =
            a instanceof Long x && b instanceof Long y
                ? Long.compare(x, y)
                : Double.compare(a.doubleValue(), b.doubleValue());
      } else if (l instanceof String a && r instanceof String b) {
        if (!operator.equals("=") && !operator.equals("<>")) {
          return false;
        }
        c = a.equals(b) ? 0 : 1;
      } else if (l instanceof Boolean a && r instanceof Boolean b) {
        if (!operator.equals("=") && !operator.equals("<>")) {
          return false;
        }
        c = a.equals(b) ? 0 : 1;
      } else {
        // Values of unlike types: false (3.8.1.2).
        return false;
      }
      return switch (operator) {
        case "=" -> c == 0;
        case "<>" -> c != 0;
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        case ">" -> c > 0;
        case ">=" -> c >= 0;
        default -> throw new IllegalStateException(operator);
      };
    }

    @Override
    public boolean isBoolean() {
      return true;
    }
  }

  /** {@code + - * /} on numbers; anything else gives unknown. */
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
  }

  record Negate(SelectorExpression operand) implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      Object v = operand.eval(identifiers);
      if (v instanceof Long l) {
        return -l;
      }
      return v instanceof Double d ? -d : null;
    }
  }

  record Between(
      SelectorExpression value, SelectorExpression low, SelectorExpression high, boolean negated)
      implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      Object v = value.eval(identifiers);
      Object inRange =
          new And(
                  new Literal(Comparison.compare(">=", v, low.eval(identifiers))),
                  new Literal(Comparison.compare("<=", v, high.eval(identifiers))))
              .eval(identifiers);
      return negated && inRange instanceof Boolean b ? !b : inRange;
    }

    @Override
    public boolean isBoolean() {
      return true;
    }
  }

  record In(Identifier identifier, List<String> values, boolean negated)
      implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      Object v = identifier.eval(identifiers);
      if (v == null) {
        return null;
      }
      if (!(v instanceof String s)) {
        return false;
      }
      return values.contains(s) != negated;
    }

    @Override
    public boolean isBoolean() {
      return true;
    }
  }

  record Like(Identifier identifier, Pattern pattern, boolean negated)
      implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      Object v = identifier.eval(identifiers);
      if (v == null) {
        return null;
      }
      if (!(v instanceof String s)) {
        return false;
      }
      return pattern.matcher(s).matches() != negated;
    }

    @Override
    public boolean isBoolean() {
      return true;
    }
  }

  record IsNull(SelectorExpression operand, boolean negated) implements SelectorExpression {
    @Override
    public Object eval(Function<String, Object> identifiers) {
      return (operand.eval(identifiers) == null) != negated;
    }

    @Override
    public boolean isBoolean() {
      return true;
    }
  }
}
