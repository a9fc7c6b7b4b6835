package io.warrenmq.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The delivery order of one priority level of a queue: requeued entries first by arrival, then the
 * new ones in arrival order, whichever way (heap or the FIFO's front) an entry went back.
 */
class ReadyListTest {
  private static QueueEntry entry(long seq) {
    QueueEntry e = new QueueEntry(null, "", "k", BasicProperties.EMPTY, new byte[0], 0);
    e.seq = seq;
    return e;
  }

  private static List<Long> drain(ReadyList list) {
    List<Long> out = new ArrayList<>();
    for (QueueEntry e = list.poll(); e != null; e = list.poll()) {
      out.add(e.seq);
    }
    return out;
  }

  private static List<QueueEntry> fill(ReadyList list, int n) {
    List<QueueEntry> all = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      QueueEntry e = entry(i);
      all.add(e);
      list.add(e);
    }
    return all;
  }

  @Test
  void unseenEntriesReturnedNewestFirstAreServedAgainInArrivalOrderBeforeTheRest() {
    ReadyList list = new ReadyList();
    List<QueueEntry> all = fill(list, 6);
    for (int i = 0; i < 4; i++) {
      list.poll(); // 1..4 taken to a mailbox
    }
    list.addUnseen(all.get(3));
    list.addUnseen(all.get(2));
    list.addUnseen(all.get(1));

    assertEquals(5, list.size());
    assertEquals(2, list.peek().seq);
    assertEquals(List.of(2L, 3L, 4L, 5L, 6L), drain(list));
    assertTrue(list.isEmpty());
  }

  @Test
  void unseenEntriesWaitBehindAnOlderRequeuedEntryAsTheHeapWouldOrderThem() {
    ReadyList list = new ReadyList();
    List<QueueEntry> all = fill(list, 6);
    for (int i = 0; i < 4; i++) {
      list.poll();
    }
    list.addRequeued(all.get(0)); // 1 was nacked and requeued
    list.addUnseen(all.get(3));
    list.addUnseen(all.get(2));

    assertEquals(List.of(1L, 3L, 4L, 5L, 6L), drain(list));
  }

  @Test
  void anUnseenEntryNewerThanTheHeadOfTheFifoGoesByArrivalThroughTheHeap() {
    ReadyList list = new ReadyList();
    List<QueueEntry> all = fill(list, 6);
    list.poll();
    list.poll();
    list.poll(); // 1, 2, 3 taken; 4 is the head
    list.remove(all.get(4)); // a selector consumer took 5 from the middle
    list.addUnseen(all.get(4)); // and it comes back unseen

    assertEquals(List.of(5L, 4L, 6L), drain(list), "requeued entries are served first");
  }
}
