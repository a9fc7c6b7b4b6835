package io.warrenmq.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The database of a store benchmark ({@code -p database=h2|postgresql}): an H2 file database in a
 * fresh temporary directory, or a fresh schema on the PostgreSQL server of {@code
 * -Dwarren.bench.pg=jdbc:postgresql://127.0.0.1:5432/test} (user {@code postgres}, no password),
 * dropped afterwards.
 */
final class BenchDatabases {
  static final String PG_URL =
      System.getProperty("warren.bench.pg", "jdbc:postgresql://127.0.0.1:5432/test");

  final String database;
  final JdbcStoreConfig config;
  private final Path dir;
  private final String schema;

  BenchDatabases(String database) {
    this.database = database;
    try {
      dir = Files.createTempDirectory("warren-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    switch (database) {
      case "h2" -> {
        schema = null;
        config = JdbcStoreConfig.h2(dir);
      }
      case "postgresql" -> {
        schema = "warren_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE SCHEMA " + schema);
        config = JdbcStoreConfig.jdbc(PG_URL + "?currentSchema=" + schema, "postgres", null);
      }
      default -> throw new IllegalArgumentException("database must be h2 or postgresql");
    }
  }

  /**
   * A plain JDBC connection to it (autocommit off), with the durability of the store's opt-in
   * {@code PROCESS_CRASH}: no flush to disk per commit (H2's default; {@code synchronous_commit =
   * off} on PostgreSQL).
   */
  Connection connect() throws SQLException {
    if (config.isH2()) {
      Connection c = DriverManager.getConnection(config.effectiveUrl(), "sa", "");
      c.setAutoCommit(false);
      return c;
    }
    Connection c = DriverManager.getConnection(config.effectiveUrl(), "postgres", null);
    try (Statement s = c.createStatement()) {
      s.execute("SET synchronous_commit = off");
    }
    c.setAutoCommit(false);
    return c;
  }

  /** The binary column type of this database. */
  String binaryType() {
    return config.isH2() ? "VARBINARY" : "BYTEA";
  }

  void drop() {
    if (schema != null) {
      execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(PG_URL, "postgres", null);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e, e);
    }
  }
}
