package io.warrenmq.store.jdbc.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A durable exchange (table {@code warren_exchange}). Not final: Hibernate ORM entities may be
 * proxied. Confined to the store's writer thread and start-up recovery.
 */
@Entity
@Table(name = "warren_exchange")
public class ExchangeEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(nullable = false)
  String vhost;

  @Column(nullable = false)
  String name;

  @Column(nullable = false)
  String type;

  @Column(name = "auto_delete", nullable = false)
  boolean autoDelete;

  @Column(name = "internal_only", nullable = false)
  boolean internal;

  @Column(nullable = false)
  byte[] arguments;

  protected ExchangeEntity() {}

  ExchangeEntity(
      String vhost, String name, String type, boolean autoDelete, boolean internal, byte[] args) {
    this.vhost = vhost;
    this.name = name;
    this.type = type;
    this.autoDelete = autoDelete;
    this.internal = internal;
    this.arguments = args;
  }
}
