package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Unit test of {@link DeliveryTags}, a session's unacknowledged delivery tags. */
class DeliveryTagsTest {

  @Test
  void removesAnyTagAndDrainsTheRestOldestFirst() {
    DeliveryTags tags = new DeliveryTags();
    for (long t = 1; t <= 40; t++) { // past the first array of 16
      tags.add(t);
    }
    assertTrue(tags.remove(40), "the newest");
    assertTrue(tags.remove(1), "the oldest");
    assertTrue(tags.remove(17), "one in the middle");
    assertFalse(tags.remove(17), "already gone");
    assertFalse(tags.remove(99), "never added");

    long[] expected = LongStream.rangeClosed(2, 39).filter(t -> t != 17).toArray();
    assertArrayEquals(expected, tags.drain());
    assertArrayEquals(new long[0], tags.drain(), "drain empties it");
  }

  @Test
  void keepsWorkingAfterALargeDrain() {
    DeliveryTags tags = new DeliveryTags();
    for (long t = 1; t <= 5_000; t++) {
      tags.add(t);
    }
    long[] all = tags.drain();
    assertArrayEquals(LongStream.rangeClosed(1, 5_000).toArray(), all);

    tags.add(7);
    tags.add(8);
    assertTrue(tags.remove(7));
    assertArrayEquals(new long[] {8}, tags.drain());
  }
}
