/**
 * WarrenMQ's durable store: {@link io.warrenmq.store.jdbc.JdbcMessageStore} on H2 (default) or
 * PostgreSQL, with group commit and recovery, found by the engine's users through {@link
 * io.warrenmq.engine.MessageStoreProvider}. Only {@code io.warrenmq.store.jdbc} is exported; the
 * entities and SQL of {@code io.warrenmq.store.jdbc.internal} are opened to Hibernate, and its H2
 * file system ({@code WriteBarrierFilePath}) to H2.
 */
module io.warrenmq.store.jdbc {
  requires transitive io.warrenmq.engine;
  requires transitive java.sql; // HaLease throws SQLException
  requires jakarta.persistence;
  requires org.hibernate.orm.core;
  requires com.zaxxer.hikari;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.h2database; // the default database, and its file system for the write barrier

  exports io.warrenmq.store.jdbc;

  opens io.warrenmq.store.jdbc.internal to
      org.hibernate.orm.core,
      com.h2database; // H2 instantiates WriteBarrierFilePath by reflection

  provides io.warrenmq.engine.MessageStoreProvider with
      io.warrenmq.store.jdbc.JdbcMessageStoreProvider;
}
