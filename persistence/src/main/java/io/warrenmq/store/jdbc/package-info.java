/**
 * The JDBC message store (DESIGN.md, "persistence"): {@link
 * io.warrenmq.store.jdbc.JdbcMessageStore} implements the engine's {@link
 * io.warrenmq.engine.MessageStore} SPI on an H2 file database (the default, under a data directory)
 * or PostgreSQL, configured by {@link io.warrenmq.store.jdbc.JdbcStoreConfig}. Hibernate ORM maps
 * the durable topology; the message hot path is plain JDBC batches written by one group-commit
 * thread.
 */
package io.warrenmq.store.jdbc;
