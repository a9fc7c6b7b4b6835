package io.warrenmq.client;

/**
 * The reply to {@code basic.get} when a message was available (spec 1.8.3.11, {@code get-ok}).
 *
 * @param delivery the message; its {@code consumerTag} is null
 * @param messageCount messages still ready in the queue after this one
 */
public record GetResponse(Delivery delivery, int messageCount) {}
