package io.warrenmq.ra;

import jakarta.resource.spi.ConnectionRequestInfo;

/**
 * What an application asked for when it created a connection ({@code createConnection(user,
 * password)}, application-managed sign-on); managed connections match when these are equal, so a
 * pooled connection is reused only for the same user with the same password. {@link #toString()}
 * never shows the password.
 *
 * @param userName the user name passed to {@code createConnection(user, password)}, or null
 * @param password its password, or null
 */
public record WarrenConnectionRequestInfo(String userName, String password)
    implements ConnectionRequestInfo {

  /** A request for this user without a password (null: the connection definition's login). */
  public WarrenConnectionRequestInfo(String userName) {
    this(userName, null);
  }

  @Override
  public String toString() {
    return "WarrenConnectionRequestInfo[userName=" + userName + "]";
  }
}
