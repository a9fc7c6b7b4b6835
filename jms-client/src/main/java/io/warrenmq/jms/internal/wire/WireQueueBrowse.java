package io.warrenmq.jms.internal.wire;

import io.warrenmq.client.AmqpChannel;
import io.warrenmq.client.AmqpException;
import io.warrenmq.client.Capabilities;
import io.warrenmq.client.Consumer;
import io.warrenmq.client.Delivery;
import io.warrenmq.client.ReplyCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link AmqpChannel#queueBrowse} over the wire, with WarrenMQ's browse extension
 * (docs/protocol-browse.md): a {@code basic.consume} with {@code x-warrenmq-browse = true} and
 * no-ack, whose deliveries (delivery tag 0, never acknowledged) are the snapshot and whose {@code
 * basic.cancel} from the broker ends it. Needs the broker's {@code warrenmq.browse} capability:
 * RabbitMQ would ignore the argument and consume the messages, so without it the browse fails
 * before anything is sent, with 540 NOT_IMPLEMENTED naming the capability.
 *
 * <p>Thread-safety: one instance per browse; the channel's dispatch thread fills it, the caller
 * waits.
 */
final class WireQueueBrowse implements Consumer {
  static final String ARGUMENT = "x-warrenmq-browse";

  /** How often the waiting caller looks whether the channel closed (no cancel comes then). */
  private static final long CLOSE_CHECK_MS = 200;

  private final List<Delivery> deliveries = new ArrayList<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private volatile long lastProgressNanos = System.nanoTime();

  private WireQueueBrowse() {}

  /**
   * Takes a snapshot of {@code queue}.
   *
   * @param idleTimeoutMs how long the snapshot may go without a delivery before the browse fails
   *     (the channel's request timeout, ms)
   * @throws AmqpException 540 NOT_IMPLEMENTED without the capability; the broker's 404/405; 504
   *     CHANNEL_ERROR when the snapshot stalls or the channel closes before its end
   */
  static List<Delivery> snapshot(
      WireChannel channel, WireConnection connection, String queue, long idleTimeoutMs) {
    if (!connection.hasCapability(Capabilities.BROWSE)) {
      throw connection.missingCapability(Capabilities.BROWSE, "browsing a queue, JMS QueueBrowser");
    }
    WireQueueBrowse browse = new WireQueueBrowse();
    channel.basicConsume(queue, true, "", false, Map.of(ARGUMENT, true), browse);
    browse.await(channel, queue, idleTimeoutMs);
    synchronized (browse.deliveries) {
      return List.copyOf(browse.deliveries);
    }
  }

  private void await(AmqpChannel channel, String queue, long idleTimeoutMs) {
    long idle = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
    while (true) {
      try {
        ended.get(Math.min(CLOSE_CHECK_MS, idleTimeoutMs), TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException e) {
        if (!channel.isOpen()) {
          throw new AmqpException(
              ReplyCode.CHANNEL_ERROR,
              "browse of queue '" + queue + "': the channel closed before the snapshot ended");
        }
        if (System.nanoTime() - lastProgressNanos > idle) {
          throw new AmqpException(
              ReplyCode.CHANNEL_ERROR,
              "browse of queue '"
                  + queue
                  + "': no delivery nor end of the snapshot within "
                  + idleTimeoutMs
                  + " ms");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AmqpException(
            ReplyCode.INTERNAL_ERROR, "interrupted while browsing queue '" + queue + "'");
      } catch (ExecutionException e) {
        throw new IllegalStateException(e); // never completed exceptionally
      }
    }
  }

  @Override
  public void handleDelivery(Delivery delivery) {
    synchronized (deliveries) {
      deliveries.add(delivery);
    }
    lastProgressNanos = System.nanoTime();
  }

  /** The broker's {@code basic.cancel}: the snapshot is complete. */
  @Override
  public void handleCancel(String consumerTag) {
    ended.complete(null);
  }
}
