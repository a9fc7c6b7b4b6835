package io.warrenmq.server.internal;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ConfirmListener;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueDeclareOk;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.client.wire.AmqpMethod;
import io.warrenmq.client.wire.BasicMethods;
import io.warrenmq.client.wire.ChannelMethods;
import io.warrenmq.client.wire.CommandAssembler.Command;
import io.warrenmq.client.wire.ExchangeMethods;
import io.warrenmq.client.wire.MethodId;
import io.warrenmq.client.wire.NoArguments;
import io.warrenmq.client.wire.QueueMethods;
import io.warrenmq.client.wire.TxMethods;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps one wire channel's commands onto an {@link AmqpChannel} (the engine's), one AMQP method to
 * one engine call, and the engine's callbacks (deliveries, cancels, confirms, returns) back onto
 * frames. The methods of WarrenMQ's XA extension (class dtx) go to the channel's {@link
 * DtxDispatcher}; tx, confirm and dtx mode exclude each other (406 PRECONDITION_FAILED, "cannot
 * switch from X to Y mode", as RabbitMQ answers for tx and confirm). WarrenMQ's {@code
 * basic.release} (docs/protocol-release.md) is the engine's {@code basicRelease}; a {@code
 * basic.consume} with {@code x-warrenmq-browse} is a {@link WireBrowse}. Commands run on the
 * channel's queue of {@link ChannelCommandQueues}, in arrival order; replies are written after the
 * engine call returns, so a client never sees a {@code -ok} before its effect.
 *
 * <p>Errors: an {@link AmqpException} from the engine becomes {@code channel.close} (soft) or
 * {@code connection.close} (hard) naming the failing method, through {@link Failures}.
 *
 * <p>Thread-safety: {@link #dispatch} runs on its channel's command queue only (one thread at a
 * time); the callbacks run on the engine's dispatch threads and only write frames.
 */
final class ChannelDispatcher {
  /** What to do with an engine error: close the channel or the connection. */
  interface Failures {
    void channelError(int channel, AmqpException e, MethodId method);

    void connectionError(AmqpException e, MethodId method);
  }

  private final int number;
  private final io.warrenmq.engine.Channel engine;
  private final FrameSink out;
  private final DtxDispatcher dtx;
  private final Map<String, WireConsumer> consumers = new ConcurrentHashMap<>();
  private volatile boolean closing;

  /** Guards {@link #engineClosed} and every consumer frame written (see {@link #closeEngine}). */
  private final Object deliveries = new Object();

  private boolean engineClosed;

  /** The channel's mode: tx.select and confirm.select accepted (dtx mode is {@link #dtx}'s). */
  private boolean txMode;

  private boolean confirmMode;

  ChannelDispatcher(int number, io.warrenmq.engine.Channel engine, FrameSink out) {
    this.number = number;
    this.engine = engine;
    this.out = out;
    this.dtx = new DtxDispatcher(number, engine, out);
    engine.addReturnListener(
        r ->
            out.content(
                number,
                new BasicMethods.Return(
                    r.replyCode().code(), r.replyText(), r.exchange(), r.routingKey()),
                r.properties(),
                r.body()));
  }

  /**
   * Whether the channel is in dtx mode ({@code dtx.select} accepted). Read from the event loop
   * without the channel's command order: a stale answer is only ever false (the mode is never
   * left), which queues an acknowledgement as before.
   */
  boolean dtxSelected() {
    return dtx.selected();
  }

  /** Whether a channel error closed it (frames are dropped until {@code channel.close-ok}). */
  boolean closing() {
    return closing;
  }

  void markClosing() {
    closing = true;
  }

  /** The channel number. */
  int number() {
    return number;
  }

  /**
   * Closes the engine channel: unacked messages return to their queues. From then on no consumer
   * frame is written: a delivery the engine was handing over during the close would otherwise land
   * after {@code channel.close-ok}, on a channel the client may already have reopened with the same
   * number, to a consumer tag it does not know there (its unacked message is back in its queue; an
   * auto-ack one is gone, as when RabbitMQ sends it to a channel that is closing).
   */
  void closeEngine() {
    engine.close();
    synchronized (deliveries) {
      engineClosed = true;
    }
  }

