package io.warrenmq.engine.internal;

import io.warrenmq.engine.BrokerStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker-wide monotonic counters behind {@link io.warrenmq.engine.Broker#stats()}: what
 * RabbitMQ's Prometheus plugin counts per channel, connection and queue lifecycle, and WarrenMQ's
 * paging. One instance per broker, shared by its virtual hosts.
 *
 * <p>Why {@link LongAdder}s: they are incremented on the message path by many threads at once and
 * only summed at a scrape; an increment takes no lock and allocates nothing.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class BrokerCounters {
  final LongAdder published = new LongAdder();
  final LongAdder confirmed = new LongAdder();
  final LongAdder deliveredAutoAck = new LongAdder();
  final LongAdder deliveredManualAck = new LongAdder();
  final LongAdder getAutoAck = new LongAdder();
  final LongAdder getManualAck = new LongAdder();
  final LongAdder getEmpty = new LongAdder();
  final LongAdder acked = new LongAdder();
  final LongAdder redelivered = new LongAdder();
  final LongAdder unroutableDropped = new LongAdder();
  final LongAdder unroutableReturned = new LongAdder();
  final LongAdder queuesDeclared = new LongAdder();
  final LongAdder queuesDeleted = new LongAdder();
  final LongAdder pagedOut = new LongAdder();
  final LongAdder pagedIn = new LongAdder();

  /** Counts connections; incremented by the broker, which owns the connection list. */
  public final LongAdder connectionsOpened = new LongAdder();

  /** Counts connection closes; incremented once per connection by the broker. */
  public final LongAdder connectionsClosed = new LongAdder();

  /** A snapshot of the sums (not atomic across counters: each is read once). */
  public BrokerStats snapshot(long xaBranchesInDoubt) {
    return new BrokerStats(
        published.sum(),
        confirmed.sum(),
        deliveredAutoAck.sum(),
        deliveredManualAck.sum(),
        getAutoAck.sum(),
        getManualAck.sum(),
        getEmpty.sum(),
        acked.sum(),
        redelivered.sum(),
        unroutableDropped.sum(),
        unroutableReturned.sum(),
        connectionsOpened.sum(),
        connectionsClosed.sum(),
        queuesDeclared.sum(),
        queuesDeleted.sum(),
        pagedOut.sum(),
        pagedIn.sum(),
        xaBranchesInDoubt);
  }
}
