package io.warrenmq.cli.internal;

/**
 * warrenctl's exit statuses: the subset of BSD {@code sysexits.h} that {@code rabbitmqctl} uses
 * (RabbitMQ's {@code RabbitMQ.CLI.Core.ExitCodes}), with the same meanings.
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /**
   * {@code EX_USAGE}: a wrong command line (unknown command, option or column, missing argument).
   */
  public static final int USAGE = 64;

  /**
   * {@code EX_DATAERR}: the API refused the data (400), or an object named does not exist (404), or
   * an input file cannot be read or is not JSON.
   */
  public static final int DATA_ERROR = 65;

  /** {@code EX_UNAVAILABLE}: the API cannot be reached (connection refused, unknown host, 503). */
  public static final int UNAVAILABLE = 69;

  /** {@code EX_SOFTWARE}: the API failed (5xx other than 503) or answered something unexpected. */
  public static final int SOFTWARE = 70;

  /** {@code EX_TEMPFAIL}: a connect or request timeout; trying again later may work. */
  public static final int TEMP_FAILURE = 75;

  /** {@code EX_NOPERM}: the API refused the credentials (401) or the user's rights (403). */
  public static final int NO_PERMISSION = 77;

  private ExitCodes() {}
}
