package io.warrenmq.jms;

import io.warrenmq.client.ConfirmListener;
import jakarta.jms.CompletionListener;
import jakarta.jms.Message;
import jakarta.jms.ResourceAllocationException;
import java.util.ArrayDeque;
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
 * confirms arrive on the channel's dispatch task; the pending sends are guarded by their deque's
 * monitor.
 */
final class AsyncSends {

  private static final System.Logger LOG = System.getLogger(AsyncSends.class.getName());

  /** One asynchronous send: its sequence number, listener, and (once confirmed) its outcome. */
  private static final class Completion {
    final long seq;
    final CompletionListener listener;
    final Message message;
    // guarded by the pending deque's monitor; the hand-over publishes them to the completion thread
    boolean confirmed;
    boolean acked;

    Completion(long seq, CompletionListener listener, Message message) {
      this.seq = seq;
      this.listener = listener;
      this.message = message;
    }
  }

  private final WarrenSession session;

  /**
   * Sends not handed over yet, in sequence order (the order {@link #expect} sees them). The in-VM
   * broker confirms one publish at a time and almost always the oldest, so a confirm is a look at
   * the head: no boxed sequence number and no map node per send (a hash map's put was 12% of the
   * sending thread, its boxing and nodes a third of the confirming thread's allocation).
   */
  private final ArrayDeque<Completion> pending = new ArrayDeque<>();

  // confirmed sends whose listeners the completion thread has yet to call, in confirm order
  private final ConcurrentLinkedQueue<Completion> outcomes = new ConcurrentLinkedQueue<>();
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
              new ConfirmListener() {
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
    Completion c = new Completion(seq, listener, message);
    synchronized (pending) {
      pending.addLast(c);
    }
  }

  private boolean nonePending() {
    synchronized (pending) {
      return pending.isEmpty();
    }
  }

  /**
   * Waits (up to 60 s) until every asynchronous send has been confirmed and its listener handed to
   * the completion thread (Jakarta Messaging 7.3.4: close and commit wait for incomplete sends).
   */
  void awaitConfirmed() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!nonePending() && session.channel().isOpen() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000);
    }
  }

  /**
   * Records the broker's confirm of {@code seq} (and of every earlier send when {@code multiple})
   * and hands the confirmed sends at the head over to the completion thread: a send confirmed
   * before an earlier one (a transient message overtaking a persistent one still being stored)
   * waits for it, so listeners are called in the order of the sends (Jakarta Messaging 7.3.8).
   */
  private void complete(long seq, boolean multiple, boolean acked) {
    synchronized (pending) {
      for (Completion c : pending) {
        if (c.seq > seq) {
          break;
        }
        if (multiple || c.seq == seq) {
          c.confirmed = true;
          c.acked = acked;
          if (!multiple) {
            break;
          }
        }
      }
      // handed over under the monitor, so awaitConfirmed cannot see none pending before that
      Completion head;
      while ((head = pending.peekFirst()) != null && head.confirmed) {
        handOver(pending.pollFirst());
      }
    }
  }

  /**
   * Queues the outcome for the completion thread; one drain task runs all outcomes queued so far,
   * so a burst of confirms wakes that thread once, not once per message.
   */
  private void handOver(Completion c) {
    outcomes.add(c);
    if (draining.compareAndSet(false, true)) {
      session.connection().completions().execute(this::drainOutcomes);
    }
  }

  private void drainOutcomes() {
    try {
      do {
        for (Completion o; (o = outcomes.poll()) != null; ) {
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

  private static void call(Completion o) {
    CompletionListener listener = o.listener;
    Message message = o.message;
    try {
      if (o.acked) {
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
