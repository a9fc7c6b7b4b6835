package io.warrenmq.jms;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ConfirmListener;
import io.warrenmq.client.Consumer;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueDeclareOk;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReturnListener;
import io.warrenmq.jms.spi.ConnectionInfo;
import io.warrenmq.jms.spi.Transport;
import io.warrenmq.jms.spi.TransportConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

/**
 * A second transport for the seam tests: a decorator that records each AMQP method the JMS layer
 * calls, and each callback the transport makes, then delegates to a real transport. Channels are
 * numbered {@code ch1, ch2, ...} in the order they are opened and consumer tags are shown as {@code
 * ctag1, ctag2, ...}, so that a recorded line is stable from run to run, e.g. {@code "ch2
 * basicPublish jms.queue orders"}. Queries that are no AMQP method ({@code isOpen}, {@code id}) are
 * not recorded.
 *
 * <p>{@link #failNext} makes the next call of a method throw instead of delegating, as a broker
 * refusal would.
 */
final class RecordingTransport implements Transport {

  private final Transport delegate;
  private final List<String> calls = new ArrayList<>();
  private final AtomicInteger channels = new AtomicInteger();
  private final Map<String, String> tagAliases = new java.util.HashMap<>();
  private final Map<String, AmqpException> failures = new ConcurrentHashMap<>();

  private volatile int coalescedConfirms = 1;

  RecordingTransport(Transport delegate) {
    this.delegate = delegate;
  }

  /**
   * From now on, hands confirms to the client as one {@code multiple} ack per {@code n} publishes
   * (as a broker over the wire may), holding back the ones in between.
   */
  void coalesceConfirms(int n) {
    coalescedConfirms = n;
  }

  /** Every recorded line so far, in order. */
  List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** The recorded lines of one channel ({@code "ch2"}), without the channel prefix. */
  List<String> callsOf(String channel) {
    List<String> of = new ArrayList<>();
    for (String c : calls()) {
      if (c.startsWith(channel + " ")) {
        of.add(c.substring(channel.length() + 1));
      }
    }
    return of;
  }

  /** The recorded lines of the connection itself (no channel prefix). */
  List<String> connectionCalls() {
    List<String> of = new ArrayList<>();
    for (String c : calls()) {
      if (!c.startsWith("ch")) {
        of.add(c);
      }
    }
    return of;
  }

  void clear() {
    synchronized (calls) {
      calls.clear();
    }
  }

  /** The next call of {@code method} (e.g. {@code "basicPublish"}) throws {@code e}. */
  void failNext(String method, AmqpException e) {
    failures.put(method, e);
  }

  private void record(String line) {
    synchronized (calls) {
      calls.add(line);
    }
  }

  private void call(String prefix, String method, String args) {
    record(prefix + method + (args.isEmpty() ? "" : " " + args));
    AmqpException e = failures.remove(method);
    if (e != null) {
      throw e;
    }
  }

  private synchronized String alias(String consumerTag) {
    String alias = tagAliases.get(consumerTag);
    if (alias == null) {
      alias = "ctag" + (tagAliases.size() + 1);
      tagAliases.put(consumerTag, alias);
    }
    return alias;
  }

  @Override
  public String brokerName() {
    return delegate.brokerName();
  }

  @Override
  public TransportConnection connect(ConnectionInfo info) {
    call("", "connect", info.virtualHost() + " user=" + info.user());
    return new Connection(delegate.connect(info));
  }

  private final class Connection implements TransportConnection {
    private final TransportConnection c;

    Connection(TransportConnection c) {
      this.c = c;
    }

    @Override
    public String id() {
      return c.id();
    }

    @Override
    public AmqpChannel createChannel() {
      String name = "ch" + channels.incrementAndGet();
      call("", "createChannel", name);
      return new Channel(name + " ", c.createChannel());
    }

