package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.GetResponse;
import io.warrenmq.engine.Channel;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class QueueSendReceiveTest extends JmsTestSupport {

  @Test
  void aQueueMessageLandsInTheEngineQueueOfTheSameNameViaJmsQueueExchange() throws Exception {
    try (Connection c = factory.createConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("orders");
      TextMessage m = s.createTextMessage("order-1");
      m.setStringProperty("customer", "acme");
      s.createProducer(q).send(m);

      try (io.warrenmq.engine.Connection raw = broker.newConnection("/", "probe")) {
        Channel ch = raw.createChannel();
        GetResponse got = ch.basicGet("orders", true);
        assertNotNull(got, "the JMS queue must be the engine queue 'orders'");
        assertEquals("jms.queue", got.delivery().exchange());
        assertEquals("orders", got.delivery().routingKey());
        assertArrayEquals("order-1".getBytes(StandardCharsets.UTF_8), got.delivery().body());
        assertEquals("acme", got.delivery().properties().headers().get("customer"));
        assertEquals(2, got.delivery().properties().deliveryMode());
        assertEquals(0, ch.queueDeclarePassive("orders").messageCount());
      }
    }
  }

  @Test
  void receiveReturnsTextMessagesInOrderWithHeaders() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue q = s.createQueue("q1");
      MessageProducer p = s.createProducer(q);
      p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
      p.setPriority(4);
      MessageConsumer consumer = s.createConsumer(q);
      List<String> sentIds = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        TextMessage m = s.createTextMessage("m" + i);
        m.setIntProperty("n", i);
        m.setJMSCorrelationID("corr-" + i);
        m.setJMSType("OrderPlaced");
        p.send(m);
        sentIds.add(m.getJMSMessageID());
      }
      for (int i = 0; i < 50; i++) {
        Message got = consumer.receive(5_000);
        TextMessage t = assertInstanceOf(TextMessage.class, got);
        assertEquals("m" + i, t.getText());
        assertEquals(i, t.getIntProperty("n"));
        assertEquals("corr-" + i, t.getJMSCorrelationID());
        assertEquals("OrderPlaced", t.getJMSType());
        assertEquals(sentIds.get(i), t.getJMSMessageID());
        assertTrue(t.getJMSMessageID().startsWith("ID:"));
        assertEquals(DeliveryMode.NON_PERSISTENT, t.getJMSDeliveryMode());
        assertEquals(4, t.getJMSPriority());
        assertEquals(q, t.getJMSDestination());
        assertFalse(t.getJMSRedelivered());
        assertEquals(1, t.getIntProperty("JMSXDeliveryCount"));
      }
      assertNull(consumer.receiveNoWait());
    }
  }

  @Test
  void aStoppedConnectionDeliversNothingUntilStarted() throws Exception {
    try (Connection c = factory.createConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("q2");
      s.createProducer(q).send(s.createTextMessage("hello"));
      MessageConsumer consumer = s.createConsumer(q);
      assertNull(consumer.receive(200), "a connection that was never started delivers nothing");
      c.start();
      assertEquals("hello", ((TextMessage) consumer.receive(5_000)).getText());
    }
  }

  @Test
  void messagesPrefetchedByAClosedConsumerComeBackNotMarkedRedelivered() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("prefetched");
      MessageProducer p = s.createProducer(q);
      for (int i = 0; i < 5; i++) {
        p.send(s.createTextMessage("m" + i));
      }
      MessageConsumer first = s.createConsumer(q);
      assertEquals("m0", ((TextMessage) first.receive(5_000)).getText());
      first.close(); // m1..m4 sat in its prefetch buffer, never seen by the application
      MessageConsumer second = s.createConsumer(q);
      for (int i = 1; i < 5; i++) {
        TextMessage m = (TextMessage) second.receive(5_000);
        assertEquals("m" + i, m.getText());
        assertFalse(m.getJMSRedelivered(), "never delivered to the application");
        assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
      }
    }
  }

  @Test
  void objectMessagesRoundTripTheirSerializedBody() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("objects");
      ArrayList<String> payload = new ArrayList<>(List.of("a", "b"));
      ObjectMessage sent = s.createObjectMessage(payload);
      payload.add("changed after setObject");
      s.createProducer(q).send(sent);
      ObjectMessage got = (ObjectMessage) s.createConsumer(q).receive(5_000);
      assertEquals(List.of("a", "b"), got.getObject());
      assertEquals(List.of("a", "b"), got.getBody(List.class));
    }
  }

  @Test
  void twoConsumersOnOneQueueShareTheMessagesWithoutDuplicates() throws Exception {
    try (Connection c = startedConnection()) {
      Session s1 = c.createSession();
      Session s2 = c.createSession();
      Queue q = s1.createQueue("shared");
      MessageConsumer a = s1.createConsumer(q);
      MessageConsumer b = s2.createConsumer(q);
      MessageProducer p = s1.createProducer(q);
      for (int i = 0; i < 100; i++) {
        p.send(s1.createTextMessage(Integer.toString(i)));
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      long deadline = System.currentTimeMillis() + 10_000;
      while (seen.size() < 100 && System.currentTimeMillis() < deadline) {
        for (MessageConsumer consumer : List.of(a, b)) {
          Message m = consumer.receive(20);
          if (m != null) {
            assertTrue(seen.add(((TextMessage) m).getText()), "duplicate delivery");
          }
        }
      }
      assertEquals(100, seen.size());
    }
  }
}
