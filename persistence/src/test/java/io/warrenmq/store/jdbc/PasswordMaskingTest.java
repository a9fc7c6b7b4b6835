package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The store never prints a password: not in its settings, its errors or its log lines. */
@Timeout(30)
class PasswordMaskingTest {

  private static final String SECRET = "s3cret-pw";

  @Test
  void theSettingsPrintNeitherThePasswordNorOneInsideTheJdbcUrl() {
    JdbcStoreConfig config =
        JdbcStoreConfig.jdbc(
            "jdbc:postgresql://u:" + SECRET + "@127.0.0.1/db?password=" + SECRET, "u", SECRET);
    String shown = config.toString();
    assertFalse(shown.contains(SECRET), shown);
    assertTrue(shown.contains("password=****") && shown.contains("u:****@"), shown);
  }

  @Test
  void aRefusedJdbcUrlIsNamedWithoutItsPassword() {
    JdbcStoreConfig config = JdbcStoreConfig.jdbc("jdbc:mysql://h/db?password=" + SECRET, "u", "x");
    String m = assertThrows(IllegalArgumentException.class, config::validate).getMessage();
    assertTrue(m.contains("jdbc:mysql://h/db?password=****"), m);
    assertFalse(m.contains(SECRET), m);
  }

  @Test
  void aDatabaseThatCannotBeReachedIsNamedWithoutThePassword() {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    root.addHandler(handler);
    try {
      JdbcStoreConfig config =
          JdbcStoreConfig.jdbc(
              "jdbc:postgresql://u:" + SECRET + "@127.0.0.1:1/db?password=" + SECRET, "u", SECRET);
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> JdbcMessageStore.open(config, "mask"));
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t == e || t.getClass().getName().startsWith("io.warrenmq")) {
          assertFalse(String.valueOf(t.getMessage()).contains(SECRET), t.getMessage());
        }
      }
      assertTrue(e.getMessage().contains("****"), e.getMessage());
    } finally {
      root.removeHandler(handler);
    }
    for (LogRecord r : records) {
      String text = r.getMessage() + " " + java.util.Arrays.toString(r.getParameters());
      if (r.getLoggerName() != null && r.getLoggerName().startsWith("io.warrenmq")) {
        assertFalse(text.contains(SECRET), text);
      }
    }
  }
}