    @Override
    public boolean claimClientId(String clientId) {
      call("", "claimClientId", clientId);
      return c.claimClientId(clientId);
    }

    @Override
    public void addCloseListener(CloseListener listener) {
      call("", "addCloseListener", "");
      c.addCloseListener(
          cause -> {
            record("closed " + (cause == null ? "by client" : cause.replyCode()));
            listener.closed(cause);
          });
    }

    @Override
    public void addBlockedListener(BlockedListener listener) {
      call("", "addBlockedListener", "");
      c.addBlockedListener(listener);
    }

    @Override
    public boolean removeBlockedListener(BlockedListener listener) {
      call("", "removeBlockedListener", "");
      return c.removeBlockedListener(listener);
    }

    @Override
    public boolean isOpen() {
      return c.isOpen();
    }

    @Override
    public void close() {
      call("", "close", "");
      c.close();
    }
  }

  private final class Channel implements AmqpChannel {
    private final String p;
    private final AmqpChannel ch;
    private final Map<ConfirmListener, ConfirmListener> confirmWrappers = new ConcurrentHashMap<>();

    Channel(String prefix, AmqpChannel ch) {
      this.p = prefix;
      this.ch = ch;
    }

    @Override
    public void exchangeDeclare(ExchangeSpec spec) {
      call(p, "exchangeDeclare", spec.name() + " " + spec.type());
      ch.exchangeDeclare(spec);
    }

    @Override
    public void exchangeDelete(String exchange, boolean ifUnused) {
      call(p, "exchangeDelete", exchange);
      ch.exchangeDelete(exchange, ifUnused);
    }

    @Override
    public void exchangeBind(
        String destination, String source, String bindingKey, Map<String, Object> arguments) {
      call(p, "exchangeBind", destination + " " + source + " " + bindingKey);
      ch.exchangeBind(destination, source, bindingKey, arguments);
    }

    @Override
    public QueueDeclareOk queueDeclare(QueueSpec spec) {
      call(
          p,
          "queueDeclare",
          spec.name()
              + (spec.durable() ? " durable" : "")
              + (spec.exclusive() ? " exclusive" : "")
              + (spec.autoDelete() ? " autoDelete" : "")
              + " "
              + new java.util.TreeMap<>(spec.arguments()));
      return ch.queueDeclare(spec);
    }

    @Override
    public QueueDeclareOk queueDeclarePassive(String queue) {
      call(p, "queueDeclarePassive", queue);
      return ch.queueDeclarePassive(queue);
    }

    @Override
    public void queueBind(
        String queue, String exchange, String bindingKey, Map<String, Object> arguments) {
      call(p, "queueBind", queue + " " + exchange + " " + bindingKey + " " + arguments);
      ch.queueBind(queue, exchange, bindingKey, arguments);
    }

    @Override
    public void queueUnbind(
        String queue, String exchange, String bindingKey, Map<String, Object> arguments) {
      call(p, "queueUnbind", queue + " " + exchange + " " + bindingKey);
      ch.queueUnbind(queue, exchange, bindingKey, arguments);
    }

    @Override
    public int queueDelete(String queue, boolean ifUnused, boolean ifEmpty) {
      call(p, "queueDelete", queue);
      return ch.queueDelete(queue, ifUnused, ifEmpty);
    }

    @Override
    public List<Delivery> queueBrowse(String queue) {
      call(p, "queueBrowse", queue);
      return ch.queueBrowse(queue);
    }

    @Override
    public void basicQos(int prefetchCount, boolean global) {
      call(p, "basicQos", prefetchCount + (global ? " global" : ""));
      ch.basicQos(prefetchCount, global);
    }

    @Override
    public void basicQos(long prefetchSize, int prefetchCount, boolean global) {
      call(p, "basicQos", prefetchSize + " bytes " + prefetchCount + (global ? " global" : ""));
      ch.basicQos(prefetchSize, prefetchCount, global);
    }

