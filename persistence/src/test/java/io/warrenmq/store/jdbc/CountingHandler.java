package io.warrenmq.store.jdbc;

import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.StoredBinding;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the recovered queue entries. */
final class CountingHandler implements MessageStore.RecoveryHandler {
  private final AtomicInteger messages;

  CountingHandler(AtomicInteger messages) {
    this.messages = messages;
  }

  @Override
  public void exchange(String virtualHost, ExchangeSpec spec) {}

  @Override
  public void queue(String virtualHost, QueueSpec spec) {}

  @Override
  public void binding(StoredBinding binding) {}

  @Override
  public void queueEntries(
      String virtualHost, String queue, long entries, long bodyBytes, long lastSeq) {
    messages.addAndGet((int) entries);
  }

  @Override
  public void lastMessageId(long messageId) {}
}
