package io.warrenmq.client.wire;

/**
 * Every AMQP 0-9-1 method WarrenMQ speaks: its class id, method id and the spec's name (the
 * "amqp0-9-1.xml" definitions with RabbitMQ's extensions: {@code connection.blocked}, {@code
 * connection.update-secret}, {@code exchange.bind}, {@code basic.nack}, class {@code confirm}),
 * plus WarrenMQ's XA extension, class {@code dtx} (id {@value DtxMethods#CLASS_ID}, specified in
 * docs/protocol-dtx.md), and its {@code basic.release} (method {@value
 * BasicMethods#RELEASE_METHOD_ID} of class basic, docs/protocol-release.md).
 *
 * <p>Thread-safety: immutable.
 */
public enum MethodId {
  CONNECTION_START(10, 10, "connection.start"),
  CONNECTION_START_OK(10, 11, "connection.start-ok"),
  CONNECTION_SECURE(10, 20, "connection.secure"),
  CONNECTION_SECURE_OK(10, 21, "connection.secure-ok"),
  CONNECTION_TUNE(10, 30, "connection.tune"),
  CONNECTION_TUNE_OK(10, 31, "connection.tune-ok"),
  CONNECTION_OPEN(10, 40, "connection.open"),
  CONNECTION_OPEN_OK(10, 41, "connection.open-ok"),
  CONNECTION_CLOSE(10, 50, "connection.close"),
  CONNECTION_CLOSE_OK(10, 51, "connection.close-ok"),
  CONNECTION_BLOCKED(10, 60, "connection.blocked"),
  CONNECTION_UNBLOCKED(10, 61, "connection.unblocked"),
  CONNECTION_UPDATE_SECRET(10, 70, "connection.update-secret"),
  CONNECTION_UPDATE_SECRET_OK(10, 71, "connection.update-secret-ok"),
  CHANNEL_OPEN(20, 10, "channel.open"),
  CHANNEL_OPEN_OK(20, 11, "channel.open-ok"),
  CHANNEL_FLOW(20, 20, "channel.flow"),
  CHANNEL_FLOW_OK(20, 21, "channel.flow-ok"),
  CHANNEL_CLOSE(20, 40, "channel.close"),
  CHANNEL_CLOSE_OK(20, 41, "channel.close-ok"),
  ACCESS_REQUEST(30, 10, "access.request"),
  ACCESS_REQUEST_OK(30, 11, "access.request-ok"),
  EXCHANGE_DECLARE(40, 10, "exchange.declare"),
  EXCHANGE_DECLARE_OK(40, 11, "exchange.declare-ok"),
  EXCHANGE_DELETE(40, 20, "exchange.delete"),
  EXCHANGE_DELETE_OK(40, 21, "exchange.delete-ok"),
  EXCHANGE_BIND(40, 30, "exchange.bind"),
  EXCHANGE_BIND_OK(40, 31, "exchange.bind-ok"),
  EXCHANGE_UNBIND(40, 40, "exchange.unbind"),
  EXCHANGE_UNBIND_OK(40, 51, "exchange.unbind-ok"),
  QUEUE_DECLARE(50, 10, "queue.declare"),
  QUEUE_DECLARE_OK(50, 11, "queue.declare-ok"),
  QUEUE_BIND(50, 20, "queue.bind"),
  QUEUE_BIND_OK(50, 21, "queue.bind-ok"),
  QUEUE_PURGE(50, 30, "queue.purge"),
  QUEUE_PURGE_OK(50, 31, "queue.purge-ok"),
  QUEUE_DELETE(50, 40, "queue.delete"),
  QUEUE_DELETE_OK(50, 41, "queue.delete-ok"),
  QUEUE_UNBIND(50, 50, "queue.unbind"),
  QUEUE_UNBIND_OK(50, 51, "queue.unbind-ok"),
  BASIC_QOS(60, 10, "basic.qos"),
  BASIC_QOS_OK(60, 11, "basic.qos-ok"),
  BASIC_CONSUME(60, 20, "basic.consume"),
  BASIC_CONSUME_OK(60, 21, "basic.consume-ok"),
  BASIC_CANCEL(60, 30, "basic.cancel"),
  BASIC_CANCEL_OK(60, 31, "basic.cancel-ok"),
  BASIC_PUBLISH(60, 40, "basic.publish"),
  BASIC_RETURN(60, 50, "basic.return"),
  BASIC_DELIVER(60, 60, "basic.deliver"),
  BASIC_GET(60, 70, "basic.get"),
  BASIC_GET_OK(60, 71, "basic.get-ok"),
  BASIC_GET_EMPTY(60, 72, "basic.get-empty"),
  BASIC_ACK(60, 80, "basic.ack"),
  BASIC_REJECT(60, 90, "basic.reject"),
  BASIC_RECOVER_ASYNC(60, 100, "basic.recover-async"),
  BASIC_RECOVER(60, 110, "basic.recover"),
  BASIC_RECOVER_OK(60, 111, "basic.recover-ok"),
  BASIC_NACK(60, 120, "basic.nack"),
  /** WarrenMQ extension (docs/protocol-release.md), sent only to a broker with warrenmq.release. */
  BASIC_RELEASE(60, BasicMethods.RELEASE_METHOD_ID, "basic.release"),
  CONFIRM_SELECT(85, 10, "confirm.select"),
  CONFIRM_SELECT_OK(85, 11, "confirm.select-ok"),
  TX_SELECT(90, 10, "tx.select"),
  TX_SELECT_OK(90, 11, "tx.select-ok"),
  TX_COMMIT(90, 20, "tx.commit"),
  TX_COMMIT_OK(90, 21, "tx.commit-ok"),
  TX_ROLLBACK(90, 30, "tx.rollback"),
  TX_ROLLBACK_OK(90, 31, "tx.rollback-ok"),
  DTX_SELECT(200, 10, "dtx.select"),
  DTX_SELECT_OK(200, 11, "dtx.select-ok"),
  DTX_START(200, 20, "dtx.start"),
  DTX_START_OK(200, 21, "dtx.start-ok"),
  DTX_END(200, 30, "dtx.end"),
  DTX_END_OK(200, 31, "dtx.end-ok"),
  DTX_PREPARE(200, 40, "dtx.prepare"),
  DTX_PREPARE_OK(200, 41, "dtx.prepare-ok"),
  DTX_COMMIT(200, 50, "dtx.commit"),
  DTX_COMMIT_OK(200, 51, "dtx.commit-ok"),
  DTX_ROLLBACK(200, 60, "dtx.rollback"),
  DTX_ROLLBACK_OK(200, 61, "dtx.rollback-ok"),
  DTX_RECOVER(200, 70, "dtx.recover"),
  DTX_RECOVER_OK(200, 71, "dtx.recover-ok"),
  DTX_FORGET(200, 80, "dtx.forget"),
  DTX_FORGET_OK(200, 81, "dtx.forget-ok"),
  DTX_SET_TIMEOUT(200, 90, "dtx.set-timeout"),
  DTX_SET_TIMEOUT_OK(200, 91, "dtx.set-timeout-ok"),
  DTX_GET_TIMEOUT(200, 100, "dtx.get-timeout"),
  DTX_GET_TIMEOUT_OK(200, 101, "dtx.get-timeout-ok");

  private final int classId;
  private final int methodId;
  private final String spec;

  MethodId(int classId, int methodId, String spec) {
    this.classId = classId;
    this.methodId = methodId;
    this.spec = spec;
  }

  /** The AMQP class id. */
  public int classId() {
    return classId;
  }

  /** The method id within the class. */
  public int methodId() {
    return methodId;
  }

  /** The spec's name, {@code class.method}. */
  public String spec() {
    return spec;
  }

  /** Whether a content header and body frames follow the method. */
  public boolean hasContent() {
    return this == BASIC_PUBLISH
        || this == BASIC_RETURN
        || this == BASIC_DELIVER
        || this == BASIC_GET_OK;
  }

  @Override
  public String toString() {
    return spec;
  }
}
