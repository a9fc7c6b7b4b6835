package io.warrenmq.engine.internal;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ConfirmListener;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.Return;
import io.warrenmq.client.ReturnListener;
import io.warrenmq.engine.MessageStore;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The publish path of one channel: routing through the exchange graph ({@link RouteCollector}),
 * enqueueing into the target queues, holding delayed messages, {@code basic.return} of unroutable
 * mandatory messages, and publisher confirms ({@link PublisherConfirms}).
 *
 * <p>Concurrency: thread-safe. A channel is normally used by one thread at a time; its reusable
 * {@link RouteCollector} is taken with a CAS and a second concurrent publisher routes with a fresh
 * one. Returns and confirms are posted to the channel's serial dispatch task, a return before the
 * confirm of the same message (RabbitMQ doc "confirms": "basic.return is sent before basic.ack").
 */
public final class Publisher {
  static final String NO_ROUTE_TEXT = "NO_ROUTE";

  private final ServerChannel channel;
  private final ServerVirtualHost vhost;
  private final RouteCollector collector = new RouteCollector();
  private final AtomicBoolean collectorBusy = new AtomicBoolean();
  private final CopyOnWriteArrayList<ReturnListener> returnListeners = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<ConfirmListener> confirmListeners =
      new CopyOnWriteArrayList<>();
  private volatile PublisherConfirms confirms;

  Publisher(ServerChannel channel, ServerVirtualHost vhost) {
    this.channel = channel;
    this.vhost = vhost;
  }

