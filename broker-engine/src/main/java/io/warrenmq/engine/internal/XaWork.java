package io.warrenmq.engine.internal;

import io.warrenmq.engine.PreparedBranch;
import java.util.ArrayList;
import java.util.List;

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
        acks.add(new PreparedBranch.Ack(e.queue.virtualHost().name(), e.queue.name(), e.messageId));
      }
    }
    XaXid k = b.xid;
    return new PreparedBranch(k.getFormatId(), k.gtrid(), k.bqual(), publishes, acks);
  }

  /**
   * Applies a committed branch; runs inside one store unit of work: the publishes (routed now for
   * one-phase, to the queues recorded at prepare otherwise), then the acks, then (for a prepared
   * branch) the store's forgetting of it.
   */
  static void commit(XaResourceManager rm, XaBranch b, Durability durability) {
    if (b.recovered != null) {
      commitRecovered(rm, b, durability);
    } else {
      for (XaBranch.Publish p : b.publishes) {
        if (p.queues == null) {
          p.channel
              .publisher()
              .publish(p.exchange, p.routingKey, p.mandatory, p.properties, p.body);
          continue;
        }
        enqueue(p.vhost, p.queues, p.exchange.name(), p.routingKey, p.properties, p.body);
        for (Exchange x : p.delayed) {
          p.vhost.delay(
              x,
              p.routingKey,
              p.properties,
              p.body,
              DelayedMessageExchangeType.delayOf(p.properties));
        }
      }
    }
    List<QueueEntry> requeue = new ArrayList<>();
    for (XaBranch.Acked a : b.acks) {
      switch (a.settle()) {
        case ACK, RELEASE -> a.entry().settled();
        case DISCARD -> DeadLetterer.deadLetter(a.entry().queue, a.entry(), DeadLetterer.REJECTED);
        case REQUEUE -> requeue.add(a.entry());
      }
    }
    QueueEntries.requeueGrouped(requeue, Queue.Return.FAILED);
    if (b.prepared && durability.isDurable()) {
      durability.store().forgetBranch(b.xid.getFormatId(), b.xid.gtrid(), b.xid.bqual());
    }
  }

  private static void enqueue(
      ServerVirtualHost vhost,
      List<Queue> queues,
      String exchange,
      String routingKey,
      io.warrenmq.engine.BasicProperties props,
      byte[] body) {
    long messageId =
        !queues.isEmpty() && props.isPersistent() && vhost.durability().isDurable()
            ? vhost.durability().nextMessageId()
            : 0;
    for (Queue q : queues) {
      Publisher.enqueue(q, exchange, routingKey, props, body, messageId, null);
    }
  }

  private static void commitRecovered(XaResourceManager rm, XaBranch b, Durability durability) {
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
        enqueue(vhost, queues, p.exchange(), p.routingKey(), p.properties(), p.body());
      }
    }
    List<XaBranch.Hold> unseen = rm.settleOnSight(b);
    for (XaBranch.Hold h : unseen) {
      // still paged out: removed in the store, and dropped if a page read brings it back
      durability.store().dequeue(h.virtualHost(), h.queue(), h.messageId());
    }
  }
}
