package io.warrenmq.store.jdbc.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A durable binding to a queue or an exchange (table {@code warren_binding}). Not final: Hibernate
 * ORM entities may be proxied. Confined to the store's writer thread and recovery.
 */
@Entity
@Table(name = "warren_binding")
public class BindingEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(nullable = false)
  String vhost;

  @Column(nullable = false)
  String source;

  @Column(nullable = false)
  String destination;

  @Column(name = "to_exchange", nullable = false)
  boolean toExchange;

  @Column(name = "binding_key", nullable = false)
  String bindingKey;

  @Column(nullable = false)
  byte[] arguments;

  protected BindingEntity() {}

  BindingEntity(
      String vhost,
      String source,
      String destination,
      boolean toExchange,
      String bindingKey,
      byte[] args) {
    this.vhost = vhost;
    this.source = source;
    this.destination = destination;
    this.toExchange = toExchange;
    this.bindingKey = bindingKey;
    this.arguments = args;
  }
}
