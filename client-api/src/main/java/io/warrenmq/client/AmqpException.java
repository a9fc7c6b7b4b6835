package io.warrenmq.client;

import java.util.Objects;

/**
 * The one error type of the client contract ({@link AmqpChannel}): an AMQP 0-9-1 channel or
 * connection exception carrying its {@link ReplyCode} and reply text, as a broker would send in
 * {@code channel.close} or {@code connection.close}. The message reads like RabbitMQ's, e.g. {@code
 * "NOT_FOUND - no queue 'orders' in vhost '/'"}.
 *
 * <p>When a {@link AmqpChannel} method throws a soft error the channel is closed (its unacked
 * messages return to their queues); a hard error closes the whole connection.
 *
 * <p>Thread-safety: immutable.
 */
public final class AmqpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ReplyCode replyCode;
  private final String replyText;

  /**
   * @param replyCode the AMQP reply code, not null
   * @param replyText human-readable reason naming what was wrong, not null
   */
  public AmqpException(ReplyCode replyCode, String replyText) {
    super(Objects.requireNonNull(replyCode, "replyCode").name() + " - " + replyText);
    this.replyCode = replyCode;
    this.replyText = Objects.requireNonNull(replyText, "replyText");
  }

  /** The reply code, e.g. {@link ReplyCode#NOT_FOUND}. */
  public ReplyCode replyCode() {
    return replyCode;
  }

  /** The reply text without the code prefix. */
  public String replyText() {
    return replyText;
  }

  /** Whether this is a connection (hard) error rather than a channel (soft) error. */
  public boolean isHardError() {
    return replyCode.isHardError();
  }
}
