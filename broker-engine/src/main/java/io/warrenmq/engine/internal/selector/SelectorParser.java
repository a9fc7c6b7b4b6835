package io.warrenmq.engine.internal.selector;

import io.warrenmq.engine.internal.selector.SelectorExpression.And;
import io.warrenmq.engine.internal.selector.SelectorExpression.Arithmetic;
import io.warrenmq.engine.internal.selector.SelectorExpression.Between;
import io.warrenmq.engine.internal.selector.SelectorExpression.Comparison;
import io.warrenmq.engine.internal.selector.SelectorExpression.Identifier;
import io.warrenmq.engine.internal.selector.SelectorExpression.In;
import io.warrenmq.engine.internal.selector.SelectorExpression.IsNull;
import io.warrenmq.engine.internal.selector.SelectorExpression.Like;
import io.warrenmq.engine.internal.selector.SelectorExpression.Literal;
import io.warrenmq.engine.internal.selector.SelectorExpression.Negate;
import io.warrenmq.engine.internal.selector.SelectorExpression.Not;
import io.warrenmq.engine.internal.selector.SelectorExpression.Or;
import io.warrenmq.engine.internal.selector.SelectorLexer.Kind;
import io.warrenmq.engine.internal.selector.SelectorLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recursive-descent parser of JMS message selectors (Jakarta Messaging 3.1, section 3.8.1: a subset
 * of SQL-92 conditional expressions). Precedence, loosest first: OR, AND, NOT, comparison (and
 * BETWEEN, IN, LIKE, IS NULL), + and -, * and /, unary sign.
 */
public final class SelectorParser {

  private static final Set<String> COMPARISONS = Set.of("=", "<>", "<", "<=", ">", ">=");

  private final List<Token> tokens;
  private int next;

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
    SelectorExpression e = p.or();
    Token end = p.peek();
    if (end.kind() != Kind.END) {
      throw new SelectorSyntaxException("unexpected '" + end.text() + "'", end.position());
    }
    if (!e.isBoolean()) {
      throw new SelectorSyntaxException("the selector is not a conditional expression", 0);
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
    while (takeKeyword("OR")) {
      e = new Or(requireBoolean(e), requireBoolean(and()));
    }
    return e;
  }

  private SelectorExpression and() {
    SelectorExpression e = not();
    while (takeKeyword("AND")) {
      e = new And(requireBoolean(e), requireBoolean(not()));
    }
    return e;
  }

  private SelectorExpression not() {
    if (takeKeyword("NOT")) {
      return new Not(requireBoolean(not()));
    }
    return comparison();
  }

  private SelectorExpression requireBoolean(SelectorExpression e) {
    if (!e.isBoolean()) {
      throw new SelectorSyntaxException(
          "a logical operator needs conditions, not " + e, peek().position());
    }
    return e;
  }

  private SelectorExpression comparison() {
    SelectorExpression left = additive();
    Token t = peek();
    if (t.kind() == Kind.OPERATOR && COMPARISONS.contains(t.text())) {
      next++;
      return new Comparison(t.text(), left, additive());
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
      SelectorExpression low = additive();
      if (!takeKeyword("AND")) {
        throw new SelectorSyntaxException("BETWEEN needs AND", peek().position());
      }
      return new Between(left, low, additive(), negated);
    }
    if (takeKeyword("IN")) {
      Identifier id = identifierOperand(left, "IN", t);
      expect(Kind.LPAREN, "'(' after IN");
      List<String> values = new ArrayList<>();
      do {
        values.add((String) expect(Kind.STRING, "a string literal in IN (...)").value());
      } while (peek().kind() == Kind.COMMA && take() != null);
      expect(Kind.RPAREN, "')' to close IN (...)");
      return new In(id, List.copyOf(values), negated);
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
      return new Like(id, likePattern(pattern, escape, t.position()), negated);
    }
    if (takeKeyword("IS")) {
      boolean not = takeKeyword("NOT");
      if (!takeKeyword("NULL")) {
        throw new SelectorSyntaxException("IS must be followed by [NOT] NULL", peek().position());
      }
      return new IsNull(left, not);
    }
    return left;
  }

  private static Identifier identifierOperand(SelectorExpression left, String op, Token at) {
    if (left instanceof Identifier id) {
      return id;
    }
    throw new SelectorSyntaxException(op + " applies to an identifier only", at.position());
  }

  /** The SQL LIKE pattern as a regex: {@code _} one character, {@code %} any sequence. */
  private static Pattern likePattern(String like, Character escape, int position) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < like.length(); i++) {
      char c = like.charAt(i);
      if (escape != null && c == escape) {
        if (++i >= like.length()) {
          throw new SelectorSyntaxException(
              "LIKE pattern ends with its escape character", position);
        }
        regex.append(Pattern.quote(String.valueOf(like.charAt(i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  private SelectorExpression additive() {
    SelectorExpression e = multiplicative();
    while (peek().is(Kind.OPERATOR, "+") || peek().is(Kind.OPERATOR, "-")) {
      char op = take().text().charAt(0);
      e = new Arithmetic(op, e, multiplicative());
    }
    return e;
  }

  private SelectorExpression multiplicative() {
    SelectorExpression e = unary();
    while (peek().is(Kind.OPERATOR, "*") || peek().is(Kind.OPERATOR, "/")) {
      char op = take().text().charAt(0);
      e = new Arithmetic(op, e, unary());
    }
    return e;
  }

  private SelectorExpression unary() {
    if (peek().is(Kind.OPERATOR, "-")) {
      next++;
      return new Negate(unary());
    }
    if (peek().is(Kind.OPERATOR, "+")) {
      next++;
      return unary();
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
        throw new SelectorSyntaxException("unexpected keyword " + t.text(), t.position());
      }
      case LPAREN -> {
        SelectorExpression e = or();
        expect(Kind.RPAREN, "')'");
        yield e;
      }
      default -> throw new SelectorSyntaxException("unexpected '" + t.text() + "'", t.position());
    };
  }
}
