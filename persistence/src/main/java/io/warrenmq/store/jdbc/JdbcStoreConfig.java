package io.warrenmq.store.jdbc;

import io.warrenmq.client.Passwords;
import io.warrenmq.store.jdbc.internal.Journal;
import io.warrenmq.store.jdbc.internal.WriteBarrierFilePath;
import java.nio.file.Path;

/**
 * The settings of a {@link JdbcMessageStore}. Every knob has a working default (README.md, "The
 * durable store"); {@link #validate()} (called by {@link JdbcMessageStore#open}) names the knob
 * that is wrong.
 *
 * @param dataDir directory of the default embedded H2 database ({@code <dataDir>/warren.mv.db});
 *     created if absent. Exactly one of {@code dataDir} and {@code jdbcUrl} is set.
 * @param jdbcUrl a JDBC URL instead of the H2 default: {@code jdbc:postgresql://host:port/db} (the
 *     production setting) or {@code jdbc:h2:...}
 * @param user database user, may be null (H2 default: {@code sa})
 * @param password database password, may be null
 * @param durability which failures a confirmed message survives; default {@link
 *     Durability#POWER_LOSS} (fsync before confirm)
 * @param maxBatchOperations the most operations (enqueues, acks, ...) one group commit writes;
 *     1-100,000, default 5,000
 * @param maxBatchBytes the most message body bytes one group commit writes (a single larger message
 *     is still written, alone); 64 KiB - 1 GiB, default 16 MiB
 */
