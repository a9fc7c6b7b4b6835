package io.warrenmq.store.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.engine.StoredMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dequeues and delivered marks that reach the writer before their enqueue's unit of work. */
class OpenUnitsTest {
  private final OpenUnits units = new OpenUnits();

  private static Op.Enqueue enqueue(String queue, long id, long seq) {
    return new Op.Enqueue(
        "/",
        queue,
        seq,
        new StoredMessage(id, "", queue, BasicProperties.EMPTY, new byte[] {1}),
        Codec.encode(BasicProperties.EMPTY));
  }

  @Test
  void aDequeueThatOvertakesItsEnqueueCancelsIt() {
    Op.Enqueue e = enqueue("q", 3, 0);
    units.opened(e); // the unit's work is still running
    assertTrue(units.overtakes("/", "q", 3, false));
    OpenUnits.Tombstone t = units.written(e);
    assertTrue(t.dequeued);
    assertEquals(0, units.size(), "nothing is held once the enqueue arrived");
  }

  @Test
  void aDeliveredMarkThatOvertakesItsEnqueueIsWrittenWithIt() {
    Op.Enqueue e = enqueue("q", 4, 0);
    units.opened(e);
    assertTrue(units.overtakes("/", "q", 4, true));
    OpenUnits.Tombstone t = units.written(e);
    assertTrue(t.delivered);
    assertFalse(t.dequeued);
  }

  @Test
  void aDequeueOfAnEntryTheWriterHasSeenIsAnOrdinaryDequeue() {
    Op.Enqueue e = enqueue("q", 5, 0);
    units.opened(e);
    assertNull(units.written(e));
    assertFalse(units.overtakes("/", "q", 5, false));
    assertFalse(units.overtakes("/", "other", 6, false), "never in a unit");
    assertEquals(0, units.size());
  }

  @Test
  void aPurgeDequeuesTheOpenUnitsEnqueuesAboveItsSeqInAdvance() {
    Op.Enqueue low = enqueue("q", 7, 10);
    Op.Enqueue high = enqueue("q", 8, 11);
    Op.Enqueue elsewhere = enqueue("r", 9, 99);
    units.opened(low);
    units.opened(high);
    units.opened(elsewhere);
    units.purge("/", "q", 10, Long.MAX_VALUE);
    assertNull(units.written(low));
    assertTrue(units.written(high).dequeued);
    assertNull(units.written(elsewhere));
  }

  @Test
  void anAbandonedUnitLeavesNothingBehind() {
    Op.Enqueue e = enqueue("q", 1, 0);
    units.opened(e);
    units.abandoned(List.of(e));
    assertEquals(0, units.size());
  }
}
