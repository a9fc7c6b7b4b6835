package io.warrenmq.store.jdbc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts JSON argument tables of a definitions file to the engine's argument values: strings,
 * booleans, {@code Integer} or {@code Long} for integral numbers (the engine compares integral
 * values whatever their boxed type), {@code Double} for the others, lists and nested tables. JSON
 * {@code null} values are dropped (AMQP field tables have no null).
 *
 * <p>Thread-safety: stateless.
 */
final class JsonValues {
  private JsonValues() {}

  /**
   * @throws io.warrenmq.client.AmqpException 406 if the node is neither absent nor an object
   */
  static Map<String, Object> arguments(JsonNode n, String where) {
    if (n == null || n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw DefinitionsReader.bad(where + ": 'arguments' must be an object");
    }
    return table(n);
  }

  private static Map<String, Object> table(JsonNode n) {
    Map<String, Object> out = new HashMap<>();
    n.properties()
        .forEach(
            f -> {
              Object v = value(f.getValue());
              if (v != null) {
                out.put(f.getKey(), v);
              }
            });
    return out;
  }

  private static Object value(JsonNode n) {
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    if (n.isInt()) {
      return n.intValue();
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.longValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isArray()) {
      List<Object> list = new ArrayList<>();
      for (JsonNode e : n) {
        Object v = value(e);
        if (v != null) {
          list.add(v);
        }
      }
      return list;
    }
    if (n.isObject()) {
      return table(n);
    }
    return null;
  }
}
