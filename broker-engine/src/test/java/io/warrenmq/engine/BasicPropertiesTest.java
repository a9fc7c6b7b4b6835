package io.warrenmq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The headers of {@link BasicProperties}: a built record's headers never change, whatever its
 * builder or the map it was made from does next, and they keep their order.
 */
class BasicPropertiesTest {

  @Test
  void aBuilderChangedAfterBuildLeavesTheBuiltHeadersAlone() {
    BasicProperties.Builder b = BasicProperties.builder().header("a", 1).header("b", "x");
    BasicProperties first = b.build();
    b.header("a", 2).header("c", true).header("b", null);
    BasicProperties second = b.build();

    assertEquals(Map.of("a", 1, "b", "x"), first.headers());
    assertEquals(List.of("a", "b"), List.copyOf(first.headers().keySet()));
    assertEquals(Map.of("a", 2, "c", true), second.headers());
    assertEquals(List.of("a", "c"), List.copyOf(second.headers().keySet()));
  }

  @Test
  void toBuilderChangesACopy() {
    BasicProperties original = BasicProperties.builder().header("k", "v").priority(3).build();
    BasicProperties changed = original.toBuilder().header("k", "w").header("n", 5L).build();
    BasicProperties same = original.toBuilder().deliveryMode(2).build();

    assertEquals(Map.of("k", "v"), original.headers());
    assertEquals(Map.of("k", "w", "n", 5L), changed.headers());
    assertEquals(original.headers(), same.headers());
    assertEquals(3, changed.priority());
  }

  @Test
  void headersAreUnmodifiableAndCopiedFromTheCallersMap() {
    Map<String, Object> mine = new LinkedHashMap<>();
    mine.put("z", 1);
    mine.put("y", 2);
    BasicProperties p = BasicProperties.builder().headers(mine).build();
    BasicProperties direct =
        new BasicProperties(
            null, null, mine, null, null, null, null, null, null, null, null, null, null);
    mine.put("x", 3);

    for (BasicProperties q : List.of(p, direct)) {
      Map<String, Object> h = q.headers();
      assertEquals(List.of("z", "y"), List.copyOf(h.keySet()));
      assertThrows(UnsupportedOperationException.class, () -> h.put("w", 4));
      assertThrows(UnsupportedOperationException.class, () -> h.remove("z"));
      assertThrows(UnsupportedOperationException.class, h::clear);
      assertThrows(
          UnsupportedOperationException.class, () -> h.entrySet().iterator().next().setValue(9));
      assertEquals(2, h.size());
    }
    assertEquals(p, direct);
    assertEquals(p.hashCode(), direct.hashCode());
  }

  @Test
  void noHeadersIsAnEmptyMap() {
    BasicProperties none = BasicProperties.builder().header("gone", null).build();
    BasicProperties emptied = BasicProperties.builder().header("a", 1).header("a", null).build();

    assertTrue(none.headers().isEmpty());
    assertTrue(emptied.headers().isEmpty());
    assertEquals(none, emptied);
    assertEquals(BasicProperties.EMPTY, none);
  }
}
