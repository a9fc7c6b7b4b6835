package io.warrenmq.store.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.store.jdbc.internal.RecordingFilePath.FileOp;
import io.warrenmq.store.jdbc.internal.RecordingFilePath.Force;
import io.warrenmq.store.jdbc.internal.RecordingFilePath.Truncate;
import io.warrenmq.store.jdbc.internal.RecordingFilePath.Write;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a power loss can leave of the H2 file written the way the store writes it (each commit
 * written, a sync after the publishing commits, none after the commits that only delete), through
 * the {@link WriteBarrierFilePath write barrier}. {@code RETENTION_TIME=1} (ms; the store uses 1 s)
 * so that H2 reuses freed space within this short run.
 *
 * <p>Method: the test records every write, truncation and sync that reaches the operating system
 * ({@link RecordingFilePath}, below the barrier), then rebuilds the disk a power loss could leave:
 * everything up to a sync, plus any subset of the writes made after it and before the next sync
 * (the disk may persist unsynced writes in any order). Each write is taken whole: a write torn
 * inside (a chunk whose first and last blocks reached the disk but not a middle one) passes H2's
 * chunk validation, which reads only a chunk's header and footer; that is H2's own limit, which no
 * ordering can remove. Each such image must open in H2 and hold every row committed before that
 * sync and not deleted since, with its bytes intact; a row whose delete committed before the sync
 * must be gone. The same simulation of a file written without the barrier finds damaged images,
 * which shows the check can fail.
 */
class WriteBarrierPowerLossTest {
  private static final int ROUNDS = 40;

  /**
   * H2's RETENTION_TIME in this test, ms: short, so that H2 reuses freed space within the run, and
   * not below 100 (at 0, H2 2.3.232 frees chunks still in use, see {@code JdbcStoreConfig}).
   */
  private static final int RETENTION_MS = 100;

  private static final int ROWS_PER_PUBLISH = 40;
  private static final int ROWS_PER_SETTLE = 20;

  @TempDir Path dir;

  @BeforeAll
  static void registerSchemes() {
    WriteBarrierFilePath.register();
    RecordingFilePath.register();
  }

  @Test
  void aPowerLossAtAnyPointLeavesTheLastSyncedStateReadable() throws Exception {
    Workload w = record(WriteBarrierFilePath.SCHEME + ":" + RecordingFilePath.SCHEME + ":");
    assertEquals(0, overwritesAfterUnsyncedWrites(w.trace), "an overwrite not ordered by a sync");
    List<String> damaged = simulate(w, 8);
    assertTrue(damaged.isEmpty(), damaged.size() + " damaged images: " + damaged);
  }

  @Test
  void withoutTheBarrierTheSameSimulationFindsDamagedImages() throws Exception {
    Workload w = record(RecordingFilePath.SCHEME + ":");
    assertTrue(overwritesAfterUnsyncedWrites(w.trace) > 0, "H2 reused no freed space unsynced");
    List<String> damaged = simulate(w, 8);
    assertFalse(
        damaged.isEmpty(),
        "no image of an unordered file was damaged: the simulation cannot tell the barrier's"
            + " effect");
  }

  /** Row id to the trace positions of its insert's commit, and its delete's start and commit. */
  private record Workload(
      List<FileOp> trace,
      int createdAt,
      Map<Long, Integer> insertedAt,
      Map<Long, Integer> deleteStartedAt,
      Map<Long, Integer> deletedAt) {}

