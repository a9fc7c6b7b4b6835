package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link QueueBrowserTest} over the wire transport ({@code amqp://} to an in-process WarrenServer,
 * WarrenMQ's browse extension, docs/protocol-browse.md), plus what only the wire can get wrong: a
 * browse locks nothing, a large snapshot arrives whole and in order, and a browse on a session
 * whose consumer is receiving leaves that consumer alone.
 */
class QueueBrowserOverWireTest extends QueueBrowserTest {
  @RegisterExtension static final WireTestBroker WIRE = new WireTestBroker();

  QueueBrowserOverWireTest() {
    // set here, not in a @BeforeEach: a subclass's @BeforeEach runs after its superclass's, some
    // of which already use the factory
    broker = WIRE.broker();
    try {
      factory = WIRE.factory();
    } catch (JMSException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  @BeforeEach
  void startBroker() {}

  @Override
  @AfterEach
  void stopBroker() {}

  @Test
  void browsedMessagesAreNotLockedAndAnotherSessionConsumesThemAtOnce() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("wire-browsed-unlocked");
      MessageProducer p = s.createProducer(q);
      p.send(s.createTextMessage("one"));
      p.send(s.createTextMessage("two"));
      QueueBrowser browser = s.createBrowser(q);
      assertEquals(2, Collections.list(browser.getEnumeration()).size());

      Session other = c.createSession();
      MessageConsumer consumer = other.createConsumer(q);
      TextMessage first = (TextMessage) consumer.receive(5_000);
      assertEquals("one", first.getText());
      assertEquals(1, first.getIntProperty("JMSXDeliveryCount"), "browsing counts no delivery");
      assertEquals("two", ((TextMessage) consumer.receive(5_000)).getText());
    }
  }

  @Test
  void aLargeSnapshotArrivesWholeAndInOrder() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("wire-browsed-large");
      MessageProducer p = s.createProducer(q);
      String padding = "x".repeat(4_000); // 500 x 4 kB: many frames, more than one socket buffer
      for (int i = 0; i < 500; i++) {
        TextMessage m = s.createTextMessage(padding);
        m.setIntProperty("n", i);
        p.send(m);
      }
      List<Message> seen = Collections.list(s.createBrowser(q).getEnumeration());
      assertEquals(500, seen.size());
      for (int i = 0; i < 500; i++) {
        assertEquals(i, seen.get(i).getIntProperty("n"));
      }
      List<Message> evens = Collections.list(s.createBrowser(q, "n < 10").getEnumeration());
      assertEquals(10, evens.size());
    }
  }

  @Test
  void aBrowseOnASessionWithAReceivingConsumerLeavesItsDeliveriesAlone() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue consumed = s.createQueue("wire-browse-consumed");
      Queue browsed = s.createQueue("wire-browse-shelf");
      MessageProducer p = s.createProducer(null);
      MessageConsumer consumer = s.createConsumer(consumed);
      p.send(consumed, s.createTextMessage("c1"));
      p.send(browsed, s.createTextMessage("b1"));
      p.send(consumed, s.createTextMessage("c2"));

      List<Message> seen = Collections.list(s.createBrowser(browsed).getEnumeration());
      assertEquals(1, seen.size());
      assertEquals("b1", ((TextMessage) seen.get(0)).getText());
      assertEquals("c1", ((TextMessage) consumer.receive(5_000)).getText());
      assertEquals("c2", ((TextMessage) consumer.receive(5_000)).getText());
      assertTrue(Collections.list(s.createBrowser(consumed).getEnumeration()).isEmpty());
    }
  }
}
