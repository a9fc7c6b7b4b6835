package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The life of a broker that {@code vm://} URLs start: stopped by {@link
 * WarrenConnectionFactory#stopBroker} or, at a normal JVM exit, by the shutdown hook, each time
 * with a clean store shutdown; kept while it has no connection; refused to a URL that asks for
 * another store.
 */
@Timeout(180)
class InVmBrokerLifecycleTest {

  @TempDir Path dir;

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
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

  @BeforeEach
  void listen() {
    Logger.getLogger("").addHandler(handler);
  }

  @AfterEach
  void stop() {
    Logger.getLogger("").removeHandler(handler);
    for (String b :
        List.of("lifecycle-parent", "lifecycle-stop", "lifecycle-kept", "lifecycle-mm")) {
      WarrenConnectionFactory.stopBroker(b);
    }
  }

  private List<String> uncleanWarnings() {
    List<String> warnings = new ArrayList<>();
    for (LogRecord r : records) {
      if (r.getLevel().intValue() >= Level.WARNING.intValue()
          && r.getMessage() != null
          && r.getMessage().contains("did not close cleanly")) {
        warnings.add(r.getMessage());
      }
    }
    return warnings;
  }

  private static int count(Session s, Queue q) throws JMSException {
    return Collections.list(s.createBrowser(q).getEnumeration()).size();
  }

  @Test
  void aMessageAcknowledgedJustBeforeSystemExitStaysAcknowledgedAndTheStoreClosedCleanly()
      throws Exception {
    String url = "vm://lifecycle-child?dataDir=" + dir.toAbsolutePath();
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                // a short-lived child: the client compiler alone starts it in about half the CPU
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                InVmExitChild.class.getName(),
                url)
            .redirectError(
                ProcessBuilder.Redirect.appendTo(new File("target/in-vm-exit-child.log")))
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
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child ended");
    assertEquals(0, p.exitValue());
    assertEquals(List.of("ACKED;"), lines);

    WarrenConnectionFactory f =
        WarrenConnectionFactory.forUrl("vm://lifecycle-parent?dataDir=" + dir.toAbsolutePath());
    try (Connection c = f.createConnection()) {
      Session s = c.createSession();
      assertEquals(0, count(s, s.createQueue("acked")), "the acked message came back");
      assertEquals(1, count(s, s.createQueue("kept")));
    }
    assertEquals(List.of(), uncleanWarnings());
  }

  @Test
  void stopBrokerClosesItsConnectionsAndStoreCleanlyAndTheNextUrlStartsItAgain() throws Exception {
    WarrenConnectionFactory f =
        WarrenConnectionFactory.forUrl("vm://lifecycle-stop?dataDir=" + dir.toAbsolutePath());
    Connection c = f.createConnection();
    c.start();
    Session s = c.createSession();
    Queue q = s.createQueue("q");
    s.createProducer(q).send(s.createTextMessage("one"));
    s.createProducer(q).send(s.createTextMessage("two"));
    assertEquals("one", ((TextMessage) s.createConsumer(q).receive(5_000)).getText());

    assertTrue(WarrenConnectionFactory.stopBroker("lifecycle-stop"));
    assertFalse(WarrenConnectionFactory.stopBroker("lifecycle-stop"));
    assertThrows(JMSException.class, () -> c.createSession().createProducer(q));

    try (Connection again = f.createConnection()) {
      again.start();
      Session s2 = again.createSession();
      TextMessage m = (TextMessage) s2.createConsumer(q).receive(5_000);
      assertEquals("two", m.getText());
      assertNull(s2.createConsumer(q).receiveNoWait());
    }
    assertEquals(List.of(), uncleanWarnings());
  }

  @Test
  void aBrokerStartedByAUrlKeepsItsMessagesWhenItsLastConnectionCloses() throws Exception {
    WarrenConnectionFactory f = WarrenConnectionFactory.forUrl("vm://lifecycle-kept");
    try (Connection c = f.createConnection()) {
      Session s = c.createSession();
      s.createProducer(s.createQueue("q")).send(s.createTextMessage("in memory"));
    }
    try (Connection c = f.createConnection()) {
      c.start();
      Session s = c.createSession();
      assertEquals(
          "in memory",
          ((TextMessage) s.createConsumer(s.createQueue("q")).receive(5_000)).getText());
    }
  }

  @Test
  void aUrlWhoseStoreOptionsDifferFromTheRunningBrokersIsRefusedNamingBoth() throws Exception {
    Path a = dir.resolve("a").toAbsolutePath();
    Path b = dir.resolve("b").toAbsolutePath();
    try (Connection first =
        WarrenConnectionFactory.forUrl("vm://lifecycle-mm?dataDir=" + a).createConnection()) {
      JMSException e =
          assertThrows(
              JMSException.class,
              () ->
                  WarrenConnectionFactory.forUrl("vm://lifecycle-mm?dataDir=" + b)
                      .createConnection());
      assertTrue(
          e.getMessage().contains("dataDir=" + a) && e.getMessage().contains("dataDir=" + b),
          e.getMessage());
      JMSException pg =
          assertThrows(
              JMSException.class,
              () ->
                  WarrenConnectionFactory.forUrl(
                          "vm://lifecycle-mm?jdbcUrl=jdbc:postgresql://h/db&jdbcUser=u"
                              + "&jdbcPassword=s3cret-pw")
                      .createConnection());
      assertTrue(pg.getMessage().contains("jdbcPassword=****"), pg.getMessage());
      assertFalse(pg.getMessage().contains("s3cret-pw"), pg.getMessage());
      JMSException durability =
          assertThrows(
              JMSException.class,
              () ->
                  WarrenConnectionFactory.forUrl(
                          "vm://lifecycle-mm?dataDir=" + a + "&durability=POWER_LOSS")
                      .createConnection());
      assertTrue(
          durability.getMessage().contains("durability=POWER_LOSS"), durability.getMessage());
      // the same options, or none, join the running broker
      WarrenConnectionFactory.forUrl("vm://lifecycle-mm?dataDir=" + a).createConnection().close();
      WarrenConnectionFactory.forUrl("vm://lifecycle-mm").createConnection().close();
    }
  }
}
