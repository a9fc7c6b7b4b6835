package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.jms.internal.InVmBrokers;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** JMS over the JDBC store (H2 file database), through {@code vm://<broker>?dataDir=...}. */
@Timeout(60)
class PersistentMessagingTest {

  private static final String BROKER = "jms-durable";

  @TempDir Path dataDir;

  @AfterEach
  void stop() {
    InVmBrokers.stop(BROKER);
  }

  private WarrenConnectionFactory factory() throws JMSException {
    return WarrenConnectionFactory.forUrl("vm://" + BROKER + "?dataDir=" + dataDir);
  }

  /** Stops the in-VM broker as a process exit would, then starts it again on the same store. */
  private void restart() {
    InVmBrokers.stop(BROKER);
  }

  @Test
  void persistentMessagesSurviveABrokerRestartAndNonPersistentOnesDoNot() throws Exception {
    try (Connection c = factory().createConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("durable-orders");
      MessageProducer p = s.createProducer(q);
      TextMessage kept = s.createTextMessage("kept");
      kept.setStringProperty("customer", "acme");
      p.send(kept);
      p.send(s.createTextMessage("lost"), DeliveryMode.NON_PERSISTENT, 4, 0);
    }
    restart();
    try (Connection c = factory().createConnection()) {
      c.start();
      Session s = c.createSession();
      MessageConsumer consumer = s.createConsumer(s.createQueue("durable-orders"));
      TextMessage got = (TextMessage) consumer.receive(5_000);
      assertEquals("kept", got.getText());
      assertEquals("acme", got.getStringProperty("customer"));
      assertEquals(DeliveryMode.PERSISTENT, got.getJMSDeliveryMode());
      assertFalse(got.getJMSRedelivered(), "never delivered before the restart");
      assertNull(consumer.receive(300), "the non-persistent message is gone");
    }
  }

  /**
   * A non-persistent send is confirmed at once and a persistent one only after the store's commit,
   * so the broker confirms them out of order; the completion listeners still run in send order
   * (Jakarta Messaging 7.3.8).
   */
  @Test
  void completionListenersRunInSendOrderWhenTheBrokerConfirmsOutOfOrder() throws Exception {
    List<String> completed = new CopyOnWriteArrayList<>();
    CompletionListener listener =
        new CompletionListener() {
          @Override
          public void onCompletion(Message message) {
            try {
              completed.add(((TextMessage) message).getText());
            } catch (JMSException e) {
              completed.add("unreadable");
            }
          }

          @Override
          public void onException(Message message, Exception exception) {
            completed.add("failed: " + exception);
          }
        };
    List<String> sent = new ArrayList<>();
    try (Connection c = factory().createConnection()) {
      Session s = c.createSession();
      MessageProducer p = s.createProducer(s.createQueue("durable-async"));
      for (int i = 0; i < 200; i++) {
        String text = "m" + i;
        int mode = i % 2 == 0 ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT;
        p.send(s.createTextMessage(text), mode, 4, 0, listener);
        sent.add(text);
      }
      s.close(); // waits for every completion listener
    }
    assertEquals(sent, completed);
  }

  @Test
  void anAcknowledgedMessageDoesNotComeBackAndAnUnacknowledgedOneIsRedelivered() throws Exception {
    try (Connection c = factory().createConnection()) {
      c.start();
      Session s = c.createSession();
      Queue q = s.createQueue("durable-acks");
      MessageProducer p = s.createProducer(q);
      p.send(s.createTextMessage("acked"));
      p.send(s.createTextMessage("held"));
      Session client = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
      MessageConsumer consumer = client.createConsumer(q);
      TextMessage first = (TextMessage) consumer.receive(5_000);
      first.acknowledge();
      assertEquals("held", ((TextMessage) consumer.receive(5_000)).getText());
      // "held" is delivered, not acknowledged: the broker goes away now
      restart();
    }
    try (Connection c = factory().createConnection()) {
      c.start();
      Session s = c.createSession();
      MessageConsumer consumer = s.createConsumer(s.createQueue("durable-acks"));
      TextMessage got = (TextMessage) consumer.receive(5_000);
      assertEquals("held", got.getText());
      assertTrue(got.getJMSRedelivered());
      assertNull(consumer.receive(300));
    }
  }

  @Test
  void aCommittedTransactionSurvivesAndARolledBackOneLeavesNothing() throws Exception {
    try (Connection c = factory().createConnection()) {
      Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
      Queue q = tx.createQueue("durable-tx");
      MessageProducer p = tx.createProducer(q);
      p.send(tx.createTextMessage("rolled back"));
      tx.rollback();
      p.send(tx.createTextMessage("committed"));
      tx.commit();
    }
    restart();
    try (Connection c = factory().createConnection()) {
      c.start();
      Session s = c.createSession();
      MessageConsumer consumer = s.createConsumer(s.createQueue("durable-tx"));
      assertEquals("committed", ((TextMessage) consumer.receive(5_000)).getText());
      assertNull(consumer.receive(300));
    }
  }

  @Test
  void asynchronousPersistentSendsCompleteAfterTheirCommitAndSurviveARestart() throws Exception {
    java.util.List<String> completed = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Connection c = factory().createConnection()) {
      Session s = c.createSession();
      MessageProducer p = s.createProducer(s.createQueue("durable-async"));
      for (int i = 0; i < 100; i++) {
        p.send(
            s.createTextMessage("m" + i),
            new jakarta.jms.CompletionListener() {
              @Override
              public void onCompletion(jakarta.jms.Message message) {
                try {
                  completed.add(((TextMessage) message).getText());
                } catch (JMSException e) {
                  throw new IllegalStateException(e);
                }
              }

              @Override
              public void onException(jakarta.jms.Message message, Exception exception) {
                completed.add("failed: " + exception);
              }
            });
      }
      s.close();
      assertEquals(100, completed.size(), "close waits for every completion");
      for (int i = 0; i < 100; i++) {
        assertEquals("m" + i, completed.get(i), "completions in send order");
      }
    }
    restart();
    try (Connection c = factory().createConnection()) {
      c.start();
      MessageConsumer consumer = c.createSession().createConsumer(new WarrenQueue("durable-async"));
      for (int i = 0; i < 100; i++) {
        assertEquals("m" + i, ((TextMessage) consumer.receive(5_000)).getText());
      }
    }
  }

  @Test
  void badStoreOptionsAreRefusedNamingThem() {
    JMSException memory =
        assertThrows(
            JMSException.class,
            () -> WarrenConnectionFactory.forUrl("vm://x?store=memory&dataDir=/tmp/nowhere"));
    assertTrue(memory.getMessage().contains("store=memory"), memory.getMessage());
    JMSException unknown =
        assertThrows(
            JMSException.class,
            () -> WarrenConnectionFactory.forUrl("vm://bad-store?store=nope").createConnection());
    assertTrue(unknown.getMessage().contains("nope"), unknown.getMessage());
    JMSException durability =
        assertThrows(
            JMSException.class,
            () ->
                WarrenConnectionFactory.forUrl(
                        "vm://bad-durability?dataDir=" + dataDir + "&durability=sometimes")
                    .createConnection());
    assertTrue(durability.getMessage().contains("durability"), durability.getMessage());
    assertFalse(durability.getMessage().contains("unknown option"), durability.getMessage());
    JMSException window =
        assertThrows(
            JMSException.class,
            () ->
                WarrenConnectionFactory.forUrl(
                    "vm://bad-window?dataDir=" + dataDir + "&queueWindowBytes=0"));
    assertTrue(window.getMessage().contains("queueWindowBytes"), window.getMessage());
  }

  @Test
  void defaultDurabilityIsPowerLossForAVmUrlWithoutDurability() throws Exception {
    VmUrl url = VmUrl.parse("vm://default-durability?dataDir=" + dataDir);
    assertEquals(
        io.warrenmq.store.jdbc.JdbcStoreConfig.Durability.POWER_LOSS,
        io.warrenmq.store.jdbc.JdbcMessageStoreProvider.config(url.store()).durability());
    VmUrl optOut = VmUrl.parse("vm://opt-out?dataDir=" + dataDir + "&durability=PROCESS_CRASH");
    assertEquals(
        io.warrenmq.store.jdbc.JdbcStoreConfig.Durability.PROCESS_CRASH,
        io.warrenmq.store.jdbc.JdbcMessageStoreProvider.config(optOut.store()).durability());
  }

  @Test
  void everyStoreOptionOfTheReadmeIsAcceptedInAVmUrl() throws Exception {
    String url =
        "vm://all-options?dataDir="
            + dataDir
            + "&durability=POWER_LOSS&queueWindowBytes=65536&prefetch=10&clientID=c1";
    try {
      WarrenConnectionFactory f = WarrenConnectionFactory.forUrl(url);
      try (jakarta.jms.Connection c = f.createConnection()) {
        jakarta.jms.Session s = c.createSession();
        jakarta.jms.Queue q = s.createQueue("all-options");
        s.createProducer(q).send(s.createTextMessage("kept"));
      }
    } finally {
      io.warrenmq.jms.internal.InVmBrokers.stop("all-options");
    }
    try {
      WarrenConnectionFactory f =
          WarrenConnectionFactory.forUrl("vm://all-options-again?dataDir=" + dataDir);
      try (jakarta.jms.Connection c = f.createConnection()) {
        c.start();
        jakarta.jms.Session s = c.createSession();
        jakarta.jms.Message m = s.createConsumer(s.createQueue("all-options")).receive(5_000);
        assertEquals("kept", ((jakarta.jms.TextMessage) m).getText());
      }
    } finally {
      io.warrenmq.jms.internal.InVmBrokers.stop("all-options-again");
    }
  }
}
