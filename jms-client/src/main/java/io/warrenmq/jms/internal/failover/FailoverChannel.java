package io.warrenmq.jms.internal.failover;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Capabilities;
import io.warrenmq.client.ConfirmListener;
import io.warrenmq.client.Consumer;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueDeclareOk;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.ReturnListener;
import io.warrenmq.jms.spi.RecoverableChannel;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

/**
 * A channel of a {@link FailoverConnection}: the AMQP channel of the connection of the moment (a
 * "generation"), opened again on each new connection with what it had set up (prefetch, {@code
 * tx.select}, confirm mode, {@code dtx.select}, consumers under their tags). What crosses a
 * reconnect and what does not (Jakarta Messaging 6.2.10, 6.2.13; docs/architecture.md):
 *
 * <ul>
 *   <li>Delivery tags handed out carry their generation in their top bits (tag = generation
 *       &lt;&lt; 40 | the broker's tag, generation below 2^23 so tags stay positive), so that a
 *       stale one is recognised and its settlement dropped, never sent on the new channel where
 *       tags restart at 1 ({@link #isStale}); the broker redelivers those messages, marked
 *       redelivered. Deliveries of the lost channel not yet handed to a consumer are dropped.
 *   <li>Publisher confirms: sequence numbers are this channel's and keep counting across
 *       generations. A publish not confirmed when the connection was lost is nacked to the confirm
 *       listeners, and {@link #waitForConfirms} throws 541 naming how many: the broker may or may
 *       not have stored it, and it is not sent again (no duplicate from the client).
 *   <li>A publish made while reconnecting waits for the new connection and goes there.
 *   <li>Transactions: publishes of a transaction that went to the lost connection were rolled back
 *       by the broker; {@link #takeTransactionLost()} says so, and {@link #txCommit()} refuses to
 *       commit the rest (541) until {@link #txRollback()}. A {@code tx.commit} in flight when the
 *       connection is lost fails with 541 "outcome unknown".
 *   <li>XA: a branch associated with a channel (between {@code start} and {@code end}) when the
 *       connection was lost may have lost publishes in flight: it is rolled back on the broker, and
 *       its {@code start}, {@code end}, {@code prepare} and {@code commit} throw {@code
 *       XA_RBCOMMFAIL}, its {@code rollback} succeeds (X/Open XA: the resource manager rolled the
 *       branch back; xa_end, xa_prepare and one-phase xa_commit may say so). The lost connection's
 *       branches are tracked per {@link FailoverConnection}, since prepare, commit and rollback
 *       come on another channel than start and end. Until its {@code end}, a publish on the channel
 *       fails (541) instead of going to the new connection, where no branch is associated and it
 *       would be routed at once, outside the transaction. A branch ended before the loss is
 *       complete on the broker and is prepared and committed as usual.
 *   <li>XA: settling a stale delivery tag while a branch is associated (a message received on the
 *       lost connection, acknowledged in a branch started on the new one) is not dropped: the
 *       settlement throws 541, and the branch is doomed. Its {@code end} sends {@code TMFAIL} (the
 *       broker marks it rollback-only) and throws {@code XA_RBROLLBACK}, so that the transaction's
 *       other work (a record sent for the message) can never commit without the acknowledgement
 *       while the broker delivers the message again.
 * </ul>
 *
 * <p>Thread-safety: thread-safe. {@link #publishLock} orders publishes with their sequence numbers;
 * {@link #confirmLock} guards the confirm bookkeeping.
 */
final class FailoverChannel implements AmqpChannel, RecoverableChannel {
  private static final System.Logger LOG = System.getLogger(FailoverChannel.class.getName());
  private static final int GENERATION_SHIFT = 40;
  private static final long TAG_MASK = (1L << GENERATION_SHIFT) - 1;

  /** The AMQP channel of one generation. */
  private static final class Generation {
    final int number;
    final AmqpChannel channel;
    volatile boolean lost;
    boolean confirming; // guarded by confirmLock
    final TreeMap<Long, Long> sequences = new TreeMap<>(); // channel's seq -> ours; confirmLock

    Generation(int number, AmqpChannel channel) {
      this.number = number;
      this.channel = channel;
    }
  }

