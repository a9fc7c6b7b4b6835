package io.warrenmq.engine.internal;

import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.PreparedBranch;
import io.warrenmq.engine.StoredEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code dtx.prepare} and {@code dtx.commit} do with a branch's work ({@link
 * XaResourceManager}): routing at prepare, and applying publishes and acks at commit.
 *
 * <p>Called by the one thread that moved the branch to {@code PREPARING} or {@code COMPLETING},
 * without any lock (they take queue locks).
 */
final class XaWork {
  private XaWork() {}

  /**
   * Routes the branch's publishes now (the queues they go to at commit) and returns what the store
   * keeps of the branch: publishes with the names of their written target queues, and the acks (ack
   * or reject/nack without requeue: what removes a message at commit) of written entries.
   */
  static PreparedBranch route(XaBranch b) {
    List<PreparedBranch.Publish> publishes = new ArrayList<>(b.publishes.size());
    RouteCollector rc = new RouteCollector();
    for (XaBranch.Publish p : b.publishes) {
      try {
        rc.route(p.vhost, p.exchange, p.routingKey, p.properties, false);
        List<Queue> queues = new ArrayList<>(rc.size());
        List<String> written = new ArrayList<>(rc.size());
        for (int i = 0; i < rc.size(); i++) {
          Queue q = rc.get(i);
          queues.add(q);
          if (p.vhost.durability().isWritten(q) && p.properties.isPersistent()) {
            written.add(q.name());
          }
        }
        List<Exchange> delayed = new ArrayList<>(rc.delayedCount());
        for (int i = 0; i < rc.delayedCount(); i++) {
          delayed.add(rc.delayed(i));
        }
        p.queues = queues;
        p.delayed = delayed;
        publishes.add(
            new PreparedBranch.Publish(
                p.vhost.name(), p.exchange.name(), p.routingKey, p.properties, p.body, written));
      } finally {
        rc.clear();
      }
    }
    List<PreparedBranch.Ack> acks = new ArrayList<>();
    for (XaBranch.Acked a : b.acks) {
      QueueEntry e = a.entry();
      if (e.messageId != 0 && a.settle() != ServerChannel.Settle.REQUEUE) {
        PreparedBranch.AckKind kind =
            a.settle() == ServerChannel.Settle.DISCARD
                ? PreparedBranch.AckKind.REJECT
                : PreparedBranch.AckKind.ACK;
        acks.add(
            new PreparedBranch.Ack(
                e.queue.virtualHost().name(), e.queue.name(), e.messageId, kind));
      }
    }
    XaXid k = b.xid;
    return new PreparedBranch(k.getFormatId(), k.gtrid(), k.bqual(), publishes, acks);
  }

  /**
   * Applies a committed branch in one store unit of work ({@code unit}, null when nothing is
   * durable): the publishes (routed now for one-phase, to the queues recorded at prepare
   * otherwise), then the acks, then (for a prepared branch) the store's forgetting of it. The
   * caller commits {@code unit}.
   *
   * <p>A {@code mandatory} publish that was routed to no queue (and no delayed exchange) is
   * returned ({@code basic.return} 312 NO_ROUTE) to its channel's return listeners now, at commit,
   * as {@code tx.commit} does; not if that channel closed meanwhile. A recovered branch has no
   * channel: its unroutable mandatory publishes are dropped without a return.
   *
   * @param rejected for a recovered branch, the copies read from the store of the rejected messages
   *     it holds that were not paged in ({@link #readRejected}); empty otherwise
   */
  static void commit(
      XaResourceManager rm,
      XaBranch b,
      Map<XaBranch.Hold, StoredEntry> rejected,
      MessageStore.UnitOfWork unit) {
    if (b.recovered != null) {
      commitRecovered(rm, b, rejected, unit);
    } else {
      for (XaBranch.Publish p : b.publishes) {
        if (p.queues == null) {
          p.channel
              .publisher()
              .publish(p.exchange, p.routingKey, p.mandatory, p.properties, p.body, unit);
          continue;
        }
        Publisher.deliverIfReply(p.vhost, p.exchange, p.routingKey, p.properties, p.body);
        enqueue(p.vhost, p.queues, p.exchange.name(), p.routingKey, p.properties, p.body, unit);
        for (Exchange x : p.delayed) {
          p.vhost.delay(
              x,
              p.routingKey,
              p.properties,
              p.body,
              DelayedMessageExchangeType.delayOf(p.properties),
              null,
              unit);
        }
        if (p.mandatory && p.queues.isEmpty() && p.delayed.isEmpty() && p.channel.isOpen()) {
          p.channel
              .publisher()
              .returnUnroutable(p.exchange.name(), p.routingKey, p.properties, p.body);
        }
      }
    }
    List<QueueEntry> requeue = new ArrayList<>();
    for (XaBranch.Acked a : b.acks) {
      switch (a.settle()) {
        case ACK, RELEASE -> a.entry().settled(unit);
        case DISCARD ->
            DeadLetterer.deadLetter(a.entry().queue, a.entry(), DeadLetterer.REJECTED, unit);
        case REQUEUE -> requeue.add(a.entry());
      }
    }
    QueueEntries.requeueGrouped(requeue, Queue.Return.FAILED);
    if (b.prepared && unit != null) {
      unit.forgetBranch(b.xid.getFormatId(), b.xid.gtrid(), b.xid.bqual());
    }
  }

