package io.warrenmq.engine.internal;

import io.warrenmq.client.ConfirmListener;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The publisher-confirm state of a channel in confirm mode (RabbitMQ extension {@code
 * confirm.select}): sequence numbers, the unconfirmed set for {@code waitForConfirms}, and the
 * per-publish {@link Pending} counters.
 *
 * <p>A publish is confirmed when its {@link Pending} has been released as many times as it was
 * held: it starts with one hold for the routing itself, and each target queue adds one that is
 * released when that queue has accepted the message. The in-VM engine releases every hold before
 * the publish call returns; a persistent store may release a queue's hold later, from its commit
 * thread, which then completes the confirm asynchronously.
 *
 * <p>Concurrency: thread-safe; the monitor of this object guards the sequence counter and the
 * unconfirmed set and is never held while calling out. Listener calls are posted to the channel's
 * serial dispatch task.
 */
final class PublisherConfirms {
  private final ServerChannel channel;
  private final CopyOnWriteArrayList<ConfirmListener> listeners;

  // guarded by this
  private long nextSeqNo = 1;
  private final TreeSet<Long> unconfirmed = new TreeSet<>();
  private boolean nackedSinceWait;
  private boolean closed;

  PublisherConfirms(ServerChannel channel, CopyOnWriteArrayList<ConfirmListener> listeners) {
    this.channel = channel;
    this.listeners = listeners;
  }

  /** The confirm of one publish. */
  final class Pending {
    private final long seqNo;
    private final AtomicInteger holds = new AtomicInteger(1);
    private volatile boolean nack;

    private Pending(long seqNo) {
      this.seqNo = seqNo;
    }

    long seqNo() {
      return seqNo;
    }

    /** One more party (a target queue, a store write) must release before the confirm. */
    void hold() {
      holds.incrementAndGet();
    }

    /**
     * Releases one hold; the last release confirms the publish.
     *
     * @param accepted false nacks the publish (any refusal nacks it)
     */
    void release(boolean accepted) {
      if (!accepted) {
        nack = true;
      }
      if (holds.decrementAndGet() == 0) {
        settle(this);
      }
    }
  }

  /** Assigns the next sequence number to a publish; hold released by the publisher when routed. */
  synchronized Pending begin() {
    long seqNo = nextSeqNo++;
    unconfirmed.add(seqNo);
    return new Pending(seqNo);
  }

  synchronized long nextSeqNo() {
    return nextSeqNo;
  }

  private void settle(Pending p) {
    boolean ack = !p.nack;
    if (ack) {
      channel.vhost().counters().confirmed.increment();
    }
    synchronized (this) {
      unconfirmed.remove(p.seqNo);
      if (!ack) {
        nackedSinceWait = true;
      }
      if (unconfirmed.isEmpty()) {
        notifyAll();
      }
    }
    long tag = p.seqNo;
    channel.post(
        () -> {
          for (ConfirmListener l : listeners) {
            if (ack) {
              l.handleAck(tag, false);
            } else {
              l.handleNack(tag, false);
            }
          }
        });
  }

  /**
   * Waits until every publish so far is confirmed.
   *
   * @param timeoutMs 0 waits without limit
   * @return false if a publish was nacked since the last call
   * @throws TimeoutException if publishes are still unconfirmed after the timeout
   */
  synchronized boolean waitForConfirms(long timeoutMs)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!unconfirmed.isEmpty()) {
      if (closed) {
        throw Errors.channelClosed();
      }
      if (timeoutMs == 0) {
        wait();
      } else {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException(
              unconfirmed.size() + " publishes still unconfirmed after " + timeoutMs + " ms");
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
    boolean allAcked = !nackedSinceWait;
    nackedSinceWait = false;
    return allAcked;
  }

  /** The channel closed: wakes waiters (unconfirmed publishes will never be confirmed). */
  synchronized void channelClosed() {
    closed = true;
    notifyAll();
  }
}
