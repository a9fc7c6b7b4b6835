package io.warrenmq.store.jdbc.internal;

import io.warrenmq.store.jdbc.StoreFencedException;
import io.warrenmq.store.jdbc.StoreStatistics;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * <p>Sync (fsync): when a batch must be durable, the writer makes it so before it completes any
 * future of the batch, and operations that arrive meanwhile wait in the queue for the next batch: a
 * lone caller pays one sync per commit, many concurrent callers share one. A batch must be durable
 * when the store's durability is {@code POWER_LOSS} (unless it holds only plain acks and delivered
 * marks, see {@link #settlesOnly}), and always when it holds a prepared or forgotten XA branch (a
 * branch the transaction manager was told is prepared must survive a power loss, and so must the
 * commit of a prepared branch: a lost commit record would bring the branch back in doubt, and
 * presumed abort would roll back what the transaction manager committed). Embedded H2 under {@code
 * POWER_LOSS}: one {@code fdatasync} of the journal (next paragraph), or a checkpoint; H2 otherwise
 * (a JDBC URL, and XA branches under {@code PROCESS_CRASH}): one {@code CHECKPOINT SYNC} after the
 * batch's commits (in H2 2.x the MVStore's pending chunk written, then one {@code
 * FileChannel.force}); PostgreSQL: the commit itself with {@code synchronous_commit = on} (set per
 * connection for {@code POWER_LOSS}, else {@code SET LOCAL} in a batch with XA branches). Counted
 * in {@link #statistics()}.
 *
 * <p>The embedded store's journal ({@link Journal}, H2 under {@code POWER_LOSS}): the database is
 * then not written on each commit ({@code WRITE_DELAY}); instead, after a message transaction
 * commits (holding its record number in {@code warren_store_state.journal_seq}), the writer appends
 * the batch's net writes ({@link JournalCodec}) to the journal and, when the batch must be durable,
 * syncs the journal ({@code fdatasync}) instead of the database. The database itself is synced (a
 * checkpoint: {@code CHECKPOINT SYNC}, after which the journal starts again at offset 0) when a
 * batch holds a topology change or an XA branch (those are not journaled), when a record would not
 * fit in the journal's capacity, when an earlier checkpoint or append failed, and at close.
 * Start-up replays what the database lacks ({@link JournalRecovery}).
 *
 * <p>Topology changes go through Hibernate ({@link Topology}) in their own transaction, committed
 * before the messages of the same batch.
 *
 * <p>Memory: the writer keeps nothing per stored entry between commits. A batch's net effect is
 * computed with state of that batch only ({@link BatchPlan}); which stored message is shared
 * between queues is settled by the database ({@link MessageTables}); what it holds across commits
 * is bounded by the work in flight: the enqueues of open units of work ({@link OpenUnits}), the
 * delivered marks not written yet ({@link DeliveredMarks}, at most about 10,000), and the ids of
 * the stored queues ({@link QueueIds}).
 *
 * <p>A message is shared when its enqueues come in one unit of work ({@code
 * MessageStore.UnitOfWork}): the engine passes the enqueues of a publish routed to several durable
 * queues that way ({@code MessageStore#enqueue}).
 *
 * <p>A failed commit fails the futures of its batch (publishers get a nack, {@code tx.commit} an
 * error), the writer discards its connection, reloads its queue ids and carries on with the next
 * batch: the broker keeps running and nothing committed earlier is touched. When the database goes
 * away (a PostgreSQL restart, a failover), the batch in flight fails and the next ones wait in the
 * pool's {@code getConnection} (HikariCP's connection timeout, 30 s) until the database is back or
 * the wait times out, which fails that batch too. No enqueue is confirmed without its commit (only
 * one acked before the writer reached it, which there is nothing left to store of); a commit whose
 * answer is lost with the connection is failed though it may have committed, so a nacked message
 * can be stored, never the reverse ({@code PostgresOutageTest}).
 *
 * <p>Shared-store HA: with an {@link EpochFence}, each message transaction first checks the lease
 * epoch (one prepared primary-key read {@code FOR SHARE}); a deposed node's batch is rolled back
 * and failed with {@code StoreFencedException}, nothing of it confirmed.
 *
 * <p>Concurrency: {@link #submit}, {@link #opened} and {@link #abandoned} are thread-safe and never
 * block on I/O; everything else runs on the writer thread.
 */
public final class GroupCommitWriter implements Runnable {
  private static final System.Logger LOG = System.getLogger(GroupCommitWriter.class.getName());

  private final DataSource dataSource;
  private final EpochFence fence; // null without HA
  private final Topology topology;
  private final boolean h2;
  private final boolean syncEachCommit;
  private final int maxOps;
  private final long maxBytes;
  private final QueueIds queueIds = new QueueIds();
  private final OpenUnits openUnits = new OpenUnits();
  private final DeliveredMarks marks = new DeliveredMarks();
  private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();
  private final WriterCounters counters = new WriterCounters();
  private final Thread thread;
  private boolean closed; // guarded by closing's write lock, read under its read lock
  private volatile boolean closedCleanly;
  private Connection connection; // writer thread only
  private boolean messagesCommitted; // writer thread only: set by writeMessages
  private BatchPlan committedPlan; // writer thread only: set by writeMessages on success
  private final Journal journal; // null: no journal (PostgreSQL, H2 under PROCESS_CRASH)
  private final JournalCodec journalCodec = new JournalCodec();
  private long journalSeq; // writer thread only: the last record number given to a commit
  private boolean checkpointPending; // writer thread only: a record is missing from the journal

  /**
   * @param syncEachCommit whether every batch is made durable before its futures complete ({@code
   *     POWER_LOSS}); batches with XA branches are made durable anyway. On PostgreSQL the caller
   *     sets {@code synchronous_commit} on the connections to match.
   * @param fence shared-store HA: checked first in each message transaction ({@link EpochFence});
   *     null without HA (nothing more on the hot path)
   * @param journal the embedded store's journal, recovered already ({@link JournalRecovery}), or
   *     null; closed by the writer when it ends
   * @param journalSeq the number of the journal's last record
   */
  public GroupCommitWriter(
      String brokerName,
      DataSource dataSource,
      Topology topology,
      boolean h2,
      boolean syncEachCommit,
      int maxOps,
      long maxBytes,
      EpochFence fence,
      Journal journal,
      long journalSeq) {
    this.fence = fence;
    this.journal = journal;
    this.journalSeq = journalSeq;
    this.dataSource = dataSource;
    this.topology = topology;
    this.h2 = h2;
    this.syncEachCommit = syncEachCommit;
    this.maxOps = maxOps;
    this.maxBytes = maxBytes;
    this.thread = new Thread(this, "warren-store-" + brokerName);
    thread.setDaemon(true);
  }

  /** Loads the queue ids from the database, then starts the writer thread. */
  public void start() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      queueIds.load(c);
    }
    thread.start();
  }

  /** Commits made so far (topology and message transactions). */
  public long commitCount() {
    return counters.commits();
  }

  /** The writer's counters (any thread). */
  public StoreStatistics statistics() {
    return counters.snapshot();
  }

  /** Total time spent writing batches (statements, commits, syncs), ns (any thread). */
  public long batchNanos() {
    return counters.batchNanos();
  }

  /** The delivered marks not written yet, for {@code readEntries} (any thread). */
  public DeliveredMarks deliveredMarks() {
    return marks;
  }

  /**
   * An enqueue issued inside a unit of work, before the unit is submitted (the unit's thread): see
   * {@link OpenUnits}.
   */
  public void opened(Op.Enqueue e) {
    openUnits.opened(e);
  }

  /**
   * The enqueues of a unit of work that will never be submitted (an operation of it failed): see
   * {@link OpenUnits}. The unit's thread.
   */
  public void abandoned(List<Op> ops) {
    openUnits.abandoned(ops);
  }

  /**
   * Whether the writer ended after writing everything queued before {@link #close}, the delivered
   * marks included, with a successful last commit.
   */
  public boolean closedCleanly() {
    return closedCleanly;
  }

  /** Queues an operation; a closed writer fails it at once. */
  public Op submit(Op op) {
    closing.readLock().lock();
    try {
      if (closed) {
        IllegalStateException e = new IllegalStateException("the message store is closed");
        if (op instanceof Op.Unit u) {
          openUnits.abandoned(u.ops);
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
        long started = System.nanoTime();
        boolean ok = write(batch, end);
        counters.wrote(System.nanoTime() - started);
        closedCleanly = end && ok;
      } catch (RuntimeException | Error e) {
        LOG.log(System.Logger.Level.ERROR, "message store writer: unexpected failure", e);
        fail(batch, e);
        closeConnection(); // its transaction is in an unknown state: the next batch takes another
      }
      batch.clear();
    }
    closeConnection();
    if (journal != null) {
      try {
        journal.close();
      } catch (java.io.IOException e) {
        LOG.log(System.Logger.Level.WARNING, "closing the store journal failed", e);
      }
    }
  }

  /**
   * @return whether every part of the batch committed
   */
  private boolean write(List<Op> batch, boolean closing) {
    List<Op> flat = new ArrayList<>(batch.size());
    for (Op op : batch) {
      if (op instanceof Op.Unit u) {
        markShared(u.ops);
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
    boolean branches = holdsBranches(flat);
    boolean sync = branches || (syncEachCommit && !settlesOnly(batch));
    Throwable topologyFailure = null;
    boolean topologyCommitted = false;
    if (!changes.isEmpty()) {
      long start = System.nanoTime();
      try {
        topology.inTransaction(changes);
        counters.committed();
        topologyCommitted = true;
        if (syncEachCommit && !h2) {
          counters.synced(System.nanoTime() - start); // synchronous_commit = on (its connection)
        }
      } catch (StoreFencedException e) {
        LOG.log(
            System.Logger.Level.ERROR, "message store: topology commit refused: " + e.getMessage());
        topologyFailure = e;
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "message store: topology commit failed", e);
        topologyFailure = e;
      }
    }
    // with the journal, whether the database itself is synced after this batch (a checkpoint)
    boolean checkpoint =
        journal != null && (branches || topologyCommitted || checkpointPending || closing);
    Throwable messageFailure = writeMessages(flat, topologyFailure == null, closing, sync);
    if (journal != null && messagesCommitted && !checkpoint) {
      Throwable journalFailure = appendToJournal(sync);
      if (journalFailure == FULL) {
        checkpoint = true;
      } else if (journalFailure != null) {
        messageFailure = journalFailure;
      }
    }
    if (topologyCommitted || messagesCommitted) {
      counters.batch(flat.size());
    }
    if (topologyCommitted || messagesCommitted || (closing && journal != null)) {
      if (h2 && (journal == null ? sync : checkpoint)) {
        // one fsync for all this batch committed; the futures complete only after it
        Throwable syncFailure = syncH2();
        if (journal != null) {
          checkpointPending = syncFailure != null;
          if (syncFailure == null) {
            journal.reset(); // the database holds every record
          }
        }
        if (syncFailure != null) {
          topologyFailure = topologyCommitted ? syncFailure : topologyFailure;
          messageFailure = messagesCommitted ? syncFailure : messageFailure;
        }
      }
    }
    for (Op op : batch) {
      Throwable failure = messageFailure;
      if (op instanceof Op.TopologyOp && topologyFailure != null) {
        failure = topologyFailure;
      }
      complete(
          op, failure); // a unit holds message operations only: its stage is the message commit's
    }
    return topologyFailure == null && messageFailure == null;
  }

  /** {@link #appendToJournal}'s answer when the record does not fit: checkpoint instead. */
  private static final Throwable FULL = new Throwable("journal full");

  /**
   * Appends the committed batch's record ({@link #committedPlan}, number {@link #journalSeq}) and,
   * if {@code sync}, makes it durable.
   *
   * @return null on success; {@link #FULL} if it does not fit (nothing written: the caller
   *     checkpoints); else the failure (the record may be partly written, so every later batch
   *     checkpoints until one succeeds and the journal starts again)
   */
  private Throwable appendToJournal(boolean sync) {
    byte[] record = journalCodec.encode(committedPlan);
    int end = journalCodec.end();
    if (!journal.fits(end - Journal.HEADER_BYTES)) {
      return FULL;
    }
    long start = System.nanoTime();
    try {
      journal.append(journalSeq, record, end);
      if (sync) {
        journal.force();
        counters.synced(System.nanoTime() - start);
      }
      return null;
    } catch (java.io.IOException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "message store: writing its journal "
              + journal.file()
              + " failed; the operations of this batch are failed (publishers get a nack) though"
              + " they may be stored, and the next batches sync the database instead",
          e);
      checkpointPending = true;
      return e;
    }
  }

  /**
   * Whether the batch holds nothing but plain settlements outside any unit of work: acks and
   * rejects without dead-lettering, delivered marks, expiry and purge removals. Such a batch is
   * committed but not synced even under {@code POWER_LOSS}: nothing waits on it for a durability
   * promise, and a power loss can only bring its messages back (redelivered, since the stop was not
   * clean), never lose one; RabbitMQ does not fsync acks either. A later synced batch makes it
   * durable with its own. Transacted and XA acks come in units and are synced.
   */
  private static boolean settlesOnly(List<Op> batch) {
    for (Op op : batch) {
      if (!(op instanceof Op.Settle) && !(op instanceof Op.DequeueAfter)) {
        return false;
      }
    }
    return true;
  }

  private static boolean holdsBranches(List<Op> ops) {
    for (Op op : ops) {
      if (op instanceof Op.PrepareBranch || op instanceof Op.ForgetBranch) {
        return true;
      }
    }
    return false;
  }

  /**
   * H2: writes what is committed and not yet in the file, then forces the file to disk ({@code
   * CHECKPOINT SYNC}: in H2 2.x {@code Database.sync()}, the MVStore's commit then one {@code
   * FileChannel.force(true)}, no full checkpoint; checked with strace: one {@code fsync} per call).
   *
   * @return null on success, else the failure (the batch's commits are in the database but not
   *     known to be on disk: their callers get an error, a publisher a nack)
   */
  private Throwable syncH2() {
    long start = System.nanoTime();
    try {
      try (Statement s = connection().createStatement()) {
        s.execute("CHECKPOINT SYNC");
      }
      counters.synced(System.nanoTime() - start);
      return null;
    } catch (SQLException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "message store: the sync (fsync) after a commit failed; the operations of this batch are"
              + " failed (publishers get a nack) though they may be stored",
          e);
      closeConnection();
      return e;
    }
  }

  /** The enqueues of one message in one unit: it is written once, with an entry per queue. */
  private static void markShared(List<Op> ops) {
    Map<Long, Op.Enqueue> first = null;
    for (Op op : ops) {
      if (op instanceof Op.Enqueue e) {
        if (first == null) {
          first = new HashMap<>();
        }
        Op.Enqueue other = first.putIfAbsent(e.message.messageId(), e);
        if (other != null) {
          other.shared = true;
          e.shared = true;
        }
      }
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
      op.done.completeExceptionally(e);
    }
  }

  /**
   * Writes the net effect of the message operations in one transaction.
   *
   * @param topologyApplied whether this batch's topology changes committed (else queue deletions
   *     keep their messages)
   * @param closing whether this is the last batch: every delivered mark is written
   * @param sync whether the batch must be on disk before its futures complete: PostgreSQL then
   *     commits it synchronously, otherwise asynchronously, whatever the connection's default
   * @return null on success, else the failure; {@link #messagesCommitted} says whether it committed
   */
  private Throwable writeMessages(
      List<Op> ops, boolean topologyApplied, boolean closing, boolean sync) {
    messagesCommitted = false;
    committedPlan = null;
    BatchPlan plan = new BatchPlan();
    try {
      Connection c = connection();
      try {
        for (Op op : ops) {
          plan(c, plan, op, topologyApplied);
        }
        plan.delivered = marks.toWrite(closing);
        if (plan.isEmpty()) {
          c.rollback(); // ends the transaction of the queue id look-ups, if any
          return null;
        }
        boolean pgSync = !h2 && sync;
        if (!h2 && sync != syncEachCommit) {
          try (Statement s = c.createStatement()) {
            // this transaction only; the connection's default follows the durability
            s.execute("SET LOCAL synchronous_commit = " + (sync ? "on" : "off"));
          }
        }
        if (fence != null) {
          fence.check(c); // holds the lease row's share lock to the commit
        }
        MessageTables.write(c, plan);
        if (journal != null) {
          StoreState.journalSeq(c, journalSeq + 1); // the record's number, in its transaction
        }
        long start = System.nanoTime();
        c.commit();
        if (pgSync) {
          counters.synced(System.nanoTime() - start);
        }
        counters.committed();
        messagesCommitted = true;
        if (journal != null) {
          journalSeq++;
          committedPlan = plan;
        }
        marks.written(plan.delivered);
        return null;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException | RuntimeException | Error e) {
      // Errors too: the JDBC driver's own assertions (tests run with -ea) fail a batch whose
      // connection died under it with an AssertionError; the batch is failed the same way
      plan.unmarked.forEach(marks::add); // the entries are still stored, still delivered
      if (e instanceof StoreFencedException) {
        LOG.log(
            System.Logger.Level.ERROR,
            "message store: commit refused, this node was deposed; the operations of this batch"
                + " are failed (publishers get a nack): "
                + e.getMessage());
      } else {
        LOG.log(
            System.Logger.Level.ERROR,
            "message store: commit failed; the operations of this batch are failed (publishers"
                + " get a nack) and the broker goes on",
            e);
      }
      closeConnection();
      reload();
      return e;
    }
  }

  private void plan(Connection c, BatchPlan plan, Op op, boolean topologyApplied)
      throws SQLException {
    if (op instanceof Op.Enqueue e) {
      OpenUnits.Tombstone t = openUnits.written(e);
      if (t != null && t.dequeued) {
        return; // acked before the writer saw it: never written
      }
      e.queueId = queueIds.id(c, e.vhost, e.queue);
      if (e.queueId == 0) {
        return; // the queue was deleted meanwhile: its messages went with it
      }
      if (!MessageIds.isOf(e.message.messageId(), e.queueId)) {
        // a global id (or one made for a queue of that name deleted since): only the queue's
        // entry rows are found by its id, so the message is written as a shared one
        e.shared = true;
      }
      e.delivered = t != null && t.delivered;
      plan.enqueue(e);
    } else if (op instanceof Op.Settle s) {
      if (openUnits.overtakes(s.vhost, s.queue, s.messageId, s.deliveredOnly)) {
        return;
      }
      long queueId = queueIds.id(c, s.vhost, s.queue);
      if (queueId == 0) {
        return;
      }
      EntryKey key = new EntryKey(queueId, s.messageId);
      if (!s.deliveredOnly) {
        plan.dequeue(key);
        if (marks.remove(key)) {
          plan.unmarked.add(key);
        }
      } else if (!plan.markDelivered(key)) {
        marks.add(key);
      }
    } else if (op instanceof Op.PrepareBranch || op instanceof Op.ForgetBranch) {
      plan.branches.add(op);
    } else if (op instanceof Op.StoreDelayed || op instanceof Op.DeleteDelayed) {
      plan.delayed.add(op);
    } else if (op instanceof Op.DequeueAfter d) {
      openUnits.purge(d.vhost, d.queue, d.afterSeq, d.beforeSeq);
      long queueId = queueIds.id(c, d.vhost, d.queue);
      if (queueId != 0) {
        plan.removeRange(queueId, d.afterSeq, d.beforeSeq);
      }
    } else if (op instanceof Op.TopologyOp t) {
      switch (t.effect) {
        case QUEUE_STORED -> {
          queueIds.evict(t.vhost, t.queue);
          if (topologyApplied) {
            queueIds.id(c, t.vhost, t.queue); // publishers get queue-made ids from now on
          }
        }
        case QUEUE_DELETED -> {
          if (topologyApplied) {
            openUnits.purge(t.vhost, t.queue, Long.MIN_VALUE, Long.MAX_VALUE);
            removeQueue(plan, queueIds.evict(t.vhost, t.queue));
          }
        }
        case VHOST_DELETED -> {
          if (topologyApplied) {
            openUnits.purge(t.vhost, null, Long.MIN_VALUE, Long.MAX_VALUE);
            for (long id : queueIds.evictVirtualHost(t.vhost)) {
              removeQueue(plan, id);
            }
          }
        }
        case NONE -> {}
      }
    }
  }

  private void removeQueue(BatchPlan plan, long queueId) {
    if (queueId != 0) {
      plan.removeRange(queueId, Long.MIN_VALUE, Long.MAX_VALUE);
      marks.removeQueue(queueId);
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
      queueIds.load(c);
    } catch (SQLException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "message store: cannot reload its queue ids after a failed commit; will retry after the"
              + " next failure",
          e);
    }
  }

  /**
   * The queue-made id ({@link MessageIds}) of the entry at {@code seq} of a queue whose id the
   * writer has cached. Any thread; never touches the database.
   *
   * @return 0 if the queue's id is not cached yet or out of range: the caller takes a global id
   */
  public long queueMadeId(String vhost, String queue, long seq) {
    return MessageIds.of(queueIds.cached(vhost, queue), seq);
  }

  /** For close: how long to wait by default. */
  public static long defaultCloseTimeoutMs() {
    return TimeUnit.SECONDS.toMillis(30);
  }
}