  private record ConsumerRecord(
      String queue,
      boolean autoAck,
      boolean exclusive,
      Map<String, Object> arguments,
      Consumer callback) {}

  @FunctionalInterface
  private interface Call<T> {
    T run(AmqpChannel channel);
  }

  @FunctionalInterface
  private interface Action {
    void run(AmqpChannel channel);
  }

  @FunctionalInterface
  private interface XaCall<T> {
    T run(AmqpChannel channel) throws XAException;
  }

  @FunctionalInterface
  private interface Settle {
    void run(AmqpChannel channel, long deliveryTag);
  }

  private final FailoverConnection connection;
  private final Object publishLock = new Object();
  private final Object confirmLock = new Object();
  private final Map<String, ConsumerRecord> consumers = new LinkedHashMap<>(); // guarded by itself
  private final List<ReturnListener> returnListeners = new CopyOnWriteArrayList<>();
  private final List<ConfirmListener> confirmListeners = new CopyOnWriteArrayList<>();

  private volatile Generation current;
  private volatile boolean closed;
  private volatile boolean softClosed; // the broker closed the channel (soft error): not restored
  private volatile int prefetch = -1;
  private volatile long prefetchBytes;
  private volatile boolean qosGlobal;
  private volatile boolean txSelected;
  private volatile boolean txPublished;
  private volatile boolean txLost;
  private volatile boolean confirmSelected;
  private volatile boolean dtxSelected;
  private volatile boolean associated; // between a dtx.start and its dtx.end
  // the connection was lost while associated: until the dtx.end, publishes would leave the branch
  private volatile boolean associationLost;
  // a stale delivery was settled while associated: the branch cannot hold that settlement
  private volatile String doomed;

  // guarded by confirmLock
  private long nextSeq; // 0: not in confirm mode
  private final TreeSet<Long> unconfirmed = new TreeSet<>();
  private boolean nacked;
  private int lostUnconfirmed;

  FailoverChannel(FailoverConnection connection, AmqpChannel first) {
    this.connection = connection;
    this.current = newGeneration(connection.nextGeneration(), first);
  }

  private Generation newGeneration(int number, AmqpChannel channel) {
    Generation g = new Generation(number, channel);
    channel.addReturnListener(
        r -> {
          for (ReturnListener l : returnListeners) {
            l.handleReturn(r);
          }
        });
    return g;
  }

  // --- RecoverableChannel

  @Override
  public boolean isStale(long deliveryTag) {
    Generation g = current;
    return (int) (deliveryTag >>> GENERATION_SHIFT) != g.number || g.lost;
  }

  @Override
  public boolean takeTransactionLost() {
    boolean lost = txLost;
    txLost = false;
    return lost;
  }

  // --- exchanges and queues: declared again after a reconnect

  @Override
  public int channelNumber() {
    return current.channel.channelNumber();
  }

  @Override
  public void exchangeDeclare(ExchangeSpec spec) {
    run(true, ch -> ch.exchangeDeclare(spec));
    connection.declarations().exchange(spec);
  }

  @Override
  public void exchangeDeclarePassive(String exchange) {
    run(true, ch -> ch.exchangeDeclarePassive(exchange));
  }

  @Override
  public void exchangeDelete(String exchange, boolean ifUnused) {
    run(true, ch -> ch.exchangeDelete(exchange, ifUnused));
    connection.declarations().exchangeDeleted(exchange);
  }

  @Override
  public void exchangeBind(
      String destination, String source, String bindingKey, Map<String, Object> arguments) {
    run(true, ch -> ch.exchangeBind(destination, source, bindingKey, arguments));
    connection.declarations().bind(true, destination, source, bindingKey, arguments);
  }

  @Override
  public void exchangeUnbind(
      String destination, String source, String bindingKey, Map<String, Object> arguments) {
    run(true, ch -> ch.exchangeUnbind(destination, source, bindingKey, arguments));
    connection.declarations().unbind(true, destination, source, bindingKey, arguments);
  }

  @Override
  public QueueDeclareOk queueDeclare(QueueSpec spec) {
    QueueDeclareOk ok = call(true, ch -> ch.queueDeclare(spec));
    connection.declarations().queue(spec);
    return ok;
  }

