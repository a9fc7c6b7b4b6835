package io.warrenmq.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Jakarta Messaging 3.1, section 3.8.1 "Message selector": how a selector evaluates against a
 * message, by the rules of 3.8.1.1 (types, comparison, arithmetic, BETWEEN, IN, LIKE, IS NULL,
 * header fields), 3.8.1.2 "Null values" (three-valued logic) and 3.8.1.3 "Special notes".
 *
 * <p>{@link #truth} tells TRUE, FALSE and UNKNOWN apart: a selector is selected only when TRUE, and
 * {@code NOT (selector)} only when FALSE; UNKNOWN selects neither.
 */
class MessageSelectorEvaluationTest {

  private static final Map<String, Object> PROPERTIES = properties();

  private static Map<String, Object> properties() {
    Map<String, Object> h = new HashMap<>();
    h.put("b", (byte) 1);
    h.put("sh", (short) 2);
    h.put("i", 3);
    h.put("l", 3L);
    h.put("f", 1.5f);
    h.put("f11", 1.1f);
    h.put("d", 3.0d);
    h.put("d35", 3.5d);
    h.put("maxLong", Long.MAX_VALUE);
    h.put("nan", Double.NaN);
    h.put("negZero", -0.0d);
    h.put("s", "abc");
    h.put("t", "abd");
    h.put("NumberOfOrders", "2");
    h.put("yes", true);
    h.put("no", false);
    h.put("bytes", new byte[] {1});
    return Map.copyOf(h);
  }

  private static final BasicProperties MESSAGE =
      BasicProperties.builder().headers(PROPERTIES).build();

  /** "T", "F" or "U" (unknown) for {@code selector} against {@code message}. */
  private static String truth(String selector, BasicProperties message) {
    boolean selected = MessageSelector.parse(selector).matches(message);
    boolean negationSelected = MessageSelector.parse("NOT (" + selector + ")").matches(message);
    assertTrue(!(selected && negationSelected), selector);
    return selected ? "T" : negationSelected ? "F" : "U";
  }

  private static String truth(String selector) {
    return truth(selector, MESSAGE);
  }

  private static String truthOf(String selector, Map<String, Object> headers) {
    return truth(selector, BasicProperties.builder().headers(headers).build());
  }

  // 3.8.1.2 Null values: three-valued logic

  @ParameterizedTest(name = "{0} AND {1} is {2}")
  @CsvSource({"T,T,T", "T,F,F", "T,U,U", "F,T,F", "F,F,F", "F,U,F", "U,T,U", "U,F,F", "U,U,U"})
  void andFollowsTable3_4(String l, String r, String expected) {
    assertEquals(expected, truth(operand(l) + " AND " + operand(r)));
  }

  @ParameterizedTest(name = "{0} OR {1} is {2}")
  @CsvSource({"T,T,T", "T,F,T", "T,U,T", "F,T,T", "F,F,F", "F,U,U", "U,T,T", "U,F,U", "U,U,U"})
  void orFollowsTable3_5(String l, String r, String expected) {
    assertEquals(expected, truth(operand(l) + " OR " + operand(r)));
  }

  @ParameterizedTest(name = "NOT {0} is {1}")
  @CsvSource({"T,F", "F,T", "U,U"})
  void notFollowsTable3_6(String v, String expected) {
    assertEquals(expected, truth("NOT " + operand(v)));
  }

  private static String operand(String truth) {
    return switch (truth) {
      case "T" -> "(i = 3)";
      case "F" -> "(i = 4)";
      default -> "(missing = 3)";
    };
  }

  @Test
  void comparisonOrArithmeticWithAMissingPropertyIsUnknown() {
    assertEquals("U", truth("missing = 1"));
    assertEquals("U", truth("missing <> 1"));
    assertEquals("U", truth("missing > 1"));
    assertEquals("U", truth("missing = 'abc'"));
    assertEquals("U", truth("missing = TRUE"));
    assertEquals("U", truth("missing = missing"));
    assertEquals("U", truth("i + missing = 3"));
    assertEquals("U", truth("-missing = 3"));
    assertEquals("U", truth("i * missing > 0 OR FALSE"));
    assertEquals("U", truth("missing"));
  }

  @Test
  void isNullAndIsNotNullTurnAMissingValueIntoTrueOrFalse() {
    assertEquals("T", truth("missing IS NULL"));
    assertEquals("F", truth("missing IS NOT NULL"));
    assertEquals("F", truth("s IS NULL"));
    assertEquals("T", truth("s IS NOT NULL"));
    assertEquals("T", truth("bytes IS NULL"), "a value of a type JMS has no property type for");
  }

  // 3.8.1.1 Comparison and numeric promotion

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "i = 3, T",
    "i = l, T",
    "i = d, T",
    "l = d, T",
    "i = 3.0, T",
    "d = 3, T",
    "i < d35, T",
    "d35 > l, T",
    "i >= d35, F",
    "b = 1, T",
    "b < sh, T",
    "sh < i, T",
    "b + sh = i, T",
    "f = 1.5, T",
    "f < i, T",
    "f = 1.5F, T",
    "f11 = 1.1F, T",
    "f11 = 1.1, F",
    "maxLong > 9.2e18, T",
    "maxLong = 9223372036854775807, T",
    "maxLong <> 9223372036854775806, T",
    "nan = nan, F",
    "nan <> nan, T",
    "nan < 1, F",
    "negZero = 0, T",
    "negZero = 0.0, T",
  })
  void numbersOfDifferentTypesCompareAfterJavaNumericPromotion(String selector, String expected) {
    assertEquals(expected, truth(selector));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "s = 'abc', T",
    "s <> 'abc', F",
    "s = t, F",
    "s <> t, T",
    "s = 'ABC', F",
    "yes = TRUE, T",
    "yes <> no, T",
    "no = FALSE, T",
    "yes, T",
    "NOT no, T",
  })
  void stringsAndBooleansCompareWithEqualsAndNotEquals(String selector, String expected) {
    assertEquals(expected, truth(selector));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "s = 1, F",
    "s <> 1, F",
    "i = 's', F",
    "i <> 's', F",
    "yes = 1, F",
    "i = TRUE, F",
    "s = yes, F",
    "NumberOfOrders > 1, F",
    "NumberOfOrders = 2, F",
    "s < t, F",
    "s >= t, F",
    "yes > no, F",
  })
  void comparingValuesOfUnlikeTypesOrOrderingStringsIsFalse(String selector, String expected) {
    assertEquals(expected, truth(selector));
  }

  @Test
  void aPropertyThatIsNotABooleanIsUnknownAsACondition() {
    assertEquals("U", truth("s"));
    assertEquals("U", truth("i AND TRUE"));
    assertEquals("T", truth("i OR TRUE"));
  }

  // 3.8.1.1 Arithmetic

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "i * 2 + 1 = 7, T",
    "i + 2 * 3 = 9, T",
    "(i + 2) * 3 = 15, T",
    "i - 1 - 1 = 1, T",
    "12 / i / 2 = 2, T",
    "-i = -3, T",
    "- -i = 3, T",
    "+i = 3, T",
    "-d35 = -3.5, T",
    "i / 2 = 1, T",
    "i / 2.0 = 1.5, T",
    "i / 2 = 1.5, F",
    "d / 2 = 1.5, T",
    "l * f = 4.5, T",
    "maxLong + 1 < 0, T",
    "s + 1 = 2, U",
    "-s = 1, U",
    "yes * 1 = 1, U",
    "NumberOfOrders + 0 = 2, U",
  })
  void arithmeticUsesJavaNumericPromotion(String selector, String expected) {
    assertEquals(expected, truth(selector));
  }

  @Test
  void exactDivisionByZeroIsUnknownAndApproximateDivisionFollowsIeee754() {
    assertEquals("U", truth("i / 0 = 0"));
    assertEquals("U", truth("i / (l - 3) > 0"));
    assertEquals("T", truth("i / 0.0 > 1.7976931348623157E308"));
    assertEquals("T", truth("-i / 0.0 < -1.7976931348623157E308"));
    assertEquals("F", truth("0.0 / 0 = 0.0 / 0"), "NaN");
  }

  // 3.8.1.1 BETWEEN

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "i BETWEEN 1 AND 5, T",
    "i BETWEEN 3 AND 3, T",
    "i BETWEEN 4 AND 5, F",
    "i NOT BETWEEN 4 AND 5, T",
    "i NOT BETWEEN 1 AND 5, F",
    "d BETWEEN 2 AND 3, T",
    "i BETWEEN 2.5 AND 3.5, T",
    "d35 BETWEEN l AND 4, T",
    "i * 2 BETWEEN i + 2 AND i + 3, T",
    "i BETWEEN 5 AND 1, F",
    "missing BETWEEN 1 AND 5, U",
    "missing NOT BETWEEN 1 AND 5, U",
    "i BETWEEN missing AND 5, U",
    "i BETWEEN missing AND 2, F",
    "i NOT BETWEEN missing AND 2, T",
  })
  void betweenIsTheSpecsPairOfComparisons(String selector, String expected) {
    assertEquals(expected, truth(selector));
  }

  @Test
  void betweenAndNotBetweenOnAPropertyHoldingANonNumericValueSelectNothing() {
    // 3.8.1.1: "age BETWEEN 15 AND 19" is "age >= 15 AND age <= 19" and "age NOT BETWEEN 15 AND 19"
    // is "age < 15 OR age > 19"; comparing a string with a number is false.
    for (String selector :
        new String[] {
          "s BETWEEN 1 AND 5",
          "s NOT BETWEEN 1 AND 5",
          "NumberOfOrders BETWEEN 1 AND 5",
          "NumberOfOrders NOT BETWEEN 1 AND 5",
          "yes BETWEEN 0 AND 1",
          "yes NOT BETWEEN 0 AND 1",
        }) {
      assertEquals(false, MessageSelector.parse(selector).matches(MESSAGE), selector);
    }
    assertEquals("F", truth("s BETWEEN 1 AND 5"));
    assertEquals("F", truth("s NOT BETWEEN 1 AND 5"));
  }

  // 3.8.1.1 IN

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "s IN ('UK', 'abc', 'France') | T",
        "s IN ('abc') | T",
        "s IN ('UK', 'US') | F",
        "s NOT IN ('UK', 'US') | T",
        "s NOT IN ('abc', 'US') | F",
        "s IN ('ABC') | F",
        "missing IN ('a') | U",
        "missing NOT IN ('a') | U",
        "i IN ('3') | F",
        "i NOT IN ('3') | T",
      })
  void inIsTheSpecsDisjunctionOfEqualities(String selector, String expected) {
    assertEquals(expected, truth(selector));
  }

  // 3.8.1.1 LIKE

  @ParameterizedTest(name = "{0} for ''{1}'' is {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "phone LIKE '12%3' | 123 | T",
        "phone LIKE '12%3' | 12993 | T",
        "phone LIKE '12%3' | 1234 | F",
        "word LIKE 'l_se' | lose | T",
        "word LIKE 'l_se' | loose | F",
        "underscored LIKE '\\_%' ESCAPE '\\' | _foo | T",
        "underscored LIKE '\\_%' ESCAPE '\\' | bar | F",
        "phone NOT LIKE '12%3' | 123 | F",
        "phone NOT LIKE '12%3' | 12993 | F",
        "phone NOT LIKE '12%3' | 1234 | T",
        "v LIKE '%' | '' | T",
        "v LIKE '_' | '' | F",
        "v LIKE 'a.c' | abc | F",
        "v LIKE 'a.c' | a.c | T",
        "v LIKE '[ab]*' | a | F",
        "v LIKE '[ab]*' | [ab]* | T",
        "v LIKE '%!%' ESCAPE '!' | 100% | T",
        "v LIKE '%!%' ESCAPE '!' | 100 | F",
        "v LIKE 'x%%y' ESCAPE '%' | x%y | T",
        "v LIKE 'a%b' | 'a\nb' | T",
        "v LIKE 'it''s%' | it's here | T",
        "v LIKE '%a%b%' | xxaxxbxx | T",
        "v LIKE '%a%b%' | xxbxxaxx | F",
        "v LIKE '%ab' | aab | T",
        "v LIKE '%ab' | abb | F",
        "v LIKE 'a%' | a | T",
        "v LIKE '%%%' | '' | T",
        "v LIKE '_%_' | a | F",
        "v LIKE '_%_' | ab | T",
        "v LIKE 'a_c' | a\uD83D\uDE00c | T",
        "v LIKE '%\uD83D\uDE00' | x\uD83D\uDE00 | T",
      })
  void likeMatchesTheSpecsPatterns(String selector, String value, String expected) {
    String property = selector.substring(0, selector.indexOf(' '));
    assertEquals(expected, truthOf(selector, Map.of(property, value)));
  }

  @Test
  void likeOnAMissingPropertyIsUnknownAndOnANonStringIsFalse() {
    assertEquals("U", truth("missing LIKE '%'"));
    assertEquals("U", truth("missing NOT LIKE '%'"));
    assertEquals("F", truth("i LIKE '%'"));
    assertEquals("T", truth("i NOT LIKE '%'"));
  }

  // Header fields (3.8.1.1) in WarrenMQ's mapping onto AMQP properties, and 3.8.1.3

  private static final BasicProperties CAR =
      BasicProperties.builder()
          .deliveryMode(BasicProperties.PERSISTENT)
          .priority(7)
          .messageId("ID:42")
          .correlationId("order-9")
          .type("car")
          .timestamp(1_700_000_000_000L)
          .headers(Map.of("color", "blue", "weight", 3000L, "x-delivery-count", 2L))
          .build();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "JMSType = 'car' AND color = 'blue' AND weight > 2500 | T",
        "JMSType = 'car' AND color = 'red' AND weight > 2500 | F",
        "JMSDeliveryMode = 'PERSISTENT' AND weight = 3000 | T",
        "JMSDeliveryMode = 'NON_PERSISTENT' | F",
        "JMSDeliveryMode = 2 | F",
        "JMSPriority > 5 AND color IN ('blue') | T",
        "JMSPriority BETWEEN 0 AND 4 | F",
        "JMSPriority = 7.0 | T",
        "JMSMessageID = 'ID:42' AND weight / 1000 = 3 | T",
        "JMSMessageID LIKE 'ID:%' | T",
        "JMSTimestamp = 1700000000000 AND JMSTimestamp > weight | T",
        "JMSTimestamp BETWEEN 1600000000000 AND 1800000000000 | T",
        "JMSCorrelationID = 'order-9' OR color = 'red' | T",
        "JMSCorrelationID IN ('order-1', 'order-2') | F",
        "JMSXDeliveryCount = 3 | T",
        "JMSExpiration IS NULL AND JMSRedelivered IS NULL | T",
      })
  void headerFieldsCombineWithProperties(String selector, String expected) {
    assertEquals(expected, truth(selector, CAR));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "JMSDeliveryMode = 'NON_PERSISTENT' | T",
        "JMSPriority = 0 | T",
        "JMSTimestamp = 0 | T",
        "JMSMessageID IS NULL | T",
        "JMSCorrelationID IS NULL | T",
        "JMSType IS NULL | T",
        "JMSType = 'car' | U",
        "JMSMessageID <> 'x' | U",
        "JMSXDeliveryCount = 1 | T",
      })
  void aMessageWithoutHeaderFieldsHasTheValuesAJmsConsumerReads(String selector, String expected) {
    // jms-client reads absent priority as 0 and absent timestamp as 0; MessageID, CorrelationID
    // and Type may be null (3.8.1.1)
    assertEquals(expected, truth(selector, BasicProperties.EMPTY));
  }

  @Test
  void jmsPriorityIsLimitedToTheJmsRangeAsAJmsConsumerReadsIt() {
    BasicProperties amqpPriority = BasicProperties.builder().priority(200).build();
    assertEquals("T", truth("JMSPriority = 9", amqpPriority));
  }

  @Test
  void jmsDeliveryModeIsNonPersistentForATransientMessage() {
    BasicProperties transientMessage =
        BasicProperties.builder().deliveryMode(BasicProperties.TRANSIENT).build();
    assertEquals("T", truth("JMSDeliveryMode = 'NON_PERSISTENT'", transientMessage));
    assertEquals("F", truth("JMSDeliveryMode = 'PERSISTENT'", transientMessage));
  }

  @Test
  void precedenceIsNotThenAndThenOrAndLeftToRightWithinALevel() {
    assertEquals("T", truth("TRUE OR TRUE AND FALSE"), "AND binds tighter than OR");
    assertEquals("F", truth("(TRUE OR TRUE) AND FALSE"));
    assertEquals("T", truth("NOT FALSE AND TRUE"), "NOT binds tighter than AND");
    assertEquals("T", truth("i - 2 - 1 = 0"), "left to right");
    assertEquals("T", truth("12 / 2 * 3 = 18"), "left to right");
  }
}
