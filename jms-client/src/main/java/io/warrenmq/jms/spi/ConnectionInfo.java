package io.warrenmq.jms.spi;

import java.util.Objects;

/**
 * What a JMS connection asks of the broker when it opens (AMQP 0-9-1 {@code connection.start-ok}
 * and {@code connection.open}, spec 1.4.2): the virtual host and, for a login, the user and
 * password.
 *
 * <p>Thread-safety: immutable. {@link #toString()} does not show the password.
 *
 * @param virtualHost the virtual host to open, e.g. {@code "/"}; not null
 * @param user the user to log in as (SASL PLAIN), or null for the trusted in-VM path without a
 *     login (code in the broker's own JVM); a transport that cannot offer a trusted path refuses
 *     null with 403 ACCESS_REFUSED
 * @param password the clear-text password of {@code user}; ignored when {@code user} is null, else
 *     not null (may be empty)
 * @param clientId the JMS client identifier the connection will claim (Jakarta Messaging 6.1.2), or
 *     null; a transport shows it as the connection's client name in the broker's logs when there is
 *     no user
 */
public record ConnectionInfo(String virtualHost, String user, String password, String clientId) {

  /**
   * @throws NullPointerException if {@code virtualHost} is null, or {@code password} is null while
   *     {@code user} is not
   */
  public ConnectionInfo {
    Objects.requireNonNull(virtualHost, "virtualHost");
    if (user != null) {
      Objects.requireNonNull(password, "password");
    }
  }

  @Override
  public String toString() {
    return "ConnectionInfo[virtualHost="
        + virtualHost
        + ", user="
        + user
        + ", clientId="
        + clientId
        + "]";
  }
}
