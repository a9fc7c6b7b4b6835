package io.warrenmq.management.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderTest {
  @Test
  void propertiesKeyIsTheEncodedRoutingKeyAsRabbitMqWritesIt() {
    assertEquals("~", Render.propertiesKey("", Map.of()));
    assertEquals("k.%23", Render.propertiesKey("k.#", Map.of())); // RabbitMQ 3.10.8's answer
    assertEquals("a.*", Render.propertiesKey("a.*", Map.of()));
    assertEquals("a%7Eb", Render.propertiesKey("a~b", Map.of()));
    assertEquals("a%2Fb%20c", Render.propertiesKey("a/b c", Map.of()));
  }

  @Test
  void propertiesKeyWithArgumentsAddsAStableHashThatDependsOnThem() {
    String one = Render.propertiesKey("k", Map.of("x-match", "all", "a", 1));
    assertTrue(one.startsWith("k~"), one);
    assertEquals(one, Render.propertiesKey("k", Map.of("a", 1, "x-match", "all")));
    assertNotEquals(one, Render.propertiesKey("k", Map.of("x-match", "any", "a", 1)));
  }

  @Test
  void aDecodedPathSegmentMatchesItsPropertiesKey() {
    assertTrue(Render.matchesPropertiesKey("k.#", "k.#", Map.of()));
    assertTrue(Render.matchesPropertiesKey("k.%23", "k.#", Map.of()));
    assertFalse(Render.matchesPropertiesKey("k.*", "k.#", Map.of()));
  }

  @Test
  void pathSegmentsArePercentDecodedOneByOne() {
    assertEquals(
        List.of("api", "queues", "/", "a/b"), ApiHandler.segments("/api/queues/%2F/a%2Fb"));
    assertEquals(List.of("api", "queues", "/", "a+b"), ApiHandler.segments("/api/queues/%2F/a+b"));
    assertEquals(List.of("api", "queues", "/"), ApiHandler.segments("/api/queues/%2F/"));
    ApiException e = assertThrows(ApiException.class, () -> ApiHandler.segments("/api/queues/%zz"));
    assertEquals(400, e.status);
  }

  @Test
  void ratesAreZeroFirstAndThenTheChangePerSecond() {
    Rates rates = new Rates();
    assertEquals(0.0, rates.rate("k", 10));
    assertEquals(0.0, rates.rate("k", 20), "within 5 s the last rate is kept");
  }
}