  /** Runs {@code write} (a consumer's frames) unless the channel is closed; dispatch threads. */
  void writeUnlessClosed(Runnable write) {
    synchronized (deliveries) {
      if (!engineClosed) {
        write.run();
      }
    }
  }

  /**
   * Runs one command; errors go to {@code failures}.
   *
   * @return null when the command is done; for a {@code dtx.commit} handed to the store, the stage
   *     of its answer (written when the store holds the commit), which the channel's next commands
   *     wait for ({@link SerialExecutor.Step})
   */
  java.util.concurrent.CompletionStage<?> dispatch(Command command, Failures failures) {
    if (closing) {
      return null;
    }
    AmqpMethod m = command.method();
    try {
      if (m.id() == MethodId.DTX_COMMIT) {
        return dtx.commit((io.warrenmq.client.wire.DtxMethods.Commit) m);
      }
      run(command, m);
    } catch (AmqpException e) {
      if (e.isHardError()) {
        failures.connectionError(e, m.id());
      } else {
        closing = true;
        closeEngine();
        failures.channelError(number, e, m.id());
      }
    } catch (RuntimeException e) {
      // an engine bug must not take the broker down: the connection closes with 541
      failures.connectionError(
          new AmqpException(ReplyCode.INTERNAL_ERROR, m.id().spec() + " failed: " + e), m.id());
    }
    return null;
  }

