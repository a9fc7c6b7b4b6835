package io.warrenmq.engine;

/**
 * A snapshot of an open channel for monitoring (the management API's channel object).
 *
 * @param connection the owning connection's {@link ConnectionInfo#name()}
 * @param number the channel number
 * @param user the connection's user, or null in-VM
 * @param virtualHost the connection's virtual host
 * @param consumers active consumers on the channel
 * @param messagesUnacknowledged deliveries not yet settled
 * @param prefetchCount the {@code basic.qos} prefetch (global if set, else per consumer), 0 = none
 * @param confirm whether the channel is in publisher-confirm mode
 * @param transactional whether the channel is in {@code tx} mode
 */
public record ChannelInfo(
    String connection,
    int number,
    String user,
    String virtualHost,
    int consumers,
    int messagesUnacknowledged,
    int prefetchCount,
    boolean confirm,
    boolean transactional) {}
