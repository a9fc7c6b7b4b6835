package io.warrenmq.jms.internal;

import io.warrenmq.engine.BasicProperties;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Delivery;
import io.warrenmq.engine.ExchangeSpec;
import io.warrenmq.engine.QueueDeclareOk;
import io.warrenmq.engine.QueueSpec;
import io.warrenmq.jms.spi.TransportChannel;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

/**
 * A {@link TransportChannel} that is one engine {@link Channel}: each method is the engine method
 * of the same name, called on the caller's thread; the engine's dispatch thread calls the SPI
 * callbacks through thin adapters. Nothing is buffered or copied here.
 *
 * <p>Thread-safety: as the engine channel's, thread-safe.
 */
final class InVmChannel implements TransportChannel {

  private final Channel channel;

  InVmChannel(Channel channel) {
    this.channel = channel;
  }

  @Override
  public void exchangeDeclare(ExchangeSpec spec) {
    channel.exchangeDeclare(spec);
  }

  @Override
  public void exchangeDelete(String exchange, boolean ifUnused) {
    channel.exchangeDelete(exchange, ifUnused);
  }

  @Override
  public void exchangeBind(
      String destination, String source, String bindingKey, Map<String, Object> arguments) {
    channel.exchangeBind(destination, source, bindingKey, arguments);
  }

  @Override
  public QueueDeclareOk queueDeclare(QueueSpec spec) {
    return channel.queueDeclare(spec);
  }

  @Override
  public QueueDeclareOk queueDeclarePassive(String queue) {
    return channel.queueDeclarePassive(queue);
  }

  @Override
  public void queueBind(
      String queue, String exchange, String bindingKey, Map<String, Object> arguments) {
    channel.queueBind(queue, exchange, bindingKey, arguments);
  }

  @Override
  public void queueUnbind(
      String queue, String exchange, String bindingKey, Map<String, Object> arguments) {
    channel.queueUnbind(queue, exchange, bindingKey, arguments);
  }

  @Override
  public int queueDelete(String queue, boolean ifUnused, boolean ifEmpty) {
    return channel.queueDelete(queue, ifUnused, ifEmpty);
  }

  @Override
  public List<Delivery> queueBrowse(String queue) {
    return channel.queueBrowse(queue);
  }

  @Override
  public void basicQos(int prefetchCount, boolean global) {
    channel.basicQos(prefetchCount, global);
  }

  @Override
  public void basicPublish(
      String exchange,
      String routingKey,
      boolean mandatory,
      BasicProperties properties,
      byte[] body) {
    channel.basicPublish(exchange, routingKey, mandatory, properties, body);
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      boolean exclusive,
      Map<String, Object> arguments,
      Consumer callback) {
    Objects.requireNonNull(callback, "callback");
    return channel.basicConsume(
        queue,
        autoAck,
        consumerTag,
        exclusive,
        arguments,
        new io.warrenmq.engine.Consumer() {
          @Override
          public void handleDelivery(Delivery delivery) {
            callback.handleDelivery(delivery);
          }

          @Override
          public void handleCancel(String tag) {
            callback.handleCancel(tag);
          }
        });
  }

  @Override
  public void basicCancel(String consumerTag) {
    channel.basicCancel(consumerTag);
  }

  @Override
  public void basicAck(long deliveryTag, boolean multiple) {
    channel.basicAck(deliveryTag, multiple);
  }

  @Override
  public void basicNack(long deliveryTag, boolean multiple, boolean requeue) {
    channel.basicNack(deliveryTag, multiple, requeue);
  }

  @Override
  public void basicReject(long deliveryTag, boolean requeue) {
    channel.basicReject(deliveryTag, requeue);
  }

  @Override
  public void basicRecover(boolean requeue) {
    channel.basicRecover(requeue);
  }

  @Override
  public void basicRelease(long deliveryTag) {
    channel.basicRelease(deliveryTag);
  }

  @Override
  public void txSelect() {
    channel.txSelect();
  }

  @Override
  public void txCommit() {
    channel.txCommit();
  }

  @Override
  public void txRollback() {
    channel.txRollback();
  }

  @Override
  public void dtxStart(Xid xid, int flags) throws XAException {
    channel.dtxStart(xid, flags);
  }

  @Override
  public void dtxEnd(Xid xid, int flags) throws XAException {
    channel.dtxEnd(xid, flags);
  }

  @Override
  public int dtxPrepare(Xid xid) throws XAException {
    return channel.dtxPrepare(xid);
  }

  @Override
  public void dtxCommit(Xid xid, boolean onePhase) throws XAException {
    channel.dtxCommit(xid, onePhase);
  }

  @Override
  public void dtxRollback(Xid xid) throws XAException {
    channel.dtxRollback(xid);
  }

  @Override
  public Xid[] dtxRecover(int flags) throws XAException {
    return channel.dtxRecover(flags);
  }

  @Override
  public void dtxForget(Xid xid) throws XAException {
    channel.dtxForget(xid);
  }

  @Override
  public boolean dtxSetTimeout(int seconds) throws XAException {
    return channel.dtxSetTimeout(seconds);
  }

  @Override
  public int dtxGetTimeout() {
    return channel.dtxGetTimeout();
  }

  @Override
  public String resourceManagerId() {
    return channel.resourceManagerId();
  }

  @Override
  public void confirmSelect() {
    channel.confirmSelect();
  }

  @Override
  public void addConfirmListener(ConfirmListener listener) {
    Objects.requireNonNull(listener, "listener");
    channel.addConfirmListener(
        new io.warrenmq.engine.ConfirmListener() {
          @Override
          public void handleAck(long deliveryTag, boolean multiple) {
            listener.handleAck(deliveryTag, multiple);
          }

          @Override
          public void handleNack(long deliveryTag, boolean multiple) {
            listener.handleNack(deliveryTag, multiple);
          }
        });
  }

  @Override
  public long getNextPublishSeqNo() {
    return channel.getNextPublishSeqNo();
  }

  @Override
  public boolean waitForConfirms(long timeoutMs) throws InterruptedException, TimeoutException {
    return channel.waitForConfirms(timeoutMs);
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() {
    channel.close();
  }

  @Override
  public String toString() {
    return "channel " + channel.channelNumber() + " of " + channel.connection();
  }
}
