package io.warrenmq.client.internal.selector;

import io.warrenmq.client.internal.selector.SelectorExpression.And;
import io.warrenmq.client.internal.selector.SelectorExpression.Arithmetic;
import io.warrenmq.client.internal.selector.SelectorExpression.Between;
import io.warrenmq.client.internal.selector.SelectorExpression.Comparison;
import io.warrenmq.client.internal.selector.SelectorExpression.Identifier;
import io.warrenmq.client.internal.selector.SelectorExpression.In;
import io.warrenmq.client.internal.selector.SelectorExpression.IsNull;
import io.warrenmq.client.internal.selector.SelectorExpression.Like;
import io.warrenmq.client.internal.selector.SelectorExpression.Literal;
import io.warrenmq.client.internal.selector.SelectorExpression.Not;
import io.warrenmq.client.internal.selector.SelectorExpression.Operator;
import io.warrenmq.client.internal.selector.SelectorExpression.Or;
import io.warrenmq.client.internal.selector.SelectorExpression.Sign;
import io.warrenmq.client.internal.selector.SelectorExpression.Type;
import io.warrenmq.client.internal.selector.SelectorLexer.Kind;
import io.warrenmq.client.internal.selector.SelectorLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser of JMS message selectors (Jakarta Messaging 3.1, section 3.8.1.1
 * "Message selector syntax": a subset of SQL-92 conditional expressions). Precedence, loosest
 * first: OR, AND, NOT, comparison (and BETWEEN, IN, LIKE, IS NULL), + and -, * and /, unary sign;
 * left to right within a level.
 *
 * <p>Besides the grammar it checks the types it can know before a message is seen (the spec allows
 * this semantic checking; the types of identifiers are known only at evaluation): a comparison of a
 * string, boolean or numeric operand with one of another type ({@code 'a' = TRUE}, {@code TRUE =
 * 0}), a string or boolean operand of {@code < <= > >=}, of arithmetic or of BETWEEN, and a numeric
 * or string operand of AND, OR or NOT are invalid selectors. NULL is a literal only in {@code IS
 * [NOT] NULL} ({@code NULL = 0} is invalid).
 */
/**
 * Recursive-descent parser of JMS message selectors (Jakarta Messaging 3.1, section 3.8.1: a subset
 * of SQL-92 conditional expressions). Precedence, loosest first: OR, AND, NOT, comparison (and
 * BETWEEN, IN, LIKE, IS NULL), + and -, * and /, unary sign.
 */
public final class SelectorParser {

  /**
   * The deepest nesting accepted, both of the text (each parenthesis, NOT and sign is a level) and
   * of the parsed expression (each operator is a level, a chain of AND or of OR one level): parsing
   * and evaluation, which runs on the routing thread, recurse this deep, so a deeper selector is
   * refused rather than risk their stacks.
   */
  static final int MAX_DEPTH = 128;

  private final List<Token> tokens;
  private int next;

  /** How deeply the descent is nested in parentheses, NOT and signs (bounds the parser's stack). */
  private int nesting;

  private void enter(Token at) {
    if (++nesting > MAX_DEPTH) {
      throw new SelectorSyntaxException(
          "the selector nests deeper than " + MAX_DEPTH + " levels", at.position());
    }
  }

