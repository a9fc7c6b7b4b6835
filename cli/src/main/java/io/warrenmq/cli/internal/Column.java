package io.warrenmq.cli.internal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.function.Function;

/**
 * One output column of a {@code list_*} command: its {@code rabbitmqctl} name (the "info item") and
 * how to read it from one object of the management API's JSON answer.
 *
 * @param name the column name as {@code rabbitmqctl} spells it, such as {@code messages_ready}
 * @param extractor reads the value from one API object; answers {@link MissingNode} when absent
 */
public record Column(String name, Function<JsonNode, JsonNode> extractor) {
  /** A column read from the API object's field of the same name. */
  public static Column field(String name) {
    return at(name, "/" + name);
  }

  /** A column read from a JSON pointer such as {@code /queue/name}. */
  public static Column at(String name, String pointer) {
    JsonPointer path = JsonPointer.compile(pointer);
    return new Column(name, node -> node.at(path));
  }

  /** A column with the same text in every row (e.g. {@code source_kind}, always "exchange"). */
  public static Column constant(String name, String value) {
    TextNode text = TextNode.valueOf(value);
    return new Column(name, node -> text);
  }

  /** This column's value in {@code row}: never null, {@link MissingNode} when absent. */
  public JsonNode valueIn(JsonNode row) {
    JsonNode value = extractor.apply(row);
    return value == null ? MissingNode.getInstance() : value;
  }
}
