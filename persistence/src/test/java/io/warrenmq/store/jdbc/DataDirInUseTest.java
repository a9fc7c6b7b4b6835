package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One data directory serves one broker at a time: a second one, in another JVM or in this one, is
 * refused with an error that names the directory and the broker holding it, not with H2's hint
 * about its server mode.
 */
@Timeout(180)
class DataDirInUseTest {

  @TempDir Path dir;

  @Test
  void aDataDirectoryHeldByAnotherJvmIsRefusedNamingTheHoldingProcess() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                // a short-lived child: the client compiler alone starts it in about half the CPU
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                DataDirHolderChild.class.getName(),
                dir.toString())
            .redirectError(
                ProcessBuilder.Redirect.appendTo(new File("target/data-dir-holder-child.log")))
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("READY;", out.readLine());
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> JdbcMessageStore.open(JdbcStoreConfig.h2(dir), "second"));
      String m = e.getMessage();
      assertTrue(m.contains(dir.toAbsolutePath() + " is in use by another WarrenMQ broker"), m);
      assertTrue(m.contains("process " + child.pid() + ", broker 'holder'"), m);
      assertFalse(m.contains("server mode"), m);

      child.getOutputStream().close(); // the child closes its store and exits
      assertEquals("CLOSED;", out.readLine());
      assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    JdbcMessageStore.open(JdbcStoreConfig.h2(dir), "after").close(); // free again
  }

  @Test
  void aDataDirectoryOpenInThisJvmIsRefusedUntilItsStoreCloses() {
    JdbcMessageStore first = JdbcMessageStore.open(JdbcStoreConfig.h2(dir), "first");
    try {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> JdbcMessageStore.open(JdbcStoreConfig.h2(dir), "second"));
      assertTrue(e.getMessage().contains("is in use by another WarrenMQ broker"), e.getMessage());
      assertTrue(e.getMessage().contains("broker 'first'"), e.getMessage());
    } finally {
      first.close();
    }
    JdbcMessageStore.open(JdbcStoreConfig.h2(dir), "second").close();
  }
}
