package io.warrenmq.engine.internal;

import io.warrenmq.engine.MessageStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a channel does with entries that leave its unacked window: settle them, dead-letter them, or
 * give them back to their queues (which may be several) in their original order.
 */
final class QueueEntries {

  private QueueEntries() {}

  /**
   * Dead-letters entries rejected or nacked without requeue ({@code basic.reject}/{@code nack}).
   */
  static void deadLetterRejected(List<QueueEntry> entries) {
    deadLetterRejected(entries, null);
  }

  /**
   * {@link #deadLetterRejected(List)} in a store unit of work ({@code tx.commit}), or on their own
   * if {@code unit} is null.
   */
  static void deadLetterRejected(List<QueueEntry> entries, MessageStore.UnitOfWork unit) {
    for (QueueEntry e : entries) {
      DeadLetterer.deadLetter(e.queue, e, DeadLetterer.REJECTED, unit);
    }
  }

  /** Acked entries: they leave the broker. */
  static void settleAll(List<QueueEntry> entries) {
    settleAll(entries, null);
  }

  /**
   * {@link #settleAll(List)}, their store removals in a unit of work ({@code tx.commit}), or on
   * their own if {@code unit} is null.
   */
  static void settleAll(List<QueueEntry> entries, MessageStore.UnitOfWork unit) {
    for (QueueEntry e : entries) {
      e.settled(unit);
    }
  }

  /**
   * Requeues entries to their queues, one call per queue, preserving their order.
   *
   * @param how why they return (redelivered or not, redelivery delay or not)
   */
  static void requeueGrouped(List<QueueEntry> entries, Queue.Return how) {
    if (entries.isEmpty()) {
      return;
    }
    Queue first = entries.get(0).queue;
    boolean single = true;
    for (QueueEntry e : entries) {
      if (e.queue != first) {
        single = false;
        break;
      }
    }
    if (single) {
      first.requeue(entries, how);
      return;
    }
    Map<Queue, List<QueueEntry>> byQueue = new LinkedHashMap<>();
    for (QueueEntry e : entries) {
      byQueue.computeIfAbsent(e.queue, q -> new ArrayList<>()).add(e);
    }
    byQueue.forEach((q, list) -> q.requeue(list, how));
  }
}
