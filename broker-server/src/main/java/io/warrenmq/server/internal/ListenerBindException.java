package io.warrenmq.server.internal;

/**
 * A listener could not bind its address (in use, not a local address, no permission): which
 * listener and why. It is the {@link IllegalStateException} that {@code WarrenServer.start}
 * documents; the standalone server reads {@link #tls()} to name the configuration key of the
 * listener that failed ({@code listeners.tcp.*} or {@code listeners.ssl.*}).
 */
public final class ListenerBindException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final boolean tls;

  /**
   * @param address {@code host:port} as configured
   * @param tls whether it is the TLS ({@code amqps}) listener
   * @param cause what the socket layer reported, e.g. a {@code BindException}
   */
  public ListenerBindException(String address, boolean tls, Throwable cause) {
    super("cannot listen on " + address + (tls ? " (TLS)" : "") + ": " + cause.getMessage(), cause);
    this.tls = tls;
  }

  /** Whether the TLS listener failed (else the plain TCP one). */
  public boolean tls() {
    return tls;
  }
}
