package io.warrenmq.store.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Delivered marks held by the writer until there are many or the store closes. */
class DeliveredMarksTest {
  private final DeliveredMarks marks = new DeliveredMarks();

  @Test
  void marksAreHeldUntilMoreThanTheThresholdAccumulate() {
    for (long id = 1; id <= DeliveredMarks.FLUSH_THRESHOLD; id++) {
      marks.add(new EntryKey(1, id));
    }
    assertEquals(List.of(), marks.toWrite(false));
    marks.add(new EntryKey(1, 0));
    List<EntryKey> written = marks.toWrite(false);
    assertEquals(DeliveredMarks.FLUSH_THRESHOLD + 1, written.size());
    assertTrue(marks.contains(new EntryKey(1, 0)), "held until the commit that wrote them");
    marks.written(written);
    assertEquals(0, marks.size());
  }

  @Test
  void closingWritesEveryMarkAndAnAckedOrDeletedEntryNeedsNone() {
    marks.add(new EntryKey(1, 1));
    marks.add(new EntryKey(1, 2));
    marks.add(new EntryKey(2, 3));
    marks.remove(new EntryKey(1, 1)); // acked
    marks.removeQueue(2); // queue deleted
    assertEquals(List.of(new EntryKey(1, 2)), marks.toWrite(true));
    assertFalse(marks.contains(new EntryKey(1, 1)));
  }
}