    @Override
    public void basicPublish(
        String exchange,
        String routingKey,
        boolean mandatory,
        BasicProperties properties,
        byte[] body) {
      call(p, "basicPublish", exchange + " " + routingKey);
      ch.basicPublish(exchange, routingKey, mandatory, properties, body);
    }

    @Override
    public String basicConsume(
        String queue,
        boolean autoAck,
        String consumerTag,
        boolean exclusive,
        Map<String, Object> arguments,
        Consumer callback) {
      call(p, "basicConsume", queue + (autoAck ? " autoAck" : "") + " " + arguments);
      String tag =
          ch.basicConsume(
              queue,
              autoAck,
              consumerTag,
              exclusive,
              arguments,
              new Consumer() {
                @Override
                public void handleDelivery(Delivery d) {
                  record(
                      p
                          + "deliver "
                          + alias(d.consumerTag())
                          + " tag="
                          + d.deliveryTag()
                          + (d.redelivered() ? " redelivered" : ""));
                  callback.handleDelivery(d);
                }

                @Override
                public void handleCancel(String tag) {
                  record(p + "cancelled " + alias(tag));
                  callback.handleCancel(tag);
                }

                @Override
                public void handleCancelOk(String tag) {
                  callback.handleCancelOk(tag);
                }
              });
      alias(tag);
      return tag;
    }

    @Override
    public void basicCancel(String consumerTag) {
      call(p, "basicCancel", alias(consumerTag));
      ch.basicCancel(consumerTag);
    }

    @Override
    public void basicAck(long deliveryTag, boolean multiple) {
      call(p, "basicAck", deliveryTag + (multiple ? " multiple" : ""));
      ch.basicAck(deliveryTag, multiple);
    }

    @Override
    public void basicNack(long deliveryTag, boolean multiple, boolean requeue) {
      call(p, "basicNack", deliveryTag + (requeue ? " requeue" : ""));
      ch.basicNack(deliveryTag, multiple, requeue);
    }

    @Override
    public void basicReject(long deliveryTag, boolean requeue) {
      call(p, "basicReject", deliveryTag + (requeue ? " requeue" : ""));
      ch.basicReject(deliveryTag, requeue);
    }

    @Override
    public void basicRecover(boolean requeue) {
      call(p, "basicRecover", requeue ? "requeue" : "");
      ch.basicRecover(requeue);
    }

    @Override
    public void basicRelease(long deliveryTag) {
      call(p, "basicRelease", Long.toString(deliveryTag));
      ch.basicRelease(deliveryTag);
    }

    @Override
    public void txSelect() {
      call(p, "txSelect", "");
      ch.txSelect();
    }

    @Override
    public void txCommit() {
      call(p, "txCommit", "");
      ch.txCommit();
    }

    @Override
    public void txRollback() {
      call(p, "txRollback", "");
      ch.txRollback();
    }

    @Override
    public void dtxStart(Xid xid, int flags) throws XAException {
      call(p, "dtxStart", flags == 0 ? "" : "flags " + Integer.toHexString(flags));
      ch.dtxStart(xid, flags);
    }

    @Override
    public void dtxEnd(Xid xid, int flags) throws XAException {
      call(p, "dtxEnd", "flags " + Integer.toHexString(flags));
      ch.dtxEnd(xid, flags);
    }

    @Override
    public int dtxPrepare(Xid xid) throws XAException {
      call(p, "dtxPrepare", "");
      return ch.dtxPrepare(xid);
    }

    @Override
    public void dtxCommit(Xid xid, boolean onePhase) throws XAException {
      call(p, "dtxCommit", onePhase ? "onePhase" : "");
      ch.dtxCommit(xid, onePhase);
    }

    @Override
    public void dtxRollback(Xid xid) throws XAException {
      call(p, "dtxRollback", "");
      ch.dtxRollback(xid);
    }

