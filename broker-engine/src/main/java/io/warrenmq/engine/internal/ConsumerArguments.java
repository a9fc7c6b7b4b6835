package io.warrenmq.engine.internal;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.MessageSelector;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code basic.consume} arguments the engine reads; any other argument is accepted and ignored
 * (as RabbitMQ ignores unknown consumer arguments).
 *
 * <ul>
 *   <li>{@code x-jms-selector} (string): a JMS selector; the queue hands the consumer only matching
 *       messages ({@link Selectors}).
 *   <li>{@value #REDELIVERY_DELAY} (integer ms, at least 0, default 0): a message delivered to this
 *       consumer that comes back to its queue because of a failed outcome (nack or reject with
 *       requeue, {@code basic.recover}, the rollback of the local or XA transaction that acked it)
 *       is held that long before it is ready again. The model is ActiveMQ Artemis' {@code
 *       redelivery-delay}. Messages returned by a channel close or a consumer cancel come back at
 *       once. See {@link Queue}, "Held for a redelivery delay".
 * </ul>
 *
 * @param selector the consumer's selector, or null
 * @param redeliveryDelayNanos the redelivery delay in ns, 0 for none
 */
record ConsumerArguments(MessageSelector selector, long redeliveryDelayNanos) {
  /** The consumer argument that asks for a redelivery delay, in ms. */
  static final String REDELIVERY_DELAY = "x-redelivery-delay";

  /** A delay beyond this (about 73 years) cannot be added to {@link System#nanoTime()}. */
  private static final long MAX_DELAY_MS = TimeUnit.NANOSECONDS.toMillis(Long.MAX_VALUE / 4);

  static final ConsumerArguments NONE = new ConsumerArguments(null, 0);

  /**
   * Reads the arguments of a {@code basic.consume}.
   *
   * @param arguments the consumer arguments, may be null
   * @throws AmqpException 406 PRECONDITION_FAILED naming the invalid argument and what is wrong
   */
  static ConsumerArguments parse(Map<String, Object> arguments) {
    if (arguments == null || arguments.isEmpty()) {
      return NONE;
    }
    return new ConsumerArguments(
        Selectors.fromArguments(arguments), redeliveryDelayNanos(arguments.get(REDELIVERY_DELAY)));
  }

  private static long redeliveryDelayNanos(Object value) {
    if (value == null) {
      return 0;
    }
    if (!Arguments.isIntegral(value)) {
      throw Errors.precondition(
          "invalid arg '"
              + REDELIVERY_DELAY
              + "': expected an integer (ms), got "
              + QueueArguments.typeName(value));
    }
    long ms = ((Number) value).longValue();
    if (ms < 0) {
      throw Errors.precondition(
          "invalid arg '" + REDELIVERY_DELAY + "': must be at least 0 ms, was " + ms);
    }
    return TimeUnit.MILLISECONDS.toNanos(Math.min(ms, MAX_DELAY_MS));
  }
}