  private Workload record(String schemes) throws SQLException, InterruptedException {
    synchronized (RecordingFilePath.TRACE) {
      RecordingFilePath.TRACE.clear();
    }
    Map<Long, Integer> insertedAt = new HashMap<>();
    Map<Long, Integer> deleteStartedAt = new HashMap<>();
    Map<Long, Integer> deletedAt = new HashMap<>();
    int createdAt;
    String url =
        "jdbc:h2:"
            + schemes
            + dir.resolve("db").toAbsolutePath()
            + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;RETENTION_TIME="
            + RETENTION_MS;
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE msg(id BIGINT PRIMARY KEY, body VARBINARY(2000))");
        c.commit();
        s.execute("CHECKPOINT SYNC");
      }
      createdAt = RecordingFilePath.position();
      long next = 0;
      long oldest = 0;
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO msg VALUES (?, ?)");
          PreparedStatement delete = c.prepareStatement("DELETE FROM msg WHERE id = ?");
          Statement sync = c.createStatement()) {
        for (int round = 0; round < ROUNDS; round++) {
          for (int i = 0; i < ROWS_PER_PUBLISH; i++, next++) {
            insert.setLong(1, next);
            insert.setBytes(2, body(next));
            insert.addBatch();
          }
          insert.executeBatch();
          c.commit();
          int committed = RecordingFilePath.position();
          for (long id = next - ROWS_PER_PUBLISH; id < next; id++) {
            insertedAt.put(id, committed);
          }
          sync.execute("CHECKPOINT SYNC"); // a publishing batch is synced
          for (int settle = 0; settle < 2; settle++) { // two ack batches, not synced
            int started = RecordingFilePath.position();
            long from = oldest;
            for (int i = 0; i < ROWS_PER_SETTLE; i++, oldest++) {
              delete.setLong(1, oldest);
              delete.addBatch();
            }
            delete.executeBatch();
            c.commit();
            int done = RecordingFilePath.position();
            for (long id = from; id < oldest; id++) {
              deleteStartedAt.put(id, started);
              deletedAt.put(id, done);
            }
          }
          Thread.sleep(RETENTION_MS + 1); // the chunks written so far may be reused from now on
        }
      }
    }
    synchronized (RecordingFilePath.TRACE) {
      return new Workload(
          List.copyOf(RecordingFilePath.TRACE), createdAt, insertedAt, deleteStartedAt, deletedAt);
    }
  }

  private static byte[] body(long id) {
    byte[] b = new byte[700];
    new Random(id).nextBytes(b);
    return b;
  }

  /** Writes below the furthest offset written, with unsynced writes before them. */
  private static int overwritesAfterUnsyncedWrites(List<FileOp> trace) {
    long highWater = 0;
    boolean dirty = false;
    int count = 0;
    for (FileOp op : trace) {
      if (op instanceof Write wr) {
        if (dirty && wr.position() < highWater) {
          count++;
        }
        dirty = true;
        highWater = Math.max(highWater, wr.position() + wr.bytes().length);
      } else if (op instanceof Truncate t) {
        dirty = true;
        highWater = Math.min(highWater, t.size());
      } else {
        dirty = false;
      }
    }
    return count;
  }

  /**
   * Builds power-loss images of what followed each sync in the trace and checks each: nothing after
   * the sync; everything; each single write alone (an overwrite that reached the disk without the
   * writes before it, the worst order a disk may choose); then {@code randomImages} random subsets.
   *
   * @return a description of each damaged image
   */
  private List<String> simulate(Workload w, int randomImages) throws IOException {
    List<String> damaged = new ArrayList<>();
    Path basePath = dir.resolve("base.mv.db");
    Random random = new Random(42);
    try (RandomAccessFile base = new RandomAccessFile(basePath.toFile(), "rw")) {
      int applied = 0;
      for (int f = 0; f < w.trace.size(); f++) {
        if (!(w.trace.get(f) instanceof Force) || f < w.createdAt) {
          continue;
        }
        for (; applied < f; applied++) {
          apply(base, w.trace.get(applied));
        }
        int end = f + 1;
        while (end < w.trace.size() && !(w.trace.get(end) instanceof Force)) {
          end++;
        }
        List<FileOp> window = w.trace.subList(f + 1, end);
        List<List<FileOp>> images = new ArrayList<>();
        images.add(List.of());
        images.add(window);
        for (FileOp op : window) {
          images.add(List.of(op));
        }
        for (int r = 0; r < randomImages; r++) {
          List<FileOp> subset = new ArrayList<>();
          for (FileOp op : window) {
            if (random.nextBoolean()) {
              subset.add(op);
            }
          }
          images.add(subset);
        }
        base.getChannel().force(false);
        for (int i = 0; i < images.size(); i++) {
          Path image = dir.resolve("image.mv.db");
          Files.copy(basePath, image, StandardCopyOption.REPLACE_EXISTING);
          try (RandomAccessFile img = new RandomAccessFile(image.toFile(), "rw")) {
            for (FileOp op : images.get(i)) {
              apply(img, op);
            }
          }
          String problem = check(image, w, f, end);
          if (problem != null) {
            damaged.add("sync at trace " + f + " (to " + end + ", image " + i + "): " + problem);
          }
          Files.deleteIfExists(image);
        }
      }
    }
    return damaged;
  }

  /** Applies a write or a truncation to an image. */
  private static void apply(RandomAccessFile file, FileOp op) throws IOException {
    if (op instanceof Write wr) {
      file.seek(wr.position());
      file.write(wr.bytes());
    } else if (op instanceof Truncate t) {
      file.setLength(t.size());
    }
  }

  /**
   * @return null if the image holds the state synced at trace position {@code sync}, else what is
   *     wrong
   */
  private static String check(Path image, Workload w, int sync, int windowEnd) {
    String name = image.toAbsolutePath().toString();
    String url = "jdbc:h2:file:" + name.substring(0, name.length() - ".mv.db".length());
    Map<Long, byte[]> rows = new HashMap<>();
    try (Connection c = DriverManager.getConnection(url + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT id, body FROM msg")) {
        while (rs.next()) {
          rows.put(rs.getLong(1), rs.getBytes(2));
        }
      }
      s.execute("SHUTDOWN IMMEDIATELY");
    } catch (SQLException | RuntimeException e) {
      return "cannot read: " + e;
    }
    for (Map.Entry<Long, Integer> e : w.insertedAt.entrySet()) {
      long id = e.getKey();
      boolean synced = e.getValue() <= sync;
      Integer deleteStarted = w.deleteStartedAt.get(id);
      Integer deleted = w.deletedAt.get(id);
      if (synced && (deleteStarted == null || deleteStarted >= windowEnd)) {
        byte[] body = rows.get(id);
        if (body == null) {
          return "row " + id + ", committed and synced, is missing";
        }
        if (!Arrays.equals(body(id), body)) {
          return "row " + id + " has other bytes";
        }
      }
      if (deleted != null && deleted <= sync && rows.containsKey(id)) {
        return "row " + id + ", deleted before the sync, is back";
      }
    }
    return null;
  }
}
