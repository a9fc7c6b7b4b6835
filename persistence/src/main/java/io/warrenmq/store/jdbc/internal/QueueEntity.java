package io.warrenmq.store.jdbc.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A durable queue (table {@code warren_queue}); exclusive queues are never stored. Not final:
 * Hibernate ORM entities may be proxied. Confined to the store's writer thread and recovery.
 */
@Entity
@Table(name = "warren_queue")
public class QueueEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(nullable = false)
  String vhost;

  @Column(nullable = false)
  String name;

  @Column(name = "auto_delete", nullable = false)
  boolean autoDelete;

  @Column(nullable = false)
  byte[] arguments;

  protected QueueEntity() {}

  QueueEntity(String vhost, String name, boolean autoDelete, byte[] args) {
    this.vhost = vhost;
    this.name = name;
    this.autoDelete = autoDelete;
    this.arguments = args;
  }

  void update(boolean autoDelete, byte[] args) {
    this.autoDelete = autoDelete;
    this.arguments = args;
  }
}
