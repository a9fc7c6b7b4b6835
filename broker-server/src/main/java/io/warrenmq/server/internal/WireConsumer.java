package io.warrenmq.server.internal;

import io.warrenmq.client.Consumer;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.wire.BasicMethods;
import io.warrenmq.client.wire.MethodId;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code basic.consume} on the wire: writes the engine's deliveries as {@code basic.deliver}
 * and its cancel notices as {@code basic.cancel}, in the order a client relies on (RabbitMQ's
 * order; RabbitMQ's Java client closes the connection on an "unsolicited delivery" to a tag it does
 * not know): {@code basic.consume-ok} before the first delivery, and no delivery after {@code
 * basic.cancel-ok}.
 *
 * <p>Why the ok may be written here: the engine starts delivering as soon as the consumer is
 * registered, on a dispatch thread, before {@code basicConsume} has returned to the command thread
 * that would write the ok; so whichever thread comes first, the command thread after {@code
 * basicConsume} or the dispatch thread before the first delivery, writes it, once. For the cancel,
 * the engine calls {@link #handleCancelOk} after the consumer's last delivery, and the command
 * thread writes {@code cancel-ok} only after that ({@link #awaitLastDelivery}).
 *
 * <p>Thread-safety: {@link #consumeOk} and {@link #awaitLastDelivery} run on the connection's
 * command thread, the callbacks on the engine's dispatch thread of the channel; the ok is written
 * once, under this object's lock.
 */
final class WireConsumer implements Consumer {
  private static final System.Logger LOG = System.getLogger(WireConsumer.class.getName());

  /** How long a cancel waits for the engine's dispatch thread before it answers anyway. */
  private static final long CANCEL_TIMEOUT_MS = 30_000;

  private final ChannelDispatcher channel;
  private final FrameSink out;
  private final boolean noWait;
  private final Map<String, WireConsumer> registry;
  private final CompletableFuture<Void> lastDelivered = new CompletableFuture<>();
  private volatile boolean started;

  /**
   * @param channel the channel's dispatcher: its number, and its gate that drops deliveries once
   *     the channel is closed
   * @param out the connection's frames
   * @param noWait the client asked for no {@code consume-ok}
   * @param registry the channel's consumers by tag; a consumer the broker cancels leaves it
   */
  WireConsumer(
      ChannelDispatcher channel,
      FrameSink out,
      boolean noWait,
      Map<String, WireConsumer> registry) {
    this.channel = channel;
    this.out = out;
    this.noWait = noWait;
    this.registry = registry;
  }

  /** Called once {@code basicConsume} returned the tag: writes the ok unless a delivery did. */
  void consumeOk(String consumerTag) {
    start(consumerTag);
  }

  private void start(String consumerTag) {
    if (started) {
      return;
    }
    synchronized (this) {
      if (!started) {
        if (!noWait) {
          out.method(
              channel.number(),
              new BasicMethods.ConsumerTagOk(MethodId.BASIC_CONSUME_OK, consumerTag));
        }
        started = true;
      }
    }
  }

  /**
   * After {@code basicCancel}: returns once the engine has handed over the consumer's last delivery
   * (and it is written), or the broker cancelled the consumer first; after {@value
   * #CANCEL_TIMEOUT_MS} ms (a broker shutting down) it logs and returns anyway.
   */
  void awaitLastDelivery(String consumerTag) {
    try {
      lastDelivered.get(CANCEL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "basic.cancel of ''{0}'': the engine did not finish its deliveries within {1} ms",
          consumerTag,
          CANCEL_TIMEOUT_MS);
    }
  }

  @Override
  public void handleDelivery(Delivery d) {
    channel.writeUnlessClosed(
        () -> {
          start(d.consumerTag());
          out.content(
              channel.number(),
              new BasicMethods.Deliver(
                  d.consumerTag(), d.deliveryTag(), d.redelivered(), d.exchange(), d.routingKey()),
              d.properties(),
              d.body());
        });
  }

  @Override
  public void handleCancelOk(String consumerTag) {
    lastDelivered.complete(null);
  }

  /**
   * RabbitMQ's {@code consumer_cancel_notify}: the queue went away. The {@code basic.cancel} is
   * written before the consumer leaves the channel's registry: a client's own {@code basic.cancel}
   * of the tag that finds it gone answers {@code cancel-ok} at once, and that ok must come after
   * the broker's cancel, never before (pika 1.2 drops the connection on a broker {@code
   * basic.cancel} for a tag whose {@code cancel-ok} it already had).
   */
  @Override
  public void handleCancel(String consumerTag) {
    channel.writeUnlessClosed(
        () -> {
          start(consumerTag);
          out.method(channel.number(), new BasicMethods.Cancel(consumerTag, true));
        });
    registry.remove(consumerTag, this);
    lastDelivered.complete(null);
  }
}