  private SelectorParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  /**
   * Parses a selector.
   *
   * @throws SelectorSyntaxException naming what is wrong and where
   */
  public static SelectorExpression parse(String selector) {
    SelectorParser p = new SelectorParser(SelectorLexer.tokenize(selector));
    SelectorExpression e = null;
    int depth;
    try {
      e = p.or();
      depth = e.depth();
    } catch (StackOverflowError tooDeepToParse) {
      depth = Integer.MAX_VALUE;
    }
    if (depth > MAX_DEPTH) {
      throw new SelectorSyntaxException(
          "the selector nests deeper than " + MAX_DEPTH + " levels", 0);
    }
    Token end = p.peek();
    if (end.kind() != Kind.END) {
      throw new SelectorSyntaxException("unexpected '" + end.text() + "'", end.position());
    }
    if (!e.type().fits(Type.BOOLEAN)) {
      throw new SelectorSyntaxException(
          "the selector is not a conditional expression but " + describe(e), 0);
    }
    return e;
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token take() {
    return tokens.get(next++);
  }

  private boolean takeKeyword(String keyword) {
    if (peek().isKeyword(keyword)) {
      next++;
      return true;
    }
    return false;
  }

  private Token expect(Kind kind, String what) {
    Token t = take();
    if (t.kind() != kind) {
      throw new SelectorSyntaxException(
          "expected " + what + " but found '" + t.text() + "'", t.position());
    }
    return t;
  }

  private SelectorExpression or() {
    SelectorExpression e = and();
    if (!peek().isKeyword("OR")) {
      return e;
    }
    List<SelectorExpression> operands = new ArrayList<>();
    operands.add(operand(e, Type.BOOLEAN, peek()));
    while (peek().isKeyword("OR")) {
      Token op = take();
      operands.add(operand(and(), Type.BOOLEAN, op));
    }
    return new Or(operands.toArray(SelectorExpression[]::new));
  }

  private SelectorExpression and() {
    SelectorExpression e = not();
    if (!peek().isKeyword("AND")) {
      return e;
    }
    List<SelectorExpression> operands = new ArrayList<>();
    operands.add(operand(e, Type.BOOLEAN, peek()));
    while (peek().isKeyword("AND")) {
      Token op = take();
      operands.add(operand(not(), Type.BOOLEAN, op));
    }
    return new And(operands.toArray(SelectorExpression[]::new));
  }

  private SelectorExpression not() {
    if (peek().isKeyword("NOT")) {
      Token op = take();
      enter(op);
      SelectorExpression operand = not();
      nesting--;
      return new Not(operand(operand, Type.BOOLEAN, op));
    }
    return comparison();
  }

  /**
   * {@code e}, checked to be of type {@code wanted} (or an identifier) as an operand of {@code op}.
   */
  private static SelectorExpression operand(SelectorExpression e, Type wanted, Token op) {
    if (!e.type().fits(wanted)) {
      throw new SelectorSyntaxException(
          "'"
              + op.text()
              + "' needs "
              + (wanted == Type.BOOLEAN ? "a condition" : "a number")
              + ", not "
              + describe(e),
          op.position());
    }
    return e;
  }

  private static String describe(SelectorExpression e) {
    return switch (e.type()) {
      case BOOLEAN -> "a condition";
      case NUMERIC -> "a number";
      case STRING -> "a string";
      case ANY -> "an identifier";
    };
  }

  private SelectorExpression comparison() {
    SelectorExpression left = additive();
    Token t = peek();
    Operator operator = t.kind() == Kind.OPERATOR ? Operator.of(t.text()) : null;
    if (operator != null) {
      next++;
      return comparison(operator, left, additive(), t);
    }
    boolean negated = false;
    if (t.isKeyword("NOT")) {
      Token after = tokens.get(next + 1);
      if (after.isKeyword("BETWEEN") || after.isKeyword("IN") || after.isKeyword("LIKE")) {
        next++;
        negated = true;
        t = peek();
      }
    }
    if (takeKeyword("BETWEEN")) {
      Token between = tokens.get(next - 1);
      SelectorExpression low = additive();
      if (!takeKeyword("AND")) {
        throw new SelectorSyntaxException("BETWEEN needs AND", peek().position());
      }
      SelectorExpression high = additive();
      return new Between(
          operand(left, Type.NUMERIC, between),
          operand(low, Type.NUMERIC, between),
          operand(high, Type.NUMERIC, between),
          negated);
    }
    if (takeKeyword("IN")) {
      Identifier id = identifierOperand(left, "IN", t);
      expect(Kind.LPAREN, "'(' after IN");
      List<String> values = new ArrayList<>();
      do {
        values.add((String) expect(Kind.STRING, "a string literal in IN (...)").value());
      } while (peek().kind() == Kind.COMMA && take() != null);
      expect(Kind.RPAREN, "')' to close IN (...)");
      return new In(id, Set.copyOf(values), negated);
    }
    if (takeKeyword("LIKE")) {
      Identifier id = identifierOperand(left, "LIKE", t);
      String pattern = (String) expect(Kind.STRING, "a string pattern after LIKE").value();
      Character escape = null;
      if (takeKeyword("ESCAPE")) {
        Token e = expect(Kind.STRING, "a one-character string after ESCAPE");
        if (((String) e.value()).length() != 1) {
          throw new SelectorSyntaxException("ESCAPE needs exactly one character", e.position());
        }
        escape = ((String) e.value()).charAt(0);
      }
      return new Like(id, new LikePattern(pattern, escape, t.position()), negated);
    }
    if (takeKeyword("IS")) {
      boolean not = takeKeyword("NOT");
      if (!takeKeyword("NULL")) {
        throw new SelectorSyntaxException("IS must be followed by [NOT] NULL", peek().position());
      }
      return new IsNull(identifierOperand(left, "IS NULL", t), not);
    }
    return left;
  }

  /**
   * A comparison, refused when both operand types are known and unlike (3.8.1.1: only like type
   * values can be compared, exact and approximate numbers being alike) or when {@code < <= > >=}
   * has a string or boolean operand (string and boolean comparison is restricted to = and <>).
   */
  private static Comparison comparison(
      Operator operator, SelectorExpression left, SelectorExpression right, Token at) {
    Type l = left.type();
    Type r = right.type();
    if (l != Type.ANY && r != Type.ANY && l != r) {
      throw new SelectorSyntaxException(
          "cannot compare " + describe(left) + " with " + describe(right), at.position());
    }
    if (operator.orders() && (l == Type.STRING || l == Type.BOOLEAN)) {
      throw new SelectorSyntaxException(
          "'" + operator.symbol + "' cannot compare " + describe(left), at.position());
    }
    if (operator.orders() && (r == Type.STRING || r == Type.BOOLEAN)) {
      throw new SelectorSyntaxException(
          "'" + operator.symbol + "' cannot compare " + describe(right), at.position());
    }
    return new Comparison(operator, left, right);
  }

  private static Identifier identifierOperand(SelectorExpression left, String op, Token at) {
    if (left instanceof Identifier id) {
      return id;
    }
    throw new SelectorSyntaxException(op + " applies to an identifier only", at.position());
  }

  private SelectorExpression additive() {
    SelectorExpression e = multiplicative();
    while (peek().is(Kind.OPERATOR, "+") || peek().is(Kind.OPERATOR, "-")) {
      Token op = take();
      e =
          new Arithmetic(
              op.text().charAt(0),
              operand(e, Type.NUMERIC, op),
              operand(multiplicative(), Type.NUMERIC, op));
    }
    return e;
  }

  private SelectorExpression multiplicative() {
    SelectorExpression e = unary();
    while (peek().is(Kind.OPERATOR, "*") || peek().is(Kind.OPERATOR, "/")) {
      Token op = take();
      e =
          new Arithmetic(
              op.text().charAt(0),
              operand(e, Type.NUMERIC, op),
              operand(unary(), Type.NUMERIC, op));
    }
    return e;
  }

  private SelectorExpression unary() {
    Token t = peek();
    if (t.is(Kind.OPERATOR, "-") || t.is(Kind.OPERATOR, "+")) {
      next++;
      boolean negate = t.text().equals("-");
      if (negate && peek().kind() == Kind.LONG_MIN_MAGNITUDE) {
        next++;
        return new Literal(Long.MIN_VALUE);
      }
      enter(t);
      SelectorExpression operand = operand(unary(), Type.NUMERIC, t);
      nesting--;
      if (operand instanceof Literal l) { // a signed literal stays a literal: -957, +6.2
        return new Literal(new Sign(negate, l).eval(name -> null));
      }
      return new Sign(negate, operand);
    }
    return primary();
  }

  private SelectorExpression primary() {
    Token t = take();
    return switch (t.kind()) {
      case STRING, LONG, DOUBLE -> new Literal(t.value());
      case IDENTIFIER -> new Identifier(t.text());
      case KEYWORD -> {
        if (t.text().equals("TRUE")) {
          yield new Literal(Boolean.TRUE);
        }
        if (t.text().equals("FALSE")) {
          yield new Literal(Boolean.FALSE);
        }
        throw new SelectorSyntaxException(
            t.text().equals("NULL")
                ? "NULL may only follow IS [NOT]"
                : "unexpected keyword " + t.text() + " (keywords cannot be identifiers)",
            t.position());
      }
      case LONG_MIN_MAGNITUDE ->
          throw new SelectorSyntaxException(
              t.text() + " is out of the range of long unless it is the operand of unary minus",
              t.position());
      case LPAREN -> {
        enter(t);
        SelectorExpression e = or();
        nesting--;
        expect(Kind.RPAREN, "')'");
        yield e;
      }
      default -> throw new SelectorSyntaxException("unexpected '" + t.text() + "'", t.position());
    };
  }
}
