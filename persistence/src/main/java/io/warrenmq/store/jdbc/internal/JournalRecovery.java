package io.warrenmq.store.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * At start-up, before the writer runs: applies to the database the {@link Journal} records it does
 * not hold (numbered above {@code warren_store_state.journal_seq}), each in a transaction of its
 * own with its number, in the order written; then, once the start-up's other writes are done, syncs
 * the database ({@link #checkpoint}) so that the journal can start again at offset 0.
 *
 * <p>A record holds the net writes its group commit made ({@link JournalCodec}) and the database is
 * recovered by H2 to the state of some earlier commit (a prefix: the write barrier keeps a synced
 * state from being damaged), so each record meets the state it was first written to.
 *
 * <p>Not thread-safe; called once, at open.
 */
public final class JournalRecovery {
  private static final System.Logger LOG = System.getLogger(JournalRecovery.class.getName());

  private JournalRecovery() {}

  /**
   * Replays the records the database lacks.
   *
   * @return the number of the journal's last record (the writer numbers the next one after it)
   * @throws IllegalStateException if a record cannot be applied, or records are missing between the
   *     database and the journal (the message names the file and what to do)
   */
  public static long replay(Connection c, Journal journal, String where) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    long applied = StoreState.journalSeq(c);
    c.commit();
    long[] replayed = new long[2]; // records, inserted rows
    long last;
    try {
      last =
          journal.replay(
              applied,
              (seq, payload) -> {
                BatchPlan plan = JournalCodec.decode(payload);
                MessageTables.write(c, plan, true); // idempotent: see that method
                StoreState.journalSeq(c, seq);
                c.commit();
                replayed[0]++;
                replayed[1] += plan.inserts.size();
              });
    } catch (Exception e) {
      c.rollback();
      throw new IllegalStateException(
          "store "
              + where
              + ": cannot replay its journal "
              + journal.file()
              + " after record "
              + (applied + replayed[0])
              + ": "
              + e,
          e);
    } finally {
      c.setAutoCommit(auto);
    }
    if (replayed[0] > 0) {
      LOG.log(
          System.Logger.Level.INFO,
          "store {0}: replayed {1} journal records ({2} message inserts) written after the"
              + " database''s last sync",
          where,
          replayed[0],
          replayed[1]);
    }
    return last;
  }

  /**
   * Makes everything committed so far durable in the database file ({@code CHECKPOINT SYNC}); the
   * journal can then start again at offset 0.
   */
  public static void checkpoint(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CHECKPOINT SYNC");
    }
  }
}
