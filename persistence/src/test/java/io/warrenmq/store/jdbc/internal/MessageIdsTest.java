package io.warrenmq.store.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The layout of queue-made message ids ({@link MessageIds}) and its limits. */
class MessageIdsTest {
  @Test
  void aQueueMadeIdNamesItsQueueAndIsAboveEveryGlobalId() {
    long id = MessageIds.of(7, 42);
    assertEquals(MessageIds.QUEUE_MADE | 7L << 40 | 42, id);
    assertTrue(id > 0 && id >= MessageIds.QUEUE_MADE);
    assertTrue(MessageIds.isOf(id, 7));
    assertFalse(MessageIds.isOf(id, 8));
    assertEquals(7, MessageIds.queueOf(id));
    assertFalse(MessageIds.isOf(42, 7), "a global id belongs to no queue");
    assertEquals(0, MessageIds.queueOf(MessageIds.QUEUE_MADE - 1));
  }

  @Test
  void outOfRangeQueuesAndPositionsGetNoId() {
    assertEquals(0, MessageIds.of(0, 1), "queue not stored");
    assertEquals(0, MessageIds.of(1, -1));
    assertEquals(0, MessageIds.of(1, 1L << 40));
    assertEquals(0, MessageIds.of(MessageIds.QUEUE_LIMIT, 0));
    long last = MessageIds.of(MessageIds.QUEUE_LIMIT - 1, (1L << 40) - 1);
    assertTrue(last > 0, "the highest id stays positive: " + last);
    assertTrue(MessageIds.below(MessageIds.QUEUE_LIMIT - 1, Long.MAX_VALUE) > last);
  }

  @Test
  void rangesCoverTheQueueBetweenTheirPositionsAndNoOtherQueue() {
    assertEquals(MessageIds.of(3, 0), MessageIds.from(3, Long.MIN_VALUE));
    assertEquals(MessageIds.of(3, 6), MessageIds.from(3, 5));
    assertEquals(MessageIds.of(3, 9), MessageIds.below(3, 9));
    assertEquals(MessageIds.of(4, 0), MessageIds.below(3, Long.MAX_VALUE));
    // past the last position: an empty range, not the next queue's ids
    assertEquals(MessageIds.of(4, 0), MessageIds.from(3, (1L << 40) - 1));
    assertEquals(MessageIds.of(4, 0), MessageIds.from(3, Long.MAX_VALUE));
  }
}
