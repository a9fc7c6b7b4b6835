package io.warrenmq.store.jdbc.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A user (table {@code warren_user}, schema version 2): the salted password hash in RabbitMQ's
 * format, never the password; the tags joined by commas (as RabbitMQ's definitions files write
 * them). Not final: Hibernate ORM entities may be proxied. Confined to the store's writer thread
 * and recovery.
 */
@Entity
@Table(name = "warren_user")
public class UserEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(nullable = false)
  String name;

  @Column(name = "password_hash", nullable = false)
  String passwordHash;

  @Column(name = "hashing_algorithm", nullable = false)
  String hashingAlgorithm;

  @Column(nullable = false)
  String tags;

  protected UserEntity() {}

  UserEntity(String name, String passwordHash, String hashingAlgorithm, String tags) {
    this.name = name;
    this.passwordHash = passwordHash;
    this.hashingAlgorithm = hashingAlgorithm;
    this.tags = tags;
  }
}
