package io.warrenmq.store.jdbc.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A virtual host (table {@code warren_vhost}, schema version 2). Not final: Hibernate ORM entities
 * may be proxied. Confined to the store's writer thread and recovery.
 */
@Entity
@Table(name = "warren_vhost")
public class VirtualHostEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(nullable = false)
  String name;

  protected VirtualHostEntity() {}

  VirtualHostEntity(String name) {
    this.name = name;
  }
}
