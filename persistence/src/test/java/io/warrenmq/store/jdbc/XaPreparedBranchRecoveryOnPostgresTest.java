package io.warrenmq.store.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link XaPreparedBranchRecoveryTest} on the PostgreSQL server of 127.0.0.1:5432, each test in its
 * own schema (dropped afterwards); skipped with a message when the server is not reachable.
 */
class XaPreparedBranchRecoveryOnPostgresTest extends XaPreparedBranchRecoveryTest {
  private String schema;

  @BeforeEach
  @Override
  void useTheStore() {
    Assumptions.assumeTrue(Databases.postgresReachable(), Databases.PG_SKIPPED);
    schema = Databases.createSchema();
    store = Databases.postgres(schema);
    childStore = new String[] {"pg", schema};
  }

  @AfterEach
  void dropTheSchema() {
    if (schema != null) {
      Databases.dropSchema(schema);
    }
  }
}