public record JdbcStoreConfig(
    Path dataDir,
    String jdbcUrl,
    String user,
    String password,
    Durability durability,
    int maxBatchOperations,
    long maxBatchBytes) {

  /** Base name of the embedded H2 database under {@link #dataDir()}. */
  private static final String H2_NAME = "warren";

  /** Default of {@link #maxBatchOperations()}. */
  public static final int DEFAULT_MAX_BATCH_OPERATIONS = 5_000;

  /** Default of {@link #maxBatchBytes()}: 16 MiB. */
  public static final long DEFAULT_MAX_BATCH_BYTES = 16L << 20;

  /**
   * What a confirmed (committed) message survives. "Confirmed" is every completion the store gives
   * back: a persistent {@code send} returning, a publisher confirm, a transaction's commit, an ack.
   * Whatever the setting, a prepared XA branch is on disk (synced) before {@code prepare} returns,
   * and so is the commit of a prepared branch: a branch the transaction manager was told is
   * prepared must not be lost by a power cut (a mixed outcome). Many concurrent callers share one
   * sync (group commit, {@link JdbcMessageStore#statistics()}).
   */
  public enum Durability {
    /**
     * Explicit opt-in, faster, and NOT safe against a power loss or an operating-system crash: each
     * group commit reaches the operating system (its page cache) before it is confirmed, without
     * waiting for the disk. Survives a killed or crashed JVM (SIGKILL, OOM, {@code halt}). Risk: a
     * power cut, kernel panic or VM host failure loses what the OS had not yet written back: on
     * Linux up to about the last 30 s of confirmed messages, acks and topology changes ({@code
     * vm.dirty_expire_centisecs}): confirmed messages disappear, acknowledged ones come back. H2:
     * each commit written to the file ({@code WRITE_DELAY=0}), no fsync; PostgreSQL: {@code
     * synchronous_commit = off} (the server's WAL writer flushes within 3 x {@code
     * wal_writer_delay}, 600 ms by default; a crash of the PostgreSQL server or its machine may
     * lose those). Prepared XA branches are synced anyway.
     */
    PROCESS_CRASH,
    /**
     * The default: also a power loss or operating-system crash. Each group commit is on the disk
     * before it is confirmed (fsync before confirm, as RabbitMQ's publisher confirms and Artemis's
     * journal with {@code journal-sync-transactional}/{@code -non-transactional} on). H2: one
     * {@code CHECKPOINT SYNC} (one {@code fsync} of the database file) per batch; PostgreSQL:
     * {@code synchronous_commit = on} (the server flushes its WAL before the commit returns; needs
     * the server's own {@code fsync = on}). Costs one sync per batch (docs/performance.md, "Group
     * commit batch sizes").
     */
    POWER_LOSS
  }

  /**
   * The default store: an H2 file database under {@code dataDir}, default settings (durability
   * {@link Durability#POWER_LOSS}).
   */
  public static JdbcStoreConfig h2(Path dataDir) {
    return new JdbcStoreConfig(
        dataDir,
        null,
        null,
        null,
        Durability.POWER_LOSS,
        DEFAULT_MAX_BATCH_OPERATIONS,
        DEFAULT_MAX_BATCH_BYTES);
  }

  /**
   * A store on a database given by its JDBC URL, default settings (durability {@link
   * Durability#POWER_LOSS}).
   */
  public static JdbcStoreConfig jdbc(String jdbcUrl, String user, String password) {
    return new JdbcStoreConfig(
        null,
        jdbcUrl,
        user,
        password,
        Durability.POWER_LOSS,
        DEFAULT_MAX_BATCH_OPERATIONS,
        DEFAULT_MAX_BATCH_BYTES);
  }

  /** A copy with another {@link #durability()}. */
  public JdbcStoreConfig withDurability(Durability value) {
    return new JdbcStoreConfig(
        dataDir, jdbcUrl, user, password, value, maxBatchOperations, maxBatchBytes);
  }

  /** A copy with other batch limits. */
  public JdbcStoreConfig withBatchLimits(int operations, long bytes) {
    return new JdbcStoreConfig(dataDir, jdbcUrl, user, password, durability, operations, bytes);
  }

  /**
   * Checks every knob.
   *
   * @throws IllegalArgumentException naming the first wrong knob and what it accepts
   */
  public void validate() {
    boolean hasUrl = jdbcUrl != null && !jdbcUrl.isBlank();
    if ((dataDir == null) == !hasUrl) {
      throw new IllegalArgumentException(
          "store: set exactly one of dataDir (embedded H2) and jdbcUrl, was dataDir="
              + dataDir
              + ", jdbcUrl="
              + Passwords.mask(jdbcUrl));
    }
    if (hasUrl && !jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "store jdbcUrl must start with jdbc:postgresql: or jdbc:h2:, was '"
              + Passwords.mask(jdbcUrl)
              + "'");
    }
    if (durability == null) {
      throw new IllegalArgumentException(
          "store durability must be PROCESS_CRASH or POWER_LOSS, was null");
    }
    if (maxBatchOperations < 1 || maxBatchOperations > 100_000) {
      throw new IllegalArgumentException(
          "store maxBatchOperations must be between 1 and 100000, was " + maxBatchOperations);
    }
    if (maxBatchBytes < 64 * 1024 || maxBatchBytes > 1L << 30) {
      throw new IllegalArgumentException(
          "store maxBatchBytes must be between 65536 and 1073741824 (1 GiB), was " + maxBatchBytes);
    }
  }

  /** Whether the database is H2 (embedded default or an H2 URL). */
  boolean isH2() {
    return dataDir != null || jdbcUrl.startsWith("jdbc:h2:");
  }

  /**
   * The embedded H2 database's file ({@code <dataDir>/warren.mv.db}, whatever the durability); null
   * for a store given a JDBC URL (PostgreSQL, or an H2 database the URL names).
   */
  Path embeddedFile() {
    return dataDir == null ? null : Path.of(h2Name() + ".mv.db");
  }

  /**
   * The file the embedded H2 database writes through the {@link WriteBarrierFilePath write
   * barrier}, for counting the barrier's syncs; null when there is no barrier ({@code
   * PROCESS_CRASH}, or a JDBC URL).
   */
  Path barrierFile() {
    return writesThroughBarrier() ? embeddedFile() : null;
  }

  /**
   * The embedded store's write-ahead journal ({@code <dataDir>/warren.journal}, see {@code
   * internal.Journal}): under {@link Durability#POWER_LOSS} a confirmed batch is made durable by
   * one {@code fdatasync} of the journal, and the H2 file is synced at checkpoints. Null without
   * one ({@code PROCESS_CRASH}, or a JDBC URL).
   */
  Path journalFile() {
    return writesThroughBarrier() ? dataDir.toAbsolutePath().resolve(Journal.FILE_NAME) : null;
  }

  /**
   * How long H2 may hold committed pages in memory before its background thread writes them when
   * the journal makes the commits durable, ms ({@code WRITE_DELAY}): by default {@link
   * Integer#MAX_VALUE}, that is never. H2 2.3.232 then writes its file only on the thread that
   * commits: at the end of a transaction once its unsaved pages pass three quarters of its page
   * buffer and no transaction is open, inside a transaction that alone outgrows the buffer (H2's
   * usual path for large transactions: the open transaction is rolled back at reopen), and at the
   * writer's checkpoints ({@code CHECKPOINT SYNC}). It never writes while another thread commits:
   * with a delay (H2's default is 500) its background thread wrote the database while the writer's
   * transaction committed, and after a SIGKILL H2 reopened with half of that transaction applied,
   * either its rows without the journal mark or the mark without its rows (ServerKillTest, 7 Dec
   * 2026: 469 confirmed messages lost), which the replay cannot repair. 0 (each commit written to
   * the file by the committing thread, as under {@code PROCESS_CRASH}) is also safe and costs a
   * chunk write per group commit (docs/performance.md, "H2 writing between transactions only").
   * Overridden by the system property {@code warrenmq.store.h2WriteDelayMs}, for measurements.
   */
  private static int h2WriteDelayMs() {
    return Integer.getInteger("warrenmq.store.h2WriteDelayMs", Integer.MAX_VALUE);
  }

  private boolean writesThroughBarrier() {
    return dataDir != null && durability == Durability.POWER_LOSS;
  }

  /** The embedded database's name for H2: its file without {@code .mv.db}. */
  private Path h2Name() {
    return dataDir.toAbsolutePath().resolve(H2_NAME);
  }

  /**
   * The JDBC URL to connect to. Under {@link Durability#PROCESS_CRASH} the embedded H2 database
   * writes each commit to the file ({@code WRITE_DELAY=0}, not synced); under {@link
   * Durability#POWER_LOSS} the {@link #journalFile() journal} makes commits durable (one {@code
   * fdatasync}), H2 writes its pages only when its buffer fills or at a checkpoint ({@link
   * #h2WriteDelayMs()}) and the H2 file is synced at checkpoints. Under {@code POWER_LOSS} it is
   * opened through the {@link WriteBarrierFilePath write barrier}, which keeps a power loss from
   * damaging the file when H2 reuses freed space or rewrites its header. H2's {@code
   * RETENTION_TIME} stays at its default (45 s): a shorter one would make small commits faster
   * (docs/performance.md, "H2's retention time"), but at 0 H2 2.3.232 frees chunks still in use (a
   * store reopened after a clean close missed committed rows in 4 to 9 of 40 runs), and what makes
   * a short positive value safe is not known. An H2 {@link #jdbcUrl()} is used as given.
   */
  String effectiveUrl() {
    if (dataDir != null) {
      String scheme = writesThroughBarrier() ? WriteBarrierFilePath.SCHEME : "file";
      int writeDelay = journalFile() != null ? h2WriteDelayMs() : 0;
      return "jdbc:h2:"
          + scheme
          + ":"
          + h2Name()
          + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY="
          + writeDelay;
    }
    return jdbcUrl;
  }

  @Override
  public String toString() {
    // never print the password, nor one inside the JDBC URL
    return "JdbcStoreConfig[dataDir="
        + dataDir
        + ", jdbcUrl="
        + Passwords.mask(jdbcUrl)
        + ", user="
        + user
        + ", durability="
        + durability
        + ", maxBatchOperations="
        + maxBatchOperations
        + ", maxBatchBytes="
        + maxBatchBytes
        + "]";
  }
}
