package io.warrenmq.store.jdbc.internal;

import io.warrenmq.engine.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.sql.DataSource;

/**
 * Group commit (DESIGN.md "persistence"): one daemon thread, {@code warren-store-<brokerName>},
 * takes every operation queued since its last commit (up to the batch limits), writes their net
 * effect in one JDBC transaction with batch statements, commits, and only then completes each
 * operation's future. While it commits, new operations queue up for the next batch; so a lone
 * publisher waits for at most one commit and a busy broker writes thousands of messages per commit.
 * There is no timer: the writer never waits for more work while work is queued.
 *
 * <p>Topology changes go through Hibernate ({@link Topology}) in their own transaction, committed
 * before the messages of the same batch.
 *
 * <p>A failed commit fails the futures of its batch (publishers get a nack, {@code tx.commit} an
 * error), the writer reloads its {@link EntryIndex} from the database and carries on with the next
 * batch: the broker keeps running and nothing committed earlier is touched.
 *
 * <p>Concurrency: {@link #submit} is thread-safe and never blocks on I/O; everything else runs on
 * the writer thread.
 */
public final class GroupCommitWriter implements Runnable {
  private static final System.Logger LOG = System.getLogger(GroupCommitWriter.class.getName());

  private final DataSource dataSource;
  private final Topology topology;
  private final boolean h2;
  private final boolean syncEachCommit;
  private final int maxOps;
  private final long maxBytes;
  private final EntryIndex index;
  private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();
  private final AtomicLong commits = new AtomicLong();
  private final Thread thread;
  private boolean closed; // guarded by closing's write lock, read under its read lock
  private Connection connection; // writer thread only

  /**
   * @param syncEachCommit H2 only: {@code CHECKPOINT SYNC} after each commit (power-loss safety)
   */
  public GroupCommitWriter(
      String brokerName,
      DataSource dataSource,
      Topology topology,
      boolean h2,
      boolean syncEachCommit,
      int maxOps,
      long maxBytes) {
    this.dataSource = dataSource;
    this.topology = topology;
    this.h2 = h2;
    this.syncEachCommit = syncEachCommit;
    this.maxOps = maxOps;
    this.maxBytes = maxBytes;
    this.index = new EntryIndex();
    this.thread = new Thread(this, "warren-store-" + brokerName);
    thread.setDaemon(true);
  }

