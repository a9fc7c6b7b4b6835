package io.warrenmq.store.jdbc.internal;

/**
 * The two kinds of message id the store keeps in {@code warren_message.id} (schema version 8).
 *
 * <ul>
 *   <li><b>Queue-made ids</b>, for a message held by one queue: {@code 2^62 | queueId << 40 | seq},
 *       where {@code queueId} is {@code warren_queue.id} and {@code seq} the entry's position in
 *       its queue. The store hands them out ({@code MessageStore.messageIdFor}) and writes such a
 *       message in its own row, found by a range of the primary key: the rows of one queue are
 *       contiguous and in queue order, so the table needs no second index for the page reads, and a
 *       publish writes one B-tree entry instead of two. Limits: {@code queueId} below {@code 2^22}
 *       (about 4.2 million queues ever stored in the database) and {@code seq} below {@code 2^40}
 *       (about 1.1 × 10^12 entries of one queue between two restarts that find it empty); past
 *       either the store gives no id and the message takes a global one.
 *   <li><b>Global ids</b>, below {@code 2^62}, from the broker's counter ({@code
 *       RecoveryHandler.lastMessageId} seeds it with the highest global id): messages routed to
 *       several queues, delayed messages, and single-queue messages whose queue id was not known
 *       yet when they were published. Such a message has a row without a queue and one {@code
 *       warren_queue_entry} row per queue.
 * </ul>
 *
 * <p>The two ranges cannot meet: the broker's counter would need {@code 2^62} ids.
 *
 * <p>Stateless and thread-safe.
 */
public final class MessageIds {
  /** The first queue-made id; every global id is below it. */
  public static final long QUEUE_MADE = 1L << 62;

  static final int SEQ_BITS = 40;
  static final long SEQ_LIMIT = 1L << SEQ_BITS;
  // exclusive; one below 2^22 so that the bound after the last queue's ids stays positive
  static final long QUEUE_LIMIT = (1L << 22) - 1;

  private MessageIds() {}

  /**
   * The queue-made id of the entry at {@code seq} of the queue {@code queueId}.
   *
   * @return 0 if either is out of range (a queue id of 0 means the queue is not stored)
   */
  public static long of(long queueId, long seq) {
    if (!madeFor(queueId) || seq < 0 || seq >= SEQ_LIMIT) {
      return 0;
    }
    return QUEUE_MADE | queueId << SEQ_BITS | seq;
  }

  /** Whether the queue {@code queueId} can have queue-made ids (the bounds below need it). */
  static boolean madeFor(long queueId) {
    return queueId > 0 && queueId < QUEUE_LIMIT;
  }

  /** Whether {@code messageId} is a queue-made id of the queue {@code queueId}. */
  static boolean isOf(long messageId, long queueId) {
    return messageId >= QUEUE_MADE && ((messageId & ~QUEUE_MADE) >>> SEQ_BITS) == queueId;
  }

  /** The queue id a queue-made id names; 0 for a global id. */
  static long queueOf(long messageId) {
    return messageId >= QUEUE_MADE ? (messageId & ~QUEUE_MADE) >>> SEQ_BITS : 0;
  }

  /**
   * The lowest queue-made id of the queue {@code queueId} whose seq is above {@code afterSeq}
   * ({@code Long.MIN_VALUE}: the queue's first), inclusive bound of a primary-key range.
   *
   * @param queueId a queue for which {@link #madeFor} holds
   */
  static long from(long queueId, long afterSeq) {
    long seq = afterSeq < 0 ? 0 : afterSeq >= SEQ_LIMIT - 1 ? SEQ_LIMIT : afterSeq + 1;
    return (QUEUE_MADE | queueId << SEQ_BITS) + seq;
  }

  /**
   * The exclusive upper bound of the queue-made ids of the queue {@code queueId} whose seq is below
   * {@code beforeSeq} ({@code Long.MAX_VALUE}: all of them).
   *
   * @param queueId a queue for which {@link #madeFor} holds
   */
  static long below(long queueId, long beforeSeq) {
    long seq = beforeSeq < 0 ? 0 : Math.min(beforeSeq, SEQ_LIMIT);
    return (QUEUE_MADE | queueId << SEQ_BITS) + seq;
  }
}
