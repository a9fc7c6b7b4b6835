package io.warrenmq.engine.internal;

import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.engine.ChannelInfo;
import io.warrenmq.engine.ConnectionInfo;
import io.warrenmq.engine.ConsumerInfo;
import io.warrenmq.engine.MessageCounts;
import io.warrenmq.engine.QueueInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the monitoring snapshots ({@link QueueInfo}, {@link ConnectionInfo}...) of the engine's
 * public API from the live objects. Why no global lock: each queue and each channel is read under
 * its own lock, one at a time (never two, so the lock order of docs/architecture.md cannot be
 * broken), which makes a snapshot slightly stale and not consistent across objects, as RabbitMQ's
 * management statistics are.
 */
public final class Snapshots {
  /** A rough per-message heap overhead (entry, properties, list slot), bytes. */
  private static final long ENTRY_OVERHEAD = 160;

  private Snapshots() {}

  /** Unacked deliveries per queue over the given connections' channels. */
  public static Map<Queue, Integer> unackedByQueue(Collection<ServerConnection> connections) {
    Map<Queue, Integer> out = new HashMap<>();
    for (ServerConnection c : connections) {
      for (ServerChannel ch : c.channelList()) {
        ch.snapshot(out);
      }
    }
    return out;
  }

  /** A queue's snapshot; {@code unacked} from {@link #unackedByQueue}. */
  public static QueueInfo queue(ServerVirtualHost vhost, Queue q, Map<Queue, Integer> unacked) {
    long[] c = q.counters();
    long unackedCount = unacked.getOrDefault(q, 0);
    ServerConnection owner = q.owner();
    var spec = q.spec();
    return new QueueInfo(
        vhost.name(),
        q.name(),
        spec.durable(),
        spec.exclusive(),
        spec.autoDelete(),
        spec.arguments(),
        c[0],
        unackedCount,
        c[1],
        (int) c[2],
        c[1] + (c[0] + unackedCount) * ENTRY_OVERHEAD,
        owner == null ? null : owner.displayName(),
        counts(q));
  }

  private static MessageCounts counts(Queue q) {
    return new MessageCounts(q.published.sum(), q.delivered.sum(), q.acked.sum());
  }

  /** All queues of a virtual host, sorted by name. */
  public static List<QueueInfo> queues(ServerVirtualHost vhost, Map<Queue, Integer> unacked) {
    return vhost.queueList().stream()
        .sorted(Comparator.comparing(Queue::name))
        .map(q -> queue(vhost, q, unacked))
        .toList();
  }

  /** The summed counts of a virtual host's queues. */
  public static MessageCounts counts(ServerVirtualHost vhost) {
    MessageCounts sum = MessageCounts.ZERO;
    for (Queue q : vhost.queueList()) {
      sum = sum.plus(counts(q));
    }
    return sum;
  }

  /** Every exchange of a virtual host, the default and {@code amq.*} ones included, by name. */
  public static List<ExchangeSpec> exchanges(ServerVirtualHost vhost) {
    return vhost.allExchangeSpecs();
  }

  public static ConnectionInfo connection(ServerConnection c) {
    return new ConnectionInfo(
        c.displayName(),
        c.user(),
        c.virtualHost().name(),
        c.channelList().size(),
        c.connectedAt(),
        c.transport());
  }

  public static List<ChannelInfo> channels(ServerConnection c) {
    List<ChannelInfo> out = new ArrayList<>();
    for (ServerChannel ch : c.channelList()) {
      int[] s = ch.snapshot(new HashMap<>());
      out.add(
          new ChannelInfo(
              c.displayName(),
              ch.number(),
              c.user(),
              c.virtualHost().name(),
              s[2],
              s[0],
              s[1],
              ch.inConfirmMode(),
              ch.isTransactional()));
    }
    return out;
  }

  public static List<ConsumerInfo> consumers(ServerConnection c) {
    List<ConsumerInfo> out = new ArrayList<>();
    for (ServerChannel ch : c.channelList()) {
      for (ServerConsumer sc : ch.consumerList()) {
        out.add(
            new ConsumerInfo(
                c.virtualHost().name(),
                sc.queue.name(),
                sc.tag,
                c.displayName(),
                ch.number(),
                !sc.autoAck,
                sc.prefetch));
      }
    }
    return out;
  }
}
