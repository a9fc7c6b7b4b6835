package io.warrenmq.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's paging acceptance: one queue with 1,000,000 persistent 1 KB messages published and then
 * drained by one consumer, in a JVM run with {@code -Xmx256m}, loses and duplicates nothing. The
 * backlog (about 1 GB of bodies) is four times the heap, so it only passes if the queue pages. Runs
 * in a child JVM ({@link PagingAcceptanceChild}) so that the heap limit is real.
 */
class PagingAcceptanceTest {
  @TempDir Path dataDir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aMillionPersistentKilobyteMessagesPassThroughA256MegabyteHeap() throws Exception {
    // the number; -Dwarrenmq.pagingAcceptance.messages=N for a quicker local run
    int messages = Integer.getInteger("warrenmq.pagingAcceptance.messages", 1_000_000);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            PagingAcceptanceChild.class.getName(),
            dataDir.toString(),
            Integer.toString(messages),
            "1024");
    Process child =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.appendTo(new File("target/paging-child.log")))
            .start();
    String result = null;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          result = line;
        }
      }
    }
    assertTrue(child.waitFor(9, TimeUnit.MINUTES), "child did not end");
    assertEquals(0, child.exitValue(), "child failed; see target/paging-child.log");
    assertNotNull(result, "child printed no result; see target/paging-child.log");
    System.out.println("paging acceptance: " + result);
    Map<String, Long> r = new HashMap<>();
    for (String kv : result.substring(7).split(" ")) {
      String[] p = kv.split("=");
      r.put(p[0], Long.parseLong(p[1]));
    }
    assertEquals((long) messages, r.get("consumed"), result);
    assertEquals(0L, r.get("missing"), result);
    assertEquals(0L, r.get("duplicates"), result);
    assertEquals(0L, r.get("outOfOrder"), result);
  }
}
