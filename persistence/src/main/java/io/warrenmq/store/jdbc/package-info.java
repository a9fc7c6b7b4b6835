/**
 * The JDBC message store (DESIGN.md, "persistence"): not written yet. The persistence issue adds
 * the engine's {@code MessageStore} SPI implementation here (Hibernate ORM for topology, batched
 * JDBC for the message hot path, H2 file database by default, PostgreSQL for production). Until
 * then the broker keeps everything in memory and nothing survives a restart.
 */
package io.warrenmq.store.jdbc;
