package io.warrenmq.jms.xa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.jms.WarrenConnection;
import io.warrenmq.jms.WarrenConnectionFactory;
import io.warrenmq.jms.internal.InVmBrokers;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery with Narayana: a child JVM halts between the two phases of a transaction over
 * WarrenMQ (durable broker, H2 store) and an H2 database, with both prepared and Narayana's log
 * written; a second child JVM on the same directories runs Narayana's recovery, which commits both.
 * The outcome is checked here, in a third broker instance on the same store.
 */
@Timeout(120)
class XaCrashRecoveryTest {

  @TempDir Path dir;

  @AfterEach
  void stop() {
    InVmBrokers.stop(XaCrashChild.BROKER);
  }

  /** Runs the child in {@code mode} to its end and returns its {@code ...;} lines. */
  private List<String> child(String mode) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            java,
            "-Xmx256m",
            // a short-lived child: the client compiler alone starts it in about half the CPU
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            XaCrashChild.class.getName(),
            mode,
            dir.toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.appendTo(new File("target/xa-crash-child.log")))
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.endsWith(";")) {
          lines.add(line);
        }
      }
    }
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "child " + mode + " ended");
    return lines;
  }

  private WarrenConnection open() throws Exception {
    WarrenConnection c = WarrenConnectionFactory.forUrl(XaCrashChild.url(dir)).createConnection();
    c.start();
    return c;
  }

  private int rows(String v) throws Exception {
    return XaSupport.rows(XaSupport.h2(dir.resolve("db")), "T", v);
  }

  @Test
  void aSendPreparedBeforeTheCrashIsCommittedByRecoveryWithTheRow() throws Exception {
    assertEquals(List.of("READY;", "HALT;"), child("crash-send"), "halted between the phases");
    try (WarrenConnection c = open()) {
      assertEquals(
          1,
          c.createXASession().getXAResource().recover(XAResource.TMSTARTRSCAN).length,
          "the broker recovered its prepared branch from the store");
    }
    InVmBrokers.stop(XaCrashChild.BROKER);
    assertEquals(0, rows("crash-send"), "H2's branch is prepared, not committed");

    assertEquals(List.of("RECOVERED;"), child("recover"));
    try (WarrenConnection c = open()) {
      assertEquals(0, c.createXASession().getXAResource().recover(XAResource.TMSTARTRSCAN).length);
      Session s = c.createSession();
      var consumer = s.createConsumer(s.createQueue("xa-crash"));
      TextMessage got = (TextMessage) consumer.receive(5_000);
      assertNotNull(got, "the prepared send was committed by recovery");
      assertEquals("sent", got.getText());
      assertNull(consumer.receive(300), "exactly one message");
    }
    assertEquals(1, rows("crash-send"), "exactly one row");
  }

  @Test
  void aConsumePreparedBeforeTheCrashIsCommittedByRecoveryWithTheRow() throws Exception {
    assertEquals(List.of("READY;", "HALT;"), child("crash-consume"), "halted between the phases");
    assertEquals(List.of("RECOVERED;"), child("recover"));
    try (WarrenConnection c = open()) {
      assertEquals(0, c.createXASession().getXAResource().recover(XAResource.TMSTARTRSCAN).length);
      Session s = c.createSession();
      assertNull(
          s.createConsumer(s.createQueue("xa-crash")).receive(300),
          "the consumed message is gone once recovery committed the branch");
    }
    assertEquals(1, rows("crash-consume"), "exactly one row");
  }
}
