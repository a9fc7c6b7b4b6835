package io.warrenmq.store.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;

/**
 * How H2's MVStore grows its file under the store's commit pattern, without the store
 * (docs/performance.md, "Tried and not kept: a shorter H2 retention time"): a plain H2 file
 * database with the embedded store's URL setting {@code WRITE_DELAY=0} (every commit writes a new
 * chunk) but without its write barrier, one table of 1 KB rows, and a loop of one insert and one
 * delete of the row inserted 15 commits before (a queue holding 15 messages), each in its own
 * commit, optionally followed by {@code CHECKPOINT SYNC} (the store's fsync under {@code
 * POWER_LOSS}). Every 5 s, for 40 s, it
 * prints the commits per second and H2's own counters: file size (bytes), chunk count and fill
 * rate.
 *
 * <p>Arguments: {@code sync} or {@code nosync}; optionally more H2 URL settings, such as {@code
 * ;RETENTION_TIME=1000} (ms; H2's default is 45,000). The database goes to a fresh temporary
 * directory, deleted at the end. Not a JMH benchmark: it measures H2, not WarrenMQ.
 */
public final class H2ChunkProbe {
  private static final int SECONDS = 40;
  private static final int WINDOW_SECONDS = 5;
  private static final int QUEUE_DEPTH = 15;

  private H2ChunkProbe() {}

  public static void main(String[] args) throws Exception {
    boolean sync = args.length > 0 && args[0].equals("sync");
    String settings = args.length > 1 ? args[1] : "";
    Path dir = Files.createTempDirectory("h2-chunk-probe");
    String url =
        "jdbc:h2:" + dir.resolve("probe") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0" + settings;
    System.out.println("H2ChunkProbe: " + (sync ? "CHECKPOINT SYNC after each commit" : "no sync")
        + ", URL settings '" + settings + "'");
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE m (id BIGINT PRIMARY KEY, body VARBINARY(2048))");
      c.setAutoCommit(false);
      byte[] body = new byte[1024];
      new Random(1).nextBytes(body);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO m VALUES (?, ?)");
          PreparedStatement delete = c.prepareStatement("DELETE FROM m WHERE id = ?")) {
        long id = 0;
        int commits = 0;
        long start = System.nanoTime();
        long windowStart = start;
        for (int window = 0; window < SECONDS / WINDOW_SECONDS; ) {
          insert.setLong(1, id);
          insert.setBytes(2, body);
          insert.executeUpdate();
          if (id >= QUEUE_DEPTH) {
            delete.setLong(1, id - QUEUE_DEPTH);
            delete.executeUpdate();
          }
          id++;
          c.commit();
          if (sync) {
            st.execute("CHECKPOINT SYNC");
          }
          commits++;
          long now = System.nanoTime();
          if (now - windowStart >= WINDOW_SECONDS * 1_000_000_000L) {
            System.out.printf(
                "%3d s: %,7d commits/s, %s%n",
                (now - start) / 1_000_000_000L, commits / WINDOW_SECONDS, counters(st));
            c.commit();
            commits = 0;
            windowStart = now;
            window++;
          }
        }
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  private static String counters(Statement st) throws Exception {
    StringBuilder b = new StringBuilder();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME"
                + " IN ('info.FILE_SIZE', 'info.CHUNK_COUNT', 'info.FILL_RATE')"
                + " ORDER BY SETTING_NAME")) {
      while (rs.next()) {
        b.append(rs.getString(1).substring("info.".length()))
            .append(' ')
            .append(rs.getString(2))
            .append(rs.isLast() ? "" : ", ");
      }
    }
    return b.toString();
  }
}
