package io.warrenmq.engine;

import java.util.Objects;

/**
 * One stored queue entry as the {@link MessageStore} reads it back ({@link
 * MessageStore#readEntries}): the message and where it stands in its queue.
 *
 * @param seq the entry's position in its queue (the {@code seq} it was enqueued with)
 * @param message the message, with its properties and body as written
 * @param delivered whether it had been delivered (it is then delivered again as {@code
 *     redelivered}, AMQP 0-9-1 {@code basic.deliver}); also true for every entry recovered after an
 *     unclean shutdown, where the store cannot know (JMS 3.1 section 6.2.13 allows a spurious
 *     {@code JMSRedelivered})
 */
public record StoredEntry(long seq, StoredMessage message, boolean delivered) {

  public StoredEntry {
    Objects.requireNonNull(message, "message");
  }
}
