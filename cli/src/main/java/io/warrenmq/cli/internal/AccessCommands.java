package io.warrenmq.cli.internal;

import static io.warrenmq.cli.internal.ManagementClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Users, virtual hosts and permissions: {@code add_user}, {@code delete_user}, {@code
 * change_password}, {@code set_user_tags}, {@code set_permissions}, {@code clear_permissions},
 * {@code add_vhost}, {@code delete_vhost}, with {@code rabbitmqctl}'s arguments, on {@code
 * /api/users}, {@code /api/permissions} and {@code /api/vhosts}. The API's {@code PUT
 * /api/users/{name}} replaces the whole user, so {@code change_password} keeps the user's tags and
 * {@code set_user_tags} its password hash by reading the user first.
 */
final class AccessCommands {
  private AccessCommands() {}

  private static ObjectNode object() {
    return ManagementClient.JSON.createObjectNode();
  }

  /** GET /api/users/{name}, or {@link ExitCodes#DATA_ERROR} naming the missing user. */
  private static JsonNode user(ApiCommand command, String name) {
    return command
        .client()
        .find("/api/users/" + segment(name))
        .orElseThrow(
            () -> new CliException(ExitCodes.DATA_ERROR, "user '" + name + "' does not exist"));
  }

  /**
   * A user's tags as the API's comma-separated form (it answers a list or, before 3.9, a string).
   */
  private static String tags(JsonNode user) {
    JsonNode tags = user.path("tags");
    if (tags.isArray()) {
      List<String> names = new ArrayList<>();
      tags.forEach(tag -> names.add(tag.asText()));
      return String.join(",", names);
    }
    return tags.asText("");
  }

  @Command(
      name = "add_user",
      description =
          "Creates a user with a password and no tags (PUT /api/users/{user}); fails if the user"
              + " exists. The password is visible in the process list: prefer a short-lived"
              + " shell.")
  static final class AddUser extends ApiCommand {
    @Parameters(index = "0", paramLabel = "USER")
    String name;

    @Parameters(index = "1", paramLabel = "PASSWORD")
    String password;

    @Override
    void run() {
      if (client().find("/api/users/" + segment(name)).isPresent()) {
        throw new CliException(ExitCodes.DATA_ERROR, "user '" + name + "' already exists");
      }
      info("Adding user \"" + name + "\" ...");
      client()
          .send(
              "PUT",
              "/api/users/" + segment(name),
              object().put("password", password).put("tags", ""),
              Map.of());
    }
  }

  @Command(name = "delete_user", description = "Deletes a user (DELETE /api/users/{user}).")
  static final class DeleteUser extends ApiCommand {
    @Parameters(index = "0", paramLabel = "USER")
    String name;

    @Override
    void run() {
      info("Deleting user \"" + name + "\" ...");
      client().send("DELETE", "/api/users/" + segment(name), null, Map.of());
    }
  }

  @Command(
      name = "change_password",
      description = "Changes a user's password, keeping its tags (PUT /api/users/{user}).")
  static final class ChangePassword extends ApiCommand {
    @Parameters(index = "0", paramLabel = "USER")
    String name;

    @Parameters(index = "1", paramLabel = "NEW_PASSWORD")
    String password;

    @Override
    void run() {
      JsonNode user = user(this, name);
      info("Changing password for user \"" + name + "\" ...");
      client()
          .send(
              "PUT",
              "/api/users/" + segment(name),
              object().put("password", password).put("tags", tags(user)),
              Map.of());
    }
  }

  @Command(
      name = "set_user_tags",
      description =
          "Sets a user's tags (administrator, monitoring, management, policymaker, ...), replacing"
              + " its tags; none clears them (PUT /api/users/{user}, the password kept).")
  static final class SetUserTags extends ApiCommand {
    @Parameters(index = "0", paramLabel = "USER")
    String name;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "TAG")
    List<String> tags = new ArrayList<>();

    @Override
    void run() {
      JsonNode user = user(this, name);
      ObjectNode body = object();
      body.put("password_hash", user.path("password_hash").asText(""));
      if (user.hasNonNull("hashing_algorithm")) {
        body.put("hashing_algorithm", user.get("hashing_algorithm").asText());
      }
      body.put("tags", String.join(",", tags));
      info("Setting tags for user \"" + name + "\" to " + tags + " ...");
      client().send("PUT", "/api/users/" + segment(name), body, Map.of());
    }
  }

  @Command(
      name = "set_permissions",
      description =
          "Sets a user's configure, write and read permissions (regular expressions) in the"
              + " virtual host of -p (PUT /api/permissions/{vhost}/{user}).")
  static final class SetPermissions extends ApiCommand {
    @Parameters(index = "0", paramLabel = "USER")
    String name;

    @Parameters(index = "1", paramLabel = "CONF")
    String configure;

    @Parameters(index = "2", paramLabel = "WRITE")
    String write;

    @Parameters(index = "3", paramLabel = "READ")
    String read;

    @Override
    void run() {
      info("Setting permissions for user \"" + name + "\" in vhost \"" + vhost() + "\" ...");
      client()
          .send(
              "PUT",
              "/api/permissions/" + vhostSegment() + "/" + segment(name),
              object().put("configure", configure).put("write", write).put("read", read),
              Map.of());
    }
  }

  @Command(
      name = "clear_permissions",
      description =
          "Revokes a user's permissions in the virtual host of -p (DELETE"
              + " /api/permissions/{vhost}/{user}).")
  static final class ClearPermissions extends ApiCommand {
    @Parameters(index = "0", paramLabel = "USER")
    String name;

    @Override
    void run() {
      info("Clearing permissions for user \"" + name + "\" in vhost \"" + vhost() + "\" ...");
      client()
          .send(
              "DELETE", "/api/permissions/" + vhostSegment() + "/" + segment(name), null, Map.of());
    }
  }

  @Command(name = "add_vhost", description = "Creates a virtual host (PUT /api/vhosts/{vhost}).")
  static final class AddVhost extends ApiCommand {
    @Parameters(index = "0", paramLabel = "VHOST")
    String name;

    @Option(names = "--description", description = "A description of the virtual host.")
    String description;

    @Option(names = "--tags", description = "Comma-separated tags of the virtual host.")
    String tags;

    @Override
    void run() {
      ObjectNode body = object();
      if (description != null) {
        body.put("description", description);
      }
      if (tags != null) {
        body.put("tags", tags);
      }
      info("Adding vhost \"" + name + "\" ...");
      client().send("PUT", "/api/vhosts/" + segment(name), body, Map.of());
    }
  }

  @Command(
      name = "delete_vhost",
      description =
          "Deletes a virtual host with all its exchanges, queues, bindings and permissions"
              + " (DELETE /api/vhosts/{vhost}).")
  static final class DeleteVhost extends ApiCommand {
    @Parameters(index = "0", paramLabel = "VHOST")
    String name;

    @Override
    void run() {
      info("Deleting vhost \"" + name + "\" ...");
      client().send("DELETE", "/api/vhosts/" + segment(name), null, Map.of());
    }
  }
}
