package io.warrenmq.engine.internal;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.Consumer;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.MessageStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server side of an AMQP channel: delivery tags, unacked messages, prefetch credit, consumers,
 * the transaction buffer, and the serial mailbox through which callbacks run.
 *
 * <p>Concurrency: a small {@link ReentrantLock} per channel guards the delivery state (tag counter,
 * {@link UnackedWindow}, mailbox, credit counters, transaction buffer). It is taken inside a queue
 * lock by {@link #tryDeliver} and never held while taking a queue lock (see {@link Queue} for the
 * whole scheme). Callbacks run from the channel's {@link ChannelMailbox}, drained by a task on the
 * broker's dispatch pool of which at most one instance per channel is scheduled at a time, so
 * callbacks of this channel are serial and in tag order, and never run under a lock.
 */
public final class ServerChannel {
  private static final byte[] EMPTY_BODY = new byte[0];

  enum Settle {
    ACK,
    REQUEUE,
    /** Back to the queue as if never delivered: not marked redelivered, not counted. */
    RELEASE,
    DISCARD
  }

  private final int number;
  private final ServerConnection connection;
  private final ServerVirtualHost vhost;
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentHashMap<String, ServerConsumer> consumers = new ConcurrentHashMap<>();

  /** Deliveries and notices on their way to the callbacks; guarded by {@link #lock}. */
  private final ChannelMailbox mailbox;

  private final Publisher publisher;
  private final ChannelTopology topology;
  private volatile boolean open = true;
  private volatile boolean transactional;

  // guarded by lock
  private long lastDeliveryTag;
  private final UnackedWindow unacked = new UnackedWindow();
  private int consumerUnacked;
  private long consumerUnackedBytes;
  private int globalPrefetch;
  private int consumerPrefetch;
  private long globalPrefetchBytes;
  private long consumerPrefetchBytes;

  /** The global byte window refused an entry: the next release of credit re-runs every queue. */
  private boolean globalBytesBlocked;

  private final ChannelXa xa = new ChannelXa(this);
  private TxBuffer tx;

  /**
   * This channel's consumer of RabbitMQ's direct reply-to pseudo-queue, or null; set under lock.
   */
  private volatile DirectReplyTo.ReplyConsumer replyConsumer;

  ServerChannel(
      int number, ServerConnection connection, ServerVirtualHost vhost, Executor executor) {
    this.number = number;
    this.connection = connection;
    this.vhost = vhost;
    this.mailbox = new ChannelMailbox(this, lock, executor);
    this.publisher = new Publisher(this, vhost);
    this.topology = new ChannelTopology(this, vhost, connection);
  }

  public int number() {
    return number;
  }

  public boolean isOpen() {
    return open;
  }

  ServerVirtualHost vhost() {
    return vhost;
  }

  boolean isTransactional() {
    return transactional;
  }

  private void ensureOpen() {
    if (!open) {
      throw Errors.channelClosed();
    }
  }

  /** Closes the channel (soft error) or the connection (hard error) and returns the error. */
  private AmqpException fail(AmqpException e) {
    if (e.isHardError()) {
      connection.close(true, e);
    } else {
      closeInternal(true);
    }
    return e;
  }

  // ---- exchanges and queues -------------------------------------------------------------

  /** Runs a topology method under the channel's error rules (see {@link #fail}). */
  <T> T guarded(java.util.function.Supplier<T> method) {
    ensureOpen();
    try {
      return method.get();
    } catch (AmqpException e) {
      throw fail(e);
    }
  }

  void guarded(Runnable method) {
    guarded(
        () -> {
          method.run();
          return null;
        });
  }

  /** The topology methods of this channel ({@code exchange.*}, {@code queue.*}). */
  public ChannelTopology topology() {
    return topology;
  }

  /** Throws 403 unless the login may read the queue (consume, get). */
  private void checkRead(String queue) {
    topology.checkRead(queue);
  }

  // ---- publish --------------------------------------------------------------------------

  public void basicPublish(
      String exchange, String routingKey, BasicProperties properties, byte[] body) {
    basicPublish(exchange, routingKey, false, properties, body);
  }

