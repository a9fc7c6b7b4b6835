package io.warrenmq.engine;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.ConfirmListener;
import io.warrenmq.client.Consumer;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueDeclareOk;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReturnListener;
import io.warrenmq.engine.internal.ServerChannel;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The engine's {@link AmqpChannel}: an AMQP 0-9-1 channel (spec 1.5) of a {@link Connection},
 * running each method against the broker's virtual host on the caller's thread. The contract,
 * errors and concurrency rules are {@link AmqpChannel}'s; this class adds {@link #connection()}.
 *
 * <p>Thread-safety: thread-safe; deliveries, returns and confirms are made on a broker dispatch
 * thread, one at a time, in order.
 */
public final class Channel implements AmqpChannel {

  private final Connection connection;
  private final ServerChannel impl;

  Channel(Connection connection, ServerChannel impl) {
    this.connection = connection;
    this.impl = impl;
  }

  @Override
  public int channelNumber() {
    return impl.number();
  }

  /** The connection this channel belongs to. */
  public Connection connection() {
    return connection;
  }

  @Override
  public void exchangeDeclare(ExchangeSpec spec) {
    impl.topology().exchangeDeclare(spec);
  }

  @Override
  public void exchangeDeclarePassive(String exchange) {
    impl.topology().exchangeDeclarePassive(exchange);
  }

  @Override
  public void exchangeDelete(String exchange, boolean ifUnused) {
    impl.topology().exchangeDelete(exchange, ifUnused);
  }

  @Override
  public void exchangeBind(
      String destination, String source, String bindingKey, Map<String, Object> arguments) {
    impl.topology().exchangeBind(destination, source, bindingKey, arguments);
  }

  @Override
  public void exchangeUnbind(
      String destination, String source, String bindingKey, Map<String, Object> arguments) {
    impl.topology().exchangeUnbind(destination, source, bindingKey, arguments);
  }

  @Override
  public QueueDeclareOk queueDeclare(QueueSpec spec) {
    return impl.topology().queueDeclare(spec);
  }

  @Override
  public QueueDeclareOk queueDeclarePassive(String queue) {
    return impl.topology().queueDeclarePassive(queue);
  }

  @Override
  public int queueDelete(String queue, boolean ifUnused, boolean ifEmpty) {
    return impl.topology().queueDelete(queue, ifUnused, ifEmpty);
  }

  @Override
  public int queuePurge(String queue) {
    return impl.topology().queuePurge(queue);
  }

  @Override
  public void queueBind(
      String queue, String exchange, String bindingKey, Map<String, Object> arguments) {
    impl.topology().queueBind(queue, exchange, bindingKey, arguments);
  }

  @Override
  public void queueUnbind(
      String queue, String exchange, String bindingKey, Map<String, Object> arguments) {
    impl.topology().queueUnbind(queue, exchange, bindingKey, arguments);
  }

  @Override
  public void basicPublish(
      String exchange,
      String routingKey,
      boolean mandatory,
      BasicProperties properties,
      byte[] body) {
    impl.basicPublish(exchange, routingKey, mandatory, properties, body);
  }

  @Override
  public void addReturnListener(ReturnListener listener) {
    impl.publisher().addReturnListener(listener);
  }

  @Override
  public boolean removeReturnListener(ReturnListener listener) {
    return impl.publisher().removeReturnListener(listener);
  }

  @Override
  public void addConfirmListener(ConfirmListener listener) {
    impl.publisher().addConfirmListener(listener);
  }

  @Override
  public boolean removeConfirmListener(ConfirmListener listener) {
    return impl.publisher().removeConfirmListener(listener);
  }

  @Override
  public void confirmSelect() {
    impl.confirmSelect();
  }

  @Override
  public long getNextPublishSeqNo() {
    return impl.publisher().nextPublishSeqNo();
  }

  @Override
  public boolean waitForConfirms(long timeoutMs) throws InterruptedException, TimeoutException {
    return impl.publisher().waitForConfirms(timeoutMs);
  }

  @Override
  public void waitForConfirmsOrDie(long timeoutMs) throws InterruptedException, TimeoutException {
    impl.publisher().waitForConfirmsOrDie(timeoutMs);
  }

  @Override
  public void basicQos(int prefetchCount, boolean global) {
    impl.basicQos(prefetchCount, global);
  }

