package io.warrenmq.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

  @Test
  void manyHeadersKeepTheirOrderWhenTheyOutgrowTheSmallArray() {
    BasicProperties.Builder b = BasicProperties.builder();
    Map<String, Object> expected = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      b.header("h" + i, i);
      expected.put("h" + i, i);
      BasicProperties p = b.build();
      assertEquals(expected, p.headers(), "after " + (i + 1) + " headers");
      assertEquals(List.copyOf(expected.keySet()), List.copyOf(p.headers().keySet()));
      assertEquals(expected.hashCode(), p.headers().hashCode());
      assertEquals(i, p.headers().get("h" + i));
      assertNull(p.headers().get("h" + (i + 1)));
    }
    BasicProperties big = b.build();
    BasicProperties smaller = big.toBuilder().header("h3", null).header("h0", "zero").build();
    expected.remove("h3");
    expected.put("h0", "zero");
    assertEquals(expected, smaller.headers());
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(smaller.headers().keySet()));
    assertEquals(3, big.headers().get("h3"), "the first record keeps its headers");
    assertEquals(0, big.headers().get("h0"));
    assertThrows(UnsupportedOperationException.class, () -> big.headers().put("x", 1));
    assertThrows(
        UnsupportedOperationException.class,
        () -> big.headers().entrySet().iterator().next().setValue(9));
  }

  @Test
  void aSmallHeaderTableRemovesAndReplacesKeepingTheOrder() {
    BasicProperties first =
        BasicProperties.builder().header("a", 1).header("b", 2).header("c", 3).build();
    BasicProperties.Builder b = first.toBuilder().header("b", null);
    BasicProperties withoutB = b.build();
    BasicProperties replaced = b.header("a", "one").header("d", 4).build();

    assertEquals(List.of("a", "b", "c"), List.copyOf(first.headers().keySet()));
    assertEquals(List.of(1, 2, 3), List.copyOf(first.headers().values()));
    assertEquals(List.of("a", "c"), List.copyOf(withoutB.headers().keySet()));
    assertEquals(List.of("a", "c", "d"), List.copyOf(replaced.headers().keySet()));
    assertEquals(List.of("one", 3, 4), List.copyOf(replaced.headers().values()));
    assertTrue(replaced.headers().containsKey("d"));
    assertFalse(replaced.headers().containsKey("b"));
    assertTrue(replaced.headers().containsValue(4));
    assertEquals("dflt", replaced.headers().getOrDefault("b", "dflt"));
    assertThrows(
        UnsupportedOperationException.class,
        () -> {
          var it = replaced.headers().entrySet().iterator();
          it.next();
          it.remove();
        });
    List<String> seen = new java.util.ArrayList<>();
    replaced.headers().forEach((k, v) -> seen.add(k + "=" + v));
    assertEquals(List.of("a=one", "c=3", "d=4"), seen);
  }

  @Test
  void aNullHeaderValueFromAPeerIsKept() {
    Map<String, Object> fromWire = new LinkedHashMap<>();
    fromWire.put("void", null);
    fromWire.put("n", 1);
    BasicProperties p = BasicProperties.builder().headers(fromWire).build();
    assertTrue(p.headers().containsKey("void"));
    assertNull(p.headers().get("void"));
    assertEquals(fromWire, p.headers());
  }
}
