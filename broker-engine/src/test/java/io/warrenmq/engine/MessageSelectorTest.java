package io.warrenmq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageSelectorTest {

  private static final BasicProperties MESSAGE =
      BasicProperties.builder()
          .deliveryMode(2)
          .priority(7)
          .messageId("ID:42")
          .correlationId("corr")
          .type("OrderPlaced")
          .timestamp(1_000L)
          .headers(
              Map.of(
                  "color",
                  "red",
                  "size",
                  3,
                  "weight",
                  2.5d,
                  "big",
                  (byte) 1,
                  "urgent",
                  true,
                  "path",
                  "a_b%c",
                  "x-delivery-count",
                  2L))
          .build();

  private static boolean selects(String selector) {
    return MessageSelector.parse(selector).matches(MESSAGE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "color = 'red'",
        "color <> 'blue'",
        "size = 3",
        "size = 3.0",
        "size > 2 AND size < 4",
        "weight BETWEEN 2 AND 3",
        "size NOT BETWEEN 4 AND 10",
        "size * 2 + 1 = 7",
        "-size = -3",
        "size / 2 = 1",
        "weight / 2 = 1.25",
        "color IN ('green', 'red')",
        "color NOT IN ('green', 'blue')",
        "color LIKE 'r%'",
        "color LIKE '_ed'",
        "path LIKE 'a!_b!%c' ESCAPE '!'",
        "color NOT LIKE 'b%'",
        "missing IS NULL",
        "color IS NOT NULL",
        "urgent",
        "urgent = TRUE",
        "NOT (color = 'blue')",
        "color = 'blue' OR size = 3",
        "JMSDeliveryMode = 'PERSISTENT'",
        "JMSPriority >= 5",
        "JMSMessageID = 'ID:42'",
        "JMSCorrelationID = 'corr'",
        "JMSType = 'OrderPlaced'",
        "JMSTimestamp = 1000",
        "JMSXDeliveryCount = 3",
        "big = 1",
        "missing IS NULL OR size = 3",
        "size = 0x3",
        "1e3 = 1000",
        "'it''s' = 'it''s'",
        "color=  'red'and size=3",
      })
  void selectsTheMessage(String selector) {
    assertTrue(selects(selector), selector);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "color = 'blue'",
        "size <> 3",
        "color > 'a'",
        "color = 3",
        "size = 'three'",
        "urgent = 'true'",
        "color NOT LIKE 'r%'",
        "color IN ('green')",
        "color LIKE 'R%'",
        "path LIKE 'a_b!%c' ESCAPE '!' AND FALSE",
        "missing = 1",
        "missing <> 1",
        "NOT (missing = 1)",
        "missing = 1 AND TRUE",
        "missing BETWEEN 1 AND 2",
        "missing IN ('a')",
        "missing NOT IN ('a')",
        "missing LIKE '%'",
        "color IS NULL",
        "size + missing = 3",
        "size / 0 = 1",
        "FALSE",
        "JMSDeliveryMode = 'NON_PERSISTENT'",
      })
  void doesNotSelectTheMessage(String selector) {
    assertEquals(false, selects(selector), selector);
  }

  @Test
  void unknownOrTrueIsTrueAndUnknownAndFalseIsFalse() {
    assertTrue(selects("missing = 1 OR TRUE"));
    assertEquals(false, selects("missing = 1 AND FALSE"));
    assertEquals(false, selects("missing = 1 OR FALSE"), "UNKNOWN is not selected");
  }

  @Test
  void aMessageWithoutPriorityHasTheDefaultPriorityFour() {
    assertTrue(MessageSelector.parse("JMSPriority = 4").matches(BasicProperties.EMPTY));
    assertTrue(MessageSelector.parse("JMSXDeliveryCount = 1").matches(BasicProperties.EMPTY));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "color =",
        "= 'red'",
        "color = 'red",
        "color == 'red'",
        "(color = 'red'",
        "color = 'red')",
        "size + 1",
        "'red'",
        "color LIKE 5",
        "3 LIKE '3'",
        "color IN ()",
        "color IN (1, 2)",
        "size BETWEEN 1",
        "color IS 'red'",
        "color LIKE 'a' ESCAPE 'xy'",
        "color = 'a' AND",
        "NOT",
        "color # 'red'",
        "size = 99999999999999999999",
      })
  void anInvalidSelectorIsRefusedWithItsPosition(String selector) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MessageSelector.parse(selector));
    assertTrue(e.getMessage().contains("position"), e.getMessage());
  }
}