  @Override
  public void basicQos(long prefetchSize, int prefetchCount, boolean global) {
    impl.basicQos(prefetchSize, prefetchCount, global);
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      boolean exclusive,
      Map<String, Object> arguments,
      Consumer callback) {
    return impl.basicConsume(queue, autoAck, consumerTag, exclusive, arguments, callback);
  }

  @Override
  public void basicCancel(String consumerTag) {
    impl.basicCancel(consumerTag);
  }

  @Override
  public GetResponse basicGet(String queue, boolean autoAck) {
    return impl.basicGet(queue, autoAck);
  }

  @Override
  public java.util.List<Delivery> queueBrowse(String queue) {
    return impl.topology().queueBrowse(queue);
  }

  @Override
  public void basicAck(long deliveryTag, boolean multiple) {
    impl.basicAck(deliveryTag, multiple);
  }

  @Override
  public void basicNack(long deliveryTag, boolean multiple, boolean requeue) {
    impl.basicNack(deliveryTag, multiple, requeue);
  }

  @Override
  public void basicRelease(long deliveryTag) {
    impl.basicRelease(deliveryTag);
  }

  @Override
  public void basicReject(long deliveryTag, boolean requeue) {
    impl.basicReject(deliveryTag, requeue);
  }

  @Override
  public void basicRecover(boolean requeue) {
    impl.basicRecover(requeue);
  }

  @Override
  public void txSelect() {
    impl.txSelect();
  }

  @Override
  public void txCommit() {
    impl.txCommit();
  }

  @Override
  public void txRollback() {
    impl.txRollback();
  }

  // ---- XA (DESIGN.md "Transactions"; X/Open XA, javax.transaction.xa.XAResource) -------------

  @Override
  public void dtxStart(javax.transaction.xa.Xid xid, int flags)
      throws javax.transaction.xa.XAException {
    impl.xa().start(xid, flags);
  }

  @Override
  public void dtxEnd(javax.transaction.xa.Xid xid, int flags)
      throws javax.transaction.xa.XAException {
    impl.xa().end(xid, flags);
  }

  @Override
  public int dtxPrepare(javax.transaction.xa.Xid xid) throws javax.transaction.xa.XAException {
    return impl.xa().prepare(xid);
  }

  @Override
  public void dtxCommit(javax.transaction.xa.Xid xid, boolean onePhase)
      throws javax.transaction.xa.XAException {
    impl.xa().commit(xid, onePhase);
  }

  /**
   * {@link #dtxCommit} without waiting for the store, for a transport that answers the commit when
   * it is durable instead of parking a thread on it (the AMQP server's {@code dtx.commit}). Checks
   * the branch and applies its work on the calling thread, as {@link #dtxCommit} does, and throws
   * what {@code dtxCommit} throws for those parts; the store's part is the returned stage.
   *
   * @return a stage completed once the store holds the commit (fsynced under a durable store), or
   *     failed with the {@link javax.transaction.xa.XAException} {@code dtxCommit} would throw
   *     (XAER_RMERR: the store failed). It may complete on the store's writer thread: its
   *     dependants must not block.
   * @throws javax.transaction.xa.XAException as {@link #dtxCommit}, for everything before the store
   */
  public java.util.concurrent.CompletionStage<Void> dtxCommitAsync(
      javax.transaction.xa.Xid xid, boolean onePhase) throws javax.transaction.xa.XAException {
    return impl.xa().commitAsync(xid, onePhase);
  }

  @Override
  public void dtxRollback(javax.transaction.xa.Xid xid) throws javax.transaction.xa.XAException {
    impl.xa().rollback(xid);
  }

  @Override
  public javax.transaction.xa.Xid[] dtxRecover(int flags) throws javax.transaction.xa.XAException {
    return impl.xa().recover(flags);
  }

  @Override
  public void dtxForget(javax.transaction.xa.Xid xid) throws javax.transaction.xa.XAException {
    impl.xa().forget(xid);
  }

  @Override
  public boolean dtxSetTimeout(int seconds) throws javax.transaction.xa.XAException {
    return impl.xa().setTimeout(seconds);
  }

  @Override
  public int dtxGetTimeout() {
    return impl.xa().timeout();
  }

  @Override
  public String resourceManagerId() {
    return impl.xa().resourceManagerId();
  }

  @Override
  public boolean isOpen() {
    return impl.isOpen();
  }

  @Override
  public void close() {
    impl.close();
  }
}
