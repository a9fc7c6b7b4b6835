package io.warrenmq.client;

/**
 * AMQP 0-9-1 reply codes (spec section 1.2, "Constants"), with the spec's class of each error: a
 * soft (channel) error closes only the channel, a hard (connection) error closes the connection.
 *
 * <p>Thread-safety: immutable.
 */
public enum ReplyCode {
  REPLY_SUCCESS(200, false),
  CONTENT_TOO_LARGE(311, false),
  NO_ROUTE(312, false),
  NO_CONSUMERS(313, false),
  CONNECTION_FORCED(320, true),
  INVALID_PATH(402, true),
  ACCESS_REFUSED(403, false),
  NOT_FOUND(404, false),
  RESOURCE_LOCKED(405, false),
  PRECONDITION_FAILED(406, false),
  FRAME_ERROR(501, true),
  SYNTAX_ERROR(502, true),
  COMMAND_INVALID(503, true),
  CHANNEL_ERROR(504, true),
  UNEXPECTED_FRAME(505, true),
  RESOURCE_ERROR(506, true),
  NOT_ALLOWED(530, true),
  NOT_IMPLEMENTED(540, true),
  INTERNAL_ERROR(541, true);

  private final int code;
  private final boolean hardError;

  ReplyCode(int code, boolean hardError) {
    this.code = code;
    this.hardError = hardError;
  }

  /** The numeric reply code on the wire, e.g. 404. */
  public int code() {
    return code;
  }

  /**
   * Whether the spec classes this as a connection (hard) error; {@code false} means a channel
   * (soft) error.
   */
  public boolean isHardError() {
    return hardError;
  }
}
