package io.warrenmq.jms;

import io.warrenmq.jms.spi.TransportChannel;
import jakarta.jms.CompletionListener;
import jakarta.jms.Message;
import jakarta.jms.ResourceAllocationException;
import java.util.Iterator;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A session's publisher confirms (Jakarta Messaging 7.3, asynchronous send): puts the session's
 * channel in confirm mode on first use and completes each asynchronous send when the broker
 * confirms it (after the store commit for a persistent message), calling its {@link
 * CompletionListener} on the connection's completion thread, in sequence order.
 *
 * <p>Thread-safety: {@link #ensureConfirms} and {@link #expect} run on the session's thread; the
 * confirms arrive on the channel's dispatch task; the pending map is concurrent.
 */
final class AsyncSends {

  private record Completion(CompletionListener listener, Message message) {}

  private final WarrenSession session;
  private final ConcurrentSkipListMap<Long, Completion> pending = new ConcurrentSkipListMap<>();
  private boolean confirming;

  AsyncSends(WarrenSession session) {
    this.session = session;
  }

  /** Puts the channel in confirm mode once, for persistent and asynchronous sends. */
  void ensureConfirms() {
    if (!confirming) {
      session.channel().confirmSelect();
      session
          .channel()
          .addConfirmListener(
              new TransportChannel.ConfirmListener() {
                @Override
                public void handleAck(long deliveryTag, boolean multiple) {
                  complete(deliveryTag, multiple, true);
                }

                @Override
                public void handleNack(long deliveryTag, boolean multiple) {
                  complete(deliveryTag, multiple, false);
                }
              });
      confirming = true;
    }
  }

  /** Registers the listener of the send about to be published with sequence number {@code seq}. */
  void expect(long seq, CompletionListener listener, Message message) {
    pending.put(seq, new Completion(listener, message));
  }

  /**
   * Waits (up to 60 s) until every asynchronous send has been confirmed and its listener handed to
   * the completion thread (Jakarta Messaging 7.3.4: close and commit wait for incomplete sends).
   */
  void awaitConfirmed() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!pending.isEmpty() && session.channel().isOpen() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000);
    }
  }

  private void complete(long seq, boolean multiple, boolean acked) {
    if (!multiple) {
      Completion c = pending.remove(seq); // the in-VM broker confirms one publish at a time
      if (c != null) {
        handOver(c, acked);
      }
      return;
    }
    for (Iterator<Completion> it = pending.headMap(seq, true).values().iterator(); it.hasNext(); ) {
      Completion c = it.next();
      it.remove();
      handOver(c, acked);
    }
  }

  private void handOver(Completion c, boolean acked) {
    session
        .connection()
        .completions()
        .execute(
            () -> {
              if (acked) {
                c.listener().onCompletion(c.message());
              } else {
                c.listener()
                    .onException(
                        c.message(),
                        new ResourceAllocationException(
                            "the broker refused the message (store failure, or a queue with"
                                + " x-overflow=reject-publish is full)"));
              }
            });
  }
}