  @Override
  public QueueDeclareOk queueDeclarePassive(String queue) {
    return call(true, ch -> ch.queueDeclarePassive(queue));
  }

  @Override
  public int queueDelete(String queue, boolean ifUnused, boolean ifEmpty) {
    int n = call(true, ch -> ch.queueDelete(queue, ifUnused, ifEmpty));
    connection.declarations().queueDeleted(queue);
    return n;
  }

  /** Not repeated after a loss (a second purge could remove messages sent meanwhile). */
  @Override
  public int queuePurge(String queue) {
    return call(false, ch -> ch.queuePurge(queue));
  }

  @Override
  public void queueBind(
      String queue, String exchange, String bindingKey, Map<String, Object> arguments) {
    run(true, ch -> ch.queueBind(queue, exchange, bindingKey, arguments));
    connection.declarations().bind(false, queue, exchange, bindingKey, arguments);
  }

  @Override
  public void queueUnbind(
      String queue, String exchange, String bindingKey, Map<String, Object> arguments) {
    run(true, ch -> ch.queueUnbind(queue, exchange, bindingKey, arguments));
    connection.declarations().unbind(false, queue, exchange, bindingKey, arguments);
  }

  @Override
  public List<Delivery> queueBrowse(String queue) {
    return call(true, ch -> ch.queueBrowse(queue));
  }

  // --- publishing

  /**
   * Publishes on the connection of the moment; while reconnecting, waits for the new one. In
   * confirm mode the publish gets the next sequence number of this channel.
   *
   * @throws AmqpException 541 if the connection was lost after the broker may have received the
   *     publish and its confirm listeners were told (nack): it is not sent again
   */
  @Override
  public void basicPublish(
      String exchange,
      String routingKey,
      boolean mandatory,
      BasicProperties properties,
      byte[] body) {
    synchronized (publishLock) {
      long seq = 0;
      while (true) {
        Generation g = usable();
        // After usable(): a publish that failed on the lost channel comes round again only once
        // connectionLost() has run for it.
        if (associationLost) {
          // The new connection's channel is not associated with the branch: the publish would
          // be routed at once, outside the branch that the transaction manager rolls back.
          throw new AmqpException(
              ReplyCode.INTERNAL_ERROR,
              "the XA branch of this session was lost with the connection to the broker: the"
                  + " publish is refused and the branch rolls back");
        }
        boolean confirming;
        synchronized (confirmLock) {
          // inside an XA association a publish belongs to the branch and gets no confirm
          confirming = nextSeq > 0 && !associated;
          if (confirming) {
            if (seq == 0) {
              seq = nextSeq++;
            }
            g.sequences.put(g.channel.getNextPublishSeqNo(), seq);
            unconfirmed.add(seq);
          }
        }
        if (txSelected) {
          txPublished = true;
        }
        try {
          g.channel.basicPublish(exchange, routingKey, mandatory, properties, body);
          return;
        } catch (AmqpException e) {
          boolean told = false;
          if (confirming) {
            synchronized (confirmLock) {
              told = !unconfirmed.remove(seq);
              final long s = seq;
              g.sequences.values().removeIf(v -> v == s);
            }
          }
          if (!dropped(g, e)) {
            throw e;
          }
          if (told) {
            throw inFlightLost(1);
          }
          // not written: publish it on the next connection
        }
      }
    }
  }

