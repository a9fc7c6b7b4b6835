package io.warrenmq.store.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.engine.StoredMessage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The net effect of a group commit, as computed by the writer's batch plan. */
class BatchPlanTest {
  private static Op.Enqueue enqueue(long queueId, long id, long seq, boolean shared) {
    Op.Enqueue e =
        new Op.Enqueue(
            "/",
            "q" + queueId,
            seq,
            new StoredMessage(id, "", "q", BasicProperties.EMPTY, new byte[] {1}),
            Codec.encode(BasicProperties.EMPTY));
    e.queueId = queueId;
    e.shared = shared;
    return e;
  }

  private static EntryKey key(long queueId, long id) {
    return new EntryKey(queueId, id);
  }

  @Test
  void aMessageEnqueuedAndAckedInOneBatchIsNeverWritten() {
    BatchPlan b = new BatchPlan();
    b.enqueue(enqueue(1, 1, 0, false));
    assertTrue(b.markDelivered(key(1, 1)));
    b.dequeue(key(1, 1));
    assertTrue(b.isEmpty());
  }

  @Test
  void aMessageHeldByOneQueueIsOneRowAndItsAckOneDelete() {
    BatchPlan first = new BatchPlan();
    first.enqueue(enqueue(1, 5, 0, false));
    assertEquals(Set.of(5L), first.insertedMessageIds());
    assertEquals(List.of(), first.entryRows());

    BatchPlan second = new BatchPlan();
    second.dequeue(key(1, 5));
    assertEquals(List.of(key(1, 5)), second.deletes);
    assertTrue(second.inserts.isEmpty());
  }

  @Test
  void aMessageInTwoQueuesIsWrittenOnceWithAnEntryPerQueue() {
    BatchPlan first = new BatchPlan();
    first.enqueue(enqueue(1, 7, 0, true));
    first.enqueue(enqueue(2, 7, 0, true));
    assertEquals(Set.of(7L), first.insertedMessageIds());
    assertEquals(1, first.messageRows().size());
    assertEquals(2, first.entryRows().size());

    BatchPlan partly = new BatchPlan();
    partly.enqueue(enqueue(1, 8, 1, true));
    partly.enqueue(enqueue(2, 8, 1, true));
    partly.dequeue(key(1, 8));
    assertEquals(Set.of(8L), partly.insertedMessageIds(), "queue 2 still holds it");
    assertEquals(1, partly.entryRows().size());
    partly.dequeue(key(2, 8));
    assertTrue(partly.isEmpty(), "its last entry went in the same batch");
  }

  @Test
  void deliveredIsWrittenWithTheInsertOrLeftToTheWriter() {
    BatchPlan first = new BatchPlan();
    Op.Enqueue e = enqueue(1, 1, 0, false);
    first.enqueue(e);
    assertTrue(first.markDelivered(key(1, 1)));
    assertTrue(e.delivered);

    BatchPlan second = new BatchPlan();
    assertFalse(second.markDelivered(key(1, 1)), "written earlier: held as a pending mark");
    assertTrue(second.isEmpty());
  }

  @Test
  void aPurgedQueueDropsItsPendingEntriesAndTheRowsOfEarlierBatches() {
    BatchPlan b = new BatchPlan();
    b.enqueue(enqueue(1, 2, 1, false));
    b.enqueue(enqueue(1, 3, 2, true));
    b.enqueue(enqueue(9, 3, 0, true));
    b.removeRange(1, Long.MIN_VALUE, Long.MAX_VALUE);
    b.enqueue(enqueue(1, 4, 3, false)); // after the purge: kept
    assertEquals(List.of(new BatchPlan.Range(1, Long.MIN_VALUE, Long.MAX_VALUE)), b.ranges);
    assertEquals(Set.of(key(9, 3), key(1, 4)), b.inserts.keySet());
    assertEquals(Set.of(3L, 4L), b.insertedMessageIds());
  }

  @Test
  void dequeueAfterDropsOnlyThePendingEntriesAboveItsSeq() {
    BatchPlan b = new BatchPlan();
    b.enqueue(enqueue(1, 10, 10, false));
    b.enqueue(enqueue(1, 11, 11, false));
    b.enqueue(enqueue(2, 12, 50, false));
    b.removeRange(1, 10, Long.MAX_VALUE);
    assertEquals(Set.of(key(1, 10), key(2, 12)), b.inserts.keySet());
    assertEquals(List.of(new BatchPlan.Range(1, 10, Long.MAX_VALUE)), b.ranges);
  }

  @Test
  void aBoundedRangeDropsOnlyThePendingEntriesStrictlyBetweenItsBounds() {
    BatchPlan b = new BatchPlan();
    for (long seq = 10; seq <= 14; seq++) {
      b.enqueue(enqueue(1, seq, seq, false));
    }
    b.removeRange(1, 10, 13);
    assertEquals(Set.of(key(1, 10), key(1, 13), key(1, 14)), b.inserts.keySet());
    assertEquals(List.of(new BatchPlan.Range(1, 10, 13)), b.ranges);
  }
}
