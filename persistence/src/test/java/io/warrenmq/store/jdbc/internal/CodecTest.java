package io.warrenmq.store.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warrenmq.client.BasicProperties;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stored form of message properties and arguments: rows written by earlier releases must still
 * decode, so the bytes are pinned (produced by the {@code DataOutputStream}-on-{@code
 * ByteArrayOutputStream} encoder this one replaced).
 */
class CodecTest {
  private static final String PROPERTIES_HEX =
      "010000000a746578742f706c61696effffffff0000000500000003696e74490000000700000004746578745300"
          + "00000668c3a96c6c6f000000046c69737441000000036c000000000000000174015300000001780000000562"
          + "797465737800000003010203000000066e65737465644600000001000000016b644004000000000000490000"
          + "00024900000005ffffffffffffffffffffffff000000026d316c00000000000004d20000000174ffffffffff"
          + "ffffff";

  private static BasicProperties sample() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("int", 7);
    h.put("text", "héllo");
    h.put("list", List.of(1L, true, "x"));
    h.put("bytes", new byte[] {1, 2, 3});
    h.put("nested", Map.of("k", 2.5));
    return BasicProperties.builder()
        .contentType("text/plain")
        .headers(h)
        .deliveryMode(2)
        .priority(5)
        .messageId("m1")
        .timestamp(1234L)
        .type("t")
        .build();
  }

  @Test
  void messagePropertiesEncodeToTheSameBytesAsEarlierReleasesWrote() {
    assertEquals(PROPERTIES_HEX, HexFormat.of().formatHex(Codec.encode(sample())));
  }

  @Test
  void argumentsEncodeToTheSameBytesAsEarlierReleasesWrote() {
    assertEquals(
        "01000000010000000c782d6d61782d6c656e677468490000000a",
        HexFormat.of().formatHex(Codec.encode(Map.<String, Object>of("x-max-length", 10))));
  }

  @Test
  void messagePropertiesRoundTripWithEveryHeaderType() {
    BasicProperties p = Codec.decodeProperties(HexFormat.of().parseHex(PROPERTIES_HEX));
    assertEquals("text/plain", p.contentType());
    assertEquals(2, p.deliveryMode());
    assertEquals(5, p.priority());
    assertEquals("m1", p.messageId());
    assertEquals(1234L, p.timestamp());
    assertEquals("t", p.type());
    assertEquals(7, p.headers().get("int"));
    assertEquals("héllo", p.headers().get("text"));
    assertEquals(List.of(1L, true, "x"), p.headers().get("list"));
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) p.headers().get("bytes"));
    assertEquals(Map.of("k", 2.5), p.headers().get("nested"));
  }

  @Test
  void aLargeHeaderGrowsTheBufferAndRoundTrips() {
    String big = "x".repeat(10_000);
    BasicProperties p = BasicProperties.builder().header("big", big).build();
    assertEquals(big, Codec.decodeProperties(Codec.encode(p)).headers().get("big"));
  }

  @Test
  void aHeaderValueOfAnUnknownTypeIsRefusedNamingTheType() {
    BasicProperties p = BasicProperties.builder().header("o", new Object()).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Codec.encode(p));
    assertEquals(
        "cannot store a header or argument value of type java.lang.Object", e.getMessage());
  }

  @Test
  void pinnedBytesDecodeToEveryPropertyAndHeaderTheyHold() {
    BasicProperties p = Codec.decodeProperties(HexFormat.of().parseHex(PROPERTIES_HEX));
    BasicProperties expected = sample();
    assertEquals(expected.contentType(), p.contentType());
    assertEquals(expected.deliveryMode(), p.deliveryMode());
    assertEquals(expected.priority(), p.priority());
    assertEquals(expected.messageId(), p.messageId());
    assertEquals(expected.timestamp(), p.timestamp());
    assertEquals(expected.type(), p.type());
    assertEquals(null, p.correlationId());
    assertEquals(
        List.of("int", "text", "list", "bytes", "nested"), List.copyOf(p.headers().keySet()));
    assertEquals(7, p.headers().get("int"));
    assertEquals("héllo", p.headers().get("text"));
    assertEquals(List.of(1L, true, "x"), p.headers().get("list"));
  }

  @Test
  void truncatedOrUnknownBytesAreReportedAsCorruptNotDecodedHalfway() {
    byte[] whole = HexFormat.of().parseHex(PROPERTIES_HEX);
    for (int cut : new int[] {0, 1, 5, 20, whole.length - 1}) {
      byte[] truncated = java.util.Arrays.copyOf(whole, cut);
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> Codec.decodeProperties(truncated));
      assertEquals("corrupt stored message properties", e.getMessage(), "cut at " + cut);
    }
    byte[] otherVersion = whole.clone();
    otherVersion[0] = 9;
    IllegalStateException v =
        assertThrows(IllegalStateException.class, () -> Codec.decodeProperties(otherVersion));
    assertEquals("unknown encoding version 9", v.getCause().getMessage());
    byte[] arguments =
        HexFormat.of().parseHex("01000000010000000c782d6d61782d6c656e677468510000000a");
    IllegalStateException t =
        assertThrows(IllegalStateException.class, () -> Codec.decodeArguments(arguments));
    assertEquals("unknown value type 81", t.getCause().getMessage());
  }
}
