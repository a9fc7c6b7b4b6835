package io.warrenmq.client;

/**
 * The names of WarrenMQ's AMQP 0-9-1 extensions as a server advertises them in the {@code
 * capabilities} table of {@code connection.start}'s {@code server-properties} (RabbitMQ doc
 * "Connection capabilities"), each {@code true} when the server implements it. One list for both
 * sides of the wire: the server advertises these names and a client checks them before it uses an
 * extension, because RabbitMQ either closes the connection on the extension's method or argument or
 * silently ignores it.
 *
 * <p>Thread-safety: constants only.
 */
public final class Capabilities {
  /**
   * Class {@code dtx}, XA transactions over the wire (docs/protocol-dtx.md). RabbitMQ closes the
   * connection on a method of an unknown class.
   */
  public static final String DTX = "warrenmq.dtx";

  /**
   * {@code dtx.start} with its {@code no-wait} bit (docs/protocol-dtx.md, "Pipelined dtx.start"):
   * no {@code dtx.start-ok}, a refusal closes the channel so that the work sent behind the start
   * never runs outside the branch. A server without it would close the connection on the extra
   * octet.
   */
  public static final String DTX_START_NO_WAIT = "warrenmq.dtx_start_no_wait";

  /**
   * JMS message selectors evaluated by the broker ({@code x-jms-selector} on {@code basic.consume}
   * and {@code queue.bind}). RabbitMQ ignores the argument, so a client would lose the filter.
   */
  public static final String SELECTORS = "warrenmq.selectors";

  /**
   * Queue browsing (docs/protocol-browse.md). RabbitMQ ignores {@code x-warrenmq-browse} and would
   * consume the messages.
   */
  public static final String BROWSE = "warrenmq.browse";

  /**
   * {@code basic.release}, a requeue that does not count as a delivery attempt
   * (docs/protocol-release.md). RabbitMQ closes the connection on an unknown method.
   */
  public static final String RELEASE = "warrenmq.release";

  /**
   * {@code basic.qos} {@code prefetch-size}, a consumer window in body bytes (AMQP 0-9-1 1.8.3.1,
   * docs/protocol-prefetch-size.md). RabbitMQ closes the connection with 540 NOT_IMPLEMENTED for a
   * size other than 0.
   */
  public static final String PREFETCH_SIZE = "warrenmq.prefetch_size";

  private Capabilities() {}
}