    @Override
    public Xid[] dtxRecover(int flags) throws XAException {
      call(p, "dtxRecover", "flags " + Integer.toHexString(flags));
      return ch.dtxRecover(flags);
    }

    @Override
    public void dtxForget(Xid xid) throws XAException {
      call(p, "dtxForget", "");
      ch.dtxForget(xid);
    }

    @Override
    public boolean dtxSetTimeout(int seconds) throws XAException {
      call(p, "dtxSetTimeout", Integer.toString(seconds));
      return ch.dtxSetTimeout(seconds);
    }

    @Override
    public int dtxGetTimeout() {
      return ch.dtxGetTimeout();
    }

    @Override
    public String resourceManagerId() {
      return ch.resourceManagerId();
    }

    @Override
    public void confirmSelect() {
      call(p, "confirmSelect", "");
      ch.confirmSelect();
    }

    @Override
    public void addConfirmListener(ConfirmListener listener) {
      call(p, "addConfirmListener", "");
      ConfirmListener wrapper =
          new ConfirmListener() {
            @Override
            public void handleAck(long seq, boolean multiple) {
              record(p + "confirm ack " + seq);
              int n = coalescedConfirms;
              if (n == 1) {
                listener.handleAck(seq, multiple);
              } else if (seq % n == 0) {
                listener.handleAck(seq, true);
              }
            }

            @Override
            public void handleNack(long seq, boolean multiple) {
              record(p + "confirm nack " + seq);
              listener.handleNack(seq, multiple);
            }
          };
      confirmWrappers.put(listener, wrapper);
      ch.addConfirmListener(wrapper);
    }

    @Override
    public long getNextPublishSeqNo() {
      return ch.getNextPublishSeqNo();
    }

    @Override
    public boolean waitForConfirms(long timeoutMs) throws InterruptedException, TimeoutException {
      call(p, "waitForConfirms", "");
      return ch.waitForConfirms(timeoutMs);
    }

    // Methods of the channel contract that the JMS layer does not call today: recorded and
    // delegated all the same, so that a test sees it if it starts calling them.

    @Override
    public int channelNumber() {
      return ch.channelNumber();
    }

    @Override
    public void exchangeDeclarePassive(String exchange) {
      call(p, "exchangeDeclarePassive", exchange);
      ch.exchangeDeclarePassive(exchange);
    }

    @Override
    public void exchangeUnbind(
        String destination, String source, String bindingKey, Map<String, Object> arguments) {
      call(p, "exchangeUnbind", destination + " " + source + " " + bindingKey);
      ch.exchangeUnbind(destination, source, bindingKey, arguments);
    }

    @Override
    public int queuePurge(String queue) {
      call(p, "queuePurge", queue);
      return ch.queuePurge(queue);
    }

    @Override
    public GetResponse basicGet(String queue, boolean autoAck) {
      call(p, "basicGet", queue);
      return ch.basicGet(queue, autoAck);
    }

    @Override
    public void addReturnListener(ReturnListener listener) {
      call(p, "addReturnListener", "");
      ch.addReturnListener(listener);
    }

    @Override
    public boolean removeReturnListener(ReturnListener listener) {
      call(p, "removeReturnListener", "");
      return ch.removeReturnListener(listener);
    }

    @Override
    public boolean removeConfirmListener(ConfirmListener listener) {
      call(p, "removeConfirmListener", "");
      ConfirmListener wrapper = confirmWrappers.remove(listener);
      return wrapper != null && ch.removeConfirmListener(wrapper);
    }

    @Override
    public void waitForConfirmsOrDie(long timeoutMs) throws InterruptedException, TimeoutException {
      call(p, "waitForConfirmsOrDie", "");
      ch.waitForConfirmsOrDie(timeoutMs);
    }

    @Override
    public boolean isOpen() {
      return ch.isOpen();
    }

    @Override
    public void close() {
      call(p, "close", "");
      ch.close();
    }
  }
}
