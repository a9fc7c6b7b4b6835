package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class DeliveryDelayTest extends JmsTestSupport {

  private static final long DELAY_MS = 600;

  private void assertDelayed(Session s, Destination d, MessageConsumer consumer) throws Exception {
    MessageProducer p = s.createProducer(d);
    p.setDeliveryDelay(DELAY_MS);
    assertEquals(DELAY_MS, p.getDeliveryDelay());
    long sentAt = System.currentTimeMillis();
    p.send(s.createTextMessage("later"));
    p.setDeliveryDelay(0);
    p.send(s.createTextMessage("now"));

    TextMessage first = (TextMessage) consumer.receive(5_000);
    assertEquals("now", first.getText(), "the undelayed message overtakes the delayed one");
    TextMessage later = (TextMessage) consumer.receive(5_000);
    long receivedAt = System.currentTimeMillis();
    assertEquals("later", later.getText());
    assertTrue(
        receivedAt - sentAt >= DELAY_MS,
        "delivered after " + (receivedAt - sentAt) + " ms, delay " + DELAY_MS);
    assertTrue(later.getJMSDeliveryTime() >= sentAt + DELAY_MS, "JMSDeliveryTime is send + delay");
    assertNull(consumer.receive(100));
  }

  @Test
  void aDelayedQueueMessageArrivesAfterTheDelay() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      var q = s.createQueue("delayed-q");
      assertDelayed(s, q, s.createConsumer(q));
    }
  }

  @Test
  void aDelayedTopicMessageArrivesAfterTheDelay() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      var t = s.createTopic("delayed-t");
      assertDelayed(s, t, s.createConsumer(t));
    }
  }

  @Test
  void aDelayedTemporaryTopicMessageReachesOnlyThatTopic() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      var mine = s.createTemporaryTopic();
      var other = s.createTemporaryTopic();
      MessageConsumer otherConsumer = s.createConsumer(other);
      assertDelayed(s, mine, s.createConsumer(mine));
      assertNull(otherConsumer.receive(100));
    }
  }

  @Test
  void theSimplifiedApiDelaysToo() {
    try (JMSContext ctx = factory.createContext()) {
      var q = ctx.createQueue("delayed-ctx");
      var consumer = ctx.createConsumer(q);
      ctx.createProducer().setDeliveryDelay(DELAY_MS).send(q, "later");
      assertNull(consumer.receiveBody(String.class, 100));
      assertEquals("later", consumer.receiveBody(String.class, 5_000));
    }
  }

  @Test
  void withoutADelayJMSDeliveryTimeIsTheSendTime() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      var q = s.createQueue("undelayed-q");
      MessageConsumer consumer = s.createConsumer(q);
      MessageProducer p = s.createProducer(q);

      TextMessage stamped = s.createTextMessage("stamped");
      p.send(stamped);
      assertTrue(stamped.getJMSTimestamp() > 0);
      assertEquals(stamped.getJMSTimestamp(), stamped.getJMSDeliveryTime());
      TextMessage got = (TextMessage) consumer.receive(5_000);
      assertEquals("stamped", got.getText());
      assertEquals(stamped.getJMSTimestamp(), got.getJMSTimestamp());
      assertEquals(stamped.getJMSDeliveryTime(), got.getJMSDeliveryTime());

      p.setDisableMessageTimestamp(true);
      TextMessage unstamped = s.createTextMessage("unstamped");
      long before = System.currentTimeMillis();
      p.send(unstamped);
      long after = System.currentTimeMillis();
      TextMessage got2 = (TextMessage) consumer.receive(5_000);
      assertEquals("unstamped", got2.getText());
      assertEquals(0L, got2.getJMSTimestamp(), "timestamp disabled");
      assertEquals(unstamped.getJMSDeliveryTime(), got2.getJMSDeliveryTime());
      assertTrue(
          got2.getJMSDeliveryTime() >= before && got2.getJMSDeliveryTime() <= after,
          "JMSDeliveryTime " + got2.getJMSDeliveryTime() + " is the send time");
    }
  }

  @Test
  void aNegativeDelayIsRefused() throws Exception {
    try (Connection c = startedConnection()) {
      MessageProducer p = c.createSession().createProducer(null);
      assertThrows(JMSException.class, () -> p.setDeliveryDelay(-1));
    }
  }
}