  public void basicPublish(
      String exchange,
      String routingKey,
      boolean mandatory,
      BasicProperties properties,
      byte[] body) {
    ensureOpen();
    if (connection.publishWaitsWhenBlocked()) {
      vhost.memory().awaitBelowLimit(this::isOpen); // flow control: RabbitMQ's memory alarm
    }
    try {
      topology.checkWrite(exchange);
      Exchange x = vhost.exchangeOrThrow(exchange == null ? "" : exchange);
      if (x.isInternal()) {
        throw new AmqpException(
            ReplyCode.ACCESS_REFUSED,
            "cannot publish to internal " + Errors.describe("exchange", x.name(), vhost.name()));
      }
      String key = routingKey == null ? "" : routingKey;
      Names.checkShortString("routing key", key);
      BasicProperties props =
          withReplyName(properties == null ? BasicProperties.EMPTY : properties);
      byte[] content = body == null ? EMPTY_BODY : body;
      if (xa.bufferPublish(x, key, mandatory, props, content)) {
        return; // in an XA branch: routed at prepare or commit
      }
      if (transactional) {
        lock.lock();
        try {
          if (tx == null) {
            throw Errors.channelClosed();
          }
          tx.publishes.add(new TxBuffer.Publish(x, key, mandatory, props, content));
        } finally {
          lock.unlock();
        }
        return;
      }
      publisher.publish(x, key, mandatory, props, content);
    } catch (AmqpException e) {
      throw fail(e);
    }
  }

  /**
   * Direct reply-to: a request whose {@code reply-to} is the pseudo-queue carries this channel's
   * reply name instead (RabbitMQ's {@code maybe_set_fast_reply_to}).
   *
   * @throws AmqpException 406 PRECONDITION_FAILED "fast reply consumer does not exist" if this
   *     channel does not consume from the pseudo-queue
   */
  private BasicProperties withReplyName(BasicProperties props) {
    if (!DirectReplyTo.PSEUDO_QUEUE.equals(props.replyTo())) {
      return props;
    }
    DirectReplyTo.ReplyConsumer rc = replyConsumer;
    if (rc == null) {
      throw Errors.precondition("fast reply consumer does not exist");
    }
    return props.toBuilder().replyTo(rc.name).build();
  }

  /** The publish path: return and confirm listeners, confirm waits. */
  public Publisher publisher() {
    return publisher;
  }

  // ---- publisher confirms ------------------------------------------------------------------

  public void confirmSelect() {
    ensureOpen();
    try {
      lock.lock();
      try {
        if (tx != null) {
          throw Errors.precondition("cannot switch from tx to confirm mode");
        }
        publisher.confirmSelect();
      } finally {
        lock.unlock();
      }
    } catch (AmqpException e) {
      throw fail(e);
    }
  }

  // ---- consumers ------------------------------------------------------------------------

  /**
   * {@code basic.qos} without a byte window; see {@link #basicQos(long, int, boolean)}.
   *
   * @throws AmqpException 406 for a count outside 0-65535 (the channel is closed)
   */
  public void basicQos(int prefetchCount, boolean global) {
    basicQos(0, prefetchCount, global);
  }

  /**
   * {@code basic.qos} (AMQP 0-9-1 section 1.8.3.1) with RabbitMQ's meaning of {@code global}: the
   * limits apply to each consumer created afterwards ({@code global=false}) or to the sum over the
   * channel's consumers ({@code global=true}).
   *
   * <p>{@code prefetchSize} is the spec's prefetch window in octets, which RabbitMQ does not
   * implement (it answers 540) and WarrenMQ does, counting message bodies: an entry is sent while
   * it fits into what is left of the window, and always when nothing is unacknowledged ("the
   * prefetch size does not limit the transfer of single messages to a client, only the sending in
   * advance of more messages while the client still has one or more unacknowledged messages").
   * Neither limit applies to {@code autoAck} consumers.
   *
   * @param prefetchSize body bytes, 0 (no limit) to 4,294,967,295 (the field's unsigned 32 bits)
   * @param prefetchCount unacknowledged deliveries, 0 (no limit) to 65,535
   * @throws AmqpException 406 PRECONDITION_FAILED for a value outside its range (the channel is
   *     closed)
   */
  public void basicQos(long prefetchSize, int prefetchCount, boolean global) {
    ensureOpen();
    try {
      if (prefetchCount < 0 || prefetchCount > 65535) {
        throw Errors.precondition("prefetch count must be 0-65535, was " + prefetchCount);
      }
      if (prefetchSize < 0 || prefetchSize > 0xFFFF_FFFFL) {
        throw Errors.precondition("prefetch size must be 0-4294967295, was " + prefetchSize);
      }
      lock.lock();
      try {
        if (global) {
          globalPrefetch = prefetchCount;
          globalPrefetchBytes = prefetchSize;
        } else {
          consumerPrefetch = prefetchCount;
          consumerPrefetchBytes = prefetchSize;
        }
      } finally {
        lock.unlock();
      }
      if (global) {
        kickAllQueues();
      }
    } catch (AmqpException e) {
      throw fail(e);
    }
  }

