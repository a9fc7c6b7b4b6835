package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Unit test of {@link DeliveryTags}, a session's unacknowledged delivery tags. */
class DeliveryTagsTest {

  @Test
  void drainsEveryTagOldestFirst() {
    DeliveryTags tags = new DeliveryTags();
    for (long t = 1; t <= 40; t++) { // past the first array of 16
      tags.add(t);
    }
    assertArrayEquals(LongStream.rangeClosed(1, 40).toArray(), tags.drain());
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
    assertArrayEquals(new long[] {7, 8}, tags.drain());
  }
}
