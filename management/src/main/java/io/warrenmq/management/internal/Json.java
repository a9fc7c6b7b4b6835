package io.warrenmq.management.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON in and out (Jackson), and the typed reading of request fields with the error bodies of
 * RabbitMQ's management API: {@code {"error":"bad_request","reason":"not_json"}} for a body that is
 * not a JSON object, {@code ["not_boolean", value]} and the like for a field of the wrong type.
 */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
    }
  }

  /** Parses a request body as a JSON object; an empty body is {@code {}}. */
  static ObjectNode object(byte[] body) {
    if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return MAPPER.createObjectNode();
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      throw ApiException.badRequest("not_json");
    }
    if (!(node instanceof ObjectNode o)) {
      throw ApiException.badRequest("not_json");
    }
    return o;
  }

  /** Client properties and arguments as plain JSON-renderable values (Jackson handles them). */
  static Object plain(Map<String, Object> map) {
    return map;
  }

  static boolean bool(ObjectNode body, String field, boolean otherwise) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return otherwise;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isTextual() && (n.textValue().equals("true") || n.textValue().equals("false"))) {
      return Boolean.parseBoolean(n.textValue());
    }
    throw ApiException.badRequest(
        List.of("not_boolean", n.isTextual() ? n.textValue() : n.toString()));
  }

  static String text(ObjectNode body, String field, String otherwise) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return otherwise;
    }
    if (!n.isTextual()) {
      throw ApiException.badRequest(List.of("not_string", n.toString()));
    }
    return n.textValue();
  }

  /**
   * Checks that every key is present, naming all the missing ones as RabbitMQ does: {@code
   * "[{key_missing,a},{key_missing,b}]"}.
   */
  static void requireKeys(ObjectNode body, String... keys) {
    List<String> missing = new ArrayList<>();
    for (String k : keys) {
      if (body.get(k) == null || body.get(k).isNull()) {
        missing.add("{key_missing," + k + "}");
      }
    }
    if (!missing.isEmpty()) {
      throw ApiException.badRequest("[" + String.join(",", missing) + "]");
    }
  }

  static String requiredText(ObjectNode body, String field) {
    String s = text(body, field, null);
    if (s == null) {
      throw ApiException.badRequest("[{key_missing," + field + "}]");
    }
    return s;
  }

  static long integer(ObjectNode body, String field, long otherwise) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return otherwise;
    }
    if (n.isIntegralNumber()) {
      return n.longValue();
    }
    if (n.isTextual()) {
      try {
        return Long.parseLong(n.textValue().trim());
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw ApiException.badRequest(
        List.of("not_integer", n.isTextual() ? n.textValue() : n.toString()));
  }

  /** A JSON object field as a map of plain Java values (AMQP table arguments). */
  static Map<String, Object> table(ObjectNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw ApiException.badRequest(List.of("not_object", n.toString()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), value(e.getValue()));
    }
    return out;
  }

  /** A JSON value as an AMQP field value: integers as Long (Integer when they fit), etc. */
  static Object value(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber()) {
      long v = n.longValue();
      return v == (int) v ? (Object) (int) v : (Object) v;
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isArray()) {
      List<Object> out = new ArrayList<>();
      n.forEach(e -> out.add(value(e)));
      return out;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> out.put(e.getKey(), value(e.getValue())));
    return out;
  }
}
