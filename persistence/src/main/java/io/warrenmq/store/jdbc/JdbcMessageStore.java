package io.warrenmq.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.warrenmq.client.ExchangeSpec;
import io.warrenmq.client.Passwords;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.PermissionInfo;
import io.warrenmq.engine.PreparedBranch;
import io.warrenmq.engine.StoredBinding;
import io.warrenmq.engine.StoredDelayedMessage;
import io.warrenmq.engine.StoredEntry;
import io.warrenmq.engine.StoredMessage;
import io.warrenmq.engine.UserInfo;
import io.warrenmq.store.jdbc.internal.Codec;
import io.warrenmq.store.jdbc.internal.DataDirLock;
import io.warrenmq.store.jdbc.internal.EpochFence;
import io.warrenmq.store.jdbc.internal.GroupCommitWriter;
import io.warrenmq.store.jdbc.internal.Journal;
import io.warrenmq.store.jdbc.internal.JournalRecovery;
import io.warrenmq.store.jdbc.internal.MessageReader;
import io.warrenmq.store.jdbc.internal.Op;
import io.warrenmq.store.jdbc.internal.PostgresSettings;
import io.warrenmq.store.jdbc.internal.Schema;
import io.warrenmq.store.jdbc.internal.StoreState;
import io.warrenmq.store.jdbc.internal.Topology;
import io.warrenmq.store.jdbc.internal.WriteBarrierChannel;
import io.warrenmq.store.jdbc.internal.WriteBarrierFilePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The engine's durable {@link MessageStore} on JDBC (DESIGN.md "persistence"): an H2 file database
 * under a data directory by default, PostgreSQL through a JDBC URL. Use it as {@code new
 * Broker(config, JdbcMessageStore.open(JdbcStoreConfig.h2(dataDir), config.name()))}.
 *
 * <h2>What it does</h2>
 *
 * <ul>
 *   <li>Schema: created and upgraded by the store itself from versioned SQL scripts (see {@code
 *       schema/V1.sql} to {@code V8.sql}; an older database is upgraded in place at {@link #open});
 *       a newer or foreign schema is refused at {@link #open} with a message that says what to do.
 *   <li>Topology (virtual hosts, users with their password hashes and tags, permissions, exchanges,
 *       queues with arguments, bindings) through Hibernate ORM entities.
 *   <li>Messages (schema version 8), keyed by the queue's row id: a message held by one queue is
 *       one {@code warren_message} row (properties and body, {@code VARBINARY}/{@code BYTEA}) that
 *       carries its queue, position and delivered flag, so a publish is one insert and an ack one
 *       delete. Its id is made by the store from the queue and the position ({@link
 *       #messageIdFor}), so a queue's rows are one range of the primary key, in queue order, and
 *       the table has no other index. A message routed to several durable queues (passed to {@link
 *       #enqueue} within one {@link #beginUnitOfWork unit of work}) is one row plus one {@code
 *       warren_queue_entry} row per queue, and its row goes with its last entry.
 *   <li>Group commit: one writer thread {@code warren-store-<brokerName>} writes the net effect of
 *       the work of every channel in one JDBC transaction with batch statements (plain JDBC:
 *       measured faster than Hibernate's {@code StatelessSession}, docs/performance.md) and
 *       completes each caller's stage after the commit ({@link GroupCommitWriter}). No per-message
 *       commit, no timer.
 *   <li>Memory: nothing per stored entry. The writer keeps only per-batch state, the enqueues of
 *       units of work not written yet, at most about 10,000 delivered marks, and the queue ids;
 *       {@link #readEntries} reads a page as a range of the primary key, so a backlog of millions
 *       of messages costs disk, not heap.
 *   <li>Redelivered: delivered marks are kept by the writer and written when many accumulate and at
 *       {@link #close}, which records a clean shutdown. After a run that did not close cleanly (a
 *       kill, a crash), every message stored then is reported {@code delivered} (its mark, or the
 *       ack that followed it, may not have been committed): a spurious {@code redelivered} rather
 *       than a missing one. One watermark per queue says which ({@code StoreState}).
 *   <li>Durability: see {@link JdbcStoreConfig.Durability}; {@code POWER_LOSS} (fsync before
 *       confirm) by default. A prepared XA branch, and the commit of one, are synced (fsync) before
 *       {@link #prepareBranch} or the unit of work that forgets it completes, whatever the
 *       durability. Many callers share one sync ({@link #statistics()} counts them).
 *   <li>Connections: a HikariCP pool of at most 4 (the writer holds one; topology, recovery and
 *       {@link #readEntries} use the others).
 *   <li>PostgreSQL maintenance: {@link #open} logs a WARNING if the server runs with {@code
 *       autovacuum} or {@code track_counts} off (nothing would vacuum or analyze the queue entry
 *       tables: they bloat and their statistics go stale), saying what to do.
 * </ul>
 *
 * <p>Prepared XA branches are kept in {@code warren_xa_branch} and {@code warren_xa_action} ({@link
 * #prepareBranch}; schema V4, V5 for rejected messages), written in the writer's transaction.
 *
 * <p>Persistent messages held by durable delayed exchanges are kept in {@code
 * warren_delayed_message} ({@link #storeDelayedMessage}; schema V6), written in the writer's
 * transaction and deleted in the unit of work that routes them when due.
 *
 * <p>Units of work ({@link #beginUnitOfWork}) cost one handle, one list and one future per unit;
 * nothing per operation beyond the operation itself.
 *
 * <p>Concurrency: thread-safe. The write methods queue work and return at once; {@link #recover}
 * and {@link #close} block.
 */
public final class JdbcMessageStore implements MessageStore {
  private static final System.Logger LOG = System.getLogger(JdbcMessageStore.class.getName());

  private final JdbcStoreConfig config;
  private final HikariDataSource dataSource;
  private final Topology topology;
  private final GroupCommitWriter writer;
  private final Map<Long, Long> redelivered; // watermarks by queue id (StoreState)
  private final EpochFence fence; // null without HA
  private final Path barrierFile; // null: no write barrier
  private final long barrierSyncsAtOpen;
  private volatile boolean closed;

  /**
   * The embedded store's journal capacity, bytes: 64 MiB (the system property {@code
   * warrenmq.store.journalCapacityBytes}, at least 4 MiB, lets tests make it wrap sooner). When a
   * record would pass it, the writer syncs the H2 file (a checkpoint) and the journal starts again
   * at offset 0.
   */
  private static long journalCapacityBytes() {
    return Long.getLong("warrenmq.store.journalCapacityBytes", 64L << 20);
  }

  /** The claim on {@code dataDir} (see {@link DataDirLock}); null for a JDBC URL. */
  private DataDirLock dataDirLock;

  private JdbcMessageStore(
      JdbcStoreConfig config,
      HikariDataSource dataSource,
      Topology topology,
      String brokerName,
      Map<Long, Long> redelivered,
      EpochFence fence,
      Journal journal,
      long journalSeq) {
    this.config = config;
    this.dataSource = dataSource;
    this.topology = topology;
    this.redelivered = redelivered;
    this.fence = fence;
    this.barrierFile = config.barrierFile();
    this.barrierSyncsAtOpen =
        barrierFile == null ? 0 : WriteBarrierChannel.barrierSyncs(barrierFile);
    this.writer =
        new GroupCommitWriter(
            brokerName,
            dataSource,
            topology,
            config.isH2(),
            config.durability() == JdbcStoreConfig.Durability.POWER_LOSS,
            config.maxBatchOperations(),
            config.maxBatchBytes(),
            fence,
            journal,
            journalSeq);
  }

  /** {@link #open(JdbcStoreConfig, String)} for a broker named {@code warren}. */
  public static JdbcMessageStore open(JdbcStoreConfig config) {
    return open(config, "warren");
  }

  /**
   * Opens (creating or upgrading its schema if needed) the store and starts its writer thread.
   *
   * @param config the settings, validated here
   * @param brokerName names the writer thread {@code warren-store-<brokerName>}
   * @throws IllegalArgumentException naming a wrong knob of {@code config}
   * @throws IllegalStateException if the database cannot be reached, or holds a schema that is
   *     newer or not WarrenMQ's (the message says what to do), or if {@code dataDir} is in use by
   *     another WarrenMQ broker, in this JVM or another process (the message names the directory
   *     and the holder's process id; the claim is an OS lock on {@code <dataDir>/warren.lock}, held
   *     until {@link #close} and released by the OS if the process dies)
   * @throws IllegalArgumentException also if an H2 {@code user} lacks the ADMIN right the fsync
   *     ({@code CHECKPOINT SYNC}) needs
   */
  public static JdbcMessageStore open(JdbcStoreConfig config, String brokerName) {
    return open(config, brokerName, null);
  }

  /**
   * Opens the store as {@link #open(JdbcStoreConfig, String)} does, for the live node of
   * shared-store high availability (README.md, "High availability"): every write transaction (group
   * commits, topology changes, the start-up and clean-shutdown records) first checks in the same
   * transaction that the store's lease epoch is still {@code lease}'s ({@code SELECT ... FOR SHARE}
   * of the lease row); if it is not, it rolls back, fails every caller of that transaction with
   * {@link StoreFencedException} (nothing is confirmed) and tells {@link HaLease#onFenced}'s
   * listener. The pool's connections also get {@code idle_in_transaction_session_timeout} = the
   * lease timeout, so that a frozen node's open transaction cannot hold the lease row's lock for
   * longer than that.
   *
   * @param lease the acquired lease, or null for no HA (then as {@link #open(JdbcStoreConfig,
   *     String)})
   * @throws IllegalArgumentException also if {@code lease} is given and the store is not PostgreSQL
   * @throws IllegalStateException also if {@code lease} was not acquired, or the epoch was taken
   *     over before the store was opened ({@link StoreFencedException})
   */
  public static JdbcMessageStore open(JdbcStoreConfig config, String brokerName, HaLease lease) {
    Objects.requireNonNull(config, "config").validate();
    Objects.requireNonNull(brokerName, "brokerName");
    if (lease != null && config.isH2()) {
      throw new IllegalArgumentException(
          "shared-store HA needs a PostgreSQL store (jdbcUrl jdbc:postgresql:...), not H2");
    }
    EpochFence fence = lease == null ? null : lease.fence();
    String where =
        config.dataDir() != null ? "in " + config.dataDir() : Passwords.mask(config.jdbcUrl());
    if (config.dataDir() != null) {
      try {
        Files.createDirectories(config.dataDir());
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "store dataDir " + config.dataDir() + " cannot be created: " + e, e);
      }
    }
    DataDirLock dirLock =
        config.dataDir() != null ? DataDirLock.acquire(config.dataDir(), brokerName) : null;
    HikariDataSource ds;
    try {
      ds = dataSource(config, brokerName, lease);
    } catch (RuntimeException e) {
      if (dirLock != null) {
        dirLock.close();
      }
      throw e;
    }
    return finishOpen(config, brokerName, ds, null, dirLock, fence, where);
  }

  /**
   * The part of {@link #open} that writes: schema, orphans, the start-up record, the writer. Closes
   * everything given on failure.
   *
   * @param topology built already (an HA backup's {@link Standby}), or null to build it here
   */
  private static JdbcMessageStore finishOpen(
      JdbcStoreConfig config,
      String brokerName,
      HikariDataSource ds,
      Topology topology,
      DataDirLock dirLock,
      EpochFence fence,
      String where) {
    Journal journal = null;
    try {
      Map<Long, Long> redelivered;
      long journalSeq = 0;
      try (Connection c = ds.getConnection()) {
        if (config.isH2()) {
          checkSyncAllowed(c, config);
        } else {
          PostgresSettings.warnIfUnmaintained(c, where);
        }
        Schema.migrate(c, config.isH2(), where);
        if (config.journalFile() != null) {
          journal = Journal.open(config.journalFile(), journalCapacityBytes());
          journalSeq = JournalRecovery.replay(c, journal, where);
        }
        if (fence != null) {
          c.setAutoCommit(false);
          fence.check(c); // the removal below commits under the lease row's lock
        }
        MessageReader.removeOrphans(c);
        if (fence != null) {
          fence.check(c);
        }
        redelivered = StoreState.opened(c, where);
        c.setAutoCommit(true);
        if (journal != null) {
          JournalRecovery.checkpoint(c); // the replayed records and the start-up's writes
          journal.reset();
        }
      }
      if (topology == null) {
        topology = new Topology(ds);
      }
      topology.fenceWith(fence);
      JdbcMessageStore store =
          new JdbcMessageStore(
              config, ds, topology, brokerName, redelivered, fence, journal, journalSeq);
      store.dataDirLock = dirLock;
      store.writer.start();
      LOG.log(System.Logger.Level.INFO, "message store opened: {0}", config);
      return store;
    } catch (SQLException | IOException | RuntimeException e) {
      if (topology != null) {
        topology.close();
      }
      if (journal != null) {
        try {
          journal.close();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
      }
      ds.close();
      if (dirLock != null) {
        dirLock.close();
      }
      if (e instanceof IllegalStateException ise) {
        throw ise;
      }
      if (e instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalStateException(
          "cannot open the message store " + where + ": " + Passwords.mask(e.toString()), e);
    }
  }

  /**
   * What an HA backup prepares while it waits, so that a takeover does not pay for it: the
   * connection pool and the Hibernate session factory of the store, and one read of the topology
   * (which prepares the queries of recovery). Writes nothing. {@link #open()} once the lease is
   * held does the rest of {@link JdbcMessageStore#open(JdbcStoreConfig, String, HaLease)}.
   *
   * <p>Thread-safety: one thread; {@link #open()} at most once, else {@link #close()}.
   */
  public static final class Standby implements AutoCloseable {
    private final JdbcStoreConfig config;
    private final String brokerName;
    private final HaLease lease;
    private HikariDataSource ds;
    private Topology topology;

    private Standby(JdbcStoreConfig config, String brokerName, HaLease lease) {
      this.config = config;
      this.brokerName = brokerName;
      this.lease = lease;
    }

    /**
     * Opens the store fenced by the lease, which must be acquired by now.
     *
     * @throws IllegalStateException as {@link JdbcMessageStore#open(JdbcStoreConfig, String,
     *     HaLease)}, or if called twice
     */
    public JdbcMessageStore open() {
      if (ds == null) {
        throw new IllegalStateException("the standby store was opened or closed already");
      }
      HikariDataSource pool = ds;
      Topology t = topology;
      ds = null;
      topology = null;
      return finishOpen(
          config, brokerName, pool, t, null, lease.fence(), Passwords.mask(config.jdbcUrl()));
    }

    /** Releases the pool and the session factory, if {@link #open()} did not take them. */
    @Override
    public void close() {
      if (topology != null) {
        topology.close();
        topology = null;
      }
      if (ds != null) {
        ds.close();
        ds = null;
      }
    }
  }

  /**
   * Prepares the store of an HA backup (see {@link Standby}); writes nothing.
   *
   * @param lease the node's lease, not acquired yet
   * @throws IllegalArgumentException naming a wrong knob, or for H2
   * @throws IllegalStateException if the database cannot be reached
   */
  public static Standby standby(JdbcStoreConfig config, String brokerName, HaLease lease) {
    Objects.requireNonNull(config, "config").validate();
    Objects.requireNonNull(brokerName, "brokerName");
    Objects.requireNonNull(lease, "lease");
    if (config.isH2()) {
      throw new IllegalArgumentException(
          "shared-store HA needs a PostgreSQL store (jdbcUrl jdbc:postgresql:...), not H2");
    }
    Standby standby = new Standby(config, brokerName, lease);
    standby.ds = dataSource(config, brokerName, lease);
    try {
      standby.topology = new Topology(standby.ds);
      // a dry read of the topology (small, read-only) prepares Hibernate's queries for recovery
      standby.topology.recover(
          new RecoveryHandler() {
            @Override
            public void exchange(String virtualHost, ExchangeSpec spec) {}

            @Override
            public void queue(String virtualHost, QueueSpec spec) {}

            @Override
            public void binding(StoredBinding binding) {}

            @Override
            public void queueEntries(
                String virtualHost, String queue, long entries, long bodyBytes, long lastSeq) {}

            @Override
            public void lastMessageId(long messageId) {}
          });
    } catch (RuntimeException e) {
      standby.close();
      throw new IllegalStateException(
          "cannot prepare the message store "
              + Passwords.mask(config.jdbcUrl())
              + ": "
              + Passwords.mask(e.toString()),
          e);
    }
    return standby;
  }

  /**
   * H2 runs {@code CHECKPOINT SYNC} to fsync (the journal's checkpoints, every XA branch record,
   * every batch under {@code POWER_LOSS} for an H2 JDBC URL), which needs the ADMIN right: refused
   * at open, not at the first prepare.
   */
  private static void checkSyncAllowed(Connection c, JdbcStoreConfig config) {
    try (java.sql.Statement s = c.createStatement()) {
      s.execute("CHECKPOINT SYNC");
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "store user '"
              + config.user()
              + "' cannot fsync the H2 database (CHECKPOINT SYNC needs the ADMIN right; the store"
              + " fsyncs each confirmed batch under durability POWER_LOSS and each prepared XA"
              + " branch always): use an H2 admin user (the embedded default sa is one): "
              + e.getMessage(),
          e);
    }
  }

  private static HikariDataSource dataSource(
      JdbcStoreConfig config, String brokerName, HaLease lease) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("warren-store-pool-" + brokerName);
    hc.setJdbcUrl(config.effectiveUrl());
    if (config.isH2()) {
      WriteBarrierFilePath.register();
      hc.setUsername(config.user() == null ? "sa" : config.user());
      hc.setPassword(config.password() == null ? "" : config.password());
    } else {
      hc.setUsername(config.user());
      hc.setPassword(config.password());
      hc.addDataSourceProperty("reWriteBatchedInserts", "true");
      hc.setConnectionInitSql(
          (config.durability() == JdbcStoreConfig.Durability.POWER_LOSS
                  ? "SET synchronous_commit = on"
                  : "SET synchronous_commit = off")
              + (lease == null
                  ? ""
                  : "; SET idle_in_transaction_session_timeout = "
                      + lease.config().leaseTimeoutMs()));
    }
    hc.setMaximumPoolSize(4);
    hc.setMinimumIdle(1);
    hc.setInitializationFailTimeout(3_000); // ms: a wrong URL fails start-up quickly
    try {
      return new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot connect to the message store database "
              + Passwords.mask(config.effectiveUrl())
              + ": "
              + Passwords.mask(e.toString()),
          e);
    }
  }

  /** The settings it was opened with. */
  public JdbcStoreConfig config() {
    return config;
  }

  /**
   * The syncs the H2 write barrier made for this store's file since {@link #open}, besides {@link
   * StoreStatistics#syncs()}: one before H2 overwrites freed space or rewrites its file header
   * after writes not yet synced ({@link WriteBarrierFilePath}). Only the embedded H2 database under
   * {@code POWER_LOSS} has the barrier; 0 otherwise. For tests and benchmarks; thread-safe.
   */
  public long barrierSyncs() {
    return barrierFile == null
        ? 0
        : WriteBarrierChannel.barrierSyncs(barrierFile) - barrierSyncsAtOpen;
  }

  /**
   * How many transactions the writer has committed since {@link #open} (for tests and monitoring:
   * with group commit it is far below the number of messages under load).
   */
  public long commitCount() {
    return writer.commitCount();
  }

  /**
   * The group-commit writer's counters since {@link #open}: commits, syncs (fsyncs) and their time,
   * batches and their sizes (operations per batch), for tests, benchmarks and metrics. Thread-safe;
   * each call takes a consistent snapshot (a few additions under a lock the writer takes once per
   * batch), cheap enough to poll every second.
   */
  public StoreStatistics statistics() {
    return writer.statistics();
  }

  /** {@link #statistics()} and the writer's batch time, as the engine's monitoring sees them. */
  @Override
  public StoreStats stats() {
    StoreStatistics s = writer.statistics();
    return new StoreStats(
        s.commits(),
        s.syncs(),
        s.syncNanos(),
        s.batches(),
        s.operations(),
        writer.batchNanos(),
        s.batchSizeCounts());
  }

  /**
   * The size of the embedded store's files, bytes: the H2 file {@code <dataDir>/warren.mv.db} plus,
   * under {@code POWER_LOSS}, the journal {@code <dataDir>/warren.journal} (grown in 4 MiB steps up
   * to 64 MiB, then reused); empty for a store given a JDBC URL (PostgreSQL's tables are its
   * server's to watch) or when the H2 file cannot be read. H2 appends a chunk per write and reuses
   * space only after its 45 s retention time, so this is larger than the messages held (README,
   * "Durable store"). Thread-safe; one or two {@code stat} calls.
   */
  @Override
  public OptionalLong fileBytes() {
    Path file = config.embeddedFile();
    if (file == null) {
      return OptionalLong.empty();
    }
    long bytes;
    try {
      bytes = Files.size(file);
    } catch (IOException e) {
      return OptionalLong.empty(); // not created yet, or gone: nothing to report
    }
    Path journal = config.journalFile();
    if (journal != null) {
      try {
        bytes += Files.size(journal);
      } catch (IOException e) {
        // not created yet: the H2 file alone
      }
    }
    return OptionalLong.of(bytes);
  }

  @Override
  public boolean isDurable() {
    return true;
  }

  private CompletionStage<Void> submit(Op op) {
    return writer.submit(op).future();
  }

  @Override
  public CompletionStage<Void> storeExchange(String virtualHost, ExchangeSpec spec) {
    return submit(new Op.TopologyOp(Topology.storeExchange(virtualHost, spec)));
  }

  @Override
  public CompletionStage<Void> deleteExchange(String virtualHost, String exchange) {
    return submit(new Op.TopologyOp(Topology.deleteExchange(virtualHost, exchange)));
  }

  @Override
  public CompletionStage<Void> storeQueue(String virtualHost, QueueSpec spec) {
    return submit(
        new Op.TopologyOp(
            Topology.storeQueue(virtualHost, spec),
            Op.Effect.QUEUE_STORED,
            virtualHost,
            spec.name()));
  }

  @Override
  public CompletionStage<Void> deleteQueue(String virtualHost, String queue) {
    return submit(
        new Op.TopologyOp(
            Topology.deleteQueue(virtualHost, queue), Op.Effect.QUEUE_DELETED, virtualHost, queue));
  }

  @Override
  public CompletionStage<Void> storeBinding(StoredBinding binding) {
    return submit(new Op.TopologyOp(Topology.storeBinding(binding)));
  }

  @Override
  public CompletionStage<Void> deleteBinding(StoredBinding binding) {
    return submit(new Op.TopologyOp(Topology.deleteBinding(binding)));
  }

  @Override
  public CompletionStage<Void> storeVirtualHost(String virtualHost) {
    return submit(new Op.TopologyOp(Topology.storeVirtualHost(virtualHost)));
  }

  @Override
  public CompletionStage<Void> deleteVirtualHost(String virtualHost) {
    return submit(
        new Op.TopologyOp(
            Topology.deleteVirtualHost(virtualHost), Op.Effect.VHOST_DELETED, virtualHost, null));
  }

  @Override
  public CompletionStage<Void> storeUser(UserInfo user) {
    return submit(new Op.TopologyOp(Topology.storeUser(user)));
  }

  @Override
  public CompletionStage<Void> deleteUser(String user) {
    return submit(new Op.TopologyOp(Topology.deleteUser(user)));
  }

  @Override
  public CompletionStage<Void> storePermission(PermissionInfo permission) {
    return submit(new Op.TopologyOp(Topology.storePermission(permission)));
  }

  @Override
  public CompletionStage<Void> deletePermission(String user, String virtualHost) {
    return submit(new Op.TopologyOp(Topology.deletePermission(user, virtualHost)));
  }

  @Override
  public CompletionStage<Void> enqueue(
      String virtualHost, String queue, long seq, StoredMessage message) {
    byte[] properties;
    try {
      properties = Codec.encode(message.properties());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e); // this message only: nothing else is affected
    }
    return submit(new Op.Enqueue(virtualHost, queue, seq, message, properties));
  }

  @Override
  public CompletionStage<Void> dequeue(String virtualHost, String queue, long messageId) {
    return submit(new Op.Settle(virtualHost, queue, messageId, false));
  }

  @Override
  public CompletionStage<Void> markDelivered(String virtualHost, String queue, long messageId) {
    return submit(new Op.Settle(virtualHost, queue, messageId, true));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One statement per table whatever the number of entries ({@code DELETE ... WHERE queue_id = ?
   * AND seq > ?}), written in order with the other operations: entries enqueued before this call
   * (also those of a unit of work still open on another thread) are removed, later ones are not.
   */
  @Override
  public CompletionStage<Void> dequeueAfter(String virtualHost, String queue, long afterSeq) {
    return submit(new Op.DequeueAfter(virtualHost, queue, afterSeq, Long.MAX_VALUE));
  }

  /**
   * {@inheritDoc}
   *
   * <p>As {@link #dequeueAfter}, with {@code AND seq < ?}.
   */
  @Override
  public CompletionStage<Void> dequeueRange(
      String virtualHost, String queue, long afterSeq, long beforeSeq) {
    return submit(new Op.DequeueAfter(virtualHost, queue, afterSeq, beforeSeq));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Written by the writer in the transaction of its batch ({@code warren_xa_branch}, {@code
   * warren_xa_action}); a branch written again with the same Xid replaces the earlier one.
   */
  @Override
  public CompletionStage<Void> prepareBranch(PreparedBranch branch) {
    return submit(new Op.PrepareBranch(branch));
  }

  @Override
  public CompletionStage<Void> forgetBranch(
      int formatId, byte[] globalTransactionId, byte[] branchQualifier) {
    return submit(new Op.ForgetBranch(formatId, globalTransactionId, branchQualifier));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One {@code warren_delayed_message} row (schema version 6), written by the writer in the
   * transaction of its batch, at the store's durability ({@link JdbcStoreConfig.Durability}).
   */
  @Override
  public CompletionStage<Void> storeDelayedMessage(StoredDelayedMessage message) {
    byte[] properties;
    try {
      properties = Codec.encode(message.message().properties());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return submit(new Op.StoreDelayed(message, properties));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The unit's operations are queued to the writer as one element when it commits, and written
   * in the writer's transaction of that batch. Its enqueues are made known to the writer as they
   * are added (a dequeue or delivered mark issued on another thread before the commit is then
   * applied after them). A message enqueued to several queues in a row is encoded once.
   */
  @Override
  public UnitOfWork beginUnitOfWork() {
    return new Unit();
  }

  /** {@link MessageStore.UnitOfWork} of this store. Not thread-safe (one thread at a time). */
  private final class Unit implements UnitOfWork {
    private final List<Op> ops = new ArrayList<>(4);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private RuntimeException failure; // an operation that could not be taken: nothing is written
    private long firstMadeId; // the first queue-made id enqueued, 0 if none
    private java.util.Set<Long> madeIds; // the queue-made ids enqueued, from the second one on
    private boolean committed;

    private void add(Op op) {
      if (committed) {
        throw new IllegalStateException("the unit of work was committed");
      }
      ops.add(op);
    }

    @Override
    public CompletionStage<Void> enqueue(
        String virtualHost, String queue, long seq, StoredMessage message) {
      if (committed) {
        throw new IllegalStateException("the unit of work was committed");
      }
      byte[] properties = null;
      if (!ops.isEmpty() && ops.get(ops.size() - 1) instanceof Op.Enqueue previous) {
        properties = previous.encodedPropertiesOf(message); // the same message, another queue
      }
      if (properties == null && failure == null) {
        try {
          properties = Codec.encode(message.properties());
        } catch (RuntimeException e) {
          failure = e; // fails the whole unit at commit
        }
      }
      if (failure == null && madeIdOfAnotherEnqueue(message.messageId())) {
        failure =
            new IllegalArgumentException(
                "message id "
                    + message.messageId()
                    + " was made by the store for one queue (messageIdFor) and is enqueued to"
                    + " queue '"
                    + queue
                    + "' in virtual host '"
                    + virtualHost
                    + "' as well, in one unit of work: a message routed to several queues takes"
                    + " one id of the broker's counter");
      }
      if (failure == null) {
        Op.Enqueue e = new Op.Enqueue(virtualHost, queue, seq, message, properties);
        add(e);
        writer.opened(e);
      }
      return done;
    }

    /**
     * Whether {@code messageId} is a queue-made id that an earlier enqueue of this unit used: a
     * shared message must have a counter id, since a queue's range of the primary key holds only
     * that queue's own rows ({@link #messageIdFor}). Allocates nothing for a unit with one such
     * enqueue.
     */
    private boolean madeIdOfAnotherEnqueue(long messageId) {
      if (messageId < io.warrenmq.store.jdbc.internal.MessageIds.QUEUE_MADE) {
        return false;
      }
      if (firstMadeId == 0) {
        firstMadeId = messageId;
        return false;
      }
      if (madeIds == null) {
        madeIds = new java.util.HashSet<>();
        madeIds.add(firstMadeId);
      }
      return !madeIds.add(messageId);
    }

    @Override
    public void dequeue(String virtualHost, String queue, long messageId) {
      add(new Op.Settle(virtualHost, queue, messageId, false));
    }

    @Override
    public void dequeueRange(String virtualHost, String queue, long afterSeq, long beforeSeq) {
      add(new Op.DequeueAfter(virtualHost, queue, afterSeq, beforeSeq));
    }

    @Override
    public CompletionStage<Void> storeDelayedMessage(StoredDelayedMessage message) {
      if (committed) {
        throw new IllegalStateException("the unit of work was committed");
      }
      if (failure == null) {
        try {
          add(new Op.StoreDelayed(message, Codec.encode(message.message().properties())));
        } catch (RuntimeException e) {
          failure = e; // fails the whole unit at commit
        }
      }
      return done;
    }

    @Override
    public void deleteDelayedMessage(String virtualHost, long messageId) {
      add(new Op.DeleteDelayed(messageId));
    }

    @Override
    public void forgetBranch(int formatId, byte[] globalTransactionId, byte[] branchQualifier) {
      add(new Op.ForgetBranch(formatId, globalTransactionId, branchQualifier));
    }

    @Override
    public CompletionStage<Void> commit() {
      if (committed) {
        throw new IllegalStateException("the unit of work was committed already");
      }
      committed = true;
      if (failure != null) {
        writer.abandoned(ops);
        done.completeExceptionally(failure);
      } else if (ops.isEmpty()) {
        done.complete(null);
      } else {
        writer.submit(new Op.Unit(ops, done));
      }
      return done;
    }
  }

  @Override
  public void recover(RecoveryHandler handler) {
    topology.recover(handler);
    long count;
    long delayed;
    long lastId;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      count = MessageReader.recoverQueues(c, handler);
      for (PreparedBranch b : MessageReader.preparedBranches(c)) {
        handler.preparedBranch(b);
      }
      delayed = MessageReader.recoverDelayed(c, handler);
      lastId = MessageReader.lastMessageId(c);
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot recover the message store: " + e, e);
    }
    handler.lastMessageId(lastId);
    LOG.log(
        System.Logger.Level.INFO,
        "message store: {0} queue entries and {1} delayed messages recovered",
        count,
        delayed);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A queue-made id ({@code 2^62 | warren_queue.id << 40 | seq}, see {@code
   * internal.MessageIds}) once the writer has looked the queue's id up, which it does at start-up
   * and when it first writes to a queue stored later: a new queue's first messages take global ids
   * and are written as shared ones. Non-blocking: a lookup in the writer's cache.
   *
   * <p>Such an id names one queue's message: a unit of work that enqueues it to a second queue
   * fails at commit with {@link IllegalArgumentException} naming the id and the queue, and writes
   * nothing (a message routed to several queues takes one id of the broker's counter).
   */
  @Override
  public long messageIdFor(String virtualHost, String queue, long seq) {
    return writer.queueMadeId(virtualHost, queue, seq);
  }

  /**
   * {@inheritDoc}
   *
   * <p>An entry is {@code delivered} if a delivered mark was recorded for it (written or still held
   * by the writer), or if it was stored when the store opened after a run that did not close
   * cleanly. Reads a range of the primary key (the queue's queue-made ids) and one of the {@code
   * (queue_id, seq)} index of the shared entries: the cost of a page does not grow with the
   * backlog. On PostgreSQL the page's transaction turns sorting and parallel workers off ({@code
   * SET LOCAL}), so that stale table statistics cannot turn the page into a sort of the whole rest
   * of the queue (see {@code MessageReader}).
   */
  @Override
  public List<StoredEntry> readEntries(
      String virtualHost, String queue, long afterSeq, int maxEntries, long maxBytes) {
    if (maxEntries < 1 || maxBytes < 1) {
      throw new IllegalArgumentException(
          "maxEntries and maxBytes must be >= 1, were " + maxEntries + " and " + maxBytes);
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
      List<StoredEntry> out =
          MessageReader.readEntries(
              c,
              config.isH2(),
              virtualHost,
              queue,
              afterSeq,
              maxEntries,
              maxBytes,
              redelivered,
              writer.deliveredMarks());
      c.commit();
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read queue '" + queue + "' in vhost '" + virtualHost + "' from the store: " + e,
          e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One primary-key lookup per message (inline row, else shared entry); {@code delivered} as in
   * {@link #readEntries}.
   */
  @Override
  public List<StoredEntry> readEntriesById(
      String virtualHost, String queue, java.util.Collection<Long> messageIds) {
    if (messageIds.isEmpty()) {
      return List.of();
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      List<StoredEntry> out =
          MessageReader.readEntriesById(
              c, virtualHost, queue, messageIds, redelivered, writer.deliveredMarks());
      c.commit();
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read messages of queue '"
              + queue
              + "' in vhost '"
              + virtualHost
              + "' from the store: "
              + e,
          e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!writer.close(GroupCommitWriter.defaultCloseTimeoutMs())) {
        LOG.log(
            System.Logger.Level.WARNING,
            "message store writer did not finish within 30 s; closing the database anyway (the"
                + " next start delivers every stored message as redelivered)");
      } else if (writer.closedCleanly()) {
        StoreState.closedCleanly(dataSource, fence);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    topology.close();
    dataSource.close();
    if (dataDirLock != null) {
      dataDirLock.close(); // after the database: the next broker may open it at once
    }
  }
}
