package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class TopicSubscriptionTest extends JmsTestSupport {

  @Test
  void everyNonDurableSubscriberGetsEveryMessage() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Topic t = s.createTopic("order-events");
      MessageConsumer a = s.createConsumer(t);
      MessageConsumer b = c.createSession().createConsumer(t);
      MessageProducer p = s.createProducer(t);
      for (int i = 0; i < 20; i++) {
        p.send(s.createTextMessage("e" + i));
      }
      for (MessageConsumer consumer : new MessageConsumer[] {a, b}) {
        for (int i = 0; i < 20; i++) {
          TextMessage m = (TextMessage) consumer.receive(5_000);
          assertEquals("e" + i, m.getText());
          assertEquals(t, m.getJMSDestination());
        }
        assertNull(consumer.receiveNoWait());
      }
    }
  }

  @Test
  void aSubscriberSeesOnlyMessagesPublishedAfterItSubscribed() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Topic t = s.createTopic("news");
      MessageProducer p = s.createProducer(t);
      p.send(s.createTextMessage("before"));
      MessageConsumer late = s.createConsumer(t);
      p.send(s.createTextMessage("after"));
      assertEquals("after", ((TextMessage) late.receive(5_000)).getText());
      assertNull(late.receive(100));
    }
  }

  @Test
  void consumersOfOneSharedSubscriptionSplitItsMessages() throws Exception {
    try (Connection c = startedConnection()) {
      Session s1 = c.createSession();
      Session s2 = c.createSession();
      Topic t = s1.createTopic("shared-events");
      MessageConsumer a = s1.createSharedConsumer(t, "sub");
      MessageConsumer b = s2.createSharedConsumer(t, "sub");
      MessageProducer p = s1.createProducer(t);
      for (int i = 0; i < 40; i++) {
        p.send(s1.createTextMessage(Integer.toString(i)));
      }
      Set<String> seen = new HashSet<>();
      long deadline = System.currentTimeMillis() + 10_000;
      while (seen.size() < 40 && System.currentTimeMillis() < deadline) {
        for (MessageConsumer consumer : new MessageConsumer[] {a, b}) {
          TextMessage m = (TextMessage) consumer.receive(20);
          if (m != null && !seen.add(m.getText())) {
            throw new AssertionError("delivered twice: " + m.getText());
          }
        }
      }
      assertEquals(40, seen.size());
    }
  }

  @Test
  void aDurableSubscriptionKeepsMessagesWhileItsConsumerIsClosed() throws Exception {
    try (Connection c = factory.createConnection()) {
      c.setClientID("client-1");
      c.start();
      Session s = c.createSession();
      Topic t = s.createTopic("durable-events");
      s.createDurableConsumer(t, "audit").close();
      s.createProducer(t).send(s.createTextMessage("kept"));
      MessageConsumer again = s.createDurableConsumer(t, "audit");
      assertEquals("kept", ((TextMessage) again.receive(5_000)).getText());
      again.close();
      s.unsubscribe("audit");
      assertThrows(jakarta.jms.InvalidDestinationException.class, () -> s.unsubscribe("audit"));
    }
  }

  @Test
  void aClientIdInUseByAnOpenConnectionIsRefusedAndFreedByClose() throws Exception {
    Connection first = factory.createConnection();
    first.setClientID("unique-id");
    try (Connection second = factory.createConnection()) {
      jakarta.jms.InvalidClientIDException e =
          assertThrows(
              jakarta.jms.InvalidClientIDException.class, () -> second.setClientID("unique-id"));
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("unique-id"));
    }
    first.close();
    try (Connection third = factory.createConnection()) {
      third.setClientID("unique-id");
      assertEquals("unique-id", third.getClientID());
    }
  }

  @Test
  void anUnsharedDurableSubscriptionNeedsAClientId() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      assertThrows(
          IllegalStateException.class, () -> s.createDurableConsumer(s.createTopic("t"), "name"));
    }
  }
}
