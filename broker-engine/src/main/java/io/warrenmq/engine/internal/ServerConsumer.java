package io.warrenmq.engine.internal;

import io.warrenmq.client.Consumer;
import io.warrenmq.client.MessageSelector;

/**
 * A consumer registered with {@code basic.consume}: the link between a queue, a channel and the
 * client's callback.
 *
 * <p>Concurrency: the identity fields are final; {@link #unacked} is guarded by the channel's lock;
 * {@link #active} is volatile and only goes from true to false.
 */
final class ServerConsumer {
  final String tag;
  final Queue queue;
  final ServerChannel channel;
  final Consumer callback;
  final boolean autoAck;

  /** Per-consumer prefetch limit ({@code basic.qos global=false} at creation), 0 = none. */
  final int prefetch;

  /**
   * Per-consumer prefetch window in body bytes ({@code basic.qos prefetch-size, global=false} at
   * creation), 0 = none; see {@link ServerChannel#basicQos(long, int, boolean)}.
   */
  final long prefetchBytes;

  /**
   * The consumer's JMS selector ({@code x-jms-selector} consumer argument), or null: the queue
   * hands it only matching messages and keeps the others for other consumers.
   */
  final MessageSelector selector;

  /**
   * How long a message this consumer saw is held after a failed outcome before it is ready again,
   * in ns ({@code x-redelivery-delay} consumer argument, see {@link ConsumerArguments}); 0 = none.
   */
  final long redeliveryDelayNanos;

  int unacked;

  /** Body bytes of {@link #unacked}; guarded by the channel's lock, as {@link #unacked}. */
  long unackedBytes;

  /**
   * Set when the byte window refused an entry; the next release of credit clears it and re-runs the
   * queue's dispatch. Guarded by the channel's lock.
   */
  boolean bytesBlocked;

  volatile boolean active = true;

  ServerConsumer(
      String tag,
      Queue queue,
      ServerChannel channel,
      Consumer callback,
      boolean autoAck,
      int prefetch,
      long prefetchBytes,
      ConsumerArguments arguments) {
    this.tag = tag;
    this.queue = queue;
    this.channel = channel;
    this.callback = callback;
    this.autoAck = autoAck;
    this.prefetch = prefetch;
    this.prefetchBytes = prefetchBytes;
    this.selector = arguments.selector();
    this.redeliveryDelayNanos = arguments.redeliveryDelayNanos();
  }
}
