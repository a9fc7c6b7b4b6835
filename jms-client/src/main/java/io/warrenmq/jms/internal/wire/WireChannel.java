package io.warrenmq.jms.internal.wire;

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
import io.warrenmq.client.Return;
import io.warrenmq.client.ReturnListener;
import io.warrenmq.client.wire.AmqpMethod;
import io.warrenmq.client.wire.BasicMethods;
import io.warrenmq.client.wire.ChannelMethods;
import io.warrenmq.client.wire.Close;
import io.warrenmq.client.wire.CommandAssembler.Command;
import io.warrenmq.client.wire.DtxMethods;
import io.warrenmq.client.wire.DtxMethods.WireXid;
import io.warrenmq.client.wire.ExchangeMethods;
import io.warrenmq.client.wire.MethodId;
import io.warrenmq.client.wire.NoArguments;
import io.warrenmq.client.wire.QueueMethods;
import io.warrenmq.client.wire.TxMethods;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * An {@link AmqpChannel} over the wire: each method is the AMQP 0-9-1 method of the same name sent
 * on this channel's number; a synchronous method waits for its {@code -ok} (at most the URL's
 * {@code requestTimeout}, then the channel is closed and the call fails with 504 CHANNEL_ERROR).
 * The broker's {@code channel.close} fails the waiting call, and every later one, with the broker's
 * reply code and text, as the engine's {@code Channel} throws them in-VM.
 *
 * <p>Where the wire differs from the in-VM channel (written down so that the JMS layer's
 * expectations are known):
 *
 * <ul>
 *   <li>{@link #basicPublish} is asynchronous, as on any AMQP client: a publish to a missing
 *       exchange closes the channel afterwards (404), seen by the next call or by {@link
 *       #waitForConfirms}, which then throws the broker's error.
 *   <li>{@link #basicRelease} is WarrenMQ's {@code basic.release} (docs/protocol-release.md) when
 *       the broker offers {@code warrenmq.release}; otherwise (RabbitMQ) {@code basic.reject} with
 *       requeue: the message comes back marked redelivered, its delivery count raised (AMQP 0-9-1
 *       has no "release").
 *   <li>{@link #confirmSelect} opens a second AMQP channel in confirm mode that carries this
 *       channel's publishes outside an XA association, since WarrenMQ's server refuses {@code
 *       dtx.select} on a channel in confirm mode; inside an association publishes go on this
 *       channel, as part of the branch, without a confirm.
 *   <li>{@link #queueBrowse} has no AMQP 0-9-1 method: it is WarrenMQ's browse extension ({@link
 *       WireQueueBrowse}, docs/protocol-browse.md), and fails with 540 NOT_IMPLEMENTED naming
 *       {@code warrenmq.browse} on a broker without it.
 *   <li>Selectors ({@code x-jms-selector} arguments) and the XA methods need the broker's {@code
 *       warrenmq.selectors} / {@code warrenmq.dtx} capability; without it (RabbitMQ, which would
 *       silently ignore a selector) they fail with 540 NOT_IMPLEMENTED (XA: XAER_RMERR) naming the
 *       capability.
 * </ul>
 *
 * <p>Deliveries, returns, confirms and consumer cancels are handed to the callbacks one at a time,
 * in wire order, on a pool thread (a serial executor per channel), never on the socket's thread.
 *
 * <p>Thread-safety: thread-safe; synchronous methods of one channel are serialised.
 */
final class WireChannel implements AmqpChannel {
  private static final System.Logger LOG = System.getLogger(WireChannel.class.getName());
  private static final String SELECTOR_ARGUMENT = "x-jms-selector";

  private final WireConnection connection;
  private final int number;
  private final long requestTimeoutMs;
  private final Object rpcLock = new Object();
  private final Object publishLock = new Object();
  private final Object confirmLock = new Object();
  private final Map<String, Consumer> consumers = new ConcurrentHashMap<>();
  private final List<ReturnListener> returnListeners = new CopyOnWriteArrayList<>();
  private final List<ConfirmListener> confirmListeners = new CopyOnWriteArrayList<>();
  private final SerialExecutor dispatch = new SerialExecutor();
  private final CompletableFuture<Void> closeOk = new CompletableFuture<>();

  private volatile CompletableFuture<Command> pending;
  private volatile Consumer pendingConsumer;
  private volatile boolean open = true;
  private volatile boolean closing;
  private volatile AmqpException closeCause;

  // confirm mode, guarded by confirmLock
  private long nextPublishSeqNo; // 0: not in confirm mode
  private final NavigableSet<Long> unconfirmed = new TreeSet<>();
  private boolean nacked;

  private volatile String resourceManagerId; // after dtx.select

  /** The dtx timeout (s) the broker has for this channel; 0, its default, on a new channel. */
  private volatile int timeoutSet;

  private volatile boolean txSelected;

  /**
   * The companion channel that carries this channel's publishes in confirm mode, outside an XA
   * association: WarrenMQ's server refuses dtx on a channel in confirm mode (docs/protocol-dtx.md,
   * "a client that wants confirmed publishes outside transactions uses another channel"), while the
   * in-VM channel and the JMS layer use one channel for both. Null until {@link #confirmSelect}.
   */
  private volatile WireChannel confirms;

  /** Between a successful dtx.start and the dtx.end: publishes belong to the branch, here. */
  private volatile boolean associated;

  /**
   * The last {@code dtx.end} sent without waiting for its answer, until a call on its Xid reported
   * its outcome or the next end replaced it; while {@link DeferredEnd#unanswered()}, the channel's
   * next reply is its answer. Written under {@link #rpcLock}.
   */
  private volatile DeferredEnd deferredEnd;

  /** The last no-wait {@code dtx.start} of this channel and the broker's refusal of it. */
  private final NoWaitStart noWaitStart = new NoWaitStart();

  WireChannel(WireConnection connection, int number, long requestTimeoutMs) {
    this.connection = connection;
    this.number = number;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  void open() {
    rpc(new ChannelMethods.Open());
  }

  @Override
  public int channelNumber() {
    return number;
  }

  // --- exchange

  @Override
  public void exchangeDeclare(ExchangeSpec spec) {
    rpc(
        new ExchangeMethods.Declare(
            spec.name(),
            spec.type(),
            false,
            spec.durable(),
            spec.autoDelete(),
            spec.internal(),
            false,
            spec.arguments()));
  }

  @Override
  public void exchangeDeclarePassive(String exchange) {
    rpc(new ExchangeMethods.Declare(exchange, "", true, false, false, false, false, Map.of()));
  }

  @Override
  public void exchangeDelete(String exchange, boolean ifUnused) {
    rpc(new ExchangeMethods.Delete(exchange, ifUnused, false));
  }

  @Override
  public void exchangeBind(
      String destination, String source, String bindingKey, Map<String, Object> arguments) {
    checkSelector(arguments);
    rpc(new ExchangeMethods.Bind(destination, source, bindingKey, false, args(arguments), false));
  }

  @Override
  public void exchangeUnbind(
      String destination, String source, String bindingKey, Map<String, Object> arguments) {
    rpc(new ExchangeMethods.Bind(destination, source, bindingKey, false, args(arguments), true));
  }

  // --- queue

  @Override
  public QueueDeclareOk queueDeclare(QueueSpec spec) {
    checkSelector(spec.arguments());
    return declareOk(
        rpc(
            new QueueMethods.Declare(
                spec.name(),
                false,
                spec.durable(),
                spec.exclusive(),
                spec.autoDelete(),
                false,
                spec.arguments())));
  }

  @Override
  public QueueDeclareOk queueDeclarePassive(String queue) {
    return declareOk(
        rpc(new QueueMethods.Declare(queue, true, false, false, false, false, Map.of())));
  }

  private static QueueDeclareOk declareOk(Command c) {
    QueueMethods.DeclareOk ok = (QueueMethods.DeclareOk) c.method();
    return new QueueDeclareOk(ok.queue(), (int) ok.messageCount(), (int) ok.consumerCount());
  }

  @Override
  public int queueDelete(String queue, boolean ifUnused, boolean ifEmpty) {
    return (int)
        ((QueueMethods.CountOk)
                rpc(new QueueMethods.Delete(queue, ifUnused, ifEmpty, false)).method())
            .messageCount();
  }

  @Override
  public int queuePurge(String queue) {
    return (int)
        ((QueueMethods.CountOk) rpc(new QueueMethods.Purge(queue, false)).method()).messageCount();
  }

  @Override
  public void queueBind(
      String queue, String exchange, String bindingKey, Map<String, Object> arguments) {
    checkSelector(arguments);
    rpc(new QueueMethods.Bind(queue, exchange, bindingKey, false, args(arguments), false));
  }

  @Override
  public void queueUnbind(
      String queue, String exchange, String bindingKey, Map<String, Object> arguments) {
    rpc(new QueueMethods.Bind(queue, exchange, bindingKey, false, args(arguments), true));
  }

  @Override
  public List<Delivery> queueBrowse(String queue) {
    return WireQueueBrowse.snapshot(this, connection, queue, requestTimeoutMs);
  }

  // --- basic

  @Override
  public void basicPublish(
      String exchange,
      String routingKey,
      boolean mandatory,
      BasicProperties properties,
      byte[] body) {
    ensureOpen();
    WireChannel c = confirms;
    if (c != null && !associated) {
      c.basicPublish(exchange, routingKey, mandatory, properties, body);
      return;
    }
    connection.awaitPublishAllowed();
    BasicProperties props = properties == null ? BasicProperties.EMPTY : properties;
    synchronized (publishLock) {
      ensureOpen();
      synchronized (confirmLock) {
        if (nextPublishSeqNo > 0) {
          unconfirmed.add(nextPublishSeqNo++);
        }
      }
      connection.sendContent(
          number, new BasicMethods.Publish(exchange, routingKey, mandatory, false), props, body);
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

  /**
   * Opens the companion channel (see {@link #confirms}) in confirm mode, once; its returns and
   * confirms reach this channel's listeners. Its sequence numbers are this channel's.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED "cannot switch from tx to confirm mode" after
   *     {@link #txSelect()}, as the engine
   */
  @Override
  public void confirmSelect() {
    ensureOpen();
    if (txSelected) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED, "cannot switch from tx to confirm mode");
    }
    synchronized (publishLock) {
      if (confirms != null) {
        return;
      }
      WireChannel c = (WireChannel) connection.createChannel();
      c.addReturnListener(
          r -> {
            for (ReturnListener l : returnListeners) {
              l.handleReturn(r);
            }
          });
      c.addConfirmListener(
          new ConfirmListener() {
            @Override
            public void handleAck(long deliveryTag, boolean multiple) {
              for (ConfirmListener l : confirmListeners) {
                l.handleAck(deliveryTag, multiple);
              }
            }

            @Override
            public void handleNack(long deliveryTag, boolean multiple) {
              for (ConfirmListener l : confirmListeners) {
                l.handleNack(deliveryTag, multiple);
              }
            }
          });
      c.confirmSelectHere();
      confirms = c;
    }
  }

  private void confirmSelectHere() {
    synchronized (publishLock) {
      rpc(new TxMethods.ConfirmSelect(false));
      synchronized (confirmLock) {
        if (nextPublishSeqNo == 0) {
          nextPublishSeqNo = 1;
        }
      }
    }
  }

  @Override
  public long getNextPublishSeqNo() {
    WireChannel c = confirms;
    if (c != null) {
      return c.getNextPublishSeqNo();
    }
    synchronized (confirmLock) {
      return nextPublishSeqNo;
    }
  }

  @Override
  public boolean waitForConfirms(long timeoutMs) throws InterruptedException, TimeoutException {
    WireChannel c = confirms;
    if (c != null) {
      return c.waitForConfirms(timeoutMs);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    synchronized (confirmLock) {
      if (nextPublishSeqNo == 0) {
        throw new IllegalStateException("channel " + number + " is not in confirm mode");
      }
      while (!unconfirmed.isEmpty()) {
        if (!open) {
          AmqpException cause = closeCause;
          throw cause != null
              ? cause
              : new AmqpException(
                  ReplyCode.CHANNEL_ERROR,
                  "channel closed with " + unconfirmed.size() + " publishes unconfirmed");
        }
        if (timeoutMs == 0) {
          confirmLock.wait();
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new TimeoutException(
                unconfirmed.size() + " publishes unconfirmed after " + timeoutMs + " ms");
          }
          TimeUnit.NANOSECONDS.timedWait(confirmLock, left);
        }
      }
      boolean ok = !nacked;
      nacked = false;
      return ok;
    }
  }

  @Override
  public void basicQos(int prefetchCount, boolean global) {
    basicQos(0, prefetchCount, global);
  }

  @Override
  public void basicQos(long prefetchSize, int prefetchCount, boolean global) {
    if (prefetchCount < 0 || prefetchCount > 65535) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED, "prefetch_count " + prefetchCount + " is not in 0..65535");
    }
    if (prefetchSize < 0 || prefetchSize > 0xFFFF_FFFFL) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED,
          "prefetch_size " + prefetchSize + " is not in 0..4294967295");
    }
    if (prefetchSize != 0 && !connection.hasCapability(Capabilities.PREFETCH_SIZE)) {
      // RabbitMQ closes the whole connection with 540 for this: refuse before sending
      throw connection.missingCapability(Capabilities.PREFETCH_SIZE, "a prefetch window in bytes");
    }
    rpc(new BasicMethods.Qos(prefetchSize, prefetchCount, global));
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      boolean exclusive,
      Map<String, Object> arguments,
      Consumer callback) {
    java.util.Objects.requireNonNull(callback, "callback");
    checkSelector(arguments);
    synchronized (rpcLock) {
      pendingConsumer = callback;
      try {
        Command c =
            rpc(
                new BasicMethods.Consume(
                    queue,
                    consumerTag == null ? "" : consumerTag,
                    false,
                    autoAck,
                    exclusive,
                    false,
                    args(arguments)));
        return ((BasicMethods.ConsumerTagOk) c.method()).consumerTag();
      } finally {
        pendingConsumer = null;
      }
    }
  }

  @Override
  public void basicCancel(String consumerTag) {
    if (!consumers.containsKey(consumerTag)) {
      ensureOpen();
      return; // unknown tag: a no-op, as in RabbitMQ
    }
    rpc(new BasicMethods.Cancel(consumerTag, false));
  }

  @Override
  public GetResponse basicGet(String queue, boolean autoAck) {
    Command c = rpc(new BasicMethods.Get(queue, autoAck));
    if (c.method() instanceof BasicMethods.GetOk ok) {
      Delivery d =
          new Delivery(
              null,
              ok.deliveryTag(),
              ok.redelivered(),
              ok.exchange(),
              ok.routingKey(),
              c.properties(),
              c.body());
      return new GetResponse(d, (int) ok.messageCount());
    }
    return null;
  }

  @Override
  public void basicAck(long deliveryTag, boolean multiple) {
    send(new BasicMethods.Settle(MethodId.BASIC_ACK, deliveryTag, multiple, false));
  }

  @Override
  public void basicNack(long deliveryTag, boolean multiple, boolean requeue) {
    send(new BasicMethods.Settle(MethodId.BASIC_NACK, deliveryTag, multiple, requeue));
  }

  @Override
  public void basicRelease(long deliveryTag) {
    if (connection.hasCapability(Capabilities.RELEASE)) {
      send(new BasicMethods.Release(deliveryTag));
    } else {
      send(new BasicMethods.Settle(MethodId.BASIC_REJECT, deliveryTag, false, true));
    }
  }

  @Override
  public void basicReject(long deliveryTag, boolean requeue) {
    send(new BasicMethods.Settle(MethodId.BASIC_REJECT, deliveryTag, false, requeue));
  }

  @Override
  public void basicRecover(boolean requeue) {
    rpc(new BasicMethods.Recover(requeue, false));
  }

  // --- tx

  @Override
  public void txSelect() {
    if (confirms != null) {
      ensureOpen();
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED, "cannot switch from confirm to tx mode");
    }
    rpc(new NoArguments(MethodId.TX_SELECT));
    txSelected = true;
  }

  @Override
  public void txCommit() {
    rpc(new NoArguments(MethodId.TX_COMMIT));
  }

  @Override
  public void txRollback() {
    rpc(new NoArguments(MethodId.TX_ROLLBACK));
  }

  // --- dtx (docs/protocol-dtx.md)

  /**
   * {@inheritDoc}
   *
   * <p>{@code TMNOFLAGS} is pipelined when the broker offers {@link
   * Capabilities#DTX_START_NO_WAIT}: the start is sent with {@code no-wait} and this returns
   * without an answer. The broker closes the channel if it refuses the start, discarding the work
   * sent behind it, and the next call on the Xid reports the refusal ({@link NoWaitStart}). {@code
   * TMJOIN} and {@code TMRESUME}, and an Xid the broker would refuse as invalid, wait for the
   * answer.
   */
  @Override
  public void dtxStart(Xid xid, int flags) throws XAException {
    WireXid w = WireXid.of(xid);
    if (flags == XAResource.TMNOFLAGS
        && w.invalidity() == null
        && connection.hasCapability(Capabilities.DTX_START_NO_WAIT)) {
      startNoWait(w);
    } else if (flags == XAResource.TMNOFLAGS) {
      xaResult(new DtxMethods.Association(MethodId.DTX_START, w, flags));
    } else {
      // TMJOIN, TMRESUME: after the end of that branch, wherever it was sent
      afterEnd(w, new DtxMethods.Association(MethodId.DTX_START, w, flags));
    }
    associated = true;
  }

  @Override
  public boolean dtxStartRefused(Xid xid) {
    return noWaitStart.isRefused(WireXid.of(xid));
  }

  private void startNoWait(WireXid xid) throws XAException {
    sendUnanswered(
        new DtxMethods.Association(MethodId.DTX_START, xid, XAResource.TMNOFLAGS, true),
        () -> noWaitStart.sending(xid)); // before the send: the refusal may come at once
  }

  /**
   * Sends a dtx request whose answer no one waits for here (a no-wait start, a pipelined end),
   * after the answer of the channel's previous pipelined end if it has not come: one end in flight
   * per channel, and a new branch begins only after the previous one's end was answered, so that a
   * connection lost during the new branch does not leave the old one's end lost. {@code beforeSend}
   * records what the answer (or the refusal) will be matched with.
   *
   * @throws XAException XAER_RMFAIL if the channel or its connection is closed
   */
  private void sendUnanswered(AmqpMethod request, Runnable beforeSend) throws XAException {
    synchronized (rpcLock) {
      DeferredEnd earlier = deferredEnd;
      if (earlier != null && earlier.unanswered()) {
        earlier.awaitQuietly(requestTimeoutMs);
      }
      try {
        dtxSelect();
        ensureOpen();
        beforeSend.run();
        connection.send(number, request);
      } catch (AmqpException e) {
        XAException x = new XAException(request.id().spec() + " failed: " + e.getMessage());
        x.errorCode = XAException.XAER_RMFAIL;
        x.initCause(e);
        throw x;
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code TMSUCCESS} is pipelined: the end is sent and this returns without waiting for its
   * answer, which the next call on the Xid reports ({@link DeferredEnd}). {@code TMFAIL} and {@code
   * TMSUSPEND} wait for it.
   */
  @Override
  public void dtxEnd(Xid xid, int flags) throws XAException {
    WireXid w = WireXid.of(xid);
    try {
      if (noWaitStart.isRefused(w) || !open) {
        // ending after this channel closed succeeds (the close ended the association), unless
        // the close refused the start
        noWaitStart.answer(w, MethodId.DTX_END, null);
      } else if (flags == XAResource.TMSUCCESS) {
        endPipelined(w);
      } else {
        afterEnd(w, new DtxMethods.Association(MethodId.DTX_END, w, flags));
      }
    } finally {
      associated = false;
    }
  }

  private void endPipelined(WireXid xid) throws XAException {
    try {
      sendUnanswered(
          new DtxMethods.Association(MethodId.DTX_END, xid, XAResource.TMSUCCESS),
          // before the send: its answer may come at once
          () -> deferredEnd = DeferredEnd.of(xid, toString(), noWaitStart.lastSentIs(xid)));
    } catch (XAException e) {
      // the channel may have closed under the send because the broker refused the start
      noWaitStart.answer(xid, MethodId.DTX_END, e);
    }
  }

  @Override
  public int dtxPrepare(Xid xid) throws XAException {
    WireXid w = WireXid.of(xid);
    return afterEnd(w, new DtxMethods.Branch(MethodId.DTX_PREPARE, w));
  }

  @Override
  public void dtxCommit(Xid xid, boolean onePhase) throws XAException {
    WireXid w = WireXid.of(xid);
    afterEnd(w, new DtxMethods.Commit(w, onePhase));
  }

  @Override
  public void dtxRollback(Xid xid) throws XAException {
    WireXid w = WireXid.of(xid);
    afterEnd(w, new DtxMethods.Branch(MethodId.DTX_ROLLBACK, w));
  }

  /**
   * Sends a dtx call on {@code xid} that must reach the broker after that branch's end: on this
   * channel right away (the broker runs a channel's commands in order), reporting the end's failure
   * first if the broker refused it; on another channel after the answer of a pipelined end of the
   * Xid elsewhere, if any, and if that end was lost, a {@code prepare} or {@code commit} rolls the
   * branch back instead ({@link DeferredEnd}).
   */
  private int afterEnd(WireXid xid, AmqpMethod request) throws XAException {
    MethodId id = request.id();
    if (noWaitStart.isRefused(xid)) {
      return noWaitStart.answer(xid, id, null);
    }
    try {
      DeferredEnd own = deferredEnd;
      if (own != null && own.isOf(xid)) {
        return pipelined(own, request);
      }
      DeferredEnd lost = DeferredEnd.awaitAnother(xid, own, requestTimeoutMs);
      if (lost != null && (id == MethodId.DTX_PREPARE || id == MethodId.DTX_COMMIT)) {
        return rollBackUnended(xid, lost, id);
      }
      return xaResult(request);
    } catch (XAException e) {
      // the channel may have closed under the call because the broker refused the start
      return noWaitStart.answer(xid, id, e);
    }
  }

  private int pipelined(DeferredEnd own, AmqpMethod request) throws XAException {
    int code = 0;
    XAException failure = null;
    try {
      code = xaResult(request);
    } catch (XAException e) {
      failure = e;
    }
    XAException endFailure = own.failure(requestTimeoutMs); // answered before the request
    synchronized (rpcLock) {
      if (deferredEnd == own) {
        deferredEnd = null;
      }
    }
    if (endFailure == null) {
      if (failure != null) {
        throw failure;
      }
      return code;
    }
    if (own.lost()) {
      // No answer: the connection went, and the request's outcome is unknown (its own failure
      // says so, XAER_RMFAIL). The end stays registered for a call through another channel.
      throw failure != null ? failure : endFailure;
    }
    if (failure != null) {
      endFailure.addSuppressed(failure);
    }
    throw endFailure;
  }

  /**
   * A prepare or commit on this channel of a branch whose pipelined end was lost on another one:
   * rolls it back (X/Open XA: XA_RBCOMMFAIL) rather than completing work that may miss sends.
   */
  private int rollBackUnended(WireXid xid, DeferredEnd lost, MethodId asked) throws XAException {
    String why =
        "the dtx.end of this branch was sent on "
            + lost.channel()
            + ", whose connection was lost before the broker answered it";
    try {
      xaResult(new DtxMethods.Branch(MethodId.DTX_ROLLBACK, xid));
    } catch (XAException e) {
      XAException x =
          new XAException(
              asked.spec()
                  + " not sent: "
                  + why
                  + "; rolling it back was answered: "
                  + e.getMessage());
      // XAER_NOTA: completed before the loss, or, after a pipelined start, maybe never started
      // (that start lost with the end): then nothing was committed; XA_RB*: rolled back
      x.errorCode =
          e.errorCode == XAException.XAER_NOTA && lost.startPipelined()
              ? XAException.XA_RBCOMMFAIL
              : e.errorCode;
      x.initCause(e);
      throw x;
    }
    XAException x =
        new XAException(asked.spec() + " not sent: " + why + "; the branch was rolled back");
    x.errorCode = XAException.XA_RBCOMMFAIL;
    throw x;
  }

  @Override
  public Xid[] dtxRecover(int flags) throws XAException {
    List<Xid> all = new ArrayList<>();
    DtxMethods.RecoverOk page = (DtxMethods.RecoverOk) xaCall(new DtxMethods.Recover(flags));
    check(page.xaCode(), page.xaText());
    all.addAll(page.xids());
    while (page.more()) {
      page = (DtxMethods.RecoverOk) xaCall(new DtxMethods.Recover(flags & XAResource.TMENDRSCAN));
      check(page.xaCode(), page.xaText());
      all.addAll(page.xids());
    }
    return all.toArray(new Xid[0]);
  }

  @Override
  public void dtxForget(Xid xid) throws XAException {
    WireXid w = WireXid.of(xid);
    afterEnd(w, new DtxMethods.Branch(MethodId.DTX_FORGET, w));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The broker keeps the timeout per channel until it is set again, so setting the value this
   * channel already has is answered here without a round trip: a transaction manager sets it on
   * every enlistment (Narayana does, before each {@code start}), and an MDB delivery would pay one
   * more round trip for nothing.
   */
  @Override
  public boolean dtxSetTimeout(int seconds) throws XAException {
    if (seconds >= 0 && seconds == timeoutSet) {
      return true;
    }
    xaResult(new DtxMethods.SetTimeout(seconds));
    timeoutSet = seconds;
    return true;
  }

  @Override
  public int dtxGetTimeout() {
    try {
      DtxMethods.GetTimeoutOk ok =
          (DtxMethods.GetTimeoutOk) xaCall(new NoArguments(MethodId.DTX_GET_TIMEOUT));
      return ok.seconds();
    } catch (XAException e) {
      throw new AmqpException(ReplyCode.INTERNAL_ERROR, "dtx.get-timeout failed: " + e);
    }
  }

  @Override
  public String resourceManagerId() {
    dtxSelect();
    return resourceManagerId;
  }

  private void dtxSelect() {
    if (!connection.hasCapability(Capabilities.DTX)) {
      throw connection.missingCapability(Capabilities.DTX, "XA transactions");
    }
    synchronized (rpcLock) {
      if (resourceManagerId == null) {
        DtxMethods.SelectOk ok =
            (DtxMethods.SelectOk) rpc(new NoArguments(MethodId.DTX_SELECT)).method();
        resourceManagerId = ok.resourceManagerId();
      }
    }
  }

  private int xaResult(AmqpMethod request) throws XAException {
    DtxMethods.Result r = (DtxMethods.Result) xaCall(request);
    check(r.xaCode(), r.xaText());
    return r.xaCode();
  }

  private AmqpMethod xaCall(AmqpMethod request) throws XAException {
    try {
      dtxSelect();
      return rpc(request).method();
    } catch (AmqpException e) {
      XAException x = new XAException(request.id().spec() + " failed: " + e.getMessage());
      x.errorCode =
          e.replyCode() == ReplyCode.NOT_IMPLEMENTED
              ? XAException.XAER_RMERR
              : XAException.XAER_RMFAIL;
      x.initCause(e);
      throw x;
    }
  }

  private static void check(int code, String text) throws XAException {
    if (code == XAResource.XA_OK || code == XAResource.XA_RDONLY) {
      return;
    }
    XAException e = new XAException(text);
    e.errorCode = code;
    throw e;
  }

  // --- state

  @Override
  public boolean isOpen() {
    return open && connection.isOpen();
  }

  @Override
  public void close() {
    if (!open || closing) {
      return;
    }
    DeferredEnd end = deferredEnd;
    if (end != null && end.unanswered() && connection.isOpen()) {
      end.awaitQuietly(requestTimeoutMs); // after channel.close its answer would be dropped
    }
    closing = true;
    WireChannel c = confirms;
    if (c != null) {
      c.close();
    }
    if (connection.isOpen()) {
      try {
        connection.send(number, Close.channel(ReplyCode.REPLY_SUCCESS.code(), "OK", 0, 0));
        closeOk.get(requestTimeoutMs, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        LOG.log(Level.DEBUG, "no channel.close-ok on channel {0}: {1}", number, e);
      }
    }
    closed(null, false);
  }

  @Override
  public String toString() {
    return "WireChannel[" + number + " of " + connection + "]";
  }

  // --- inbound, on the event loop

  void handle(Command c) {
    AmqpMethod m = c.method();
    MethodId id = m.id();
    if (closing && id != MethodId.CHANNEL_CLOSE_OK && id != MethodId.CHANNEL_CLOSE) {
      return; // spec 1.5.2.5: after channel.close only close-ok matters
    }
    switch (id) {
      case BASIC_DELIVER -> {
        BasicMethods.Deliver d = (BasicMethods.Deliver) m;
        Consumer consumer = consumers.get(d.consumerTag());
        if (consumer == null) {
          return;
        }
        Delivery delivery =
            new Delivery(
                d.consumerTag(),
                d.deliveryTag(),
                d.redelivered(),
                d.exchange(),
                d.routingKey(),
                c.properties(),
                c.body());
        dispatch.execute(() -> consumer.handleDelivery(delivery));
      }
      case BASIC_RETURN -> {
        BasicMethods.Return r = (BasicMethods.Return) m;
        AmqpException code = WireConnection.toException(r.replyCode(), r.replyText());
        Return returned =
            new Return(
                code.replyCode(),
                code.replyText(),
                r.exchange(),
                r.routingKey(),
                c.properties(),
                c.body());
        dispatch.execute(
            () -> {
              for (ReturnListener l : returnListeners) {
                l.handleReturn(returned);
              }
            });
      }
      case BASIC_ACK, BASIC_NACK -> {
        BasicMethods.Settle s = (BasicMethods.Settle) m;
        boolean ack = id == MethodId.BASIC_ACK;
        synchronized (confirmLock) {
          if (s.multiple()) {
            unconfirmed.headSet(s.deliveryTag(), true).clear();
          } else {
            unconfirmed.remove(s.deliveryTag());
          }
          if (!ack) {
            nacked = true;
          }
          confirmLock.notifyAll();
        }
        dispatch.execute(
            () -> {
              for (ConfirmListener l : confirmListeners) {
                if (ack) {
                  l.handleAck(s.deliveryTag(), s.multiple());
                } else {
                  l.handleNack(s.deliveryTag(), s.multiple());
                }
              }
            });
      }
      case BASIC_CANCEL -> {
        // the broker cancelled a consumer (queue deleted; RabbitMQ consumer_cancel_notify)
        BasicMethods.Cancel cancel = (BasicMethods.Cancel) m;
        Consumer consumer = consumers.remove(cancel.consumerTag());
        if (!cancel.noWait()) {
          connection.send(
              number,
              new BasicMethods.ConsumerTagOk(MethodId.BASIC_CANCEL_OK, cancel.consumerTag()));
        }
        if (consumer != null) {
          dispatch.execute(() -> consumer.handleCancel(cancel.consumerTag()));
        }
      }
      case BASIC_CONSUME_OK -> {
        Consumer consumer = pendingConsumer;
        if (consumer != null) {
          consumers.put(((BasicMethods.ConsumerTagOk) m).consumerTag(), consumer);
        }
        complete(c);
      }
      case BASIC_CANCEL_OK -> {
        String tag = ((BasicMethods.ConsumerTagOk) m).consumerTag();
        Consumer consumer = consumers.remove(tag);
        if (consumer != null) {
          dispatch.execute(() -> consumer.handleCancelOk(tag));
        }
        complete(c);
      }
      case CHANNEL_FLOW -> {
        ChannelMethods.Flow f = (ChannelMethods.Flow) m;
        connection.send(number, new ChannelMethods.Flow(f.active(), true));
      }
      case CHANNEL_CLOSE -> {
        Close close = (Close) m;
        connection.send(number, new NoArguments(MethodId.CHANNEL_CLOSE_OK));
        AmqpException e = WireConnection.toException(close.replyCode(), close.replyText());
        WireXid refused =
            noWaitStart.refusedOnClose(
                close.failingClassId(), close.failingMethodId(), toString(), e.getMessage());
        if (refused != null) {
          answerEndOfRefusedStart(refused, e.getMessage());
        }
        closed(e, true);
      }
      case CHANNEL_CLOSE_OK -> closeOk.complete(null);
      default -> complete(c);
    }
  }

  /**
   * The broker refused the no-wait start of {@code xid} (on the event loop, before {@link #closed};
   * {@link NoWaitStart} keeps the refusal for the calls on the Xid): a pipelined end of it sent
   * meanwhile, which the broker discarded, is answered as refused rather than lost (it ended
   * nothing: no work of this channel is in the branch, so no other channel has to roll the branch
   * back).
   */
  private void answerEndOfRefusedStart(WireXid xid, String why) {
    DeferredEnd end = deferredEnd;
    if (end != null && end.unanswered() && end.isOf(xid)) {
      end.answered(
          new Command(
              new DtxMethods.Result(
                  MethodId.DTX_END_OK,
                  XAException.XA_RBROLLBACK,
                  "the broker refused the dtx.start of this branch: " + why),
              null,
              null));
    }
  }

  private void complete(Command c) {
    DeferredEnd end = deferredEnd;
    if (end != null && end.unanswered()) {
      end.answered(c); // replies come in request order, and the end was sent first
      return;
    }
    CompletableFuture<Command> f = pending;
    if (f != null) {
      f.complete(c);
    } else {
      LOG.log(Level.DEBUG, "unexpected {0} on channel {1}", c.method().id(), number);
    }
  }

  /** The connection closed: no handleCancel (the spec's consumers end with their connection). */
  void connectionClosed(AmqpException cause) {
    closed(cause, false);
  }

  private void closed(AmqpException cause, boolean byBroker) {
    synchronized (this) {
      if (!open) {
        return;
      }
      closeCause = cause;
      open = false;
    }
    connection.channelClosed(number);
    closeOk.complete(null);
    WireChannel c = confirms;
    if (byBroker && c != null) {
      WireTransport.callbacks().execute(c::close); // not on the event loop: close waits
    }
    CompletableFuture<Command> f = pending;
    if (f != null) {
      f.completeExceptionally(cause != null ? cause : closedError());
    }
    DeferredEnd end = deferredEnd;
    if (end != null) {
      end.failed(cause != null ? cause : closedError());
    }
    synchronized (confirmLock) {
      confirmLock.notifyAll();
    }
    if (byBroker) {
      // a soft error cancels the channel's consumers, and they are told (AmqpChannel contract)
      for (Map.Entry<String, Consumer> e : consumers.entrySet()) {
        dispatch.execute(() -> e.getValue().handleCancel(e.getKey()));
      }
      LOG.log(Level.DEBUG, "broker closed channel {0}: {1}", number, cause.getMessage());
    }
    consumers.clear();
  }

  // --- plumbing

  private Command rpc(AmqpMethod method) {
    synchronized (rpcLock) {
      ensureOpen();
      CompletableFuture<Command> f = new CompletableFuture<>();
      pending = f;
      try {
        connection.send(number, method);
        return f.get(requestTimeoutMs, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof AmqpException a) {
          throw new AmqpException(a.replyCode(), a.replyText());
        }
        throw new AmqpException(ReplyCode.INTERNAL_ERROR, method.id().spec() + ": " + e.getCause());
      } catch (TimeoutException e) {
        closed(
            new AmqpException(
                ReplyCode.CHANNEL_ERROR,
                "no answer to " + method.id().spec() + " within " + requestTimeoutMs + " ms"),
            false);
        throw closeCause;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AmqpException(
            ReplyCode.INTERNAL_ERROR, "interrupted while waiting for " + method.id().spec());
      } finally {
        pending = null;
      }
    }
  }

  private void send(AmqpMethod method) {
    ensureOpen();
    connection.send(number, method);
  }

  private void ensureOpen() {
    if (!open || !connection.isOpen()) {
      throw closedError();
    }
  }

  private AmqpException closedError() {
    AmqpException cause = closeCause != null ? closeCause : connection.closeCause();
    return new AmqpException(
        ReplyCode.CHANNEL_ERROR,
        "channel is closed" + (cause == null ? "" : ": " + cause.getMessage()));
  }

  private void checkSelector(Map<String, Object> arguments) {
    if (arguments != null
        && arguments.containsKey(SELECTOR_ARGUMENT)
        && !connection.hasCapability(Capabilities.SELECTORS)) {
      throw connection.missingCapability(Capabilities.SELECTORS, "JMS message selectors");
    }
  }

  private static Map<String, Object> args(Map<String, Object> arguments) {
    return arguments == null ? Map.of() : arguments;
  }

  /** Runs tasks one at a time, in order, on the shared callback pool. */
  private static final class SerialExecutor {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();

    void execute(Runnable task) {
      tasks.add(task);
      schedule();
    }

    private void schedule() {
      if (!tasks.isEmpty() && running.compareAndSet(false, true)) {
        WireTransport.callbacks().execute(this::drain);
      }
    }

    private void drain() {
      try {
        Runnable r;
        while ((r = tasks.poll()) != null) {
          try {
            r.run();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a consumer or listener callback failed", e);
          }
        }
      } finally {
        running.set(false);
        schedule();
      }
    }
  }
}
