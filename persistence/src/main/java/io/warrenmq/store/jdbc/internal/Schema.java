package io.warrenmq.store.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates and upgrades the store's schema from the versioned SQL scripts {@code schema/V<n>.sql}
 * (never Hibernate's {@code hbm2ddl}), and refuses a database whose schema it does not know.
 *
 * <p>The version lives in the one row of {@code warren_schema_version}. At start-up: no {@code
 * warren_*} table at all creates the schema; a known older version runs the upgrade scripts in
 * order, each in one transaction; a newer version, a missing version row or {@code warren_*} tables
 * without a version table are refused with a message that says what to do.
 *
 * <p>Not thread-safe; called once, at start-up.
 */
public final class Schema {
  /** The schema version this code reads and writes. */
  public static final int CURRENT_VERSION = 9;

  private static final System.Logger LOG = System.getLogger(Schema.class.getName());

  private Schema() {}

  /**
   * Makes sure the database holds the current schema.
   *
   * @param h2 whether the database is H2 (else PostgreSQL)
   * @param where the database, for messages (URL or data directory)
   * @throws IllegalStateException if the schema is newer or not WarrenMQ's
   */
  public static void migrate(Connection c, boolean h2, String where) throws SQLException {
    if (h2) {
      migrateAlone(c, true, where); // one broker per H2 database (DataDirLock)
      return;
    }
    // PostgreSQL: brokers that start together on one database (an HA live node and its backups)
    // take turns, so that two of them never create or upgrade the schema at the same time. A
    // session lock, released below or by the server when the connection ends.
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_lock(" + ADVISORY_KEY + ")");
    }
    try {
      migrateAlone(c, false, where);
    } finally {
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_unlock(" + ADVISORY_KEY + ")");
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
  }

  /** The key of the schema's advisory lock: one per database schema. */
  private static final String ADVISORY_KEY =
      "hashtext('warrenmq.schema.' || COALESCE(current_schema(), ''))";

  private static void migrateAlone(Connection c, boolean h2, String where) throws SQLException {
    Set<String> tables = warrenTables(c);
    int version;
    if (tables.isEmpty()) {
      version = 0;
    } else if (!tables.contains("warren_schema_version")) {
      throw new IllegalStateException(
          "the store database "
              + where
              + " has WarrenMQ tables "
              + tables
              + " but no warren_schema_version table: it is corrupt or was not created by"
              + " WarrenMQ. Restore it from a backup, or point the store at an empty database.");
    } else {
      version = readVersion(c, where);
    }
    if (version > CURRENT_VERSION) {
      throw new IllegalStateException(
          "the store database "
              + where
              + " has schema version "
              + version
              + ", newer than this WarrenMQ supports ("
              + CURRENT_VERSION
              + "): run a WarrenMQ release that supports it, or point the store at another"
              + " database.");
    }
    for (int v = version + 1; v <= CURRENT_VERSION; v++) {
      apply(c, v, h2);
      LOG.log(
          System.Logger.Level.INFO,
          "store database {0}: schema {1} version {2}",
          where,
          v == 1 ? "created at" : "upgraded to",
          v);
    }
  }

  /** The schema version stored in the database, 0 if it has no WarrenMQ tables. */
  public static int version(Connection c) throws SQLException {
    return warrenTables(c).contains("warren_schema_version") ? readVersion(c, "") : 0;
  }

  private static int readVersion(Connection c, String where) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM warren_schema_version WHERE id = 1")) {
      if (!rs.next()) {
        throw new IllegalStateException(
            "the store database "
                + where
                + " has no row in warren_schema_version: it is corrupt. Restore it from a backup,"
                + " or point the store at an empty database.");
      }
      return rs.getInt(1);
    } finally {
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
  }

  private static Set<String> warrenTables(Connection c) throws SQLException {
    Set<String> found = new TreeSet<>();
    try (ResultSet rs =
        c.getMetaData().getTables(c.getCatalog(), c.getSchema(), null, new String[] {"TABLE"})) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
        if (name.startsWith("warren_")) {
          found.add(name);
        }
      }
    }
    return found;
  }

  private static void apply(Connection c, int version, boolean h2) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      for (String sql : statements(version, h2 ? "VARBINARY" : "BYTEA")) {
        s.execute(sql);
      }
      if (version == 1) {
        try (PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO warren_schema_version (id, version, description) VALUES (1, ?, ?)")) {
          p.setInt(1, version);
          p.setString(2, "WarrenMQ store schema");
          p.executeUpdate();
        }
      } else {
        try (PreparedStatement p =
            c.prepareStatement("UPDATE warren_schema_version SET version = ? WHERE id = 1")) {
          p.setInt(1, version);
          p.executeUpdate();
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /** The statements of script {@code V<version>.sql} for the dialect's binary type. */
  static List<String> statements(int version, String binaryType) {
    String name = "/io/warrenmq/store/jdbc/schema/V" + version + ".sql";
    String text;
    try (InputStream in = Schema.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("schema script " + name + " missing from the classpath");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read schema script " + name, e);
    }
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        out.add(sql.substring(0, sql.length() - 1).replace("${binary}", binaryType));
        current.setLength(0);
      }
    }
    return out;
  }
}
