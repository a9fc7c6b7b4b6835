package io.warrenmq.store.jdbc;

import io.warrenmq.client.Passwords;
import io.warrenmq.store.jdbc.internal.EpochFence;
import io.warrenmq.store.jdbc.internal.Schema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The lease of shared-store high availability (README.md, "High availability"; DESIGN.md "HA"): the
 * one row of {@code warren_ha_lease} (schema version 7) in the PostgreSQL store that several
 * brokers share, with an epoch that grows at each takeover. The broker that acquired the current
 * epoch is the live node; it renews the lease and opens its {@link JdbcMessageStore} fenced by the
 * epoch ({@link JdbcMessageStore#open(JdbcStoreConfig, String, HaLease)}). The others (backups)
 * {@link #read} the lease and decide when to {@link #acquire} it; that decision, the timing and the
 * halt belong to the caller (the standalone server's HA coordinator), this class is the SQL.
 *
 * <ul>
 *   <li>{@link #acquire}: {@code UPDATE warren_ha_lease SET epoch = epoch + 1, owner = ?,
 *       renew_count = 0, renewed_at = now() WHERE id = 1 AND epoch = ? AND renew_count = ?} with
 *       the pair the backup observed (so a live node that renewed meanwhile is not deposed), or
 *       {@code INSERT ... ON CONFLICT DO NOTHING} of epoch 1 into an empty table. One row written
 *       is success.
 *   <li>{@link #renew}: {@code UPDATE ... SET renew_count = renew_count + 1, renewed_at = now()
 *       WHERE id = 1 AND epoch = <mine>}; no row means a newer epoch exists.
 *   <li>{@link #release} at a clean stop (after the store closed): {@code owner = ''}, so that a
 *       backup takes over at once instead of after the lease timeout.
 * </ul>
 *
 * <p>Connection: one JDBC connection of its own (not the store's pool), opened again after a
 * failure, with the lease timeout as connect, socket, statement and lock timeout, so that no call
 * blocks much longer than the lease. Only PostgreSQL: H2 is one broker's embedded database.
 *
 * <p>Thread-safety: thread-safe; calls are serialized on the one connection.
 */
public final class HaLease implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HaLease.class.getName());

  /**
   * What a read of the lease row found.
   *
   * @param epoch the epoch, from 1
   * @param owner the node that acquired it, "" once released
   * @param renewCount renewals since the epoch began; a backup watches {@code (epoch, renewCount)}
   */
  public record State(long epoch, String owner, long renewCount) {
    /** Whether the live node released the lease at a clean stop. */
    public boolean released() {
      return owner.isEmpty();
    }
  }

  private final JdbcStoreConfig store;
  private final HaLeaseConfig config;
  private Connection connection; // guarded by this
  private volatile long epoch; // 0 until acquired
  private volatile Consumer<StoreFencedException> onFenced = e -> {};
  private volatile EpochFence fence;

  private HaLease(JdbcStoreConfig store, HaLeaseConfig config) {
    this.store = store;
    this.config = config;
  }

  /**
   * Connects to the store's database and makes sure its schema is current (creating or upgrading it
   * as {@link JdbcMessageStore#open} does, one broker at a time), so that the lease table exists.
   * Acquires nothing.
   *
   * @throws IllegalArgumentException if {@code store} is not PostgreSQL, or a knob is wrong
   * @throws IllegalStateException if the database cannot be reached or its schema is refused
   */
  public static HaLease open(JdbcStoreConfig store, HaLeaseConfig config) {
    Objects.requireNonNull(store, "store").validate();
    Objects.requireNonNull(config, "config").validate();
    if (store.isH2()) {
      throw new IllegalArgumentException(
          "shared-store HA needs a PostgreSQL store (jdbcUrl jdbc:postgresql:...), not H2");
    }
    HaLease lease = new HaLease(store, config);
    String where = Passwords.mask(store.jdbcUrl());
    // a connection without the lease's timeouts: an upgrade of a large database takes its time
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), credentials(store))) {
      Schema.migrate(c, false, where);
    } catch (SQLException | RuntimeException e) {
      lease.close();
      if (e instanceof IllegalStateException ise) {
        throw ise;
      }
      throw new IllegalStateException(
          "cannot open the HA lease in " + where + ": " + Passwords.mask(e.toString()), e);
    }
    return lease;
  }

  /** The settings. */
  public HaLeaseConfig config() {
    return config;
  }

  /** The epoch this node acquired, 0 before {@link #acquire} succeeded. */
  public long epoch() {
    return epoch;
  }

  /**
   * Who is told when a write of the store opened with this lease is refused because a newer epoch
   * exists (default: nobody). Set it before opening the store.
   */
  public void onFenced(Consumer<StoreFencedException> listener) {
    this.onFenced = Objects.requireNonNull(listener, "listener");
  }

  /** The lease row, or empty if there is none yet (no HA broker ever ran on this database). */
  public synchronized Optional<State> read() throws SQLException {
    try (Statement s = connection().createStatement();
        ResultSet rs =
            s.executeQuery("SELECT epoch, owner, renew_count FROM warren_ha_lease WHERE id = 1")) {
      return rs.next()
          ? Optional.of(new State(rs.getLong(1), rs.getString(2), rs.getLong(3)))
          : Optional.empty();
    } catch (SQLException | RuntimeException e) {
      dropConnection();
      throw e;
    }
  }

  /**
   * Takes over the lease from the state a backup observed (or creates it when there was none).
   * Waits for the live node's transactions in flight (their row lock) up to the lease timeout.
   *
   * @param observed what {@link #read} returned; the lease is taken only if the row still holds
   *     exactly that epoch and renew count
   * @return whether this node is now live; then {@link #epoch()} is the new epoch
   * @throws IllegalStateException if this lease was acquired already
   * @throws SQLException if the database fails (a lock timeout included): nothing was acquired
   */
  public synchronized boolean acquire(Optional<State> observed) throws SQLException {
    if (epoch != 0) {
      throw new IllegalStateException("the lease was acquired already (epoch " + epoch + ")");
    }
    Connection c = connection();
    try {
      long next;
      int rows;
      if (observed.isEmpty()) {
        next = 1;
        try (PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO warren_ha_lease (id, epoch, owner, renew_count, renewed_at)"
                    + " VALUES (1, 1, ?, 0, now()) ON CONFLICT (id) DO NOTHING")) {
          p.setString(1, config.nodeName());
          rows = p.executeUpdate();
        }
      } else {
        State seen = observed.get();
        next = seen.epoch() + 1;
        try (PreparedStatement p =
            c.prepareStatement(
                "UPDATE warren_ha_lease SET epoch = epoch + 1, owner = ?, renew_count = 0,"
                    + " renewed_at = now() WHERE id = 1 AND epoch = ? AND renew_count = ?")) {
          p.setString(1, config.nodeName());
          p.setLong(2, seen.epoch());
          p.setLong(3, seen.renewCount());
          rows = p.executeUpdate();
        }
      }
      if (rows == 1) {
        epoch = next;
        long mine = next;
        fence = new EpochFence(mine, e -> onFenced.accept(e));
        return true;
      }
      return false;
    } catch (SQLException | RuntimeException e) {
      dropConnection();
      throw e;
    }
  }

  /**
   * Renews the lease of this live node.
   *
   * @return false if a newer epoch exists (this node was deposed: it must stop at once)
   * @throws IllegalStateException if the lease was not acquired
   * @throws SQLException if the database fails (the caller retries, and stops when it could not
   *     renew for the lease timeout)
   */
  public synchronized boolean renew() throws SQLException {
    long mine = requireAcquired();
    try (PreparedStatement p =
        connection()
            .prepareStatement(
                "UPDATE warren_ha_lease SET renew_count = renew_count + 1, renewed_at = now()"
                    + " WHERE id = 1 AND epoch = ?")) {
      p.setLong(1, mine);
      return p.executeUpdate() == 1;
    } catch (SQLException | RuntimeException e) {
      dropConnection();
      throw e;
    }
  }

  /**
   * Gives the lease up at a clean stop, after the store of this node closed: the row keeps its
   * epoch with owner "", and a backup acquires it at its next read. Best effort: a failure is
   * logged (the backups then wait for the lease timeout).
   */
  public synchronized void release() {
    if (epoch == 0) {
      return;
    }
    try (PreparedStatement p =
        connection()
            .prepareStatement(
                "UPDATE warren_ha_lease SET owner = '', renewed_at = now()"
                    + " WHERE id = 1 AND epoch = ?")) {
      p.setLong(1, epoch);
      p.executeUpdate();
    } catch (SQLException | RuntimeException e) {
      dropConnection();
      LOG.log(
          System.Logger.Level.WARNING,
          "HA: could not release the lease (epoch {0}); a backup takes over after the lease"
              + " timeout instead: {1}",
          epoch,
          e.toString());
    }
  }

  /** The fencing of the store's writes by this node's epoch. */
  EpochFence fence() {
    requireAcquired();
    return fence;
  }

  private long requireAcquired() {
    long mine = epoch;
    if (mine == 0) {
      throw new IllegalStateException("the HA lease was not acquired");
    }
    return mine;
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Properties p = credentials(store);
      String seconds = Long.toString(Math.max(1, (config.leaseTimeoutMs() + 999) / 1000));
      p.setProperty("connectTimeout", seconds);
      p.setProperty("socketTimeout", seconds);
      p.setProperty("loginTimeout", seconds);
      p.setProperty("tcpKeepAlive", "true");
      p.setProperty("ApplicationName", "warrenmq-ha " + config.nodeName());
      Connection c = DriverManager.getConnection(store.jdbcUrl(), p);
      try (Statement s = c.createStatement()) {
        s.execute("SET lock_timeout = " + config.leaseTimeoutMs());
        s.execute("SET statement_timeout = " + config.leaseTimeoutMs());
        s.execute("SET synchronous_commit = on"); // a lease change is durable when it returns
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      connection = c;
    }
    return connection;
  }

  private static Properties credentials(JdbcStoreConfig store) {
    Properties p = new Properties();
    if (store.user() != null) {
      p.setProperty("user", store.user());
    }
    if (store.password() != null) {
      p.setProperty("password", store.password());
    }
    return p;
  }

  private void dropConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // it failed already; a new one is opened at the next call
      }
      connection = null;
    }
  }

  /** Closes the connection (does not release the lease: see {@link #release()}). */
  @Override
  public synchronized void close() {
    dropConnection();
  }
}
