package io.warrenmq.engine;

import java.util.Objects;

/**
 * A persistent message held by a durable {@code x-delayed-message} exchange until it is due, as the
 * {@link MessageStore} keeps it ({@link MessageStore#storeDelayedMessage}), so that it survives a
 * restart. After the rabbitmq-delayed-message-exchange plugin, which keeps held messages on disk.
 *
 * @param virtualHost the exchange's virtual host
 * @param message the message: {@link StoredMessage#exchange()} is the delayed exchange that holds
 *     it, its routing key and properties are those it is routed with when due ({@code x-delay}
 *     already negated, so that no delayed exchange holds it again); its id is unique within the
 *     store
 * @param dueAtMillis when it is due, in ms since the epoch (wall clock, so that it survives a
 *     restart); a message recovered after this time is routed at once
 */
public record StoredDelayedMessage(String virtualHost, StoredMessage message, long dueAtMillis) {

  public StoredDelayedMessage {
    Objects.requireNonNull(virtualHost, "virtualHost");
    Objects.requireNonNull(message, "message");
  }
}
