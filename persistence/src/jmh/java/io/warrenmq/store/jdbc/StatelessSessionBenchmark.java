package io.warrenmq.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DESIGN.md asks for Hibernate {@code StatelessSession} or plain JDBC on the hot path, whichever is
 * measured faster. This writes the store's hot path both ways, into the store's own {@code
 * warren_message} table (schema version 3, created by opening a {@link JdbcMessageStore}): one op
 * is one 1 KB message row, in transactions of {@link #ROWS} rows as a busy group commit writes
 * them.
 *
 * <ul>
 *   <li>{@code insert*}: publishes, one insert per message (the table grows during an iteration
 *       and is emptied after it).
 *   <li>{@code insertAndDelete*}: a publish and its ack, the rows of one transaction deleted in the
 *       next one.
 * </ul>
 *
 * <p>{@code *Jdbc}: a {@code PreparedStatement} batch, as {@code MessageTables} writes. {@code
 * *StatelessSession}: {@code StatelessSession.insert}/{@code delete} of an entity mapped on the
 * same table, with {@code hibernate.jdbc.batch_size} = {@link #ROWS}. Both on one pooled
 * connection; {@code -p database=postgresql} for PostgreSQL ({@link BenchDatabases}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@State(Scope.Benchmark)
public class StatelessSessionBenchmark {
  static final int ROWS = 1000;
  static final byte[] BODY = new byte[1024];
  static final byte[] PROPERTIES = new byte[24];

  /** {@code h2} or {@code postgresql}. */
  @Param({"h2"})
  public String database;

  BenchDatabases db;
  HikariDataSource dataSource;
  SessionFactory sessions;
  long nextId;
  long queueId;

  /** The store's message row as a Hibernate entity (for this comparison only). */
  @Entity
  @Table(name = "warren_message")
  public static class MessageRow {
    @Id Long id;

    @Column(name = "queue_id")
    Long queueId;

    Long seq;
    boolean delivered;
    String exchange;

    @Column(name = "routing_key")
    String routingKey;

    byte[] properties;
    byte[] body;

    protected MessageRow() {}

    MessageRow(long id, long queueId) {
      this.id = id;
      this.queueId = queueId;
      this.seq = id;
      this.exchange = "";
      this.routingKey = "q";
      this.properties = PROPERTIES;
      this.body = BODY;
    }
  }

  @Setup(Level.Trial)
  public void open() throws Exception {
    db = new BenchDatabases(database);
    JdbcMessageStore.open(db.config, "schema").close(); // creates the schema
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(db.config.effectiveUrl());
    hc.setUsername(db.config.isH2() ? "sa" : "postgres");
    hc.setPassword(db.config.isH2() ? "" : null);
    hc.setMaximumPoolSize(1);
    hc.setAutoCommit(false);
    if (!db.config.isH2()) {
      hc.addDataSourceProperty("reWriteBatchedInserts", "true");
      hc.setConnectionInitSql("SET synchronous_commit = off"); // as the store's PROCESS_CRASH
    }
    dataSource = new HikariDataSource(hc);
    Configuration cfg = new Configuration().addAnnotatedClass(MessageRow.class);
    cfg.getProperties().put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource);
    cfg.setProperty(AvailableSettings.HBM2DDL_AUTO, "none");
    cfg.setProperty(AvailableSettings.STATEMENT_BATCH_SIZE, Integer.toString(ROWS));
    cfg.setProperty(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
    sessions = cfg.buildSessionFactory();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO warren_queue (vhost, name, auto_delete, arguments) VALUES"
          + " ('/', 'q', FALSE, " + (db.config.isH2() ? "X'00'" : "'\\x00'::bytea") + ")");
      try (var rs = s.executeQuery("SELECT id FROM warren_queue")) {
        rs.next();
        queueId = rs.getLong(1);
      }
      c.commit();
    }
  }

  @TearDown(Level.Iteration)
  public void empty() throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM warren_message");
      c.commit();
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    sessions.close();
    dataSource.close();
    db.drop();
  }

  private long insertJdbc(Connection c) throws Exception {
    long first = nextId + 1;
    try (MessageRowInsert insert = new MessageRowInsert(c)) {
      for (int i = 0; i < ROWS; i++) {
        insert.add(++nextId, queueId, "", "q", PROPERTIES, BODY);
      }
      insert.executeBatch();
    }
    c.commit();
    return first;
  }

  private long insertStateless(StatelessSession s) {
    long first = nextId + 1;
    Transaction tx = s.beginTransaction();
    for (int i = 0; i < ROWS; i++) {
      s.insert(new MessageRow(++nextId, queueId));
    }
    tx.commit();
    return first;
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void insertJdbc() throws Exception {
    try (Connection c = dataSource.getConnection()) {
      insertJdbc(c);
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void insertStatelessSession() {
    try (StatelessSession s = sessions.openStatelessSession()) {
      insertStateless(s);
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void insertAndDeleteJdbc() throws Exception {
    try (Connection c = dataSource.getConnection()) {
      long first = insertJdbc(c);
      try (PreparedStatement p =
          c.prepareStatement("DELETE FROM warren_message WHERE id = ? AND COALESCE(queue_id, 0) = ?")) {
        for (long id = first; id < first + ROWS; id++) {
          p.setLong(1, id);
          p.setLong(2, queueId);
          p.addBatch();
        }
        p.executeBatch();
      }
      c.commit();
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void insertAndDeleteStatelessSession() {
    try (StatelessSession s = sessions.openStatelessSession()) {
      long first = insertStateless(s);
      Transaction tx = s.beginTransaction();
      for (long id = first; id < first + ROWS; id++) {
        MessageRow row = new MessageRow();
        row.id = id;
        s.delete(row);
      }
      tx.commit();
    }
  }
}
