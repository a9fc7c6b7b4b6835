package io.warrenmq.store.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.engine.BasicProperties;
import io.warrenmq.engine.StoredMessage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The net effect of a group commit, as computed by the writer's index. */
class EntryIndexTest {
  private final EntryIndex index = new EntryIndex();

  private static Op.Enqueue enqueue(String queue, long id, long seq) {
    return new Op.Enqueue(
        "/", queue, seq, new StoredMessage(id, "", queue, BasicProperties.EMPTY, new byte[] {1}));
  }

  private static EntryIndex.Key key(String queue, long id) {
    return new EntryIndex.Key("/", queue, id);
  }

  @Test
  void aMessageEnqueuedAndAckedInOneBatchIsNeverWritten() {
    EntryIndex.Batch b = new EntryIndex.Batch();
    index.enqueue(b, enqueue("q", 1, 0));
    index.markDelivered(b, key("q", 1));
    index.dequeue(b, key("q", 1), 0);
    assertTrue(b.isEmpty());
  }

  @Test
  void aMessageInTwoQueuesIsWrittenOnceAndDeletedWithItsLastEntry() {
    EntryIndex.Batch first = new EntryIndex.Batch();
    index.enqueue(first, enqueue("a", 7, 0));
    index.enqueue(first, enqueue("b", 7, 0));
    assertEquals(Set.of(7L), first.insertMessages.keySet());
    assertEquals(2, first.insertEntries.size());

    EntryIndex.Batch second = new EntryIndex.Batch();
    index.dequeue(second, key("a", 7), 0);
    assertEquals(Set.of(key("a", 7)), second.deleteEntries);
    assertTrue(second.deleteMessages.isEmpty(), "queue b still holds it");

    EntryIndex.Batch third = new EntryIndex.Batch();
    index.dequeue(third, key("b", 7), 0);
    assertEquals(Set.of(7L), third.deleteMessages);
  }

  @Test
  void aDequeueThatOvertakesItsEnqueueCancelsIt() {
    EntryIndex.Batch b = new EntryIndex.Batch();
    index.dequeue(b, key("q", 3), 0); // the enqueue is still in a running unit of work
    index.enqueue(b, enqueue("q", 3, 0));
    assertTrue(b.isEmpty());
    assertTrue(index.messageIds().isEmpty());
  }

  @Test
  void deliveredIsWrittenWithTheInsertOrAsAnUpdate() {
    EntryIndex.Batch first = new EntryIndex.Batch();
    index.enqueue(first, enqueue("q", 1, 0));
    index.markDelivered(first, key("q", 1));
    assertTrue(first.insertEntries.get(key("q", 1)).delivered);
    assertTrue(first.markDelivered.isEmpty());

    index.enqueue(new EntryIndex.Batch(), enqueue("q", 2, 1));
    EntryIndex.Batch second = new EntryIndex.Batch();
    index.markDelivered(second, key("q", 2));
    index.markDelivered(second, key("q", 2));
    assertEquals(List.of(key("q", 2)), List.copyOf(second.markDelivered));
  }

  @Test
  void aPurgedQueueDropsItsPendingEntriesAndUnreferencedMessages() {
    index.enqueue(new EntryIndex.Batch(), enqueue("q", 1, 0));
    EntryIndex.Batch b = new EntryIndex.Batch();
    index.enqueue(b, enqueue("q", 2, 1));
    index.enqueue(b, enqueue("other", 2, 0));
    index.purge(b, "/", "q");
    assertEquals(Set.of(key("q", 0)), b.purged);
    assertEquals(Set.of(key("other", 2)), b.insertEntries.keySet());
    assertEquals(Set.of(1L), b.deleteMessages);
    assertEquals(Set.of(2L), b.insertMessages.keySet());
  }
}
