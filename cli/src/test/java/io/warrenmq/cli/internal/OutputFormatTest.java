package io.warrenmq.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputFormatTest {
  private static final List<JsonNode> ROWS =
      List.of(
          json(
              "{\"name\":\"orders\",\"messages\":12,\"durable\":true,"
                  + "\"arguments\":{\"x-max-length\":10},\"queue\":{\"name\":\"q\"}}"),
          json("{\"name\":\"a\\tb\\nc\\\\d\",\"durable\":false,\"arguments\":{}}"));

  private static JsonNode json(String text) {
    try {
      return ManagementClient.JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String print(OutputFormat format, List<Column> columns, boolean headers) {
    StringWriter text = new StringWriter();
    format.print(new PrintWriter(text), columns, ROWS, headers);
    return text.toString().replace(System.lineSeparator(), "\n");
  }

  private static final List<Column> COLUMNS =
      List.of(
          Column.field("name"),
          Column.field("messages"),
          Column.field("durable"),
          Column.field("arguments"));

  @Test
  void tsvHasAHeaderRowAndEscapesTabsNewlinesAndBackslashes() {
    assertEquals(
        "name\tmessages\tdurable\targuments\n"
            + "orders\t12\ttrue\t{\"x-max-length\":10}\n"
            + "a\\tb\\nc\\\\d\t\tfalse\t{}\n",
        print(OutputFormat.tsv, COLUMNS, true));
  }

  @Test
  void noTableHeadersLeavesOutTheHeaderRow() {
    assertEquals(
        "orders\t12\n" + "a\\tb\\nc\\\\d\t\n",
        print(OutputFormat.tsv, COLUMNS.subList(0, 2), false));
  }

  @Test
  void tableAlignsColumnsWithTwoSpaces() {
    assertEquals(
        "name       messages  durable\n"
            + "orders     12        true\n"
            + "a\\tb\\nc\\d            false\n",
        print(OutputFormat.table, COLUMNS.subList(0, 3), true));
  }

  @Test
  void jsonKeepsTypesAndWritesNullForAnAbsentValue() {
    JsonNode printed = json(print(OutputFormat.json, COLUMNS, true));
    assertEquals(2, printed.size());
    assertEquals(12, printed.get(0).get("messages").intValue());
    assertEquals(true, printed.get(0).get("durable").booleanValue());
    assertEquals(10, printed.get(0).get("arguments").get("x-max-length").intValue());
    assertEquals(true, printed.get(1).get("messages").isNull());
    assertEquals(List.of("name", "messages", "durable", "arguments"), fieldNames(printed.get(1)));
  }

  @Test
  void nestedAndConstantColumnsReadTheirPointer() {
    String printed =
        print(
            OutputFormat.tsv,
            List.of(Column.at("queue_name", "/queue/name"), Column.constant("kind", "exchange")),
            false);
    assertEquals("q\texchange\n\texchange\n", printed);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
