package io.warrenmq.engine;

/**
 * A snapshot of a consumer for monitoring (the management API's consumer object).
 *
 * @param virtualHost the queue's virtual host
 * @param queue the queue it consumes from
 * @param consumerTag its tag
 * @param connection the owning connection's {@link ConnectionInfo#name()}
 * @param channel the channel number
 * @param ackRequired whether deliveries must be acknowledged (not {@code no-ack})
 * @param prefetchCount its per-consumer prefetch, 0 = none
 */
public record ConsumerInfo(
    String virtualHost,
    String queue,
    String consumerTag,
    String connection,
    int channel,
    boolean ackRequired,
    int prefetchCount) {}
