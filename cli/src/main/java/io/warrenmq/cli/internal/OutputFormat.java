package io.warrenmq.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code list_*} commands print their rows ({@code --formatter}, spelled as {@code rabbitmqctl}
 * spells its formatters).
 *
 * <ul>
 *   <li>{@code table}: a header row, then one row per object, columns aligned with spaces (two
 *       between columns); a tab or a newline inside a value is written as {@code \t}, {@code \n}.
 *   <li>{@code tsv}: a header row, then one row per object, tab-separated; a tab, a newline or a
 *       backslash inside a value is written as {@code \t}, {@code \n}, {@code \\}.
 *   <li>{@code json}: one JSON array of objects holding the requested columns with their JSON types
 *       (numbers stay numbers, {@code arguments} stays an object, an absent value is {@code null}).
 * </ul>
 *
 * In {@code table} and {@code tsv} a string is printed as is, an object or array as compact JSON,
 * an absent value as the empty string.
 */
public enum OutputFormat {
  table,
  json,
  tsv;

  /**
   * Prints {@code rows} (API objects) under {@code columns}.
   *
   * @param headers print the header row ({@code table} and {@code tsv} only)
   */
  public void print(PrintWriter out, List<Column> columns, List<JsonNode> rows, boolean headers) {
    switch (this) {
      case json -> printJson(out, columns, rows);
      case tsv -> printTsv(out, columns, rows, headers);
      case table -> printTable(out, columns, rows, headers);
      default -> throw new AssertionError(this);
    }
    out.flush();
  }

  /** The text of a value in {@code table} and {@code tsv}: see the class comment. */
  public static String cell(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return "";
    }
    if (value.isValueNode()) {
      return value.asText();
    }
    return value.toString();
  }

  /** {@code text} with tab, newline, carriage return and backslash escaped for a TSV cell. */
  static String escapeTsv(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\t' -> escaped.append("\\t");
        case '\n' -> escaped.append("\\n");
        case '\r' -> escaped.append("\\r");
        case '\\' -> escaped.append("\\\\");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  private static void printJson(PrintWriter out, List<Column> columns, List<JsonNode> rows) {
    ArrayNode array = ManagementClient.JSON.createArrayNode();
    for (JsonNode row : rows) {
      ObjectNode object = array.addObject();
      for (Column column : columns) {
        JsonNode value = column.valueIn(row);
        object.set(column.name(), value.isMissingNode() ? object.nullNode() : value);
      }
    }
    out.println(pretty(array));
  }

  /** {@code node} as indented JSON. */
  static String pretty(JsonNode node) {
    try {
      return ManagementClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void printTsv(
      PrintWriter out, List<Column> columns, List<JsonNode> rows, boolean headers) {
    if (headers) {
      out.println(String.join("\t", columns.stream().map(Column::name).toList()));
    }
    for (JsonNode row : rows) {
      List<String> cells = new ArrayList<>(columns.size());
      for (Column column : columns) {
        cells.add(escapeTsv(cell(column.valueIn(row))));
      }
      out.println(String.join("\t", cells));
    }
  }

  private static void printTable(
      PrintWriter out, List<Column> columns, List<JsonNode> rows, boolean headers) {
    List<List<String>> lines = new ArrayList<>();
    if (headers) {
      lines.add(columns.stream().map(Column::name).toList());
    }
    for (JsonNode row : rows) {
      List<String> cells = new ArrayList<>(columns.size());
      for (Column column : columns) {
        // one line per row: a tab or newline inside a value would break the alignment
        cells.add(
            cell(column.valueIn(row))
                .replace("\t", "\\t")
                .replace("\r", "\\r")
                .replace("\n", "\\n"));
      }
      lines.add(cells);
    }
    int[] widths = new int[columns.size()];
    for (List<String> line : lines) {
      for (int i = 0; i < line.size(); i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    for (List<String> line : lines) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.size(); i++) {
        String cell = line.get(i);
        text.append(cell);
        if (i < line.size() - 1) {
          text.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.println(text);
    }
  }
}