  @Override
  public void addReturnListener(ReturnListener listener) {
    returnListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public boolean removeReturnListener(ReturnListener listener) {
    return returnListeners.remove(listener);
  }

  @Override
  public void addConfirmListener(ConfirmListener listener) {
    confirmListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public boolean removeConfirmListener(ConfirmListener listener) {
    return confirmListeners.remove(listener);
  }

  @Override
  public void confirmSelect() {
    synchronized (publishLock) {
      confirmSelected = true; // first: a restore meanwhile selects it on the new channel
      Generation g =
          call(
              true,
              ch -> {
                ch.confirmSelect();
                return current;
              });
      listenForConfirms(g);
      synchronized (confirmLock) {
        if (nextSeq == 0) {
          nextSeq = 1;
        }
      }
    }
  }

  private void listenForConfirms(Generation g) {
    synchronized (confirmLock) {
      if (g.confirming) {
        return;
      }
      g.confirming = true;
    }
    g.channel.addConfirmListener(
        new ConfirmListener() {
          @Override
          public void handleAck(long deliveryTag, boolean multiple) {
            confirmed(g, deliveryTag, multiple, true);
          }

          @Override
          public void handleNack(long deliveryTag, boolean multiple) {
            confirmed(g, deliveryTag, multiple, false);
          }
        });
  }

  private void confirmed(Generation g, long tag, boolean multiple, boolean ack) {
    List<Long> seqs;
    synchronized (confirmLock) {
      if (g.lost) {
        return; // nacked already, when the connection was lost
      }
      if (multiple) {
        NavigableMap<Long, Long> head = g.sequences.headMap(tag, true);
        seqs = new ArrayList<>(head.values());
        head.clear();
      } else {
        Long s = g.sequences.remove(tag);
        seqs = s == null ? List.of() : List.of(s);
      }
      for (Long s : seqs) {
        unconfirmed.remove(s);
      }
      if (!ack && !seqs.isEmpty()) {
        nacked = true;
      }
      confirmLock.notifyAll();
    }
    for (Long s : seqs) {
      for (ConfirmListener l : confirmListeners) {
        if (ack) {
          l.handleAck(s, false);
        } else {
          l.handleNack(s, false);
        }
      }
    }
  }

  @Override
  public long getNextPublishSeqNo() {
    synchronized (confirmLock) {
      return nextSeq;
    }
  }

  /**
   * Waits for the confirms of every publish since the last call.
   *
   * @throws AmqpException 541 if publishes were in flight when a connection was lost (they may or
   *     may not have been stored, and are not sent again); 504 if the channel or connection closed
   */
  @Override
  public boolean waitForConfirms(long timeoutMs) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    synchronized (confirmLock) {
      if (nextSeq == 0) {
        throw new IllegalStateException("channel is not in confirm mode");
      }
      while (!unconfirmed.isEmpty() && lostUnconfirmed == 0) {
        if (closed || !connection.isOpen()) {
          throw connection.closedError();
        }
        long left = timeoutMs == 0 ? 100_000_000L : deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException(
              unconfirmed.size() + " publishes unconfirmed after " + timeoutMs + " ms");
        }
        TimeUnit.NANOSECONDS.timedWait(confirmLock, Math.min(left, 100_000_000L));
      }
      if (lostUnconfirmed > 0) {
        int n = lostUnconfirmed;
        lostUnconfirmed = 0;
        nacked = false;
        throw inFlightLost(n);
      }
      boolean ok = !nacked;
      nacked = false;
      return ok;
    }
  }

  private static AmqpException inFlightLost(int n) {
    return new AmqpException(
        ReplyCode.INTERNAL_ERROR,
        n
            + " publish(es) were in flight when the connection to the broker was lost; the broker"
            + " may or may not have stored them, and they are not sent again");
  }

  // --- consuming

  @Override
  public void basicQos(int prefetchCount, boolean global) {
    basicQos(0, prefetchCount, global);
  }

  @Override
  public void basicQos(long prefetchSize, int prefetchCount, boolean global) {
    prefetch = prefetchCount; // first: a restore meanwhile sets it on the new channel
    prefetchBytes = prefetchSize;
    qosGlobal = global;
    run(true, ch -> ch.basicQos(prefetchSize, prefetchCount, global));
  }

