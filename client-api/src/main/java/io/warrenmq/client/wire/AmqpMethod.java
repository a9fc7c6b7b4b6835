package io.warrenmq.client.wire;

import io.netty.buffer.ByteBuf;

/**
 * One AMQP 0-9-1 method with its arguments (the "amqp0-9-1.xml" class and method definitions,
 * RabbitMQ's extensions included). Implementations are records, one per method, grouped by AMQP
 * class ({@link ConnectionMethods}, {@link ChannelMethods}, {@link ExchangeMethods}, {@link
 * QueueMethods}, {@link BasicMethods}, {@link TxMethods}, and WarrenMQ's {@link DtxMethods});
 * {@link MethodCodec} decodes them by class and method id with one switch, without reflection.
 * Reserved fields ({@code ticket}, {@code out-of-band}, ...) are read and dropped, and written as
 * zero or empty.
 *
 * <p>Thread-safety: implementations are immutable.
 */
public interface AmqpMethod {
  /** Which method this is. */
  MethodId id();

  /**
   * Writes the arguments (not the class and method ids).
   *
   * @throws IllegalArgumentException for a value the wire cannot carry (a short string over 255
   *     bytes)
   */
  void writeArguments(ByteBuf out);

  /** Bit {@code index} of a packed bit octet (spec 4.2.5.2: consecutive bits share octets). */
  static boolean bit(int octet, int index) {
    return (octet & (1 << index)) != 0;
  }

  /** {@code 1 << index} when {@code value}, else 0: one bit of a packed octet. */
  static int bit(boolean value, int index) {
    return value ? 1 << index : 0;
  }
}
