package io.warrenmq.management.internal;

import io.warrenmq.engine.Broker;
import java.util.List;

/**
 * An authenticated user of the API and what its tags allow, as RabbitMQ's management plugin
 * documents (https://www.rabbitmq.com/docs/management#permissions): {@code management} sees and
 * manages the virtual hosts it has permissions on, {@code policymaker} likewise (policies are not
 * implemented), {@code monitoring} additionally sees every connection, channel and node and every
 * virtual host's objects in the cross-vhost lists, {@code administrator} everything.
 */
record Principal(String name, List<String> tags) {
  boolean isAdministrator() {
    return tags.contains("administrator");
  }

  boolean isMonitoring() {
    return isAdministrator() || tags.contains("monitoring");
  }

  boolean isManagement() {
    return isMonitoring() || tags.contains("policymaker") || tags.contains("management");
  }

  /** Whether the user may read one virtual host's objects by its path (admins: any). */
  boolean canAccess(Broker broker, String vhost) {
    return isAdministrator() || broker.users().permission(name, vhost).isPresent();
  }

  /** Whether the user sees a virtual host's objects in the cross-vhost lists. */
  boolean sees(Broker broker, String vhost) {
    return isMonitoring() || broker.users().permission(name, vhost).isPresent();
  }

  /** Whether the user sees a connection (or its channels, consumers) of {@code user}. */
  boolean seesConnectionOf(String user) {
    return isMonitoring() || name.equals(user);
  }

  void requireAdministrator() {
    if (!isAdministrator()) {
      throw ApiException.notAuthorised("Not administrator user");
    }
  }

  void requireMonitoring() {
    if (!isMonitoring()) {
      throw ApiException.notAuthorised("Not monitor user");
    }
  }
}
