package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store holds nothing in heap per stored entry (issue 4: paging keeps a backlog of 1,000,000
 * persistent messages in a JVM of 256 MB): a child JVM with a 64 MB heap ({@link StoreMemoryChild})
 * stores {@link #ENTRIES} entries in one queue, marks a tenth delivered, reads them all back page
 * by page, recovers them after a restart and acks them all. At about 150 bytes per entry, the
 * writer's former index alone would need 75 MB.
 */
@Timeout(240)
class StoreMemoryTest {
  private static final int ENTRIES = 500_000;
  private static final long HEAP_LIMIT = 40L << 20;

  @TempDir Path dataDir;

  @Test
  void aBacklogOfHalfAMillionEntriesIsStoredReadAndAckedInA64MegabyteHeap() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                StoreMemoryChild.class.getName(),
                dataDir.toString(),
                Integer.toString(ENTRIES))
            .redirectError(ProcessBuilder.Redirect.appendTo(new File("target/memory-child.log")))
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
      }
    } finally {
      if (!child.waitFor(200, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
    assertEquals(0, child.exitValue(), "child failed (see target/memory-child.log): " + lines);
    assertEquals(4, lines.size(), lines.toString());
    long heap = Long.parseLong(lines.get(0).replaceAll("HEAP (\\d+);", "$1"));
    assertTrue(heap < HEAP_LIMIT, "heap used with the backlog stored: " + heap + " bytes");
    assertEquals("READ " + ENTRIES + " " + ENTRIES / 10 + ";", lines.get(1));
    assertEquals("RECOVERED " + ENTRIES + ";", lines.get(2));
    assertEquals("DONE;", lines.get(3));
  }
}
