package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class SelectorTest extends JmsTestSupport {

  private static void send(Session s, MessageProducer p, String text, String color, int priority)
      throws Exception {
    TextMessage m = s.createTextMessage(text);
    m.setStringProperty("color", color);
    p.send(m, jakarta.jms.DeliveryMode.NON_PERSISTENT, priority, 0);
  }

  @Test
  void aQueueConsumerWithASelectorGetsOnlyMatchingMessagesAndLeavesTheRest() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("selected");
      MessageProducer p = s.createProducer(q);
      send(s, p, "r1", "red", 4);
      send(s, p, "b1", "blue", 4);
      send(s, p, "r2", "red", 4);
      MessageConsumer reds = s.createConsumer(q, "color = 'red'");
      assertEquals("color = 'red'", reds.getMessageSelector());
      assertEquals("r1", ((TextMessage) reds.receive(5_000)).getText());
      assertEquals("r2", ((TextMessage) reds.receive(5_000)).getText());
      assertNull(reds.receive(200));
      MessageConsumer rest = c.createSession().createConsumer(q);
      assertEquals("b1", ((TextMessage) rest.receive(5_000)).getText());
    }
  }

  @Test
  void headersSuchAsJmsPriorityCanBeSelected() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("urgent");
      MessageProducer p = s.createProducer(q);
      send(s, p, "low", "x", 1);
      send(s, p, "high", "x", 8);
      MessageConsumer urgent = s.createConsumer(q, "JMSPriority > 5");
      assertEquals("high", ((TextMessage) urgent.receive(5_000)).getText());
      assertNull(urgent.receive(200));
    }
  }

  @Test
  void aTopicSubscriberSelectorKeepsUnselectedMessagesOutOfItsSubscription() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Topic t = s.createTopic("paint-events");
      MessageConsumer reds = s.createConsumer(t, "color IN ('red', 'crimson')");
      MessageConsumer all = s.createConsumer(t);
      MessageProducer p = s.createProducer(t);
      send(s, p, "r", "red", 4);
      send(s, p, "b", "blue", 4);
      send(s, p, "c", "crimson", 4);
      assertEquals("r", ((TextMessage) reds.receive(5_000)).getText());
      assertEquals("c", ((TextMessage) reds.receive(5_000)).getText());
      assertNull(reds.receive(200));
      for (String expected : new String[] {"r", "b", "c"}) {
        assertEquals(expected, ((TextMessage) all.receive(5_000)).getText());
      }
    }
  }

  @Test
  void anInvalidSelectorThrowsInvalidSelectorExceptionAtConsumerCreation() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      InvalidSelectorException e =
          assertThrows(
              InvalidSelectorException.class,
              () -> s.createConsumer(s.createQueue("q"), "color = = 'red'"));
      assertTrue(e.getMessage().contains("color = = 'red'"), e.getMessage());
      assertThrows(
          InvalidSelectorException.class,
          () -> s.createConsumer(s.createTopic("t"), "size BETWEEN 1"));
      assertThrows(
          InvalidSelectorException.class,
          () -> s.createSharedConsumer(s.createTopic("t"), "sub", "NOT"));
    }
  }

  @Test
  void changingTheSelectorOfAnInactiveDurableSubscriptionReplacesIt() throws Exception {
    try (Connection c = factory.createConnection()) {
      c.setClientID("durable-selector");
      c.start();
      Session s = c.createSession();
      Topic t = s.createTopic("durable-paint");
      s.createDurableConsumer(t, "sub", "color = 'red'", false).close();
      MessageProducer p = s.createProducer(t);
      send(s, p, "kept-red", "red", 4);
      send(s, p, "dropped-blue", "blue", 4);
      MessageConsumer again = s.createDurableConsumer(t, "sub", "color = 'red'", false);
      assertEquals("kept-red", ((TextMessage) again.receive(5_000)).getText());
      again.close();
      send(s, p, "old-red", "red", 4);
      MessageConsumer blue = s.createDurableConsumer(t, "sub", "color = 'blue'", false);
      send(s, p, "new-blue", "blue", 4);
      assertEquals(
          "new-blue",
          ((TextMessage) blue.receive(5_000)).getText(),
          "a changed selector makes a new subscription: the old one's message is gone");
      assertNull(blue.receive(200));
    }
  }

  @Test
  void aSharedSubscriptionInUseCannotBeReopenedWithAnotherSelector() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Topic t = s.createTopic("shared-paint");
      s.createSharedConsumer(t, "painters", "color = 'red'");
      // the API doc of createSharedConsumer: a JMSException, not its IllegalStateException subclass
      JMSException e =
          assertThrows(
              JMSException.class,
              () -> c.createSession().createSharedConsumer(t, "painters", "color = 'blue'"));
      assertEquals(JMSException.class, e.getClass());
    }
  }

  @Test
  void noLocalSubscribersDoNotSeeTheirOwnConnectionsMessages() throws Exception {
    try (Connection mine = startedConnection();
        Connection other = startedConnection()) {
      Session s = mine.createSession();
      Topic t = s.createTopic("chat");
      MessageConsumer noLocal = s.createConsumer(t, null, true);
      MessageConsumer everything = s.createConsumer(t);
      s.createProducer(t).send(s.createTextMessage("from me"));
      Session os = other.createSession();
      os.createProducer(t).send(os.createTextMessage("from other"));
      assertEquals("from other", ((TextMessage) noLocal.receive(5_000)).getText());
      assertNull(noLocal.receive(200));
      assertEquals("from me", ((TextMessage) everything.receive(5_000)).getText());
      assertEquals("from other", ((TextMessage) everything.receive(5_000)).getText());
    }
  }
}
