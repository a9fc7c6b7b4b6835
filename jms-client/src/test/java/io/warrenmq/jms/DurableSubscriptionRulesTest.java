package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jakarta Messaging 3.1, unshared and shared durable subscriptions, as the API docs of {@code
 * Session.createDurableConsumer}, {@code createDurableSubscriber}, {@code
 * createSharedDurableConsumer} and their {@code JMSContext} twins specify: one active consumer on
 * an unshared durable subscription, and no shared and unshared subscription of one name and client
 * ID. Both errors are a plain {@code JMSException} ({@code JMSRuntimeException} for a context).
 */
@Timeout(20)
class DurableSubscriptionRulesTest extends JmsTestSupport {

  private Connection connection(String clientId) throws JMSException {
    Connection c = factory.createConnection();
    c.setClientID(clientId);
    c.start();
    return c;
  }

  @Test
  void aSecondActiveConsumerOfAnUnsharedDurableSubscriptionIsRefusedWithAJmsException()
      throws Exception {
    try (Connection c = connection("app")) {
      Session s1 = c.createSession();
      Session s2 = c.createSession();
      Topic t = s1.createTopic("prices");
      MessageConsumer first = s1.createDurableConsumer(t, "sub");
      JMSException e = assertThrows(JMSException.class, () -> s2.createDurableConsumer(t, "sub"));
      assertEquals(JMSException.class, e.getClass());
      assertTrue(e.getMessage().contains("already has an active consumer"), e.getMessage());
      assertThrows(JMSException.class, () -> s1.createDurableSubscriber(t, "sub"));
      // the refused session still works, and the first consumer still gets the messages
      s2.createProducer(t).send(s2.createTextMessage("p1"));
      assertEquals("p1", ((TextMessage) first.receive(5_000)).getText());
      first.close();
      MessageConsumer second = s2.createDurableConsumer(t, "sub");
      s1.createProducer(t).send(s1.createTextMessage("p2"));
      assertEquals("p2", ((TextMessage) second.receive(5_000)).getText());
    }
  }

  @Test
  void aSecondActiveConsumerOfAnUnsharedDurableSubscriptionIsRefusedInTheSimplifiedApi() {
    try (JMSContext ctx = factory.createContext()) {
      ctx.setClientID("app");
      Topic t = ctx.createTopic("prices");
      JMSConsumer first = ctx.createDurableConsumer(t, "sub");
      JMSContext other = ctx.createContext(JMSContext.AUTO_ACKNOWLEDGE);
      JMSRuntimeException e =
          assertThrows(JMSRuntimeException.class, () -> other.createDurableConsumer(t, "sub"));
      assertEquals(JMSRuntimeException.class, e.getClass());
      first.close();
      assertNotNull(other.createDurableConsumer(t, "sub"));
      other.close();
    }
  }

  @Test
  void anUnsharedDurableSubscriptionIsRefusedWhileASharedOneOfTheSameNameAndClientIdExists()
      throws Exception {
    try (Connection c = connection("app")) {
      Session s = c.createSession();
      Topic t = s.createTopic("prices");
      s.createSharedDurableConsumer(t, "sub").close(); // exists without an active consumer
      JMSException e = assertThrows(JMSException.class, () -> s.createDurableConsumer(t, "sub"));
      assertEquals(JMSException.class, e.getClass());
      assertTrue(e.getMessage().contains("a shared durable subscription"), e.getMessage());
      assertThrows(JMSException.class, () -> s.createDurableSubscriber(t, "sub", null, false));
      // another name is another subscription
      assertNotNull(s.createDurableConsumer(t, "other"));
    }
  }

  @Test
  void aSharedDurableSubscriptionIsRefusedWhileAnUnsharedOneOfTheSameNameAndClientIdExists()
      throws Exception {
    try (Connection c = connection("app")) {
      Session s = c.createSession();
      Topic t = s.createTopic("prices");
      s.createDurableConsumer(t, "sub").close();
      JMSException e =
          assertThrows(JMSException.class, () -> s.createSharedDurableConsumer(t, "sub"));
      assertEquals(JMSException.class, e.getClass());
      assertTrue(e.getMessage().contains("an unshared durable subscription"), e.getMessage());
      // after unsubscribe, the name is free for the other kind
      s.unsubscribe("sub");
      MessageConsumer shared = s.createSharedDurableConsumer(t, "sub");
      s.createProducer(t).send(s.createTextMessage("x"));
      assertEquals("x", ((TextMessage) shared.receive(5_000)).getText());
      shared.close();
      s.unsubscribe("sub");
      assertThrows(jakarta.jms.InvalidDestinationException.class, () -> s.unsubscribe("sub"));
    }
  }

  @Test
  void sharedAndUnsharedDurableSubscriptionsOfOneNameAreRefusedInTheSimplifiedApi() {
    try (JMSContext ctx = factory.createContext()) {
      ctx.setClientID("app");
      Topic t = ctx.createTopic("prices");
      ctx.createSharedDurableConsumer(t, "a").close();
      ctx.createDurableConsumer(t, "b").close();
      JMSRuntimeException unshared =
          assertThrows(JMSRuntimeException.class, () -> ctx.createDurableConsumer(t, "a"));
      assertEquals(JMSRuntimeException.class, unshared.getClass());
      JMSRuntimeException shared =
          assertThrows(JMSRuntimeException.class, () -> ctx.createSharedDurableConsumer(t, "b"));
      assertEquals(JMSRuntimeException.class, shared.getClass());
    }
  }

  @Test
  void aSharedDurableSubscriptionWithoutClientIdIsNotTheOneOfAClientId() throws Exception {
    try (Connection anonymous = factory.createConnection();
        Connection app = connection("app")) {
      anonymous.start();
      Session s = anonymous.createSession();
      Topic t = s.createTopic("prices");
      MessageConsumer noId = s.createSharedDurableConsumer(t, "sub");
      Session as = app.createSession();
      MessageConsumer unshared = as.createDurableConsumer(t, "sub"); // client ID "app": allowed
      s.createProducer(t).send(s.createTextMessage("both"));
      assertEquals("both", ((TextMessage) noId.receive(5_000)).getText());
      assertEquals("both", ((TextMessage) unshared.receive(5_000)).getText());
      assertNull(noId.receive(100));
    }
  }

  @Test
  void changingTheTopicOfASubscriptionWithAnActiveConsumerIsAJmsException() throws Exception {
    try (Connection c = connection("app")) {
      Session s = c.createSession();
      s.createSharedDurableConsumer(s.createTopic("a"), "sub");
      JMSException e =
          assertThrows(
              JMSException.class,
              () -> c.createSession().createSharedDurableConsumer(s.createTopic("b"), "sub"));
      assertEquals(JMSException.class, e.getClass());
    }
  }
}
