package io.warrenmq.store.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link DequeuesInOneCommitTest} on the PostgreSQL server of 127.0.0.1:5432, each test in its own
 * schema (dropped afterwards); skipped with a message when the server is not reachable.
 */
class DequeuesInOneCommitOnPostgresTest extends DequeuesInOneCommitTest {
  private String schema;

  @BeforeEach
  @Override
  void useTheStore() {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    schema = Databases.createSchema();
    config = Databases.postgres(schema);
  }

  @AfterEach
  void dropTheSchema() {
    if (schema != null) {
      Databases.dropSchema(schema);
    }
  }
}