  public void addReturnListener(ReturnListener listener) {
    returnListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public boolean removeReturnListener(ReturnListener listener) {
    return returnListeners.remove(listener);
  }

  public void addConfirmListener(ConfirmListener listener) {
    confirmListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public boolean removeConfirmListener(ConfirmListener listener) {
    return confirmListeners.remove(listener);
  }

  /** The next publish sequence number, 0 outside confirm mode. */
  public long nextPublishSeqNo() {
    PublisherConfirms c = confirms;
    return c == null ? 0 : c.nextSeqNo();
  }

  /** See {@code Channel.waitForConfirms}. */
  public boolean waitForConfirms(long timeoutMs) throws InterruptedException, TimeoutException {
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must be >= 0, was " + timeoutMs);
    }
    PublisherConfirms c = confirms;
    if (c == null) {
      throw new IllegalStateException("confirms not selected on channel " + channel.number());
    }
    return c.waitForConfirms(timeoutMs);
  }

  /** See {@code Channel.waitForConfirmsOrDie}: closes the channel on a nack or a timeout. */
  public void waitForConfirmsOrDie(long timeoutMs) throws InterruptedException, TimeoutException {
    boolean allAcked;
    try {
      allAcked = waitForConfirms(timeoutMs);
    } catch (TimeoutException e) {
      channel.close();
      throw e;
    }
    if (!allAcked) {
      channel.close();
      throw new AmqpException(ReplyCode.REPLY_SUCCESS, "NACKS RECEIVED");
    }
  }

  /** Puts the channel in confirm mode; idempotent. */
  synchronized void confirmSelect() {
    if (confirms == null) {
      confirms = new PublisherConfirms(channel, confirmListeners);
    }
  }

  /** The confirm state, null unless in confirm mode. */
  PublisherConfirms confirms() {
    return confirms;
  }

  /**
   * Routes and enqueues one message, then returns it (if mandatory and unroutable) and confirms it
   * (in confirm mode).
   */
  void publish(
      Exchange x, String routingKey, boolean mandatory, BasicProperties props, byte[] body) {
    publish(x, routingKey, mandatory, props, body, null);
  }

  /**
   * {@link #publish(Exchange, String, boolean, BasicProperties, byte[])} in the store unit of work
   * of a transaction ({@code tx.commit}, a one-phase {@code dtx.commit}), or, if {@code unit} is
   * null, in one of its own when the message is written to several queues.
   */
  void publish(
      Exchange x,
      String routingKey,
      boolean mandatory,
      BasicProperties props,
      byte[] body,
      MessageStore.UnitOfWork unit) {
    vhost.counters().published.increment();
    PublisherConfirms c = confirms;
    PublisherConfirms.Pending pending = c == null ? null : c.begin();
    deliverIfReply(vhost, x, routingKey, props, body);
    // the channel's collector is reused unless two threads publish on this channel at once
    RouteCollector rc = collectorBusy.compareAndSet(false, true) ? collector : new RouteCollector();
    try {
      rc.route(vhost, x, routingKey, props, false);
      int n = rc.size();
      // one store id per publish routed to several queues: the message is written once,
      // referenced by each queue; a publish to one queue gets its id when it is enqueued
      long messageId =
          n > 1 && props.isPersistent() && vhost.durability().isDurable()
              ? vhost.durability().nextMessageId()
              : 0;
      // several written queues: one unit of work, so the store sees that the message is shared
      // and writes it once
      MessageStore.UnitOfWork own =
          unit == null && n > 1 && messageId != 0 ? vhost.durability().beginUnitOfWork() : null;
      try {
        for (int i = 0; i < n; i++) {
          enqueue(
              rc.get(i),
              x.name(),
              routingKey,
              props,
              body,
              messageId,
              pending,
              own != null ? own : unit);
        }
      } finally {
        if (own != null) {
          own.commit();
        }
      }
      int delayed = rc.delayedCount();
      for (int i = 0; i < delayed; i++) {
        vhost.delay(
            rc.delayed(i),
            routingKey,
            props,
            body,
            DelayedMessageExchangeType.delayOf(props),
            pending,
            unit);
      }
      if (n == 0 && delayed == 0) {
        if (mandatory) {
          vhost.counters().unroutableReturned.increment();
          returnUnroutable(x.name(), routingKey, props, body);
        } else {
          vhost.counters().unroutableDropped.increment();
        }
      }
    } finally {
      rc.clear();
      if (rc == collector) {
        collectorBusy.set(false);
      }
      if (pending != null) {
        pending.release(true); // the routing hold; an unroutable message is acked, as RabbitMQ
      }
    }
  }

  /**
   * Direct reply-to: a message to the default exchange whose routing key is a reply name goes
   * straight to that reply consumer, as a side effect of routing (RabbitMQ's {@code
   * rabbit_exchange:route}): no queue takes it, so it still counts as unroutable ({@code mandatory}
   * returns it with 312 NO_ROUTE, as RabbitMQ 3.x does). See {@link DirectReplyTo}.
   */
  static void deliverIfReply(
      ServerVirtualHost vhost, Exchange x, String routingKey, BasicProperties props, byte[] body) {
    if (x.name().isEmpty() && DirectReplyTo.isReplyName(routingKey)) {
      vhost.directReplyTo().deliver(routingKey, props, body);
    }
  }

  /**
   * Returns an unroutable {@code mandatory} message ({@code basic.return} 312 NO_ROUTE) to the
   * channel's return listeners, posted to its serial dispatch task: for a publish at once, for a
   * transactional one ({@code tx}, {@code dtx}) when it commits.
   */
  void returnUnroutable(String exchange, String routingKey, BasicProperties props, byte[] body) {
    Return r = new Return(ReplyCode.NO_ROUTE, NO_ROUTE_TEXT, exchange, routingKey, props, body);
    channel.post(
        () -> {
          for (ReturnListener l : returnListeners) {
            l.handleReturn(r);
          }
        });
  }

  /**
   * The one place where a routed message enters a queue (for publishes and released delayed
   * messages), so that the enqueue outcome is read in one place: a queue deleted meanwhile counts
   * as accepted (RabbitMQ acks then), a refusal nacks the publish.
   *
   * @param pending the publish's confirm, or null outside confirm mode
   */
  static void enqueue(
      Queue q,
      String exchange,
      String routingKey,
      BasicProperties props,
      byte[] body,
      PublisherConfirms.Pending pending) {
    enqueue(q, exchange, routingKey, props, body, 0, pending, null);
  }

  /**
   * {@link #enqueue(Queue, String, String, BasicProperties, byte[], PublisherConfirms.Pending)}
   * with the publish's store id ({@code 0}: the queue assigns one if it writes the message) and its
   * store unit of work (null: written on its own).
   */
  static void enqueue(
      Queue q,
      String exchange,
      String routingKey,
      BasicProperties props,
      byte[] body,
      long messageId,
      PublisherConfirms.Pending pending,
      MessageStore.UnitOfWork unit) {
    if (pending != null) {
      pending.hold();
    }
    Queue.EnqueueOutcome outcome =
        q.offer(exchange, routingKey, props, body, messageId, pending, unit);
    if (pending != null) {
      // A queue deleted meanwhile acks, as in RabbitMQ; x-overflow=reject-publish(-dlx) nacks.
      pending.release(outcome != Queue.EnqueueOutcome.REJECTED);
    }
  }
}