  /** The consumer comes back after a reconnect under the same tag, queue and arguments. */
  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      boolean exclusive,
      Map<String, Object> arguments,
      Consumer callback) {
    java.util.Objects.requireNonNull(callback, "callback");
    Map<String, Object> args = arguments == null ? null : Map.copyOf(arguments);
    while (true) {
      Generation g = usable(); // not under the lock: restore takes it
      // under the lock, so that restore re-creates either all of this or none of it
      synchronized (consumers) {
        if (g != current) {
          continue; // restored meanwhile
        }
        String tag;
        try {
          tag =
              g.channel.basicConsume(
                  queue, autoAck, consumerTag, exclusive, args, wrap(g, callback));
        } catch (AmqpException e) {
          if (!dropped(g, e)) {
            throw e;
          }
          continue;
        }
        consumers.put(tag, new ConsumerRecord(queue, autoAck, exclusive, args, callback));
        return tag;
      }
    }
  }

  private Consumer wrap(Generation g, Consumer callback) {
    return new Consumer() {
      @Override
      public void handleDelivery(Delivery d) {
        if (g != current || g.lost) {
          return; // the broker puts it back: it comes again on the new channel
        }
        callback.handleDelivery(
            new Delivery(
                d.consumerTag(),
                ((long) g.number << GENERATION_SHIFT) | d.deliveryTag(),
                d.redelivered(),
                d.exchange(),
                d.routingKey(),
                d.properties(),
                d.body()));
      }

      @Override
      public void handleCancel(String consumerTag) {
        if (g != current || g.lost) {
          return;
        }
        synchronized (consumers) {
          consumers.remove(consumerTag);
        }
        callback.handleCancel(consumerTag);
      }

      @Override
      public void handleCancelOk(String consumerTag) {
        callback.handleCancelOk(consumerTag);
      }
    };
  }

  /**
   * Cancels and forgets the consumer. While reconnecting it only forgets it (it is not re-created;
   * the lost connection's consumer is gone with it). An auto-delete queue with no other consumer of
   * this connection is forgotten too (the broker deletes it). When the cancel cannot reach a broker
   * (lost or dropped channel), the callback's {@link Consumer#handleCancelOk} runs at once on the
   * calling thread: no delivery to the tag can follow.
   */
  @Override
  public void basicCancel(String consumerTag) {
    ConsumerRecord r;
    synchronized (consumers) {
      r = consumers.remove(consumerTag);
    }
    Generation g = current;
    if (r != null && (g.lost || connection.recovering())) {
      forgetIfAutoDelete(r.queue);
      // the lost channel's consumer is gone with it: no delivery to the tag can follow
      r.callback.handleCancelOk(consumerTag);
      return;
    }
    try {
      run(false, ch -> ch.basicCancel(consumerTag));
    } catch (AmqpException e) {
      if (r == null || !dropped(current, e)) {
        throw e;
      }
      r.callback.handleCancelOk(consumerTag);
    }
    if (r != null) {
      forgetIfAutoDelete(r.queue);
    }
  }

  private void forgetIfAutoDelete(String queue) {
    Declarations d = connection.declarations();
    if (d.isAutoDelete(queue) && connection.noOtherConsumer(queue, null)) {
      d.queueDeleted(queue);
    }
  }

  boolean consumes(String queue) {
    synchronized (consumers) {
      for (ConsumerRecord r : consumers.values()) {
        if (r.queue.equals(queue)) {
          return true;
        }
      }
      return false;
    }
  }

  @Override
  public GetResponse basicGet(String queue, boolean autoAck) {
    while (true) {
      Generation g = usable();
      GetResponse r;
      try {
        r = g.channel.basicGet(queue, autoAck);
      } catch (AmqpException e) {
        if (!dropped(g, e)) {
          throw e;
        }
        continue;
      }
      if (r == null) {
        return null;
      }
      Delivery d = r.delivery();
      return new GetResponse(
          new Delivery(
              d.consumerTag(),
              ((long) g.number << GENERATION_SHIFT) | d.deliveryTag(),
              d.redelivered(),
              d.exchange(),
              d.routingKey(),
              d.properties(),
              d.body()),
          r.messageCount());
    }
  }

  @Override
  public void basicAck(long deliveryTag, boolean multiple) {
    settle(deliveryTag, (ch, t) -> ch.basicAck(t, multiple));
  }

  @Override
  public void basicNack(long deliveryTag, boolean multiple, boolean requeue) {
    settle(deliveryTag, (ch, t) -> ch.basicNack(t, multiple, requeue));
  }

  @Override
  public void basicRelease(long deliveryTag) {
    settle(deliveryTag, AmqpChannel::basicRelease);
  }

  @Override
  public void basicReject(long deliveryTag, boolean requeue) {
    settle(deliveryTag, (ch, t) -> ch.basicReject(t, requeue));
  }

  /** Settles on the channel that delivered the tag; a stale tag is dropped (never sent). */
  private void settle(long deliveryTag, Settle op) {
    if (closed) {
      throw connection.closedError();
    }
    Generation g = current;
    if ((int) (deliveryTag >>> GENERATION_SHIFT) != g.number || g.lost) {
      if (associated && !g.lost) {
        String why =
            "delivery "
                + deliveryTag
                + " came on a connection lost since: its settlement cannot join the associated XA"
                + " branch, which will roll back (the broker delivers the message again)";
        doomed = why;
        throw new AmqpException(ReplyCode.INTERNAL_ERROR, why);
      }
      LOG.log(
          Level.DEBUG,
          "dropping the settlement of delivery {0} of a lost connection; the broker redelivers it",
          deliveryTag);
      return;
    }
    try {
      op.run(g.channel, deliveryTag & TAG_MASK);
    } catch (AmqpException e) {
      if (!dropped(g, e)) {
        throw e;
      }
    }
  }

  @Override
  public void basicRecover(boolean requeue) {
    run(true, ch -> ch.basicRecover(requeue));
  }

  // --- tx

  @Override
  public void txSelect() {
    try {
      call(
          true,
          ch -> {
            txSelected = true; // before the -ok: a restore meanwhile selects it on the new channel
            ch.txSelect();
            return null;
          });
    } catch (AmqpException e) {
      txSelected = false; // refused (e.g. 406 after confirm.select)
      throw e;
    }
  }

  /**
   * @throws AmqpException 541 if publishes of this transaction went to a lost connection (see
   *     {@link #takeTransactionLost()}; nothing is committed), or if the connection was lost while
   *     the commit was in flight (the broker may or may not have committed)
   */
  @Override
  public void txCommit() {
    Generation g = usable();
    if (txLost) {
      throw new AmqpException(
          ReplyCode.INTERNAL_ERROR,
          "the transaction was rolled back: its publishes went to a connection that was lost");
    }
    try {
      g.channel.txCommit();
      txPublished = false;
    } catch (AmqpException e) {
      if (!dropped(g, e)) {
        throw e;
      }
      txPublished = false;
      txLost = false;
      throw new AmqpException(
          ReplyCode.INTERNAL_ERROR,
          "the connection to the broker was lost during tx.commit: the outcome is unknown");
    }
  }

  @Override
  public void txRollback() {
    txLost = false;
    txPublished = false;
    run(true, ch -> ch.txRollback());
  }

  // --- dtx

  /**
   * An XA branch associated with a channel of a lost connection (between {@code dtx.start} and
   * {@code dtx.end}) may have lost publishes in flight: the broker keeps what reached it (closing a
   * channel ends its association, docs/protocol-dtx.md section 5), so it is rolled back on the
   * broker here, best effort, and the caller told XA_RBCOMMFAIL. A branch ended before the loss is
   * complete on the broker and is prepared and committed as usual.
   */
  private XAException rollBackLost(Xid xid) {
    try {
      xaCall(
          true,
          ch -> {
            ch.dtxRollback(xid);
            return null;
          });
    } catch (XAException | AmqpException e) {
      LOG.log(Level.DEBUG, "rolling back a lost branch: {0}", e.getMessage());
    }
    XAException e =
        new XAException(
            "branch "
                + FailoverConnection.branchKey(xid)
                + " was rolled back: the connection was lost while it was associated with a"
                + " session, and publishes of it may have been lost");
    e.errorCode = XAException.XA_RBCOMMFAIL;
    return e;
  }

  @Override
  public void dtxStart(Xid xid, int flags) throws XAException {
    if (connection.lostBranch(xid, false)) {
      throw rollBackLost(xid);
    }
    AmqpChannel[] startedOn = new AmqpChannel[1];
    xaCall(
        false,
        ch -> {
          startedOn[0] = ch;
          ch.dtxStart(xid, flags);
          return null;
        });
    associated = true;
    associationLost = false;
    doomed = null;
    connection.branchAssociated(xid);
    Generation g = current;
    if (g.lost || g.channel != startedOn[0]) {
      // The connection was lost around the start's answer: connectionLost may have run before the
      // association was recorded here, and would not have counted this branch as lost.
      connection.branchLost(xid);
      associated = false;
      associationLost = true;
    }
  }

  @Override
  public void dtxEnd(Xid xid, int flags) throws XAException {
    associated = false; // whatever the answer: the engine dissociates on XA_RB* too
    associationLost = false;
    String why = doomed;
    doomed = null;
    if (connection.lostBranch(xid, false)) {
      throw rollBackLost(xid);
    }
    if (why != null) {
      throw endDoomed(xid, why);
    }
    xaCall(
        false,
        ch -> {
          ch.dtxEnd(xid, flags);
          return null;
        });
    connection.branchEnded(xid);
  }

  /**
   * Ends a doomed branch with {@code TMFAIL} (the broker marks it rollback-only, so its prepare or
   * one-phase commit fails from any resource, a joined one too) and says why: XA_RBROLLBACK (X/Open
   * XA, xa_end: the branch was marked rollback-only).
   */
  private XAException endDoomed(Xid xid, String why) {
    try {
      xaCall(
          false,
          ch -> {
            ch.dtxEnd(xid, javax.transaction.xa.XAResource.TMFAIL);
            return null;
          });
    } catch (XAException | AmqpException e) {
      LOG.log(Level.DEBUG, "ending a doomed branch with TMFAIL: {0}", e.getMessage());
    }
    connection.branchEnded(xid);
    XAException e =
        new XAException(
            "branch " + FailoverConnection.branchKey(xid) + " was marked rollback-only: " + why);
    e.errorCode = XAException.XA_RBROLLBACK;
    return e;
  }

  @Override
  public int dtxPrepare(Xid xid) throws XAException {
    if (connection.lostBranch(xid, true)) {
      throw rollBackLost(xid);
    }
    return xaCall(false, ch -> ch.dtxPrepare(xid));
  }

  @Override
  public void dtxCommit(Xid xid, boolean onePhase) throws XAException {
    if (connection.lostBranch(xid, true)) {
      throw rollBackLost(xid);
    }
    xaCall(
        false,
        ch -> {
          ch.dtxCommit(xid, onePhase);
          return null;
        });
  }

  @Override
  public void dtxRollback(Xid xid) throws XAException {
    if (connection.lostBranch(xid, true)) {
      rollBackLost(xid);
      return;
    }
    xaCall(
        false,
        ch -> {
          ch.dtxRollback(xid);
          return null;
        });
  }

  @Override
  public Xid[] dtxRecover(int flags) throws XAException {
    return xaCall(true, ch -> ch.dtxRecover(flags));
  }

  @Override
  public void dtxForget(Xid xid) throws XAException {
    xaCall(
        true,
        ch -> {
          ch.dtxForget(xid);
          return null;
        });
  }

  @Override
  public boolean dtxSetTimeout(int seconds) throws XAException {
    return xaCall(true, ch -> ch.dtxSetTimeout(seconds));
  }

  @Override
  public int dtxGetTimeout() {
    return call(true, AmqpChannel::dtxGetTimeout);
  }

  /** The current connection's channel's answer (a reconnect starts without refusals). */
  @Override
  public boolean dtxStartRefused(Xid xid) {
    Generation g = current;
    return g != null && g.channel.dtxStartRefused(xid);
  }

  @Override
  public String resourceManagerId() {
    return call(
        true,
        ch -> {
          dtxSelected = true; // before the -ok: a restore meanwhile selects it on the new channel
          return ch.resourceManagerId();
        });
  }

  // --- state

  /** Open until closed, and while reconnecting; false once the connection gave up. */
  @Override
  public boolean isOpen() {
    if (closed || !connection.isOpen()) {
      return false;
    }
    Generation g = current;
    return g.lost || g.channel.isOpen() || !softClosed && connection.recovering();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    connection.channelClosed(this);
    Generation g = current;
    if (!g.lost) {
      g.channel.close();
    }
    synchronized (confirmLock) {
      confirmLock.notifyAll();
    }
  }

  @Override
  public String toString() {
    return "FailoverChannel[" + current.channel + "]";
  }

  // --- losing and restoring, called by FailoverConnection

  /**
   * The connection of this generation is lost: nack the publishes it did not confirm, mark an open
   * transaction's publishes and active XA branches as lost. Called again after each failed
   * reconnection attempt (a generation restored half-way is lost too), so what it marks stays
   * marked until the application acts on it: an association lost at the first call must still
   * refuse publishes after the third ({@code dtx.end} or a new {@code dtx.start} clears it).
   */
  void connectionLost() {
    Generation g = current;
    g.lost = true;
    if (associated) {
      associationLost = true;
      associated = false; // closing the channel ended the association (docs/protocol-dtx.md 5)
    }
    doomed = null; // the branch is lost as a whole (FailoverConnection.lostBranch)
    if (txSelected && txPublished) {
      txLost = true;
      txPublished = false;
    }
    List<Long> nacks;
    synchronized (confirmLock) {
      nacks = new ArrayList<>(unconfirmed);
      unconfirmed.clear();
      g.sequences.clear();
      lostUnconfirmed += nacks.size();
      confirmLock.notifyAll();
    }
    for (Long s : nacks) {
      for (ConfirmListener l : confirmListeners) {
        l.handleNack(s, false);
      }
    }
  }

  /** The connection was closed or gave up: wake whoever waits for a confirm. */
  void connectionEnded() {
    current.lost = true;
    synchronized (confirmLock) {
      confirmLock.notifyAll();
    }
  }

  /** Opens this channel again on {@code c}, with its settings and consumers. */
  void restore(io.warrenmq.jms.spi.TransportConnection c, int generation) {
    if (closed) {
      return;
    }
    AmqpChannel ch = c.createChannel();
    Generation g = newGeneration(generation, ch);
    if (prefetch >= 0) {
      // a broker of the list without byte windows gets the count alone
      long bytes = c.hasCapability(Capabilities.PREFETCH_SIZE) ? prefetchBytes : 0;
      ch.basicQos(bytes, prefetch, qosGlobal);
    }
    if (txSelected) {
      ch.txSelect();
    }
    if (dtxSelected) {
      ch.resourceManagerId();
    }
    if (confirmSelected) {
      ch.confirmSelect();
      listenForConfirms(g);
    }
    synchronized (consumers) {
      current = g; // before the consumers, whose deliveries check it
      for (Map.Entry<String, ConsumerRecord> e : consumers.entrySet()) {
        ConsumerRecord r = e.getValue();
        ch.basicConsume(
            r.queue, r.autoAck, e.getKey(), r.exclusive, r.arguments, wrap(g, r.callback));
      }
    }
  }

  // --- plumbing

  /** The generation to call now; waits while reconnecting. */
  private Generation usable() {
    if (closed) {
      throw connection.closedError();
    }
    if (!softClosed) {
      connection.awaitOpen();
    }
    return current;
  }

  /**
   * Whether {@code e} on generation {@code g} came from losing the connection (then the caller may
   * try again on the next one). Otherwise the broker closed this channel (a soft error): it is not
   * restored after a later reconnect, and keeps failing as the broker said.
   */
  private boolean dropped(Generation g, AmqpException e) {
    if (g.lost || g != current || connection.recoveringOrAboutNow()) {
      return true;
    }
    if (!g.channel.isOpen()) {
      softClosed = true;
      connection.channelClosed(this);
    }
    return false;
  }

  private <T> T call(boolean retry, Call<T> op) {
    while (true) {
      Generation g = usable();
      try {
        return op.run(g.channel);
      } catch (AmqpException e) {
        if (!dropped(g, e) || !retry) {
          throw e;
        }
      }
    }
  }

  /** {@link #call} for an operation without a result. */
  private void run(boolean retry, Action op) {
    call(
        retry,
        ch -> {
          op.run(ch);
          return null;
        });
  }

  private <T> T xaCall(boolean retry, XaCall<T> op) throws XAException {
    while (true) {
      Generation g = usable();
      try {
        return op.run(g.channel);
      } catch (XAException e) {
        if (e.errorCode != XAException.XAER_RMFAIL || !dropped(g, null) || !retry) {
          throw e;
        }
      } catch (AmqpException e) {
        if (!dropped(g, e) || !retry) {
          throw e;
        }
      }
    }
  }
}
