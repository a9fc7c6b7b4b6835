package io.warrenmq.client.wire;

/**
 * Bytes that do not decode as the AMQP 0-9-1 type expected at that place (spec 4.2.5, "field
 * types"; RabbitMQ's field-table types). The frame layer turns it into a {@code connection.close}
 * with 501 FRAME_ERROR and the method being decoded, as RabbitMQ does ("cannot decode ...").
 *
 * <p>Thread-safety: immutable.
 */
public final class WireFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was wrong, naming the field or type
   */
  public WireFormatException(String message) {
    super(message, null, false, false);
  }
}
