package io.warrenmq.store.jdbc.internal;

/**
 * A queue entry: the queue's row id ({@code warren_queue.id}) and the message id.
 *
 * @param queueId the queue's id in {@code warren_queue}
 * @param messageId the message's id in {@code warren_message}
 */
record EntryKey(long queueId, long messageId) {}
