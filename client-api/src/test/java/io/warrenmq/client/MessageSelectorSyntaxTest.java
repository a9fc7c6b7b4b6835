package io.warrenmq.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.internal.selector.SelectorSyntaxException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jakarta Messaging 3.1, section 3.8.1.1 "Message selector syntax": literals, identifiers,
 * keywords, whitespace, and the selectors that must be refused when presented (the grammar, and the
 * type rules that can be checked before a message is seen).
 */
class MessageSelectorSyntaxTest {

  private static boolean selects(String selector, Map<String, Object> headers) {
    return MessageSelector.parse(selector)
        .matches(BasicProperties.builder().headers(headers).build());
  }

  private static boolean selects(String selector) {
    return selects(selector, Map.of());
  }

  private static SelectorSyntaxException refused(String selector) {
    SelectorSyntaxException e =
        assertThrows(
            SelectorSyntaxException.class, () -> MessageSelector.parse(selector), selector);
    assertTrue(e.getMessage().contains("position"), e.getMessage());
    return e;
  }

  // Literals

  @Test
  void aStringLiteralRepresentsAnIncludedSingleQuoteByTwoSingleQuotes() {
    assertTrue(selects("s = 'literal''s'", Map.of("s", "literal's")));
    assertEquals(false, selects("s = 'literal''s'", Map.of("s", "literal")));
    assertTrue(selects("s = ''''", Map.of("s", "'")));
    assertTrue(selects("s = ''", Map.of("s", "")));
    assertTrue(selects("s = 'h\u00e9 \u4e16'", Map.of("s", "h\u00e9 \u4e16")));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "57 | 57",
        "-957 | -957",
        "+62 | 62",
        "0 | 0",
        "00 | 0",
        "017 | 15",
        "0x1F | 31",
        "0X1f | 31",
        "0b101 | 5",
        "1_000_000 | 1000000",
        "0x7fff_ffff | 2147483647",
        "57L | 57",
        "57l | 57",
        "4294967296 | 4294967296",
        "9223372036854775807 | 9223372036854775807",
        "9223372036854775807L | 9223372036854775807",
        "-9223372036854775808 | -9223372036854775808",
        "-9223372036854775808L | -9223372036854775808",
        "0xFFFFFFFFFFFFFFFFL | -1",
        "0x8000000000000000L | -9223372036854775808",
      })
  void exactNumericLiteralsUseTheJavaIntegerLiteralSyntaxInTheRangeOfLong(
      String literal, long value) {
    assertTrue(selects("v = " + literal, Map.of("v", value)), literal);
    assertEquals(false, selects("v <> " + literal, Map.of("v", value)), literal);
    assertEquals(false, selects("v = " + literal, Map.of("v", value + 1)), literal);
  }

  @Test
  void theExtremesOfLongCompareExactlyAndNotAsDoubles() {
    // as doubles, MAX_VALUE and MAX_VALUE - 1 are one value
    assertEquals(
        false, selects("v = 9223372036854775806L", Map.of("v", Long.MAX_VALUE)), "max - 1");
    assertTrue(selects("v > 9223372036854775806", Map.of("v", Long.MAX_VALUE)));
    assertTrue(selects("v < -9223372036854775807L", Map.of("v", Long.MIN_VALUE)));
    assertTrue(selects("-9223372036854775808L = -9223372036854775807 - 1"));
    assertTrue(selects("- -9223372036854775807 = 9223372036854775807"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "7E3 | 7000",
        "7e3 | 7000",
        "-57.9E2 | -5790",
        "7. | 7",
        "-95.7 | -95.7",
        "+6.2 | 6.2",
        ".5 | 0.5",
        "1.5e3 | 1500",
        "1.5E+3 | 1500",
        "15e-1 | 1.5",
        "0.0 | 0",
        "0. | 0",
        "1D | 1",
        "1d | 1",
        "2.5D | 2.5",
        "1F | 1",
        "2.5f | 2.5",
        "1e3d | 1000",
        "1_0.2_5 | 10.25",
        "0x1p3 | 8",
        "0x1.8p1 | 3",
        "0X.8P1d | 1",
        "1.7976931348623157E308 | 1.7976931348623157E308",
        "4.9e-324 | 4.9e-324",
      })
  void approximateNumericLiteralsUseTheJavaFloatingPointLiteralSyntax(
      String literal, double value) {
    assertTrue(selects("v = " + literal, Map.of("v", value)), literal);
    assertEquals(false, selects("v <> " + literal, Map.of("v", value)), literal);
  }

  @Test
  void aFloatLiteralIsRoundedToFloatAsInJava() {
    assertTrue(selects("v = 1.1F", Map.of("v", 1.1f)));
    assertEquals(false, selects("v = 1.1", Map.of("v", 1.1f)), "(double) 1.1f != 1.1 in Java");
    assertTrue(selects("v = 1.1", Map.of("v", 1.1d)));
  }

  @Test
  void theBooleanLiteralsAreTrueAndFalseInAnyCase() {
    assertTrue(selects("TRUE"));
    assertTrue(selects("true"));
    assertTrue(selects("True = TRUE"));
    assertEquals(false, selects("FALSE"));
    assertTrue(selects("b = false", Map.of("b", false)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v = 9223372036854775808",
        "v = 9223372036854775808L",
        "v = 1 - 9223372036854775808",
        "v = -(9223372036854775808)",
        "v = 99999999999999999999",
        "v = 0x1FFFFFFFFFFFFFFFF",
        "v = 08",
        "v = 0b102",
        "v = 0x",
        "v = 1_",
        "v = 1__",
        "v = 0x_1",
        "v = 1e",
        "v = 1e+",
        "v = 1e400",
        "v = 1e-400",
        "v = 1e39f",
        "v = 0x1.8",
        "v = 1.2.3",
        "v = .",
      })
  void aMalformedOrOutOfRangeNumericLiteralIsRefused(String selector) {
    refused(selector);
  }

  // Identifiers

  @ParameterizedTest
  @ValueSource(strings = {"_correct", "$correct", "a1", "\u00e9t\u00e9", "x_y$z"})
  void anIdentifierStartsWithAJavaIdentifierStartCharacter(String identifier) {
    assertTrue(selects(identifier + " IS NULL"));
    assertTrue(selects(identifier + " = 1", Map.of(identifier, 1)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1uncorrect IS NULL", "%uncorrect IS NULL", "#a IS NULL", "a.b = 1"})
  void anIdentifierThatDoesNotStartWithAJavaIdentifierStartCharacterIsRefused(String selector) {
    refused(selector);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "NULL = ZERO",
        "NULL = 0",
        "TRUE > 0",
        "FALSE > 0",
        "NOT > 0",
        "AND > 0",
        "OR > 0",
        "BETWEEN > 0",
        "LIKE > 0",
        "IN > 0",
        "IS > 0",
        "ESCAPE > 0",
        "null IS NULL",
        "Escape = 'a'",
        "between = 1",
        "x = null",
        "x = NULL",
        "x <> NULL",
      })
  void theKeywordsCannotBeIdentifiersInAnyCase(String selector) {
    refused(selector);
  }

  @Test
  void identifiersAreCaseSensitive() {
    assertTrue(selects("color = 'red'", Map.of("color", "red")));
    assertEquals(false, selects("Color = 'red'", Map.of("color", "red")));
  }

  @Test
  void identifiersMayContainKeywords() {
    Map<String, Object> h = Map.of("nullable", 1, "andy", 2, "INDEX", 3, "orTrue", true);
    assertTrue(selects("nullable = 1 AND andy = 2 AND INDEX = 3 AND orTrue", h));
    assertTrue(selects("isNot IS NULL AND likes IS NULL AND escaped IS NULL", h));
  }

  @Test
  void namesBeginningWithJmsxOrJmsUnderscoreArePropertiesOfTheMessage() {
    Map<String, Object> h = Map.of("JMSXGroupID", "g1", "JMSXGroupSeq", 2, "JMS_acme_flag", true);
    assertTrue(selects("JMSXGroupID = 'g1' AND JMSXGroupSeq = 2 AND JMS_acme_flag", h));
    assertTrue(selects("JMSXUserID IS NULL AND JMS_other IS NULL", h));
  }

  // Keywords, whitespace, structure

  @Test
  void keywordsAndOperatorNamesAreCaseInsensitive() {
    Map<String, Object> h = Map.of("s", "a%b", "x", 7, "b", true);
    assertTrue(selects("s like 'a!%%' escape '!' and not (x between 1 and 5) or s is null", h));
    assertTrue(selects("s In ('a%b') AnD x NoT BeTwEeN 1 aNd 5 Or FaLsE", h));
    assertTrue(selects("s not in ('x') and missing is not null or b = tRuE", h));
  }

  @Test
  void whitespaceIsJavaWhitespace() {
    assertTrue(selects("x\t=\f7\nAND\r\ns = 'a'", Map.of("x", 7, "s", "a")));
    assertTrue(selects("x=7AND s='a'OR FALSE", Map.of("x", 7, "s", "a")));
  }

  @Test
  void anEmptyTextIsNotAnExpression() {
    refused("");
    refused("   ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "color =",
        "= 'red'",
        "color = 'red",
        "color == 'red'",
        "(color = 'red'",
        "color = 'red')",
        "color = 'red' AND",
        "NOT",
        "color # 'red'",
        "color = \"red\"",
        "a = 1 = 2",
        "a < 1 < 2",
        "-- comment",
        "a = 1 /* c */",
        "color IN ()",
        "color IN ('a',)",
        "color IN 'a'",
        "color IN (1, 2)",
        "color IN (other)",
        "'a' IN ('a')",
        "color LIKE 5",
        "color LIKE other",
        "3 LIKE '3'",
        "color LIKE 'a' ESCAPE 'xy'",
        "color LIKE 'a' ESCAPE ''",
        "color LIKE 'a!' ESCAPE '!'",
        "size BETWEEN 1",
        "size BETWEEN 1 OR 2",
        "color IS 'red'",
        "color IS NOT",
        "5 IS NULL",
        "(a) = 1 IS NULL",
      })
  void aSelectorThatBreaksTheGrammarIsRefusedWithItsPosition(String selector) {
    refused(selector);
  }

  // Type rules checked when the selector is presented

  @ParameterizedTest
  @ValueSource(
      strings = {
        "s < 'a'",
        "s <= 'a'",
        "s > 'a'",
        "s >= 'a'",
        "'a' < s",
        "'a' >= 'b'",
        "b < TRUE",
        "FALSE > b",
        "TRUE >= FALSE",
      })
  void stringAndBooleanComparisonIsRestrictedToEqualsAndNotEquals(String selector) {
    refused(selector);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "'a' = TRUE",
        "TRUE <> 'a'",
        "'true' = TRUE",
        "TRUE = 0",
        "FALSE = 0",
        "1 = TRUE",
        "'1' = 1",
        "1.5 <> '1.5'",
        "(a = 1) = 0",
        "(a = 1) = 'a'",
        "a + 1 = 'a'",
        "-a = TRUE",
      })
  void comparingLiteralsOrExpressionsOfUnlikeTypesIsRefused(String selector) {
    refused(selector);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x BETWEEN 'a' AND 'z'",
        "x BETWEEN 1 AND 'z'",
        "x NOT BETWEEN 'a' AND 5",
        "'m' BETWEEN 1 AND 2",
        "x BETWEEN TRUE AND 2",
        "TRUE BETWEEN x AND y",
        "x BETWEEN (a = 1) AND 2",
      })
  void betweenNeedsArithmeticOperands(String selector) {
    refused(selector);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "'a' + 1 = 2",
        "x + 'a' = 2",
        "x * TRUE = 2",
        "FALSE / x = 2",
        "-'a' = 1",
        "+'a' = 'a'",
        "-TRUE = x",
        "(x = 1) + 1 = 2",
      })
  void arithmeticNeedsNumericOperands(String selector) {
    refused(selector);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "'red'",
        "1",
        "1.5",
        "x + 1",
        "-x",
        "x = 1 AND 2",
        "'a' OR x = 1",
        "NOT 'a'",
        "NOT 1",
        "NOT (x + 1)",
        "x = 1 OR x * 2",
      })
  void logicalOperatorsAndTheSelectorItselfNeedConditions(String selector) {
    refused(selector);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a = b",
        "a < b",
        "a = 'x'",
        "a = TRUE",
        "a = 1",
        "'x' = a",
        "a",
        "NOT a",
        "a AND b OR c",
        "a + b > c * 2",
        "-a < 1.5",
        "a BETWEEN b AND c",
        "(a = 1) = TRUE",
        "(a = 1) <> (b = 2)",
        "'a' = 'a'",
        "1 < 2.5",
        "TRUE = FALSE",
      })
  void operandsWhoseTypeIsKnownOnlyFromTheMessageAreAccepted(String selector) {
    assertDoesNotThrow(() -> MessageSelector.parse(selector));
  }

  @Test
  void anyTextIsEitherASelectorOrRefusedWithASelectorSyntaxException() {
    String[] pieces = {
      "a",
      "b",
      "'s'",
      "''",
      "'",
      "1",
      "0x1F",
      "1.5",
      ".5",
      "7.",
      "1e3",
      "1L",
      "1F",
      "0b1",
      "09",
      "9223372036854775808",
      "1_0",
      "_",
      "TRUE",
      "FALSE",
      "NULL",
      "NOT",
      "AND",
      "OR",
      "BETWEEN",
      "LIKE",
      "IN",
      "IS",
      "ESCAPE",
      "(",
      ")",
      ",",
      "=",
      "<>",
      "<",
      "<=",
      ">",
      ">=",
      "+",
      "-",
      "*",
      "/",
      " ",
      "%",
      ".",
      "e",
      "p"
    };
    Random random = new Random(15);
    for (int round = 0; round < 5_000; round++) {
      StringBuilder text = new StringBuilder();
      for (int k = random.nextInt(8) + 1; k > 0; k--) {
        text.append(pieces[random.nextInt(pieces.length)]);
        if (random.nextBoolean()) {
          text.append(' ');
        }
      }
      String selector = text.toString();
      try {
        MessageSelector.parse(selector).matches(BasicProperties.EMPTY);
      } catch (SelectorSyntaxException expected) {
        // refused: fine
      } catch (RuntimeException e) {
        throw new AssertionError("'" + selector + "' threw " + e, e);
      }
    }
  }

  @Test
  void longChainsOfAndOrOrAreAcceptedAndEvaluated() {
    StringBuilder or = new StringBuilder("x = 0");
    StringBuilder and = new StringBuilder("x > 0");
    for (int k = 1; k < 2_000; k++) {
      or.append(" OR x = ").append(k);
      and.append(" AND x <> ").append(-k);
    }
    assertTrue(selects(or.toString(), Map.of("x", 1_999)));
    assertEquals(false, selects(or.toString(), Map.of("x", 2_000)));
    assertTrue(selects(and.toString(), Map.of("x", 1)));
  }

  @Test
  void aSelectorNestedDeeperThan128LevelsIsRefusedInsteadOfOverflowingTheStack() {
    assertTrue(selects("NOT (".repeat(60) + "x = 1" + ")".repeat(60), Map.of("x", 1)));
    assertTrue(selects("(".repeat(120) + "x = 1" + ")".repeat(120), Map.of("x", 1)));
    refused("NOT (".repeat(200) + "x = 1" + ")".repeat(200));
    refused("(".repeat(20_000) + "x = 1" + ")".repeat(20_000));
    refused("NOT ".repeat(20_000) + "TRUE");
    refused("x = " + "1 + ".repeat(20_000) + "1");
    refused("x = " + "-".repeat(20_000) + "1");
  }
}
