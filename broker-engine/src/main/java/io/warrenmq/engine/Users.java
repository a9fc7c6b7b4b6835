package io.warrenmq.engine;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.internal.PasswordHashing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The broker's user registry: users with salted password hashes and tags, and their
 * per-virtual-host permissions, in RabbitMQ's model (https://www.rabbitmq.com/docs/access-control,
 * /docs/passwords). Passwords are never stored, only hashed in RabbitMQ's {@code
 * rabbit_password_hashing_sha256} format (see {@link UserInfo}), so users move through definitions
 * files in both directions.
 *
 * <p>A fresh {@link Broker} (or one on a fresh durable store) has the user {@code guest} with
 * password {@code guest}, tag {@code administrator} and full permissions ({@code ".*"}) on {@code
 * "/"}, as a fresh RabbitMQ (which additionally restricts {@code guest} to loopback connections;
 * in-VM connections are all local). Delete or change it in production.
 *
 * <p>{@link Broker#newConnection(String, String, String)} authenticates against this registry and
 * checks that the user has permissions on the virtual host. Per-operation authorization (the
 * configure/write/read expressions checked on declare, bind, publish and consume) is not enforced
 * yet: the expressions are stored, exported and imported.
 *
 * <p>Durability: a broker with a durable {@link MessageStore} writes every change (users with their
 * hash, hashing algorithm and tags; permissions) to the store and returns only after the store
 * committed it, so that it survives a restart. If the store fails, the method throws {@link
 * AmqpException} 541 INTERNAL_ERROR with the cause; the change then holds in memory only, until the
 * next restart. On a restart the registry is what the store holds: a deleted {@code guest} stays
 * deleted; the default {@code guest} is created (and stored) only on a fresh store.
 *
 * <p>Errors: {@link AmqpException} 404 NOT_FOUND for an unknown user or virtual host, 406
 * PRECONDITION_FAILED for an invalid name, hash or regular expression, 541 INTERNAL_ERROR if the
 * durable store failed to write the change.
 *
 * <p>Concurrency: thread-safe; every method is atomic (one monitor; these calls are rare and never
 * on the publish or deliver path).
 */
public final class Users {
  private final Predicate<String> virtualHostExists;
  private final MessageStore store;
  private final Map<String, UserInfo> users = new TreeMap<>();
  private final Map<String, Map<String, PermissionInfo>> permissions = new TreeMap<>();

  Users(Predicate<String> virtualHostExists, MessageStore store) {
    this.virtualHostExists = virtualHostExists;
    this.store = store;
  }

  /**
   * Adds RabbitMQ's default user: {@code guest}/{@code guest}, tag {@code administrator}, full
   * rights on "/" (written to the store).
   */
  void addDefaultGuest() {
    putUser("guest", "guest", List.of("administrator"));
    setPermissions(PermissionInfo.full("guest", "/"));
  }

  /** A user replayed from the store at start-up (not written back). */
  synchronized void recoverUser(UserInfo user) {
    users.put(user.name(), user);
  }

  /** A permission replayed from the store at start-up (not written back); unknown users ignored. */
  synchronized boolean recoverPermission(PermissionInfo p) {
    if (!users.containsKey(p.user()) || !virtualHostExists.test(p.virtualHost())) {
      return false;
    }
    permissions.computeIfAbsent(p.user(), u -> new TreeMap<>()).put(p.virtualHost(), p);
    return true;
  }

  /**
   * Waits, outside the registry's monitor, until the store committed a change.
   *
   * @throws AmqpException 541 INTERNAL_ERROR if the store failed or the wait was interrupted
   */
  static void awaitStored(CompletionStage<Void> stored, String what) {
    try {
      stored.toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AmqpException(ReplyCode.INTERNAL_ERROR, "interrupted while storing " + what);
    } catch (ExecutionException e) {
      AmqpException failure =
          new AmqpException(
              ReplyCode.INTERNAL_ERROR, what + " could not be stored: " + e.getCause());
      failure.initCause(e.getCause());
      throw failure;
    }
  }

  /**
   * Creates a user, or replaces the password and tags of an existing one (RabbitMQ's {@code
   * add_user} followed by {@code set_user_tags}, or {@code change_password}). Permissions of an
   * existing user are kept.
   *
   * @param name the user name, not empty
   * @param password the password, not null (hashed with a new random salt, SHA-256)
   * @param tags the user's tags, e.g. {@code List.of("administrator")}; null means none
   * @throws AmqpException 406 PRECONDITION_FAILED if the name is empty
   */
  public void putUser(String name, String password, List<String> tags) {
    Objects.requireNonNull(password, "password");
    putUser(new UserInfo(checkName(name), PasswordHashing.hash(password), UserInfo.SHA256, tags));
  }

  /**
   * Creates or replaces a user with an already hashed password, as an imported definitions file
   * carries it. Permissions of an existing user are kept.
   *
   * @throws AmqpException 406 PRECONDITION_FAILED if the hashing algorithm is not one of RabbitMQ's
   *     or the hash is not base64 of a 4-byte salt and a digest of that algorithm
   */
  public void putUser(UserInfo user) {
    String problem = PasswordHashing.validate(user.hashingAlgorithm(), user.passwordHash());
    if (problem != null) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED, "user '" + user.name() + "': " + problem);
    }
    CompletionStage<Void> stored;
    synchronized (this) {
      users.put(user.name(), user);
      stored = store.storeUser(user);
    }
    awaitStored(stored, "user '" + user.name() + "'");
  }

  /**
   * Sets a new password (RabbitMQ's {@code change_password}).
   *
   * @throws AmqpException 404 NOT_FOUND if the user does not exist
   */
  public void changePassword(String name, String password) {
    Objects.requireNonNull(password, "password");
    CompletionStage<Void> stored;
    synchronized (this) {
      UserInfo u = userOrThrow(name);
      UserInfo changed =
          new UserInfo(name, PasswordHashing.hash(password), UserInfo.SHA256, u.tags());
      users.put(name, changed);
      stored = store.storeUser(changed);
    }
    awaitStored(stored, "user '" + name + "'");
  }

  /**
   * Replaces a user's tags (RabbitMQ's {@code set_user_tags}).
   *
   * @throws AmqpException 404 NOT_FOUND if the user does not exist
   */
  public void setTags(String name, List<String> tags) {
    CompletionStage<Void> stored;
    synchronized (this) {
      UserInfo u = userOrThrow(name);
      UserInfo changed = new UserInfo(name, u.passwordHash(), u.hashingAlgorithm(), tags);
      users.put(name, changed);
      stored = store.storeUser(changed);
    }
    awaitStored(stored, "user '" + name + "'");
  }

  /**
   * Deletes a user and all its permissions. Open connections of the user stay open (as in
   * RabbitMQ).
   *
   * @return whether the user existed
   */
  public boolean deleteUser(String name) {
    CompletionStage<Void> stored;
    synchronized (this) {
      permissions.remove(name);
      if (name == null || users.remove(name) == null) {
        return false;
      }
      stored = store.deleteUser(name);
    }
    awaitStored(stored, "deletion of user '" + name + "'");
    return true;
  }

  /** The user of that name, if any. */
  public synchronized Optional<UserInfo> user(String name) {
    return Optional.ofNullable(name == null ? null : users.get(name));
  }

  /** All users, sorted by name. */
  public synchronized List<UserInfo> list() {
    return List.copyOf(users.values());
  }

  /**
   * Whether a user exists and the password matches its hash. Never throws for bad input.
   *
   * @param name the user name, may be null (then false)
   * @param password the clear-text password, may be null (then false)
   */
  public boolean checkPassword(String name, String password) {
    UserInfo u;
    synchronized (this) {
      u = name == null ? null : users.get(name);
    }
    return u != null && PasswordHashing.matches(u.hashingAlgorithm(), u.passwordHash(), password);
  }

  /**
   * Sets a user's permissions in a virtual host (RabbitMQ's {@code set_permissions}), replacing
   * earlier ones.
   *
   * @throws AmqpException 404 NOT_FOUND if the user or the virtual host does not exist; 406
   *     PRECONDITION_FAILED if an expression is not a valid regular expression
   */
  public void setPermissions(PermissionInfo permission) {
    CompletionStage<Void> stored;
    synchronized (this) {
      userOrThrow(permission.user());
      if (!virtualHostExists.test(permission.virtualHost())) {
        throw new AmqpException(
            ReplyCode.NOT_FOUND, "vhost '" + permission.virtualHost() + "' not found");
      }
      checkRegex(permission, "configure", permission.configure());
      checkRegex(permission, "write", permission.write());
      checkRegex(permission, "read", permission.read());
      permissions
          .computeIfAbsent(permission.user(), u -> new TreeMap<>())
          .put(permission.virtualHost(), permission);
      stored = store.storePermission(permission);
    }
    awaitStored(stored, describe(permission.user(), permission.virtualHost()));
  }

  /**
   * Removes a user's permissions in a virtual host (RabbitMQ's {@code clear_permissions}).
   *
   * @return whether there were any
   */
  public boolean clearPermissions(String user, String virtualHost) {
    CompletionStage<Void> stored;
    synchronized (this) {
      Map<String, PermissionInfo> byVhost = permissions.get(user);
      boolean removed = byVhost != null && byVhost.remove(virtualHost) != null;
      if (byVhost != null && byVhost.isEmpty()) {
        permissions.remove(user);
      }
      if (!removed) {
        return false;
      }
      stored = store.deletePermission(user, virtualHost);
    }
    awaitStored(stored, "deletion of " + describe(user, virtualHost));
    return true;
  }

  private static String describe(String user, String virtualHost) {
    return "permissions of user '" + user + "' in vhost '" + virtualHost + "'";
  }

  /** A user's permissions in a virtual host, if any. */
  public synchronized Optional<PermissionInfo> permission(String user, String virtualHost) {
    Map<String, PermissionInfo> byVhost = permissions.get(user);
    return Optional.ofNullable(byVhost == null ? null : byVhost.get(virtualHost));
  }

  /** All permissions, sorted by user, then virtual host. */
  public synchronized List<PermissionInfo> permissions() {
    List<PermissionInfo> out = new ArrayList<>();
    permissions.values().forEach(byVhost -> out.addAll(byVhost.values()));
    return List.copyOf(out);
  }

  /** Drops every permission on a deleted virtual host (the store forgets them with the host). */
  synchronized void forgetVirtualHost(String virtualHost) {
    permissions.values().forEach(byVhost -> byVhost.remove(virtualHost));
    permissions.values().removeIf(Map::isEmpty);
  }

  private UserInfo userOrThrow(String name) {
    UserInfo u = name == null ? null : users.get(name);
    if (u == null) {
      throw new AmqpException(ReplyCode.NOT_FOUND, "no user '" + name + "'");
    }
    return u;
  }

  private static String checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "user name must not be empty");
    }
    return name;
  }

  private static void checkRegex(PermissionInfo p, String kind, String regex) {
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED,
          "invalid "
              + kind
              + " regexp '"
              + regex
              + "' for user '"
              + p.user()
              + "' in vhost '"
              + p.virtualHost()
              + "': "
              + e.getDescription());
    }
  }
}