  /** Loads the index from the database, then starts the writer thread. */
  public void start() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      load(c);
    }
    thread.start();
  }

  /** Commits made so far (topology and message transactions). */
  public long commitCount() {
    return commits.get();
  }

  /** Queues an operation; a closed writer fails it at once. */
  public Op submit(Op op) {
    closing.readLock().lock();
    try {
      if (closed) {
        IllegalStateException e = new IllegalStateException("the message store is closed");
        if (op instanceof Op.Unit u) {
          u.ops.forEach(o -> o.done.completeExceptionally(e));
        }
        op.done.completeExceptionally(e);
      } else {
        queue.add(op);
      }
    } finally {
      closing.readLock().unlock();
    }
    return op;
  }

  /** Writes what is queued, then ends the thread; waits up to {@code timeoutMs}. */
  public boolean close(long timeoutMs) throws InterruptedException {
    closing.writeLock().lock();
    try {
      if (closed) {
        return true;
      }
      closed = true;
      queue.add(new Op.Close());
    } finally {
      closing.writeLock().unlock();
    }
    if (Thread.currentThread() == thread) {
      return false;
    }
    thread.join(timeoutMs);
    return !thread.isAlive();
  }

  @Override
  public void run() {
    List<Op> batch = new ArrayList<>();
    boolean end = false;
    while (!end) {
      Op first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        continue; // only close ends the writer: queued work must be written
      }
      batch.add(first);
      long bytes = first.bytes();
      Op next;
      while (batch.size() < maxOps && bytes < maxBytes && (next = queue.poll()) != null) {
        batch.add(next);
        bytes += next.bytes();
      }
      for (Op op : batch) {
        end |= op instanceof Op.Close;
      }
      try {
        write(batch);
      } catch (RuntimeException | Error e) {
        LOG.log(System.Logger.Level.ERROR, "message store writer: unexpected failure", e);
        fail(batch, e);
      }
      batch.clear();
    }
    closeConnection();
  }

  private void write(List<Op> batch) {
    List<Op> flat = new ArrayList<>(batch.size());
    for (Op op : batch) {
      if (op instanceof Op.Unit u) {
        flat.addAll(u.ops);
      } else {
        flat.add(op);
      }
    }
    List<Topology.Change> changes = new ArrayList<>();
    for (Op op : flat) {
      if (op instanceof Op.TopologyOp t) {
        changes.add(t.change);
      }
    }
    RuntimeException topologyFailure = null;
    if (!changes.isEmpty()) {
      try {
        topology.inTransaction(changes);
        commits.incrementAndGet();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "message store: topology commit failed", e);
        topologyFailure = e;
      }
    }
    Throwable messageFailure = writeMessages(flat, topologyFailure == null);
    for (Op op : batch) {
      Throwable failure = messageFailure;
      if (op instanceof Op.TopologyOp && topologyFailure != null) {
        failure = topologyFailure;
      } else if (op instanceof Op.Unit u) {
        for (Op inner : u.ops) {
          complete(inner, inner instanceof Op.TopologyOp ? topologyFailure : messageFailure);
        }
      }
      complete(op, failure);
    }
  }

  private static void complete(Op op, Throwable failure) {
    if (failure == null) {
      op.done.complete(null);
    } else {
      op.done.completeExceptionally(failure);
    }
  }

  private static void fail(List<Op> batch, Throwable e) {
    for (Op op : batch) {
      if (op instanceof Op.Unit u) {
        u.ops.forEach(o -> o.done.completeExceptionally(e));
      }
      op.done.completeExceptionally(e);
    }
  }

  /**
   * Writes the net effect of the message operations in one transaction.
   *
   * @return null on success, else the failure
   */
  private Throwable writeMessages(List<Op> ops, boolean purge) {
    EntryIndex.Batch b = new EntryIndex.Batch();
    long now = System.nanoTime();
    for (Op op : ops) {
      if (op instanceof Op.Enqueue e) {
        try {
          e.encodedProperties = Codec.encode(e.message.properties());
        } catch (RuntimeException ex) {
          e.done.completeExceptionally(ex); // this message only: the batch goes on
          continue;
        }
        index.enqueue(b, e);
      } else if (op instanceof Op.Settle s) {
        EntryIndex.Key key = new EntryIndex.Key(s.vhost, s.queue, s.messageId);
        if (s.deliveredOnly) {
          index.markDelivered(b, key);
        } else {
          index.dequeue(b, key, now);
        }
      } else if (op instanceof Op.TopologyOp t && t.purgeQueue != null && purge) {
        index.purge(b, t.purgeVhost, t.purgeQueue);
      }
    }
    index.expireTombstones(now);
    if (b.isEmpty()) {
      return null;
    }
    try {
      Connection c = connection();
      try {
        execute(c, b);
        c.commit();
        if (syncEachCommit && h2) {
          try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
          }
        }
        commits.incrementAndGet();
        return null;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "message store: commit failed; the operations of this batch are failed (publishers get"
              + " a nack) and the broker goes on",
          e);
      closeConnection();
      reload();
      return e;
    }
  }

  private static void execute(Connection c, EntryIndex.Batch b) throws SQLException {
    if (!b.purged.isEmpty()) {
      try (PreparedStatement p =
          c.prepareStatement("DELETE FROM warren_queue_entry WHERE vhost = ? AND queue = ?")) {
        for (EntryIndex.Key k : b.purged) {
          p.setString(1, k.vhost());
          p.setString(2, k.queue());
          p.addBatch();
        }
        p.executeBatch();
      }
    }
    if (!b.deleteEntries.isEmpty()) {
      try (PreparedStatement p =
          c.prepareStatement(
              "DELETE FROM warren_queue_entry WHERE vhost = ? AND queue = ? AND message_id = ?")) {
        for (EntryIndex.Key k : b.deleteEntries) {
          p.setString(1, k.vhost());
          p.setString(2, k.queue());
          p.setLong(3, k.messageId());
          p.addBatch();
        }
        p.executeBatch();
      }
    }
    if (!b.deleteMessages.isEmpty()) {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM warren_message WHERE id = ?")) {
        for (long id : b.deleteMessages) {
          p.setLong(1, id);
          p.addBatch();
        }
        p.executeBatch();
      }
    }
    if (!b.insertMessages.isEmpty()) {
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO warren_message (id, exchange, routing_key, properties, body)"
                  + " VALUES (?, ?, ?, ?, ?)")) {
        for (Op.Enqueue e : b.insertMessages.values()) {
          StoredMessage m = e.message;
          p.setLong(1, m.messageId());
          p.setString(2, m.exchange());
          p.setString(3, m.routingKey());
          p.setBytes(4, e.encodedProperties);
          p.setBytes(5, m.body());
          p.addBatch();
        }
        p.executeBatch();
      }
    }
    if (!b.insertEntries.isEmpty()) {
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO warren_queue_entry (vhost, queue, message_id, seq, delivered)"
                  + " VALUES (?, ?, ?, ?, ?)")) {
        for (Map.Entry<EntryIndex.Key, EntryIndex.Entry> e : b.insertEntries.entrySet()) {
          p.setString(1, e.getKey().vhost());
          p.setString(2, e.getKey().queue());
          p.setLong(3, e.getKey().messageId());
          p.setLong(4, e.getValue().seq);
          p.setBoolean(5, e.getValue().delivered);
          p.addBatch();
        }
        p.executeBatch();
      }
    }
    if (!b.markDelivered.isEmpty()) {
      try (PreparedStatement p =
          c.prepareStatement(
              "UPDATE warren_queue_entry SET delivered = TRUE"
                  + " WHERE vhost = ? AND queue = ? AND message_id = ?")) {
        for (EntryIndex.Key k : b.markDelivered) {
          p.setString(1, k.vhost());
          p.setString(2, k.queue());
          p.setLong(3, k.messageId());
          p.addBatch();
        }
        p.executeBatch();
      }
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c = dataSource.getConnection();
      c.setAutoCommit(false);
      connection = c;
    }
    return connection;
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing the writer's connection failed", e);
      }
      connection = null;
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.DEBUG, "rollback failed", e);
    }
  }

  /** After a failed commit: the database is the truth again. */
  private void reload() {
    try (Connection c = dataSource.getConnection()) {
      load(c);
    } catch (SQLException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "message store: cannot reload its index after a failed commit; will retry after the"
              + " next failure",
          e);
    }
  }

  private void load(Connection c) throws SQLException {
    index.clear();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT vhost, queue, message_id, seq, delivered FROM warren_queue_entry")) {
      while (rs.next()) {
        index.loaded(
            new EntryIndex.Key(rs.getString(1), rs.getString(2), rs.getLong(3)),
            rs.getLong(4),
            rs.getBoolean(5));
      }
    }
  }

  /** For close: how long to wait by default. */
  public static long defaultCloseTimeoutMs() {
    return TimeUnit.SECONDS.toMillis(30);
  }
}