  private void run(Command command, AmqpMethod m) {
    switch (m.id()) {
      case BASIC_PUBLISH -> {
        BasicMethods.Publish p = (BasicMethods.Publish) m;
        if (p.immediate()) {
          throw new AmqpException(ReplyCode.NOT_IMPLEMENTED, "immediate=true");
        }
        engine.basicPublish(
            p.exchange(), p.routingKey(), p.mandatory(), command.properties(), command.body());
      }
      case BASIC_ACK -> {
        BasicMethods.Settle s = (BasicMethods.Settle) m;
        engine.basicAck(s.deliveryTag(), s.multiple());
      }
      case BASIC_NACK -> {
        BasicMethods.Settle s = (BasicMethods.Settle) m;
        engine.basicNack(s.deliveryTag(), s.multiple(), s.requeue());
      }
      case BASIC_REJECT -> {
        BasicMethods.Settle s = (BasicMethods.Settle) m;
        engine.basicReject(s.deliveryTag(), s.requeue());
      }
      case BASIC_RELEASE -> engine.basicRelease(((BasicMethods.Release) m).deliveryTag());
      case BASIC_QOS -> {
        BasicMethods.Qos q = (BasicMethods.Qos) m;
        // prefetch-size is honoured (capability warrenmq.prefetch_size), unlike RabbitMQ's 540
        engine.basicQos(q.prefetchSize(), q.prefetchCount(), q.global());
        out.method(number, new NoArguments(MethodId.BASIC_QOS_OK));
      }
      case BASIC_CONSUME -> consume((BasicMethods.Consume) m);
      case BASIC_CANCEL -> {
        BasicMethods.Cancel c = (BasicMethods.Cancel) m;
        WireConsumer consumer = consumers.remove(c.consumerTag());
        engine.basicCancel(c.consumerTag());
        if (consumer != null) {
          consumer.awaitLastDelivery(c.consumerTag()); // no basic.deliver after cancel-ok
        }
        if (!c.noWait()) {
          out.method(
              number, new BasicMethods.ConsumerTagOk(MethodId.BASIC_CANCEL_OK, c.consumerTag()));
        }
      }
      case BASIC_GET -> {
        BasicMethods.Get g = (BasicMethods.Get) m;
        GetResponse r = engine.basicGet(g.queue(), g.noAck());
        if (r == null) {
          out.method(number, new BasicMethods.GetEmpty());
        } else {
          Delivery d = r.delivery();
          out.content(
              number,
              new BasicMethods.GetOk(
                  d.deliveryTag(), d.redelivered(), d.exchange(), d.routingKey(), r.messageCount()),
              d.properties(),
              d.body());
        }
      }
      case BASIC_RECOVER -> {
        engine.basicRecover(((BasicMethods.Recover) m).requeue());
        out.method(number, new NoArguments(MethodId.BASIC_RECOVER_OK));
      }
      case BASIC_RECOVER_ASYNC -> engine.basicRecover(((BasicMethods.Recover) m).requeue());
      case EXCHANGE_DECLARE -> {
        ExchangeMethods.Declare d = (ExchangeMethods.Declare) m;
        if (d.passive()) {
          engine.exchangeDeclarePassive(d.exchange());
        } else {
          engine.exchangeDeclare(
              new ExchangeSpec(
                  d.exchange(),
                  d.type(),
                  d.durable(),
                  d.autoDelete(),
                  d.internal(),
                  arguments(d.arguments())));
        }
        reply(d.noWait(), new NoArguments(MethodId.EXCHANGE_DECLARE_OK));
      }
      case EXCHANGE_DELETE -> {
        ExchangeMethods.Delete d = (ExchangeMethods.Delete) m;
        engine.exchangeDelete(d.exchange(), d.ifUnused());
        reply(d.noWait(), new NoArguments(MethodId.EXCHANGE_DELETE_OK));
      }
      case EXCHANGE_BIND, EXCHANGE_UNBIND -> {
        ExchangeMethods.Bind b = (ExchangeMethods.Bind) m;
        if (b.unbind()) {
          engine.exchangeUnbind(
              b.destination(), b.source(), b.routingKey(), arguments(b.arguments()));
        } else {
          engine.exchangeBind(
              b.destination(), b.source(), b.routingKey(), arguments(b.arguments()));
        }
        reply(
            b.noWait(),
            new NoArguments(b.unbind() ? MethodId.EXCHANGE_UNBIND_OK : MethodId.EXCHANGE_BIND_OK));
      }
      case QUEUE_DECLARE -> {
        QueueMethods.Declare d = (QueueMethods.Declare) m;
        QueueDeclareOk ok =
            d.passive()
                ? engine.queueDeclarePassive(d.queue())
                : engine.queueDeclare(
                    new QueueSpec(
                        d.queue(),
                        d.durable(),
                        d.exclusive(),
                        d.autoDelete(),
                        arguments(d.arguments())));
        reply(
            d.noWait(),
            new QueueMethods.DeclareOk(ok.queue(), ok.messageCount(), ok.consumerCount()));
      }
      case QUEUE_BIND, QUEUE_UNBIND -> {
        QueueMethods.Bind b = (QueueMethods.Bind) m;
        if (b.unbind()) {
          engine.queueUnbind(b.queue(), b.exchange(), b.routingKey(), arguments(b.arguments()));
          out.method(number, new NoArguments(MethodId.QUEUE_UNBIND_OK));
        } else {
          engine.queueBind(b.queue(), b.exchange(), b.routingKey(), arguments(b.arguments()));
          reply(b.noWait(), new NoArguments(MethodId.QUEUE_BIND_OK));
        }
      }
      case QUEUE_PURGE -> {
        QueueMethods.Purge p = (QueueMethods.Purge) m;
        int count = engine.queuePurge(p.queue());
        reply(p.noWait(), new QueueMethods.CountOk(MethodId.QUEUE_PURGE_OK, count));
      }
      case QUEUE_DELETE -> {
        QueueMethods.Delete d = (QueueMethods.Delete) m;
        int count = engine.queueDelete(d.queue(), d.ifUnused(), d.ifEmpty());
        reply(d.noWait(), new QueueMethods.CountOk(MethodId.QUEUE_DELETE_OK, count));
      }
      case TX_SELECT -> {
        refuseSwitchFromDtx("tx");
        engine.txSelect();
        txMode = true;
        out.method(number, new NoArguments(MethodId.TX_SELECT_OK));
      }
      case TX_COMMIT -> {
        engine.txCommit();
        out.method(number, new NoArguments(MethodId.TX_COMMIT_OK));
      }
      case TX_ROLLBACK -> {
        engine.txRollback();
        out.method(number, new NoArguments(MethodId.TX_ROLLBACK_OK));
      }
      case CONFIRM_SELECT -> {
        TxMethods.ConfirmSelect c = (TxMethods.ConfirmSelect) m;
        refuseSwitchFromDtx("confirm");
        engine.addConfirmListener(
            new ConfirmListener() {
              @Override
              public void handleAck(long deliveryTag, boolean multiple) {
                out.method(
                    number,
                    new BasicMethods.Settle(MethodId.BASIC_ACK, deliveryTag, multiple, false));
              }

              @Override
              public void handleNack(long deliveryTag, boolean multiple) {
                out.method(
                    number,
                    new BasicMethods.Settle(MethodId.BASIC_NACK, deliveryTag, multiple, false));
              }
            });
        engine.confirmSelect();
        confirmMode = true;
        reply(c.noWait(), new NoArguments(MethodId.CONFIRM_SELECT_OK));
      }
      case DTX_SELECT -> {
        // as RabbitMQ keeps tx and confirm apart: a publish in a branch takes no confirm
        // sequence number, so a confirm-mode client would count differently from the broker
        if (txMode || confirmMode) {
          throw new AmqpException(
              ReplyCode.PRECONDITION_FAILED,
              "cannot switch from " + (txMode ? "tx" : "confirm") + " to dtx mode");
        }
        dtx.select();
      }
      case DTX_START,
              DTX_END,
              DTX_PREPARE,
              DTX_ROLLBACK,
              DTX_RECOVER,
              DTX_FORGET,
              DTX_SET_TIMEOUT,
              DTX_GET_TIMEOUT ->
          dtx.dispatch(m);
      case CHANNEL_FLOW -> {
        ChannelMethods.Flow f = (ChannelMethods.Flow) m;
        if (!f.active()) {
          throw new AmqpException(ReplyCode.NOT_IMPLEMENTED, "active=false");
        }
        out.method(number, new ChannelMethods.Flow(true, true));
      }
      case ACCESS_REQUEST -> out.method(number, new ChannelMethods.AccessRequestOk(1));
      default ->
          throw new AmqpException(
              ReplyCode.COMMAND_INVALID, m.id().spec() + " is not a method a client sends");
    }
  }

