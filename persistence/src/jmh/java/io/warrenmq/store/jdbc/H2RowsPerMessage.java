package io.warrenmq.store.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What the embedded store's H2 work per message would cost if a row held several messages: a
 * measurement for the store's design, not a comparison with a peer. The backlog rows of
 * docs/performance.md are bound by the store writer's H2 work, one {@code warren_message} row per
 * message: an insert, and a delete once acknowledged, each of which H2 2.3.232 pays per row (B-tree
 * updates, undo-log entries, and the commit's pass over them).
 *
 * <p>On a fresh H2 file opened as the store opens it under {@code POWER_LOSS} ({@code WRITE_DELAY}
 * at {@link Integer#MAX_VALUE}: the journal, not measured here, makes commits durable), one thread
 * inserts {@code messages} 1 KB messages into a table with the columns of {@code warren_message},
 * {@code batch} messages per transaction and {@code k} messages per row (one row of {@code k} KB),
 * then deletes them with the writer's range statement ({@code MessageTables.DELETE_INLINE_RUN}),
 * {@code batch} messages per transaction. Prints the wall time per message, µs, of each phase, for
 * each {@code k} and round; the first rounds include JIT compilation.
 *
 * <p>Usage: {@code java -cp $CP io.warrenmq.store.jdbc.H2RowsPerMessage [messages=204800]
 * [batch=1024] [rounds=4] [k,k,...=1,16,64]}, with the class path of docs/performance.md ("Durable
 * store"). Files under {@code persistence/target/h2-rows}, deleted after each measurement. Not a
 * JMH benchmark: it measures H2, not WarrenMQ.
 */
public final class H2RowsPerMessage {
  private static final int BODY_BYTES = 1024;

  private H2RowsPerMessage() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 204_800;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1_024;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int[] perRow =
        Arrays.stream((args.length > 3 ? args[3] : "1,16,64").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    if (batch < 1 || messages % batch != 0) {
      throw new IllegalArgumentException(
          "the batch must divide the messages (" + messages + "): " + batch);
    }
    for (int k : perRow) {
      if (k < 1 || batch % k != 0) {
        throw new IllegalArgumentException(
            "messages per row must be at least 1 and divide the batch (" + batch + "): " + k);
      }
    }
    Path root = Path.of("persistence", "target", "h2-rows");
    Files.createDirectories(root);
    for (int round = 1; round <= rounds; round++) {
      for (int k : perRow) {
        Path dir = Files.createTempDirectory(root, "k" + k + "-");
        try {
          double[] us = measure(dir, messages, batch, k);
          System.out.printf(
              Locale.ROOT,
              "round %d, %2d messages per row: insert %.2f µs per message, delete %.2f µs per"
                  + " message%n",
              round,
              k,
              us[0],
              us[1]);
        } finally {
          deleteTree(dir);
        }
      }
    }
  }

  /** Returns the insert's and the delete's wall time per message, µs. */
  private static double[] measure(Path dir, int messages, int batch, int k) throws SQLException {
    String url =
        "jdbc:h2:file:"
            + dir.toAbsolutePath().resolve("db")
            + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY="
            + Integer.MAX_VALUE;
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.createStatement()
          .execute(
              "CREATE TABLE warren_message (id BIGINT PRIMARY KEY, queue_id BIGINT, seq BIGINT,"
                  + " delivered BOOLEAN NOT NULL, exchange VARCHAR(255) NOT NULL, routing_key"
                  + " VARCHAR(255) NOT NULL, properties VARBINARY NOT NULL, body VARBINARY NOT"
                  + " NULL)");
      c.setAutoCommit(false);
      byte[] body = new byte[BODY_BYTES * k];
      Arrays.fill(body, (byte) 'x');
      byte[] properties = new byte[40];
      long start = System.nanoTime();
      try (MessageRowInsert insert = new MessageRowInsert(c)) {
        for (int first = 0; first < messages; first += batch) {
          for (int id = first; id < first + batch; id += k) {
            insert.add(id, 1, "bench", "bench.backlog", properties, body);
          }
          insert.executeBatch();
          c.commit();
        }
      }
      long inserted = System.nanoTime();
      try (PreparedStatement p =
          c.prepareStatement(
              "DELETE FROM warren_message WHERE id >= ? AND id <= ? AND COALESCE(queue_id, 0)"
                  + " = ?")) {
        for (int first = 0; first < messages; first += batch) {
          p.setLong(1, first);
          p.setLong(2, first + batch - 1);
          p.setLong(3, 1);
          p.executeUpdate();
          c.commit();
        }
      }
      long deleted = System.nanoTime();
      return new double[] {
        (inserted - start) / 1e3 / messages, (deleted - inserted) / 1e3 / messages
      };
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
