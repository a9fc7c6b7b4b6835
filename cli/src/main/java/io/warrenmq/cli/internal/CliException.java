package io.warrenmq.cli.internal;

/**
 * A failed command: a one-line message for standard error (never a password, never a URL's user
 * information) and the exit status of {@link ExitCodes} it ends the process with.
 */
public class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /**
   * @param exitCode one of {@link ExitCodes}
   * @param message what failed, on one line
   */
  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /**
   * @param exitCode one of {@link ExitCodes}
   * @param message what failed, on one line
   * @param cause the underlying failure
   */
  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The process exit status this failure maps to, one of {@link ExitCodes}. */
  public int exitCode() {
    return exitCode;
  }
}