  public String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      boolean exclusive,
      Map<String, Object> arguments,
      Consumer callback) {
    Objects.requireNonNull(callback, "callback");
    ensureOpen();
    try {
      if (DirectReplyTo.PSEUDO_QUEUE.equals(queue)) {
        return consumeReplies(autoAck, consumerTag, callback);
      }
      checkRead(queue);
      Queue q = vhost.queueForAccess(queue, connection);
      String tag = consumerTag == null || consumerTag.isEmpty() ? Names.consumerTag() : consumerTag;
      Names.checkShortString("consumer tag", tag);
      int prefetch;
      long prefetchBytes;
      lock.lock();
      try {
        prefetch = consumerPrefetch;
        prefetchBytes = consumerPrefetchBytes;
      } finally {
        lock.unlock();
      }
      ServerConsumer c =
          new ServerConsumer(
              tag,
              q,
              this,
              callback,
              autoAck,
              prefetch,
              prefetchBytes,
              ConsumerArguments.parse(arguments));
      if (consumers.putIfAbsent(tag, c) != null) {
        throw new AmqpException(
            ReplyCode.NOT_ALLOWED, "attempt to reuse consumer tag '" + tag + "'");
      }
      try {
        q.addConsumer(c, exclusive, vhost.name());
      } catch (AmqpException e) {
        consumers.remove(tag, c);
        throw e;
      }
      if (!open) {
        // closed concurrently: make sure the consumer does not outlive the channel
        cancel(c, false);
        throw Errors.channelClosed();
      }
      return tag;
    } catch (AmqpException e) {
      if (e.replyCode() == ReplyCode.CHANNEL_ERROR) {
        throw e;
      }
      throw fail(e);
    }
  }

  /**
   * {@code basic.consume} from the direct reply-to pseudo-queue, checked in RabbitMQ's order; no
   * permission is needed, as in RabbitMQ.
   */
  private String consumeReplies(boolean autoAck, String consumerTag, Consumer callback) {
    String tag = consumerTag == null || consumerTag.isEmpty() ? Names.consumerTag() : consumerTag;
    Names.checkShortString("consumer tag", tag);
    DirectReplyTo.ReplyConsumer rc;
    lock.lock();
    try {
      if (consumers.containsKey(tag)) {
        throw new AmqpException(
            ReplyCode.NOT_ALLOWED, "attempt to reuse consumer tag '" + tag + "'");
      }
      if (!autoAck) {
        throw Errors.precondition("reply consumer cannot acknowledge");
      }
      if (replyConsumer != null) {
        throw Errors.precondition("reply consumer already set");
      }
      if (!open) {
        throw Errors.channelClosed();
      }
      rc = vhost.directReplyTo().register(this, tag, callback);
      replyConsumer = rc;
    } finally {
      lock.unlock();
    }
    return rc.tag;
  }

  /**
   * Hands a direct reply to this channel's reply consumer, in order with its other deliveries and
   * with the tag of the channel's next delivery, which it does not use up; drops it if that
   * consumer is gone or the transport cannot take it now (replies are at most once, see {@link
   * DirectReplyTo}).
   */
  void deliverReply(
      DirectReplyTo.ReplyConsumer rc,
      String exchange,
      String routingKey,
      BasicProperties properties,
      byte[] body) {
    if (!connection.deliveriesAllowed()) {
      return;
    }
    boolean schedule;
    lock.lock();
    try {
      if (!open || replyConsumer != rc) {
        return;
      }
      // RabbitMQ 3.x sends a reply with the tag the channel's next delivery will carry and does
      // not use it up (a reply is never acknowledged)
      Delivery d =
          new Delivery(rc.tag, lastDeliveryTag + 1, false, exchange, routingKey, properties, body);
      Runnable handOver =
          () -> {
            if (open && replyConsumer == rc) {
              rc.callback.handleDelivery(d);
            }
          };
      schedule = mailbox.addLocked(handOver);
    } finally {
      lock.unlock();
    }
    if (schedule) {
      mailbox.schedule();
    }
  }

  /** Forgets the reply consumer, if any; its later replies are dropped. */
  private void cancelReplies(DirectReplyTo.ReplyConsumer rc) {
    lock.lock();
    try {
      if (replyConsumer != rc) {
        return;
      }
      replyConsumer = null;
    } finally {
      lock.unlock();
    }
    vhost.directReplyTo().unregister(rc);
  }

  public void basicCancel(String consumerTag) {
    ensureOpen();
    DirectReplyTo.ReplyConsumer rc = replyConsumer;
    if (rc != null && rc.tag.equals(consumerTag)) {
      cancelReplies(rc);
      // after the replies already in the mailbox, as for a queue's consumer below
      post(() -> rc.callback.handleCancelOk(rc.tag));
      return;
    }
    ServerConsumer c = consumerTag == null ? null : consumers.remove(consumerTag);
    if (c != null) {
      cancel(c, false);
      // in the mailbox, so after a delivery the dispatch thread may be handing over right now
      post(() -> c.callback.handleCancelOk(c.tag));
    }
  }

  /** Deactivates a consumer already removed from {@link #consumers}. */
  private void cancel(ServerConsumer c, boolean notifyClient) {
    c.active = false;
    boolean autoDelete = c.queue.removeConsumer(c);
    QueueEntries.requeueGrouped(withdrawPending(c), Queue.Return.UNSEEN);
    if (notifyClient) {
      post(() -> c.callback.handleCancel(c.tag));
    }
    if (autoDelete) {
      vhost.deleteAutoDeleteQueue(c.queue);
    }
  }

  /** Called by a queue being deleted: the broker cancels the consumer and tells the client. */
  void consumerCancelledByBroker(ServerConsumer c) {
    if (consumers.remove(c.tag, c)) {
      c.active = false;
      // the queue is gone: nothing to requeue to
      QueueEntries.settleAll(withdrawPending(c));
      post(() -> c.callback.handleCancel(c.tag));
    }
  }

  /**
   * Takes back the deliveries queued in the mailbox for a cancelled consumer that its callback has
   * not seen yet, so that they return to the queue instead of lingering unacked.
   */
  private List<QueueEntry> withdrawPending(ServerConsumer c) {
    List<QueueEntry> withdrawn = new ArrayList<>();
    lock.lock();
    try {
      for (QueueEntry e : mailbox.removeDeliveriesLocked(c)) {
        if (withdrawLocked(e)) {
          withdrawn.add(e);
        }
      }
    } finally {
      lock.unlock();
    }
    return withdrawn;
  }

  /**
   * Takes back a delivery that its callback has not seen (consumer cancelled, channel closing):
   * removes it from the unacked window and returns its credit. Called with the lock held.
   *
   * @return false if the delivery was already taken back (by the close or a recover)
   */
  boolean withdrawLocked(QueueEntry e) {
    if (e.consumer.autoAck || unacked.remove(e.deliveryTag) == e) {
      releaseCreditLocked(e);
      return true;
    }
    return false;
  }

  /**
   * Offers an entry to a consumer of this channel; called by the entry's queue under its lock.
   *
   * @return false if the consumer or channel is closed or has no prefetch credit left
   */
  boolean tryDeliver(ServerConsumer c, QueueEntry e) {
    if (!connection.deliveriesAllowed()) {
      return false; // the transport is not writable: the entry stays in its queue
    }
    boolean schedule;
    lock.lock();
    try {
      if (!open || !c.active || !mailbox.hasRoomLocked()) {
        return false;
      }
      if (!c.autoAck) {
        if ((c.prefetch > 0 && c.unacked >= c.prefetch)
            || (globalPrefetch > 0 && consumerUnacked >= globalPrefetch)) {
          return false;
        }
        int size = e.body.length;
        if (c.prefetchBytes > 0 && c.unacked > 0 && c.unackedBytes + size > c.prefetchBytes) {
          c.bytesBlocked = true;
          return false;
        }
        if (globalPrefetchBytes > 0
            && consumerUnacked > 0
            && consumerUnackedBytes + size > globalPrefetchBytes) {
          globalBytesBlocked = true;
          return false;
        }
        e.deliveryTag = ++lastDeliveryTag;
        e.consumer = c;
        unacked.add(e);
        c.unacked++;
        c.unackedBytes += size;
        consumerUnacked++;
        consumerUnackedBytes += size;
      } else {
        e.deliveryTag = ++lastDeliveryTag;
        e.consumer = c;
      }
      schedule = mailbox.addLocked(e);
      e.queue.delivered.increment();
      BrokerCounters n = vhost.counters();
      (c.autoAck ? n.deliveredAutoAck : n.deliveredManualAck).increment();
      if (e.deliveryCount > 0) {
        n.redelivered.increment();
      }
    } finally {
      lock.unlock();
    }
    if (schedule) {
      mailbox.schedule();
    }
    return true;
  }

  /**
   * A snapshot for the management API, taken under this channel's lock (never with a queue lock
   * held): unacked entries are counted per queue into {@code unackedByQueue}.
   *
   * @return {@code [unacked, prefetch (global or per consumer), consumers]}
   */
  int[] snapshot(java.util.Map<Queue, Integer> unackedByQueue) {
    lock.lock();
    try {
      unacked.forEach(e -> unackedByQueue.merge(e.queue, 1, Integer::sum));
      return new int[] {
        unacked.size(), globalPrefetch > 0 ? globalPrefetch : consumerPrefetch, consumers.size()
      };
    } finally {
      lock.unlock();
    }
  }

  /** This channel's consumers (a copy). */
  java.util.List<ServerConsumer> consumerList() {
    return java.util.List.copyOf(consumers.values());
  }

  /** Whether the channel is in confirm mode. */
  boolean inConfirmMode() {
    return publisher.confirms() != null;
  }

  ServerConnection connection() {
    return connection;
  }

  /** Whether the connection's transport can take deliveries now (always in-VM). */
  boolean deliveriesAllowed() {
    return connection.deliveriesAllowed();
  }

  /**
   * Gives {@code polled} and every delivery still in the mailbox back to their queues, unseen (not
   * redelivered): the transport stopped taking deliveries, and they wait in their queues, not here,
   * until it is writable again ({@link ServerConnection#transportWritable()}). Each queue takes its
   * own back under its lock ({@link Queue#takeBackUnseen}), so their order holds.
   */
  void withdrawUnseen(QueueEntry polled) {
    Set<Queue> queues = new LinkedHashSet<>();
    queues.add(polled.queue);
    lock.lock();
    try {
      mailbox.forEachDeliveryLocked(e -> queues.add(e.queue));
    } finally {
      lock.unlock();
    }
    for (Queue q : queues) {
      q.takeBackUnseen(this, q == polled.queue ? polled : null);
    }
  }

  /**
   * Removes from the mailbox the deliveries of {@code queue} no callback has seen, with {@code
   * polled} if not null, and returns those this channel still owned, their credit returned. Called
   * by {@code queue} under its lock (lock order: queue, then channel).
   */
  List<QueueEntry> withdrawUnseenLocked(Queue queue, QueueEntry polled) {
    List<QueueEntry> back = new ArrayList<>();
    lock.lock();
    try {
      if (polled != null && withdrawLocked(polled)) {
        back.add(polled);
      }
      for (QueueEntry e : mailbox.removeDeliveriesMatchingLocked(e -> e.queue == queue)) {
        if (withdrawLocked(e)) {
          back.add(e);
        }
      }
    } finally {
      lock.unlock();
    }
    return back;
  }

  /** Queues a notification (a cancel, return, confirm) to run in order with the deliveries. */
  void post(Runnable notice) {
    mailbox.post(notice);
  }

  public GetResponse basicGet(String queue, boolean autoAck) {
    ensureOpen();
    try {
      checkRead(queue);
      Queue q = vhost.queueForAccess(queue, connection);
      QueueEntry e = q.poll();
      if (e == null) {
        vhost.counters().getEmpty.increment();
        return null;
      }
      int remaining = q.messageCount();
      long tag;
      lock.lock();
      try {
        tag = open ? ++lastDeliveryTag : 0;
        if (tag != 0) {
          e.deliveryTag = tag;
          e.consumer = null;
          if (!autoAck) {
            unacked.add(e);
          }
        }
      } finally {
        lock.unlock();
      }
      if (tag == 0) {
        q.requeue(e, Queue.Return.UNSEEN);
        throw Errors.channelClosed();
      }
      q.delivered.increment();
      (autoAck ? vhost.counters().getAutoAck : vhost.counters().getManualAck).increment();
      if (e.deliveryCount > 0) {
        vhost.counters().redelivered.increment();
      }
      if (autoAck) {
        e.settled();
      }
      return new GetResponse(
          new Delivery(
              null,
              tag,
              e.deliveryCount > 0,
              e.exchange,
              e.routingKey,
              e.deliveryProperties(),
              e.body),
          remaining);
    } catch (AmqpException e) {
      if (e.replyCode() == ReplyCode.CHANNEL_ERROR) {
        throw e;
      }
      throw fail(e);
    }
  }

  // ---- acknowledgements -----------------------------------------------------------------

  public void basicAck(long deliveryTag, boolean multiple) {
    settle(deliveryTag, multiple, Settle.ACK);
  }

  public void basicNack(long deliveryTag, boolean multiple, boolean requeue) {
    settle(deliveryTag, multiple, requeue ? Settle.REQUEUE : Settle.DISCARD);
  }

  public void basicReject(long deliveryTag, boolean requeue) {
    settle(deliveryTag, false, requeue ? Settle.REQUEUE : Settle.DISCARD);
  }

  /** See {@link io.warrenmq.engine.Channel#basicRelease}. */
  public void basicRelease(long deliveryTag) {
    settle(deliveryTag, false, Settle.RELEASE);
  }

  private void settle(long tag, boolean multiple, Settle settle) {
    ensureOpen();
    try {
      List<QueueEntry> entries;
      int kick = 0;
      XaBranch branch = xa.settling(settle);
      lock.lock();
      try {
        if (!open) {
          // closed meanwhile: its unacked messages were requeued; the tag is not "unknown"
          throw Errors.channelClosed();
        }
        if (tx != null && settle != Settle.RELEASE) {
          tx.acks.add(new TxBuffer.Ack(markTxPendingLocked(tag, multiple), settle));
          return;
        }
        if (multiple) {
          if (tag != 0 && unacked.get(tag) == null) {
            throw Errors.unknownDeliveryTag(tag);
          }
          entries = unacked.removeUpTo(tag == 0 ? Long.MAX_VALUE : tag);
        } else {
          QueueEntry e = unacked.remove(tag);
          if (e == null) {
            throw Errors.unknownDeliveryTag(tag);
          }
          entries = List.of(e);
        }
        for (QueueEntry e : entries) {
          kick |= releaseCreditLocked(e);
          if (settle == Settle.ACK) {
            e.queue.acked.increment();
            vhost.counters().acked.increment();
          }
        }
      } finally {
        lock.unlock();
      }
      complete(entries, settle, kick, branch, null);
    } catch (AmqpException e) {
      if (e.replyCode() == ReplyCode.CHANNEL_ERROR) {
        throw e;
      }
      throw fail(e);
    }
  }

  private static final int KICK_QUEUE = 1;
  private static final int KICK_ALL = 2;

  /**
   * Returns the entry's prefetch credit to its consumer and the channel.
   *
   * @return which queues to re-dispatch: {@link #KICK_QUEUE} if the consumer was at its limit,
   *     {@link #KICK_ALL} if the channel was at its global limit
   */
  private int releaseCreditLocked(QueueEntry e) {
    ServerConsumer c = e.consumer;
    if (c == null || c.autoAck) {
      return 0;
    }
    int kick = 0;
    if ((c.prefetch > 0 && c.unacked >= c.prefetch) || c.bytesBlocked) {
      kick |= KICK_QUEUE;
      c.bytesBlocked = false;
    }
    int size = e.body.length;
    c.unacked--;
    c.unackedBytes -= size;
    if ((globalPrefetch > 0 && consumerUnacked >= globalPrefetch) || globalBytesBlocked) {
      kick |= KICK_ALL;
      globalBytesBlocked = false;
    }
    consumerUnacked--;
    consumerUnackedBytes -= size;
    return kick;
  }

  /** Applies a settlement to entries already removed from the window; no lock held. */
  private void complete(List<QueueEntry> entries, Settle settle, int kick) {
    complete(entries, settle, kick, null, null);
  }

  /**
   * {@link #complete(List, Settle, int)}; with a branch, the entries go to that XA branch; with a
   * unit ({@code tx.commit}), their store removals are added to it.
   */
  private void complete(
      List<QueueEntry> entries,
      Settle settle,
      int kick,
      XaBranch branch,
      MessageStore.UnitOfWork unit) {
    Set<Queue> kicked = null;
    if ((kick & KICK_QUEUE) != 0 && (kick & KICK_ALL) == 0) {
      kicked = new LinkedHashSet<>();
      for (QueueEntry e : entries) {
        ServerConsumer c = e.consumer;
        if (c != null && (c.prefetch > 0 || c.prefetchBytes > 0)) {
          kicked.add(e.queue);
        }
      }
    }
    if (branch != null) {
      xa.settled(branch, entries, settle); // out of the window: the branch owns them now
    } else if (settle == Settle.REQUEUE) {
      QueueEntries.requeueGrouped(entries, Queue.Return.FAILED);
    } else if (settle == Settle.RELEASE) {
      QueueEntries.requeueGrouped(entries, Queue.Return.UNSEEN);
    } else if (settle == Settle.DISCARD) {
      QueueEntries.deadLetterRejected(entries, unit);
    } else {
      QueueEntries.settleAll(entries, unit);
    }
    if ((kick & KICK_ALL) != 0) {
      kickAllQueues();
    } else if (kicked != null) {
      for (Queue q : kicked) {
        q.dispatch();
      }
    }
  }

  private List<QueueEntry> markTxPendingLocked(long tag, boolean multiple) {
    if (multiple) {
      if (tag != 0) {
        QueueEntry last = unacked.get(tag);
        if (last == null || last.txPending) {
          throw Errors.unknownDeliveryTag(tag);
        }
      }
      List<QueueEntry> entries = unacked.upTo(tag == 0 ? Long.MAX_VALUE : tag);
      entries.removeIf(e -> e.txPending);
      for (QueueEntry e : entries) {
        e.txPending = true;
      }
      return entries;
    }
    QueueEntry e = unacked.get(tag);
    if (e == null || e.txPending) {
      throw Errors.unknownDeliveryTag(tag);
    }
    e.txPending = true;
    return List.of(e);
  }

  public void basicRecover(boolean requeue) {
    ensureOpen();
    if (!requeue) {
      throw fail(new AmqpException(ReplyCode.NOT_IMPLEMENTED, "requeue=false"));
    }
    List<QueueEntry> entries;
    lock.lock();
    try {
      entries = unacked.removeAll();
      for (QueueEntry e : entries) {
        releaseCreditLocked(e);
      }
    } finally {
      lock.unlock();
    }
    QueueEntries.requeueGrouped(entries, Queue.Return.FAILED);
    kickAllQueues();
  }

  /** Re-runs dispatch on the queues of this channel's consumers. */
  void kickAllQueues() {
    Set<Queue> queues = new LinkedHashSet<>();
    for (ServerConsumer c : consumers.values()) {
      queues.add(c.queue);
    }
    for (Queue q : queues) {
      q.dispatch();
    }
  }

  // ---- transactions ---------------------------------------------------------------------

  /** The XA side of this channel ({@code dtx} methods). */
  public ChannelXa xa() {
    return xa;
  }

  public void txSelect() {
    ensureOpen();
    try {
      lock.lock();
      try {
        if (publisher.confirms() != null) {
          throw Errors.precondition("cannot switch from confirm to tx mode");
        }
        if (tx == null) {
          tx = new TxBuffer();
          transactional = true;
        }
      } finally {
        lock.unlock();
      }
    } catch (AmqpException e) {
      throw fail(e);
    }
  }

  public void txCommit() {
    ensureOpen();
    try {
      TxBuffer done = swapTx();
      Durability durability = vhost.durability();
      // one store unit of work: the transaction's persistent publishes and acks commit together
      MessageStore.UnitOfWork unit = durability.beginUnitOfWork();
      CompletionStage<Void> stored;
      try {
        applyTx(done, unit);
      } finally {
        // also after a failure half-way: what was applied in memory is written
        stored = Durability.commit(unit);
      }
      if (durability.isDurable()) {
        awaitStore(stored);
      }
    } catch (AmqpException e) {
      throw fail(e);
    }
  }

  /** Waits for a store commit; a failed commit fails the {@code tx.commit}. */
  private static void awaitStore(CompletionStage<Void> stored) {
    try {
      stored.toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AmqpException(
          ReplyCode.INTERNAL_ERROR, "tx.commit interrupted while the store committed");
    } catch (ExecutionException e) {
      throw new AmqpException(
          ReplyCode.INTERNAL_ERROR, "tx.commit failed in the message store: " + e.getCause());
    }
  }

  private void applyTx(TxBuffer done, MessageStore.UnitOfWork unit) {
    for (TxBuffer.Publish p : done.publishes) {
      publisher.publish(
          p.exchange(), p.routingKey(), p.mandatory(), p.properties(), p.body(), unit);
    }
    for (TxBuffer.Ack a : done.acks) {
      List<QueueEntry> entries = new ArrayList<>(a.entries().size());
      int kick = 0;
      lock.lock();
      try {
        for (QueueEntry e : a.entries()) {
          // skip entries a recover took back meanwhile
          if (e.txPending && unacked.remove(e.deliveryTag) == e) {
            e.txPending = false;
            kick |= releaseCreditLocked(e);
            entries.add(e);
          }
        }
      } finally {
        lock.unlock();
      }
      complete(entries, a.settle(), kick, null, unit);
    }
  }

  public void txRollback() {
    ensureOpen();
    try {
      TxBuffer done = swapTx();
      lock.lock();
      try {
        for (TxBuffer.Ack a : done.acks) {
          for (QueueEntry e : a.entries()) {
            if (unacked.get(e.deliveryTag) == e) {
              e.txPending = false;
            }
          }
        }
      } finally {
        lock.unlock();
      }
    } catch (AmqpException e) {
      throw fail(e);
    }
  }

  private TxBuffer swapTx() {
    lock.lock();
    try {
      if (tx == null) {
        throw Errors.precondition("channel is not transactional");
      }
      TxBuffer done = tx;
      tx = new TxBuffer();
      return done;
    } finally {
      lock.unlock();
    }
  }

  // ---- close ----------------------------------------------------------------------------

  /** Unacked deliveries of {@code q} on this channel (management: Artemis' delivering count). */
  int unackedOf(Queue q) {
    lock.lock();
    try {
      return unacked.countOf(q);
    } finally {
      lock.unlock();
    }
  }

  /** {@code channel.close} from the client: no cancel notifications. */
  public void close() {
    closeInternal(false);
  }

  /**
   * Closes the channel: cancels its consumers and returns its unacked messages to their queues,
   * redelivered if the client saw them. Idempotent.
   *
   * @param notifyConsumers call {@link Consumer#handleCancel} (broker-initiated close)
   */
  void closeInternal(boolean notifyConsumers) {
    List<QueueEntry> unseen = new ArrayList<>();
    List<QueueEntry> seen;
    DirectReplyTo.ReplyConsumer replies;
    lock.lock();
    try {
      if (!open) {
        return;
      }
      open = false;
      tx = null;
      replies = replyConsumer;
      replyConsumer = null;
      for (QueueEntry e : mailbox.removeDeliveriesLocked(null)) {
        if (e.consumer.autoAck || unacked.remove(e.deliveryTag) == e) {
          unseen.add(e);
        }
      }
      seen = unacked.removeAll();
      for (ServerConsumer c : consumers.values()) {
        c.unacked = 0;
        c.unackedBytes = 0;
      }
      consumerUnacked = 0;
      consumerUnackedBytes = 0;
    } finally {
      lock.unlock();
    }
    connection.channelClosed(this);
    if (replies != null) {
      vhost.directReplyTo().unregister(replies);
    }
    xa.channelClosed();
    PublisherConfirms confirms = publisher.confirms();
    if (confirms != null) {
      confirms.channelClosed();
    }
    for (ServerConsumer c : consumers.values()) {
      if (consumers.remove(c.tag, c)) {
        cancel(c, notifyConsumers);
      }
    }
    QueueEntries.requeueGrouped(seen, Queue.Return.CLOSED);
    QueueEntries.requeueGrouped(unseen, Queue.Return.UNSEEN);
  }
}
