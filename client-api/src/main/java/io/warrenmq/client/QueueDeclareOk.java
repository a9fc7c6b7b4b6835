package io.warrenmq.client;

/**
 * The reply to {@code queue.declare} (spec 1.7.2.2).
 *
 * @param queue the queue's name (the generated one for a server-named queue)
 * @param messageCount messages ready for delivery, not counting unacked ones nor those held for a
 *     consumer's redelivery delay ({@code x-redelivery-delay})
 * @param consumerCount active consumers
 */
public record QueueDeclareOk(String queue, int messageCount, int consumerCount) {}