  /** RabbitMQ's 406 for a mode switch ("cannot switch from tx to confirm mode"), for dtx. */
  private void refuseSwitchFromDtx(String to) {
    if (dtx.selected()) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED, "cannot switch from dtx to " + to + " mode");
    }
  }

  private void consume(BasicMethods.Consume c) {
    if (WireBrowse.requested(c.arguments())) {
      WireBrowse.run(number, engine, out, c, consumers::containsKey);
      return;
    }
    WireConsumer consumer = new WireConsumer(this, out, c.noWait(), consumers);
    String tag =
        engine.basicConsume(
            c.queue(),
            c.noAck(),
            c.consumerTag().isEmpty() ? null : c.consumerTag(),
            c.exclusive(),
            arguments(c.arguments()),
            consumer);
    consumers.put(tag, consumer);
    consumer.consumeOk(tag);
  }

  private void reply(boolean noWait, AmqpMethod method) {
    if (!noWait) {
      out.method(number, method);
    }
  }

  /** Table values the engine's records accept (their {@code Map.copyOf} refuses nulls). */
  private static Map<String, Object> arguments(Map<String, Object> table) {
    if (table.isEmpty() || !table.containsValue(null)) {
      return table;
    }
    Map<String, Object> copy = new HashMap<>(table);
    copy.values().removeIf(v -> v == null);
    return copy;
  }
}
