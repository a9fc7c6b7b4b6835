package io.warrenmq.store.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.store.jdbc.JdbcMessageStore;
import io.warrenmq.store.jdbc.JdbcStoreConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's per-message statements find their row by primary key, also when H2 plans them on
 * empty tables (the writer prepares them at every commit; a plan on the {@code (queue_id, seq)}
 * index would scan a whole queue per acked message).
 */
@Timeout(60)
class MessageTablesPlanTest {
  @TempDir Path dataDir;

  private static String plan(Connection c, String sql) throws Exception {
    try (PreparedStatement p = c.prepareStatement("EXPLAIN " + sql)) {
      int parameters = p.getParameterMetaData().getParameterCount();
      p.setLong(1, 5);
      p.setLong(2, parameters > 2 ? 9 : 1);
      if (parameters > 2) {
        p.setLong(3, 1);
      }
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getString(1).replace('\n', ' ');
      }
    }
  }

  @Test
  void statementsOnOneMessageUseTheIdEvenOnEmptyTables() throws Exception {
    JdbcStoreConfig config = JdbcStoreConfig.h2(dataDir);
    JdbcMessageStore.open(config).close();
    String url = "jdbc:h2:file:" + dataDir.resolve("warren").toAbsolutePath();
    try (Connection c = DriverManager.getConnection(url + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "")) {
      for (String sql :
          List.of(
              MessageTables.DELETE_INLINE,
              MessageTables.MARK_INLINE,
              MessageTables.DELETE_UNREFERENCED_SHARED)) {
        String plan = plan(c, sql);
        assertTrue(plan.contains("PRIMARY_KEY") && plan.contains("ID = ?1"), plan);
      }
      String run = plan(c, MessageTables.DELETE_INLINE_RUN);
      assertTrue(
          run.contains("PRIMARY_KEY") && run.contains("ID >= ?1") && run.contains("ID <= ?2"),
          "a run of ids is one range of the primary key: " + run);
      for (String sql : List.of(MessageTables.DELETE_ENTRY, MessageTables.MARK_ENTRY)) {
        String plan = plan(c, sql);
        assertTrue(plan.contains("MESSAGE_ID = ?1"), plan);
      }
    }
  }
}
