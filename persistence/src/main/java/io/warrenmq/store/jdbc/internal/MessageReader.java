package io.warrenmq.store.jdbc.internal;

import io.warrenmq.engine.MessageStore;
import io.warrenmq.engine.StoredEntry;
import io.warrenmq.engine.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the message tables (schema version 8, see {@link MessageTables}): the page reads of {@code
 * readEntries}, the per-queue summaries of recovery, and the start-up removal of rows a crash left
 * behind.
 *
 * <p>Queries are written for the indexes: a page is a range of the primary key of {@code
 * warren_message} (the queue's queue-made ids, {@link MessageIds}) merged with a range of the
 * {@code (queue_id, seq)} index of {@code warren_queue_entry}, each read in index order ({@code
 * ORDER BY queue_id, seq}: H2 sorts the whole range for {@code ORDER BY seq} alone) and bounded in
 * the SQL itself ({@code FETCH FIRST ? ROWS ONLY}), so its cost does not grow with the backlog. The
 * bound must be in the statement, not only in {@code setMaxRows}: without it PostgreSQL plans for
 * every row after the position, and on a large backlog (measured with 200,000 rows of 1 KB) its
 * generic plan of the prepared statement is a sequential scan of the whole table and a sort of the
 * rest of the queue, spilled to disk, for every page (460 ms a page; a drain slowed to 2,200
 * messages a second, faster as the backlog shrank).
 *
 * <p>On PostgreSQL the bound is not enough when the table statistics are stale (issue 20: a server
 * with {@code autovacuum} off, or a table filled since its last {@code ANALYZE}): the planner then
 * estimates a few hundred rows after the position where there are 100,000, and its custom plan of
 * the page (the one the JDBC driver gets for the first executions of a statement) is a bitmap scan
 * of the whole rest of the queue and a sort of it, spilled to disk: 0.6 to 1.5 s a page on a
 * 200,000-message backlog of 1 KB, against 20 ms for the range of the index. So a page is read in a
 * transaction that turns sorting off ({@link #POSTGRES_PAGE_SETTINGS}): the only plan left that
 * yields the rows in order is the range of the order index, whatever the statistics say. The same
 * settings turn parallel workers off for the page: with fresh statistics PostgreSQL otherwise plans
 * the shared page as a parallel index scan under a Gather Merge, 45 to 150 ms a page against 5 to
 * 20 ms without workers. H2 sorts nothing ({@code ORDER BY} follows the index) and is left as it
 * is.
 *
 * <p>Stateless; each method uses the connection it is given, on the calling thread.
 */
public final class MessageReader {
  private static final System.Logger LOG = System.getLogger(MessageReader.class.getName());

  // parameters: first id, id bound (exclusive), most rows
  static final String INLINE =
      "SELECT seq, delivered, id, exchange, routing_key, properties, body FROM warren_message"
          + " WHERE id >= ? AND id < ? ORDER BY id FETCH FIRST ? ROWS ONLY";
  // parameters: queue id, after seq, most rows
  static final String SHARED =
      "SELECT e.seq, e.delivered, m.id, m.exchange, m.routing_key, m.properties, m.body"
          + " FROM warren_queue_entry e JOIN warren_message m ON m.id = e.message_id"
          + " WHERE e.queue_id = ? AND e.seq > ? ORDER BY e.queue_id, e.seq"
          + " FETCH FIRST ? ROWS ONLY";

  /**
   * What a page read sets on PostgreSQL, for its transaction only ({@code SET LOCAL}): no sort, so
   * that the page is a range of the order index whatever the statistics say, and no parallel
   * workers, which cost more than a page of 4,096 rows saves.
   */
  static final String POSTGRES_PAGE_SETTINGS =
      "SET LOCAL enable_sort = off; SET LOCAL max_parallel_workers_per_gather = 0";

  private MessageReader() {}

  /**
   * Makes the page reads of the connection's current transaction use the order indexes: on
   * PostgreSQL runs {@link #POSTGRES_PAGE_SETTINGS}, which last until the transaction ends; on H2
   * does nothing.
   *
   * @param c a connection with auto-commit off (a {@code SET LOCAL} outside a transaction has no
   *     effect)
   * @param h2 whether the database is H2 (else PostgreSQL)
   * @throws IllegalStateException if {@code c} is in auto-commit mode
   */
  public static void usePageIndexes(Connection c, boolean h2) throws SQLException {
    if (h2) {
      return;
    }
    if (c.getAutoCommit()) {
      throw new IllegalStateException("page reads need a transaction: auto-commit is on");
    }
    try (Statement s = c.createStatement()) {
      s.execute(POSTGRES_PAGE_SETTINGS);
    }
  }

  /**
   * A page of a queue's entries in {@code seq} order (see {@code MessageStore.readEntries}): the
   * inline and the shared entries, merged.
   *
   * @param c a connection with auto-commit off: on PostgreSQL the page is read with {@link
   *     #usePageIndexes}'s settings, for the rest of the transaction
   * @param h2 whether the database is H2 (else PostgreSQL)
   * @param watermarks by queue id: the queue's entries with a {@code seq} up to it are delivered
   *     ({@link StoreState})
   * @param marks delivered marks not written yet
   */
  public static List<StoredEntry> readEntries(
      Connection c,
      boolean h2,
      String vhost,
      String queue,
      long afterSeq,
      int maxEntries,
      long maxBytes,
      Map<Long, Long> watermarks,
      DeliveredMarks marks)
      throws SQLException {
    List<StoredEntry> out = new ArrayList<>();
    long queueId = queueId(c, vhost, queue);
    if (queueId == 0) {
      return out;
    }
    long watermark = watermarks.getOrDefault(queueId, -1L);
    usePageIndexes(c, h2);
    boolean madeFor = MessageIds.madeFor(queueId);
    try (PreparedStatement inline =
            page(
                c,
                INLINE,
                madeFor ? MessageIds.from(queueId, afterSeq) : 0,
                madeFor ? MessageIds.below(queueId, Long.MAX_VALUE) : 0,
                maxEntries);
        PreparedStatement shared = page(c, SHARED, queueId, afterSeq, maxEntries);
        ResultSet a = inline.executeQuery();
        ResultSet b = shared.executeQuery()) {
      boolean hasA = a.next();
      boolean hasB = b.next();
      long bytes = 0;
      while ((hasA || hasB) && out.size() < maxEntries && bytes < maxBytes) {
        boolean takeA = hasA && (!hasB || a.getLong(1) < b.getLong(1));
        ResultSet rs = takeA ? a : b;
        StoredEntry e = entry(rs, queueId, watermark, marks);
        out.add(e);
        bytes += e.message().body().length;
        if (takeA) {
          hasA = a.next();
        } else {
          hasB = b.next();
        }
      }
    }
    return out;
  }

  /**
   * The entries of a queue that hold the given messages (see {@code MessageStore.readEntriesById}),
   * in {@code seq} order: per message, its inline row, else its shared entry.
   */
  public static List<StoredEntry> readEntriesById(
      Connection c,
      String vhost,
      String queue,
      java.util.Collection<Long> messageIds,
      Map<Long, Long> watermarks,
      DeliveredMarks marks)
      throws SQLException {
    List<StoredEntry> out = new ArrayList<>();
    long queueId = queueId(c, vhost, queue);
    if (queueId == 0) {
      return out;
    }
    long watermark = watermarks.getOrDefault(queueId, -1L);
    try (PreparedStatement inline =
            c.prepareStatement(
                "SELECT seq, delivered, id, exchange, routing_key, properties, body"
                    + " FROM warren_message WHERE id = ? AND queue_id = ?");
        PreparedStatement shared =
            c.prepareStatement(
                "SELECT e.seq, e.delivered, m.id, m.exchange, m.routing_key, m.properties, m.body"
                    + " FROM warren_queue_entry e JOIN warren_message m ON m.id = e.message_id"
                    + " WHERE e.message_id = ? AND e.queue_id = ?")) {
      for (long id : new java.util.TreeSet<>(messageIds)) {
        StoredEntry found = null;
        for (PreparedStatement p : List.of(inline, shared)) {
          p.setLong(1, id);
          p.setLong(2, queueId);
          try (ResultSet rs = p.executeQuery()) {
            if (rs.next()) {
              found = entry(rs, queueId, watermark, marks);
            }
          }
          if (found != null) {
            break;
          }
        }
        if (found != null) {
          out.add(found);
        }
      }
    }
    out.sort(java.util.Comparator.comparingLong(StoredEntry::seq));
    return out;
  }

  private static PreparedStatement page(Connection c, String sql, long a, long b, int maxEntries)
      throws SQLException {
    PreparedStatement p = c.prepareStatement(sql);
    p.setLong(1, a);
    p.setLong(2, b);
    p.setInt(3, maxEntries);
    p.setFetchSize(Math.min(maxEntries, 256));
    return p;
  }

  private static StoredEntry entry(ResultSet rs, long queueId, long watermark, DeliveredMarks marks)
      throws SQLException {
    long seq = rs.getLong(1);
    long id = rs.getLong(3);
    StoredMessage m =
        new StoredMessage(
            id,
            rs.getString(4),
            rs.getString(5),
            Codec.decodeProperties(rs.getBytes(6)),
            rs.getBytes(7));
    boolean delivered =
        rs.getBoolean(2) || seq <= watermark || marks.contains(new EntryKey(queueId, id));
    return new StoredEntry(seq, m, delivered);
  }

  private static long queueId(Connection c, String vhost, String queue) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("SELECT id FROM warren_queue WHERE vhost = ? AND name = ?")) {
      p.setString(1, vhost);
      p.setString(2, queue);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /**
   * Reports, for every stored queue holding entries, their number, body bytes and highest {@code
   * seq} (in virtual host, queue order).
   *
   * @return the number of entries reported
   */
  public static long recoverQueues(Connection c, MessageStore.RecoveryHandler handler)
      throws SQLException {
    record Summary(long entries, long bytes, long lastSeq) {
      Summary plus(Summary o) {
        return new Summary(entries + o.entries, bytes + o.bytes, Math.max(lastSeq, o.lastSeq));
      }
    }
    Map<Long, Summary> byQueue = new TreeMap<>();
    for (String sql :
        List.of(
            "SELECT queue_id, COUNT(*), SUM(OCTET_LENGTH(body)), MAX(seq) FROM warren_message"
                + " WHERE queue_id IS NOT NULL GROUP BY queue_id",
            "SELECT e.queue_id, COUNT(*), SUM(OCTET_LENGTH(m.body)), MAX(e.seq)"
                + " FROM warren_queue_entry e JOIN warren_message m ON m.id = e.message_id"
                + " GROUP BY e.queue_id")) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          byQueue.merge(
              rs.getLong(1),
              new Summary(rs.getLong(2), rs.getLong(3), rs.getLong(4)),
              Summary::plus);
        }
      }
    }
    long total = 0;
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT id, vhost, name FROM warren_queue ORDER BY vhost, name")) {
      while (rs.next()) {
        Summary sum = byQueue.get(rs.getLong(1));
        if (sum != null) {
          handler.queueEntries(
              rs.getString(2), rs.getString(3), sum.entries, sum.bytes, sum.lastSeq);
          total += sum.entries;
        }
      }
    }
    return total;
  }

  /** The highest global message id stored ({@link MessageIds}: not a queue-made one), 0 if none. */
  public static long lastMessageId(Connection c) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT id FROM warren_message WHERE id < ? ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")) {
      p.setLong(1, MessageIds.QUEUE_MADE);
      try (ResultSet rs = p.executeQuery()) {
        // delayed messages take their ids from the same sequence
        return Math.max(rs.next() ? rs.getLong(1) : 0, DelayedMessageTable.lastId(c));
      }
    }
  }

  /** The stored delayed messages ({@code warren_delayed_message}), the earliest due first. */
  public static long recoverDelayed(Connection c, io.warrenmq.engine.MessageStore.RecoveryHandler h)
      throws SQLException {
    return DelayedMessageTable.recover(c, h);
  }

  /**
   * At start-up, before the writer runs: removes the rows of queues that no longer exist and the
   * shared messages without entries (a crash between a queue's deletion and its messages', which
   * are separate transactions). The inline messages are found queue by queue as ranges of
   * queue-made ids ({@link MessageIds}), so a large backlog is not scanned.
   */
  public static void removeOrphans(Connection c) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      int entries =
          s.executeUpdate(
              "DELETE FROM warren_queue_entry WHERE NOT EXISTS (SELECT 1 FROM warren_queue q"
                  + " WHERE q.id = warren_queue_entry.queue_id)");
      Set<Long> queues = QueueIds.stored(c);
      int inline = 0;
      try (PreparedStatement next =
              c.prepareStatement(
                  "SELECT id FROM warren_message WHERE id >= ? ORDER BY id FETCH FIRST 1 ROWS ONLY");
          PreparedStatement delete =
              c.prepareStatement("DELETE FROM warren_message WHERE id >= ? AND id < ?")) {
        long from = MessageIds.QUEUE_MADE;
        while (true) {
          long queueId;
          next.setLong(1, from);
          try (ResultSet rs = next.executeQuery()) {
            if (!rs.next()) {
              break;
            }
            queueId = MessageIds.queueOf(rs.getLong(1));
          }
          long first = MessageIds.from(queueId, Long.MIN_VALUE);
          from = MessageIds.below(queueId, Long.MAX_VALUE);
          if (!queues.contains(queueId)) {
            delete.setLong(1, first);
            delete.setLong(2, from);
            inline += delete.executeUpdate();
          }
        }
      }
      int shared =
          s.executeUpdate(
              "DELETE FROM warren_message WHERE queue_id IS NULL AND NOT EXISTS"
                  + " (SELECT 1 FROM warren_queue_entry e WHERE e.message_id = warren_message.id)");
      c.commit();
      if (entries + inline + shared > 0) {
        LOG.log(
            System.Logger.Level.INFO,
            "message store: removed {0} messages and {1} shared entries of deleted queues, and {2}"
                + " unreferenced shared messages",
            inline,
            entries,
            shared);
      }
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /** The prepared XA branches the store holds ({@code warren_xa_branch}), oldest first. */
  public static List<io.warrenmq.engine.PreparedBranch> preparedBranches(Connection c)
      throws SQLException {
    return XaBranchTable.read(c);
  }
}
