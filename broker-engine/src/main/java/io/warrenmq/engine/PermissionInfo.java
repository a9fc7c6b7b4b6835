package io.warrenmq.engine;

import java.util.Objects;

/**
 * A user's permissions in one virtual host, in RabbitMQ's model
 * (https://www.rabbitmq.com/docs/access-control): three regular expressions matched against the
 * names of the exchanges and queues the user operates on. {@code ".*"} allows everything, {@code
 * ""} nothing.
 *
 * @param user the user's name
 * @param virtualHost the virtual host's name
 * @param configure what the user may declare and delete (exchanges, queues)
 * @param write what the user may publish to (exchanges) or bind to (queues, destination exchanges)
 * @param read what the user may consume from (queues) or bind from (source exchanges)
 */
public record PermissionInfo(
    String user, String virtualHost, String configure, String write, String read) {

  public PermissionInfo {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(virtualHost, "virtualHost");
    configure = configure == null ? "" : configure;
    write = write == null ? "" : write;
    read = read == null ? "" : read;
  }

  /** Full permissions: {@code ".*"} for configure, write and read. */
  public static PermissionInfo full(String user, String virtualHost) {
    return new PermissionInfo(user, virtualHost, ".*", ".*", ".*");
  }
}