  private static void enqueue(
      ServerVirtualHost vhost,
      List<Queue> queues,
      String exchange,
      String routingKey,
      io.warrenmq.client.BasicProperties props,
      byte[] body,
      MessageStore.UnitOfWork unit) {
    // several queues share one id; one queue's message gets its id when it is enqueued
    long messageId =
        queues.size() > 1 && props.isPersistent() && vhost.durability().isDurable()
            ? vhost.durability().nextMessageId()
            : 0;
    for (Queue q : queues) {
      Publisher.enqueue(q, exchange, routingKey, props, body, messageId, null, unit);
    }
  }

  /**
   * Reads from the store the rejected messages a recovered branch holds that were not paged in yet:
   * a commit dead-letters them, which needs their properties and body. Called before the commit
   * changes anything, without any lock.
   *
   * @return the copies found, by hold
   * @throws IllegalStateException if the store cannot be read
   */
  static Map<XaBranch.Hold, StoredEntry> readRejected(
      XaResourceManager rm, XaBranch b, Durability durability) {
    List<XaBranch.Hold> unseen = rm.unseenRejected(b);
    if (unseen.isEmpty()) {
      return Map.of();
    }
    Map<List<String>, List<Long>> byQueue = new LinkedHashMap<>();
    for (XaBranch.Hold h : unseen) {
      byQueue
          .computeIfAbsent(List.of(h.virtualHost(), h.queue()), q -> new ArrayList<>())
          .add(h.messageId());
    }
    Map<XaBranch.Hold, StoredEntry> out = new HashMap<>();
    byQueue.forEach(
        (q, ids) -> {
          for (StoredEntry se : durability.store().readEntriesById(q.get(0), q.get(1), ids)) {
            out.put(new XaBranch.Hold(q.get(0), q.get(1), se.message().messageId()), se);
          }
        });
    return out;
  }

  private static void commitRecovered(
      XaResourceManager rm,
      XaBranch b,
      Map<XaBranch.Hold, StoredEntry> rejected,
      MessageStore.UnitOfWork unit) {
    for (PreparedBranch.Publish p : b.recovered.publishes()) {
      ServerVirtualHost vhost = b.recoveredHosts.get(p.virtualHost());
      List<Queue> queues = new ArrayList<>(p.queues().size());
      for (String name : p.queues()) {
        Queue q = vhost == null ? null : vhost.findQueue(name);
        if (q != null) {
          queues.add(q);
        }
      }
      if (vhost != null) {
        enqueue(vhost, queues, p.exchange(), p.routingKey(), p.properties(), p.body(), unit);
      }
    }
    Map<XaBranch.Hold, ServerChannel.Settle> unseen = rm.settleOnSight(b);
    for (Map.Entry<XaBranch.Hold, ServerChannel.Settle> u : unseen.entrySet()) {
      // still paged out: removed in the store, and dropped if a page read brings it back
      XaBranch.Hold h = u.getKey();
      StoredEntry copy = rejected.get(h);
      ServerVirtualHost vhost = b.recoveredHosts.get(h.virtualHost());
      Queue q = vhost == null ? null : vhost.findQueue(h.queue());
      QueueEntry e =
          u.getValue() == ServerChannel.Settle.DISCARD && copy != null && q != null
              ? q.entryFromStore(copy)
              : null;
      if (e != null) {
        // as a live commit: the dead-lettered copy is enqueued in this unit of work, and the
        // entry's settlement removes the original in it too
        DeadLetterer.deadLetter(q, e, DeadLetterer.REJECTED, unit);
      } else if (unit != null) {
        unit.dequeue(h.virtualHost(), h.queue(), h.messageId());
      }
    }
  }
}
