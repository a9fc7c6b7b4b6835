package io.warrenmq.jms;

import io.warrenmq.jms.spi.TransportChannel;
import jakarta.jms.CompletionListener;
import jakarta.jms.Message;
import jakarta.jms.ResourceAllocationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A session's publisher confirms (Jakarta Messaging 7.3, asynchronous send): puts the session's
 * channel in confirm mode on first use and completes each asynchronous send when the broker
 * confirms it (after the store commit for a persistent message), calling its {@link
 * CompletionListener} on the connection's completion thread, in sequence order (Jakarta Messaging
 * 7.3.8). A listener that throws is logged at WARNING and the next sends' listeners are still
 * called (the specification leaves this case open).
 *
 * <p>Thread-safety: {@link #ensureConfirms} and {@link #expect} run on the session's thread; the
 * confirms arrive on the channel's dispatch task; the pending map is concurrent.
 */
final class AsyncSends {

  private static final System.Logger LOG = System.getLogger(AsyncSends.class.getName());

  private record Completion(CompletionListener listener, Message message) {}

  private record Outcome(Completion completion, boolean acked) {}

  private final WarrenSession session;
  // by sequence number; a hash map, not a sorted one: a put per send was 12% of the sending thread
  private final ConcurrentHashMap<Long, Completion> pending = new ConcurrentHashMap<>();
  // confirmed sends whose listeners the completion thread has yet to call, in confirm order
  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
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
      Completion c = pending.get(seq); // the in-VM broker confirms one publish at a time
      if (c != null) {
        handOver(c, acked);
        pending.remove(seq); // after the hand-over, so awaitConfirmed cannot miss it
      }
      return;
    }
    // every pending send up to seq, in sequence order (at most the sends in flight)
    List<Long> covered = new ArrayList<>();
    for (Long s : pending.keySet()) {
      if (s <= seq) {
        covered.add(s);
      }
    }
    Collections.sort(covered);
    for (Long s : covered) {
      handOver(pending.get(s), acked);
      pending.remove(s);
    }
  }

  /**
   * Queues the outcome for the completion thread; one drain task runs all outcomes queued so far,
   * so a burst of confirms wakes that thread once, not once per message.
   */
  private void handOver(Completion c, boolean acked) {
    outcomes.add(new Outcome(c, acked));
    if (draining.compareAndSet(false, true)) {
      session.connection().completions().execute(this::drainOutcomes);
    }
  }

  private void drainOutcomes() {
    try {
      do {
        for (Outcome o; (o = outcomes.poll()) != null; ) {
          call(o);
        }
        draining.set(false);
      } while (!outcomes.isEmpty() && draining.compareAndSet(false, true));
    } catch (Error e) {
      // a listener threw an Error: the executor replaces its thread; the rest still get called
      draining.set(false);
      if (!outcomes.isEmpty() && draining.compareAndSet(false, true)) {
        session.connection().completions().execute(this::drainOutcomes);
      }
      throw e;
    }
  }

  private static void call(Outcome o) {
    CompletionListener listener = o.completion().listener();
    Message message = o.completion().message();
    try {
      if (o.acked()) {
        listener.onCompletion(message);
      } else {
        listener.onException(
            message,
            new ResourceAllocationException(
                "the broker refused the message (store failure, or a queue with"
                    + " x-overflow=reject-publish is full)"));
      }
    } catch (RuntimeException e) {
      // the next sends' listeners must still be called
      LOG.log(System.Logger.Level.WARNING, "a CompletionListener threw; later sends go on", e);
    }
  }
}
