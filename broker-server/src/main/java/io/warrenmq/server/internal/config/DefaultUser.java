package io.warrenmq.server.internal.config;

import java.util.List;

/**
 * What a fresh store gets instead of RabbitMQ's {@code guest}: {@code default_user}, {@code
 * default_pass}, {@code default_vhost}, {@code default_user_tags.*} and {@code
 * default_permissions.*} (https://www.rabbitmq.com/docs/access-control, "Default Virtual Host and
 * User").
 *
 * @param name the user name
 * @param password the clear-text password (never printed: {@link #toString()} leaves it out)
 * @param virtualHost the virtual host created for it
 * @param tags the user's tags
 * @param configure the configure permission, a regular expression
 * @param write the write permission
 * @param read the read permission
 */
public record DefaultUser(
    String name,
    String password,
    String virtualHost,
    List<String> tags,
    String configure,
    String write,
    String read) {

  /** RabbitMQ's: {@code guest}/{@code guest}, administrator, {@code .*} on {@code /}. */
  public static final DefaultUser RABBITMQ =
      new DefaultUser("guest", "guest", "/", List.of("administrator"), ".*", ".*", ".*");

  public DefaultUser {
    tags = List.copyOf(tags);
  }

  @Override
  public String toString() {
    return "DefaultUser[name="
        + name
        + ", virtualHost="
        + virtualHost
        + ", tags="
        + tags
        + ", configure="
        + configure
        + ", write="
        + write
        + ", read="
        + read
        + "]";
  }
}
