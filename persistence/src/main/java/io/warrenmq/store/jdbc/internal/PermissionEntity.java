package io.warrenmq.store.jdbc.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A user's permissions in a virtual host (table {@code warren_permission}, schema version 2). Not
 * final: Hibernate ORM entities may be proxied. Confined to the store's writer thread and recovery.
 */
@Entity
@Table(name = "warren_permission")
public class PermissionEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "user_name", nullable = false)
  String user;

  @Column(nullable = false)
  String vhost;

  @Column(name = "configure_re", nullable = false)
  String configure;

  @Column(name = "write_re", nullable = false)
  String write;

  @Column(name = "read_re", nullable = false)
  String read;

  protected PermissionEntity() {}

  PermissionEntity(String user, String vhost, String configure, String write, String read) {
    this.user = user;
    this.vhost = vhost;
    this.configure = configure;
    this.write = write;
    this.read = read;
  }
}
