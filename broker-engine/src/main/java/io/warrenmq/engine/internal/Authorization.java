package io.warrenmq.engine.internal;

import io.warrenmq.client.AmqpException;
import io.warrenmq.client.ReplyCode;
import io.warrenmq.engine.PermissionInfo;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The permissions of a logged-in connection on its virtual host (RabbitMQ doc "Access Control"):
 * configure, write and read regular expressions matched against exchange and queue names. The
 * default exchange is matched as {@code amq.default}, as RabbitMQ does. The permissions are read at
 * login: a later change applies to new connections.
 *
 * <p>Decisions are cached per name so the publish path does not run a regular expression per
 * message. Thread-safe.
 */
public final class Authorization {

  private final String user;
  private final String virtualHost;
  private final Check configure;
  private final Check write;
  private final Check read;

  private Authorization(PermissionInfo p) {
    this.user = p.user();
    this.virtualHost = p.virtualHost();
    this.configure = new Check(p.configure());
    this.write = new Check(p.write());
    this.read = new Check(p.read());
  }

  /** The authorization of a user's permissions on one virtual host. */
  public static Authorization of(PermissionInfo permissions) {
    return new Authorization(permissions);
  }

  /**
   * @param kind {@code "queue"} or {@code "exchange"}
   * @throws AmqpException 403 ACCESS_REFUSED with RabbitMQ's text when not allowed
   */
  void configure(String kind, String name) {
    check(configure, kind, name);
  }

  void write(String kind, String name) {
    check(write, kind, name);
  }

  void read(String kind, String name) {
    check(read, kind, name);
  }

  private void check(Check check, String kind, String name) {
    String resource = name == null || name.isEmpty() ? "amq.default" : name;
    if (!check.allows(resource)) {
      throw new AmqpException(
          ReplyCode.ACCESS_REFUSED,
          "access to "
              + kind
              + " '"
              + resource
              + "' in vhost '"
              + virtualHost
              + "' refused for user '"
              + user
              + "'");
    }
  }

  /** One permission pattern with its decisions cached by resource name. */
  private static final class Check {
    private final Pattern pattern;
    private final ConcurrentHashMap<String, Boolean> decisions = new ConcurrentHashMap<>();

    Check(String regex) {
      Pattern p;
      try {
        p = regex.isEmpty() ? null : Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        p = null; // validated when stored; an unreadable pattern allows nothing
      }
      this.pattern = p;
    }

    boolean allows(String resource) {
      if (pattern == null) {
        return false;
      }
      return decisions.computeIfAbsent(resource, r -> pattern.matcher(r).find());
    }
  }
}
