package io.warrenmq.server.internal.standalone;

import io.warrenmq.client.AmqpException;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.server.internal.config.ConfigException;
import io.warrenmq.server.internal.config.DefaultUser;
import io.warrenmq.server.internal.config.ServerSettings;
import io.warrenmq.store.jdbc.Definitions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a start does to the broker's users and topology before clients connect, as RabbitMQ does at
 * boot (https://www.rabbitmq.com/docs/access-control, "Default Virtual Host and User";
 * https://www.rabbitmq.com/docs/definitions, "Importing Definitions at Node Boot Time"):
 *
 * <ol>
 *   <li>On a fresh store only (a new database, {@link Broker#startedFresh()}): without {@code
 *       load_definitions}, {@code default_user} with {@code default_pass}, {@code
 *       default_user_tags.*} and {@code default_permissions.*} on {@code default_vhost} replaces
 *       the engine's {@code guest}/{@code guest} when any of them differs from RabbitMQ's default;
 *       with {@code load_definitions}, no default user is created (RabbitMQ skips its default user
 *       and vhost when definitions are imported at boot); {@code /} exists in any case.
 *   <li>On every start: {@code load_definitions} is imported, a directory's {@code *.json} files in
 *       name order, on top of what the store holds (users replaced, exchanges and queues that exist
 *       must be equivalent), as RabbitMQ imports them on every boot.
 * </ol>
 *
 * <p>Thread-safety: stateless; called once, before the listener opens.
 */
final class BootDefinitions {
  private BootDefinitions() {}

  /**
   * Applies the default user and the definitions.
   *
   * @return what was done, for the banner
   * @throws ConfigException naming {@code load_definitions} (and the file) if a definitions file
   *     cannot be read or the broker refuses it; naming {@code default_user} if the engine refuses
   *     the default user
   */
  static List<String> apply(Broker broker, ServerSettings settings) {
    List<String> done = new ArrayList<>();
    DefaultUser d = settings.defaultUser();
    if (broker.startedFresh()) {
      if (settings.definitions().isPresent()) {
        broker.users().deleteUser("guest");
        done.add("new store: no default user, as load_definitions is set");
      } else if (!d.equals(DefaultUser.RABBITMQ)) {
        try {
          broker.users().deleteUser("guest");
          broker.virtualHost(d.virtualHost());
          broker.users().putUser(d.name(), d.password(), d.tags());
          broker
              .users()
              .setPermissions(
                  new PermissionInfo(
                      d.name(), d.virtualHost(), d.configure(), d.write(), d.read()));
        } catch (AmqpException e) {
          throw new ConfigException(
              settings.where("default_user"), "default_user", "refused: " + e.getMessage());
        }
        done.add(
            "new store: default user '"
                + d.name()
                + "' on vhost '"
                + d.virtualHost()
                + "' created");
      } else {
        done.add("new store: default user 'guest' (loopback only) on vhost '/'");
      }
    }
    if (settings.definitions().isPresent()) {
      for (Path file : files(settings)) {
        try {
          Definitions.importFile(broker, file);
        } catch (IOException | AmqpException e) {
          throw new ConfigException(
              settings.where("load_definitions"),
              "load_definitions",
              file + ": " + (e instanceof AmqpException a ? a.getMessage() : e.toString()));
        }
        done.add("definitions imported from " + file);
      }
    }
    return done;
  }

  private static List<Path> files(ServerSettings settings) {
    Path path = settings.definitions().orElseThrow();
    try {
      return Definitions.files(path);
    } catch (IOException e) {
      throw new ConfigException(
          settings.where("load_definitions"), "load_definitions", path + " cannot be read: " + e);
    }
  }
}
