package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import io.warrenmq.store.jdbc.internal.Journal;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's write-ahead journal carries what the database file does not hold ({@code
 * internal.Journal}): a broker that confirmed persistent messages and acked some of them, then
 * stopped dead before H2 wrote any of it, comes back with exactly the unacked ones, in order; the
 * same data directory without its journal has lost them, which shows that the journal is what
 * carried them.
 */
class JournalReplayTest {
  @TempDir Path dir;

  @Test
  void confirmedMessagesAndAcksTheDatabaseFileLacksAreReplayedFromTheJournal() throws Exception {
    Path data = dir.resolve("data");
    runChildUntilItHalts(data, 16, 64L << 20);
    Path withoutJournal = copyWithoutJournal(data);
    List<String> expected = unacked();
    assertEquals(expected, drain(data), "the confirmed and unacked messages, in order");

    List<String> fileAlone = drain(withoutJournal);
    assertTrue(
        fileAlone.size() < expected.size(),
        "the database file alone holds them all, so the journal was not exercised: " + fileAlone);
  }

  /**
   * A journal of the smallest capacity (4 MiB) fills with 20 KiB messages: the writer checkpoints
   * (the H2 file synced) and starts again at offset 0, where the newest records lie before the
   * older round's (the journal holds 4 MiB, the messages 6 MB). The replay takes the newest round
   * only.
   */
  @Test
  void aJournalThatWrappedIsReplayedFromItsNewestRoundAfterTheCheckpoint() throws Exception {
    Path data = dir.resolve("data");
    runChildUntilItHalts(data, 20 << 10, Journal.GROWTH_STEP);
    assertEquals(
        Journal.GROWTH_STEP, Files.size(data.resolve(Journal.FILE_NAME)), "never past capacity");
    Path withoutJournal = copyWithoutJournal(data);
    List<String> expected = unacked();
    assertEquals(expected, drain(data), "the confirmed and unacked messages, in order");

    // H2 writes on its own once its unsaved pages pass its buffer, so the file alone may hold the
    // messages; the acks after the last checkpoint are the journal's only
    assertNotEquals(expected, drain(withoutJournal), "the database file alone is up to date");
  }

  /**
   * A database file that holds part of a record's rows without the record's mark, as H2 2.3.232
   * left one after a SIGKILL in ServerKillTest (430 of a record's 757 inserts, the journal mark of
   * the record before): the replay applies the whole record again, merging the rows it finds, and
   * the broker comes back with exactly the unacked messages. Before the merge the replay failed
   * with a primary key violation and the broker did not start.
   */
  @Test
  void aRecordWhoseRowsTheDatabaseHoldsInPartIsReplayedAgain() throws Exception {
    Path data = dir.resolve("data");
    runChildUntilItHalts(data, 16, 64L << 20);
    Path replayed = dir.resolve("replayed");
    copy(data, replayed);
    JdbcMessageStore.open(JdbcStoreConfig.h2(replayed), "replayed").close(); // every record in

    List<Object[]> leaked = new ArrayList<>();
    try (java.sql.Connection all = h2(replayed);
        java.sql.Connection part = h2(data);
        java.sql.Statement s = all.createStatement();
        java.sql.ResultSet rs =
            s.executeQuery(
                "SELECT id, queue_id, seq, delivered, exchange, routing_key, properties, body"
                    + " FROM warren_message ORDER BY id")) {
      long mark = journalMark(part);
      while (rs.next()) {
        try (java.sql.PreparedStatement has =
            part.prepareStatement("SELECT 1 FROM warren_message WHERE id = ?")) {
          has.setLong(1, rs.getLong(1));
          if (!has.executeQuery().next()) {
            Object[] row = new Object[8];
            for (int i = 0; i < 8; i++) {
              row[i] = rs.getObject(i + 1);
            }
            leaked.add(row);
          }
        }
      }
      assertTrue(leaked.size() >= 2, "the file alone lacks rows the journal holds: " + leaked);
      leaked = leaked.subList(0, leaked.size() / 2); // the first half, as an unfinished commit
      try (java.sql.PreparedStatement insert =
          part.prepareStatement(
              "INSERT INTO warren_message (id, queue_id, seq, delivered, exchange, routing_key,"
                  + " properties, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (Object[] row : leaked) {
          for (int i = 0; i < 8; i++) {
            insert.setObject(i + 1, row[i]);
          }
          insert.addBatch();
        }
        insert.executeBatch();
      }
      assertEquals(mark, journalMark(part), "the rows went in without the record's mark");
    }

    assertEquals(unacked(), drain(data), "the confirmed and unacked messages, once each, in order");
  }

  private static java.sql.Connection h2(Path data) throws java.sql.SQLException {
    return java.sql.DriverManager.getConnection(
        "jdbc:h2:file:" + data.resolve("warren") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
  }

  private static long journalMark(java.sql.Connection c) throws java.sql.SQLException {
    try (java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs =
            s.executeQuery("SELECT journal_seq FROM warren_store_state WHERE id = 1")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** What the child confirmed and did not ack, in order: m100 .. m299, then last. */
  private static List<String> unacked() {
    List<String> expected = new ArrayList<>();
    for (int i = JournalReplayChild.ACKED; i < JournalReplayChild.PUBLISHED; i++) {
      expected.add("m" + i);
    }
    expected.add("last");
    return expected;
  }

  /** A copy of the data directory without its journal: the H2 file alone. */
  private Path copyWithoutJournal(Path data) throws Exception {
    Path withoutJournal = dir.resolve("without-journal");
    copy(data, withoutJournal);
    Files.delete(withoutJournal.resolve(Journal.FILE_NAME));
    return withoutJournal;
  }

  private static void runChildUntilItHalts(Path data, int bodyBytes, long journalCapacity)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dwarrenmq.store.journalCapacityBytes=" + journalCapacity,
                "-cp",
                System.getProperty("java.class.path"),
                JournalReplayChild.class.getName(),
                data.toString(),
                Integer.toString(bodyBytes))
            .redirectError(ProcessBuilder.Redirect.appendTo(new File("target/journal-child.log")))
            .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child still running");
    assertEquals("DONE", out.strip(), "child output (its errors: target/journal-child.log)");
  }

  /** Every message of q, acked, after opening the store on {@code data}. */
  private static List<String> drain(Path data) {
    List<String> bodies = new ArrayList<>();
    BrokerConfig config = BrokerConfig.named("replay");
    try (Broker b = new Broker(config, JdbcMessageStore.open(JdbcStoreConfig.h2(data), "replay"));
        Connection c = b.newConnection("/", "t")) {
      Channel ch = c.createChannel();
      ch.queueDeclare(QueueSpec.durable("q"));
      GetResponse r;
      while ((r = ch.basicGet("q", false)) != null) {
        String body = new String(r.delivery().body(), StandardCharsets.UTF_8);
        int dots = body.indexOf('.');
        bodies.add(dots < 0 ? body : body.substring(0, dots)); // the name, without the padding
        ch.basicAck(r.delivery().deliveryTag(), false);
      }
    }
    return bodies;
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().endsWith(".lock")) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
  }
}
