package io.warrenmq.store.jdbc;

import io.warrenmq.engine.UserInfo;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Read-only look-up of a user stored in a store's database (table {@code warren_user}), for a
 * process that has no broker on it: the management listener of a shared-store HA backup
 * authenticates its users with it (README.md, "High availability"). Writes nothing.
 *
 * <p>Thread-safety: thread-safe; each call opens and closes one connection (logins on a backup are
 * rare).
 */
public final class StoredUsers {
  private static final System.Logger LOG = System.getLogger(StoredUsers.class.getName());

  private StoredUsers() {}

  /**
   * The stored user of that name.
   *
   * @param config the store (a JDBC URL; an H2 data directory is opened by its broker alone)
   * @return the user with its hash and tags; empty if unknown or if the database cannot be read
   *     (logged at DEBUG)
   */
  public static Optional<UserInfo> find(JdbcStoreConfig config, String name) {
    Objects.requireNonNull(config, "config");
    if (name == null || name.isEmpty() || config.jdbcUrl() == null) {
      return Optional.empty();
    }
    try (Connection c =
            DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
        PreparedStatement p =
            c.prepareStatement(
                "SELECT password_hash, hashing_algorithm, tags FROM warren_user WHERE name = ?")) {
      p.setString(1, name);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String tags = rs.getString(3);
        return Optional.of(
            new UserInfo(
                name,
                rs.getString(1),
                rs.getString(2),
                tags == null || tags.isEmpty()
                    ? java.util.List.of()
                    : Arrays.asList(tags.split(","))));
      }
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.DEBUG, "cannot read stored user " + name, e);
      return Optional.empty();
    }
  }
}
