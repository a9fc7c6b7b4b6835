package io.warrenmq.engine.internal;

import io.warrenmq.engine.AmqpException;
import io.warrenmq.engine.ReplyCode;
import java.util.Arrays;

/**
 * The consumers of one {@link Queue} and the dispatch of its ready entries to them: round-robin,
 * only to the oldest consumer with {@code x-single-active-consumer}, and with a scan of the ready
 * entries while some consumer has a JMS selector.
 *
 * <p>The consumer array is replaced, never changed in place, on add and remove: consumers change
 * rarely, while dispatch reads the array once per entry it hands out.
 *
 * <p>Concurrency: not thread-safe; guarded by the queue's lock, and every method is called with it
 * held. Dispatch asks each consumer's channel to take an entry ({@link ServerChannel#tryDeliver}),
 * which takes the channel's lock inside the queue's (lock order queue, then channel). A channel
 * never calls back into a queue while it holds its lock, so the consumers cannot change during a
 * dispatch. Entries that dispatch finds expired are handed to {@link Queue#dropLocked}, which
 * dead-letters them after the queue's lock is released.
 */
final class QueueDispatcher {
  private static final ServerConsumer[] NO_CONSUMERS = new ServerConsumer[0];

  private final Queue queue;
  private final boolean singleActiveConsumer;

  /** The queue's ready lists, indexed by priority; guarded by the queue's lock. */
  private final ReadyList[] levels;

  // guarded by the queue's lock
  private ServerConsumer[] consumers = NO_CONSUMERS;
  private int nextConsumer;

  /** Consumers with an {@code x-jms-selector}; while above 0, dispatch scans (see below). */
  private int selectorConsumers;

  private boolean exclusiveConsumer;

  QueueDispatcher(Queue queue, boolean singleActiveConsumer, ReadyList[] levels) {
    this.queue = queue;
    this.singleActiveConsumer = singleActiveConsumer;
    this.levels = levels;
  }

  /** The number of consumers. */
  int sizeLocked() {
    return consumers.length;
  }

  /**
   * Adds a consumer (without dispatching to it: the caller does).
   *
   * @param vhost the virtual host's name, for the error text
   * @throws AmqpException 403 ACCESS_REFUSED if the queue has an exclusive consumer, or {@code
   *     exclusive} is asked while it has any consumer
   */
  void addLocked(ServerConsumer c, boolean exclusive, String vhost) {
    if (exclusiveConsumer || (exclusive && consumers.length > 0)) {
      throw new AmqpException(
          ReplyCode.ACCESS_REFUSED,
          Errors.describe("queue", queue.name(), vhost) + " in exclusive use");
    }
    ServerConsumer[] updated = Arrays.copyOf(consumers, consumers.length + 1);
    updated[consumers.length] = c;
    consumers = updated;
    if (c.selector != null) {
      selectorConsumers++;
    }
    exclusiveConsumer = exclusive;
  }

  /**
   * Removes a consumer, keeping the round-robin position on the consumer that was next.
   *
   * @return the consumer's former position (0 = the oldest), -1 if it was not a consumer
   */
  int removeLocked(ServerConsumer c) {
    int i = Arrays.asList(consumers).indexOf(c);
    if (i < 0) {
      return -1;
    }
    ServerConsumer[] updated = new ServerConsumer[consumers.length - 1];
    System.arraycopy(consumers, 0, updated, 0, i);
    System.arraycopy(consumers, i + 1, updated, i, consumers.length - i - 1);
    consumers = updated;
    if (c.selector != null) {
      selectorConsumers--;
    }
    if (nextConsumer > i) {
      nextConsumer--;
    }
    if (nextConsumer >= updated.length) {
      nextConsumer = 0;
    }
    exclusiveConsumer = false;
    return i;
  }

  /** Removes every consumer (queue deleted) and returns them, for the caller to cancel. */
  ServerConsumer[] clearLocked() {
    ServerConsumer[] all = consumers;
    consumers = NO_CONSUMERS;
    return all;
  }

  /**
   * Hands ready entries to consumers round-robin (only to the oldest consumer with {@code
   * x-single-active-consumer}), dropping heads expired at {@code now}.
   */
  void dispatchLocked(long now) {
    if (selectorConsumers > 0) {
      dispatchWithSelectorsLocked(now);
      return;
    }
    boolean single = singleActiveConsumer;
    while (queue.readyCountLocked() > 0) {
      ServerConsumer[] cs = consumers;
      int n = cs.length;
      if (n == 0) {
        return;
      }
      ReadyList level = queue.highestLevelLocked();
      QueueEntry e = level.peek();
      if (e.isExpired(now)) {
        level.poll();
        queue.removedLocked(e);
        queue.dropLocked(e, DeadLetterer.EXPIRED);
        continue;
      }
      boolean delivered = false;
      int tries = single ? 1 : n;
      int start = single ? 0 : nextConsumer;
      for (int i = 0; i < tries; i++) {
        int idx = start + i;
        if (idx >= n) {
          idx -= n;
        }
        ServerConsumer c = cs[idx];
        if (c.channel.tryDeliver(c, e)) {
          level.poll();
          queue.removedLocked(e);
          if (!c.autoAck) {
            queue.virtualHost().durability().delivered(e);
          }
          nextConsumer = idx + 1 == n ? 0 : idx + 1;
          delivered = true;
          break;
        }
      }
      if (!delivered) {
        return;
      }
    }
  }

  /**
   * Dispatch when some consumer has a JMS selector ({@code x-jms-selector}): entries are taken in
   * delivery order, each by the next consumer (round-robin) whose selector matches and that has
   * credit; an entry no consumer wants stays where it is for later consumers (DESIGN.md: "the queue
   * skips messages that do not match, keeping them for others"). Costs a scan of the ready entries
   * per dispatch, so it is used only while such consumers exist; the scan ends as soon as every
   * consumer is out of credit.
   */
  private void dispatchWithSelectorsLocked(long now) {
    ServerConsumer[] cs = consumers;
    int n = cs.length;
    if (n == 0 || queue.readyCountLocked() == 0) {
      return;
    }
    boolean single = singleActiveConsumer;
    boolean[] full = new boolean[n];
    int fullCount = 0;
    for (int p = levels.length - 1; p >= 0; p--) {
      ReadyList level = levels[p];
      if (level.isEmpty()) {
        continue;
      }
      for (QueueEntry e : level.inDeliveryOrder()) {
        if (e.isExpired(now)) {
          level.remove(e);
          queue.removedLocked(e);
          queue.dropLocked(e, DeadLetterer.EXPIRED);
          continue;
        }
        int tries = single ? 1 : n;
        int start = single ? 0 : nextConsumer;
        for (int i = 0; i < tries; i++) {
          int idx = (start + i) % n;
          ServerConsumer c = cs[idx];
          if (full[idx] || (c.selector != null && !c.selector.matches(e.properties))) {
            continue;
          }
          if (c.channel.tryDeliver(c, e)) {
            level.remove(e);
            queue.removedLocked(e);
            if (!c.autoAck) {
              queue.virtualHost().durability().delivered(e); // recovers as redelivered
            }
            nextConsumer = idx + 1 == n ? 0 : idx + 1;
            break;
          }
          full[idx] = true;
          if (++fullCount == (single ? 1 : n)) {
            return;
          }
        }
      }
    }
  }
}
