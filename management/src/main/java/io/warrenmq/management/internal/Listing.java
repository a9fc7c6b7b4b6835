package io.warrenmq.management.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The query parameters RabbitMQ's API applies to every list ({@code GET /api/queues?...}): {@code
 * sort} (a field, dotted for a nested one) and {@code sort_reverse}, {@code columns} (the fields to
 * keep, comma-separated, dotted for nested ones), and pagination: {@code page} (from 1), {@code
 * page_size} (default 100, at most 500), {@code name} with {@code use_regex}, answered as
 * RabbitMQ's paged object ({@code items}, {@code page}, {@code page_count}, {@code page_size},
 * {@code item_count}, {@code filtered_count}, {@code total_count}).
 */
final class Listing {
  private static final int DEFAULT_PAGE_SIZE = 100;
  private static final int MAX_PAGE_SIZE = 500;

  private Listing() {}

  static Object apply(Call c, Object body) {
    if (!(body instanceof List<?>)
        || (c.query("sort") == null && c.query("columns") == null && c.query("page") == null)) {
      return body;
    }
    ArrayNode items = Json.MAPPER.valueToTree(body);
    List<JsonNode> list = new ArrayList<>();
    items.forEach(list::add);
    String sort = c.query("sort");
    if (sort != null && !sort.isEmpty()) {
      Comparator<JsonNode> by = Comparator.comparing(n -> at(n, sort), Listing::compare);
      list.sort("true".equals(c.query("sort_reverse")) ? by.reversed() : by);
    }
    ObjectNode paged = null;
    String page = c.query("page");
    if (page != null) {
      int total = list.size();
      String name = c.query("name");
      if (name != null && !name.isEmpty()) {
        Pattern p;
        try {
          p =
              "true".equals(c.query("use_regex"))
                  ? Pattern.compile(name)
                  : Pattern.compile(Pattern.quote(name));
        } catch (PatternSyntaxException e) {
          throw ApiException.badRequest(
              "invalid regular expression in name: " + e.getDescription());
        }
        list.removeIf(n -> !p.matcher(n.path("name").asText("")).find());
      }
      int number = parse(page);
      String sizeParam = c.query("page_size");
      int size = sizeParam == null ? DEFAULT_PAGE_SIZE : parse(sizeParam);
      if (number < 1 || size < 1 || size > MAX_PAGE_SIZE) {
        throw new ApiException(
            400,
            "invalid_pagination_parameters",
            "Invalid pagination parameters: page number "
                + page
                + ", page size "
                + (sizeParam == null ? "undefined" : sizeParam));
      }
      int filtered = list.size();
      int pages = Math.max(1, (filtered + size - 1) / size);
      if (number > pages) {
        throw new ApiException(
            400,
            "page_out_of_range",
            "Page out of range, page: " + number + " page size: " + size + ", len: " + filtered);
      }
      list = list.subList((number - 1) * size, Math.min(filtered, number * size));
      paged = Json.MAPPER.createObjectNode();
      paged.put("filtered_count", filtered);
      paged.put("item_count", list.size());
      paged.put("page", number);
      paged.put("page_count", pages);
      paged.put("page_size", size);
      paged.put("total_count", total);
    }
    String columns = c.query("columns");
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (JsonNode n : list) {
      out.add(columns == null || columns.isEmpty() ? n : columns(n, columns.split(",")));
    }
    if (paged != null) {
      paged.set("items", out);
      return paged;
    }
    return out;
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static JsonNode at(JsonNode n, String dotted) {
    JsonNode cur = n;
    for (String part : dotted.split("\\.")) {
      cur = cur.path(part);
    }
    return cur;
  }

  private static int compare(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return Double.compare(a.asDouble(), b.asDouble());
    }
    return a.asText("").compareTo(b.asText(""));
  }

  private static ObjectNode columns(JsonNode n, String[] columns) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    for (String col : columns) {
      String[] parts = col.trim().split("\\.");
      JsonNode src = n;
      ObjectNode dst = out;
      for (int i = 0; i < parts.length && src != null && src.isObject(); i++) {
        JsonNode next = src.get(parts[i]);
        if (next == null) {
          break;
        }
        if (i == parts.length - 1) {
          dst.set(parts[i], next);
        } else {
          dst =
              dst.has(parts[i]) && dst.get(parts[i]).isObject()
                  ? (ObjectNode) dst.get(parts[i])
                  : dst.putObject(parts[i]);
        }
        src = next;
      }
    }
    return out;
  }
}
