package io.warrenmq.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jakarta Messaging 3.1, section 6.2 "Sessions": transactions (6.2.7), closing a session (6.2.15),
 * and the legacy domain-specific sessions of section 2.8 (the {@code QueueSession} and {@code
 * TopicSession} API docs).
 */
@Timeout(30)
class SessionsTest extends ConformanceSupport {

  private interface Call {
    void run() throws Exception;
  }

  private static void assertIllegalState(String what, Call call) {
    assertThrows(IllegalStateException.class, call::run, what);
  }

  @Test
  @DisplayName("6.2.15: every method of a closed session but close() throws IllegalStateException")
  void aClosedSessionThrowsIllegalStateExceptionFromEveryMethodButClose() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession(Session.SESSION_TRANSACTED);
      Queue q = s.createQueue(unique("closed-session"));
      Topic t = s.createTopic("closed-session");
      s.close();
      assertIllegalState("createMessage", s::createMessage);
      assertIllegalState("createTextMessage", s::createTextMessage);
      assertIllegalState("createBytesMessage", s::createBytesMessage);
      assertIllegalState("createMapMessage", s::createMapMessage);
      assertIllegalState("createStreamMessage", s::createStreamMessage);
      assertIllegalState("createObjectMessage", s::createObjectMessage);
      assertIllegalState("createQueue", () -> s.createQueue("x"));
      assertIllegalState("createTopic", () -> s.createTopic("x"));
      assertIllegalState("createTemporaryQueue", s::createTemporaryQueue);
      assertIllegalState("createTemporaryTopic", s::createTemporaryTopic);
      assertIllegalState("createProducer", () -> s.createProducer(q));
      assertIllegalState("createConsumer", () -> s.createConsumer(q));
      assertIllegalState("createBrowser", () -> s.createBrowser(q));
      assertIllegalState("createSharedConsumer", () -> s.createSharedConsumer(t, "n"));
      assertIllegalState(
          "createSharedDurableConsumer", () -> s.createSharedDurableConsumer(t, "n"));
      assertIllegalState("unsubscribe", () -> s.unsubscribe("n"));
      assertIllegalState("getTransacted", s::getTransacted);
      assertIllegalState("getAcknowledgeMode", s::getAcknowledgeMode);
      assertIllegalState("commit", s::commit);
      assertIllegalState("rollback", s::rollback);
      assertIllegalState("recover", s::recover);
      assertIllegalState("getMessageListener", s::getMessageListener);
      assertIllegalState("setMessageListener", () -> s.setMessageListener(m -> {}));
      assertDoesNotThrow(s::close, "closing a closed session must not throw");
    }
  }

  @Test
  @DisplayName("QueueSession API doc: the publish/subscribe methods throw IllegalStateException")
  void aQueueSessionRefusesThePublishSubscribeMethods() throws JMSException {
    try (QueueConnection c = factory.createQueueConnection()) {
      c.setClientID("queue-session-" + UUID.randomUUID());
      QueueSession s = c.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
      Topic t = c.createSession().createTopic("t"); // a topic made by a unified session
      assertIllegalState("createTopic", () -> s.createTopic("t"));
      assertIllegalState("createTemporaryTopic", s::createTemporaryTopic);
      assertIllegalState("createDurableSubscriber", () -> s.createDurableSubscriber(t, "d"));
      assertIllegalState(
          "createDurableSubscriber 4", () -> s.createDurableSubscriber(t, "d", null, false));
      assertIllegalState("createDurableConsumer", () -> s.createDurableConsumer(t, "d"));
      assertIllegalState(
          "createDurableConsumer 4", () -> s.createDurableConsumer(t, "d", null, false));
      assertIllegalState("createSharedConsumer", () -> s.createSharedConsumer(t, "d"));
      assertIllegalState("createSharedConsumer 3", () -> s.createSharedConsumer(t, "d", null));
      assertIllegalState(
          "createSharedDurableConsumer", () -> s.createSharedDurableConsumer(t, "d"));
      assertIllegalState(
          "createSharedDurableConsumer 3", () -> s.createSharedDurableConsumer(t, "d", null));
      assertIllegalState("unsubscribe", () -> s.unsubscribe("d"));
      // the point-to-point methods work
      Queue q = s.createQueue(unique("queue-session"));
      assertNotNull(s.createBrowser(q));
      assertNotNull(s.createTemporaryQueue());
      assertNotNull(s.createReceiver(q));
    }
  }

  @Test
  @DisplayName("TopicSession API doc: the point-to-point methods throw IllegalStateException")
  void aTopicSessionRefusesThePointToPointMethods() throws JMSException {
    try (TopicConnection c = factory.createTopicConnection()) {
      TopicSession s = c.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue q = c.createSession().createQueue(unique("q"));
      assertIllegalState("createQueue", () -> s.createQueue("q"));
      assertIllegalState("createTemporaryQueue", s::createTemporaryQueue);
      assertIllegalState("createBrowser", () -> s.createBrowser(q));
      assertIllegalState("createBrowser 2", () -> s.createBrowser(q, null));
      // the publish/subscribe methods work
      Topic t = s.createTopic("topic-session");
      assertNotNull(s.createTemporaryTopic());
      assertNotNull(s.createSubscriber(t));
      assertNotNull(s.createPublisher(t));
    }
  }

  @Test
  @DisplayName(
      "6.2.15: Session.close() in its own MessageListener throws; the session stays usable")
  void closeOfTheOwnSessionInAListenerThrowsAndTheSessionStaysUsable() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue(unique("listener-session-close"));
      AtomicReference<Exception> thrown = new AtomicReference<>();
      AtomicReference<String> afterwards = new AtomicReference<>();
      CountDownLatch done = new CountDownLatch(1);
      s.createConsumer(q)
          .setMessageListener(
              m -> {
                try {
                  s.close();
                } catch (Exception e) {
                  thrown.set(e);
                }
                try {
                  afterwards.set(s.createTextMessage("still open").getText());
                } catch (JMSException e) {
                  afterwards.set(e.toString());
                }
                done.countDown();
              });
      Session sender = c.createSession();
      sender.createProducer(q).send(sender.createTextMessage("x"));
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertInstanceOf(IllegalStateException.class, thrown.get());
      assertEquals("still open", afterwards.get());
      assertEquals(Session.AUTO_ACKNOWLEDGE, s.getAcknowledgeMode());
    }
  }

  /** Publishes {@code texts} to the topic on a session of its own. */
  private void publish(Connection c, Topic t, String... texts) throws JMSException {
    Session s = c.createSession();
    MessageProducer p = s.createProducer(t);
    for (String text : texts) {
      p.send(s.createTextMessage(text));
    }
    s.close();
  }

  @Test
  @DisplayName("6.2.15: closing a transacted session rolls back what a durable subscriber received")
  void closingATransactedSessionRedeliversTheDurableSubscriptionsUncommittedMessages()
      throws JMSException {
    String clientId = "tx-close-" + UUID.randomUUID();
    try (Connection c = factory.createConnection()) {
      c.setClientID(clientId);
      c.start();
      Session tx = c.createSession(Session.SESSION_TRANSACTED);
      Topic t = tx.createTopic("tx-close");
      MessageConsumer sub = tx.createDurableSubscriber(t, "sub");
      publish(c, t, "a", "b");
      tx.commit(); // nothing received yet
      assertEquals("a", ((TextMessage) sub.receive(5_000)).getText());
      assertEquals("b", ((TextMessage) sub.receive(5_000)).getText());
      tx.close(); // not committed: both go back to the subscription

      Session again = c.createSession(Session.SESSION_TRANSACTED);
      MessageConsumer resumed = again.createDurableSubscriber(t, "sub");
      Message a = resumed.receive(5_000);
      Message b = resumed.receive(5_000);
      assertNotNull(a, "the uncommitted message must be redelivered to the subscription");
      assertEquals("a", ((TextMessage) a).getText());
      assertTrue(a.getJMSRedelivered());
      assertEquals(2, a.getIntProperty("JMSXDeliveryCount"));
      assertEquals("b", ((TextMessage) b).getText());
      again.commit();
      assertNull(resumed.receive(200));
      resumed.close();
      again.unsubscribe("sub");
    }
  }

  @Test
  @DisplayName("6.1.8: closing the connection rolls back what a durable subscriber received")
  void closingTheConnectionRedeliversTheDurableSubscriptionsUncommittedMessages()
      throws JMSException {
    String clientId = "tx-conn-close-" + UUID.randomUUID();
    Topic t;
    try (Connection c = factory.createConnection()) {
      c.setClientID(clientId);
      c.start();
      Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
      t = tx.createTopic("tx-conn-close");
      MessageConsumer sub = tx.createDurableSubscriber(t, "sub");
      publish(c, t, "one");
      assertEquals("one", ((TextMessage) sub.receive(5_000)).getText());
    } // the connection closes with the transaction open
    try (Connection c = factory.createConnection()) {
      c.setClientID(clientId);
      c.start();
      Session s = c.createSession(Session.SESSION_TRANSACTED);
      MessageConsumer resumed = s.createDurableSubscriber(t, "sub");
      Message m = resumed.receive(5_000);
      assertNotNull(m, "the uncommitted message must be redelivered to the subscription");
      assertEquals("one", ((TextMessage) m).getText());
      assertTrue(m.getJMSRedelivered());
      s.commit();
      resumed.close();
      s.unsubscribe("sub");
    }
  }

  @Test
  @DisplayName("6.2.15: closing a transacted session rolls back what a queue consumer received")
  void closingATransactedSessionRedeliversTheQueuesUncommittedMessages() throws JMSException {
    try (Connection c = startedConnection()) {
      Session tx = c.createSession(Session.SESSION_TRANSACTED);
      Queue q = tx.createQueue(unique("tx-close-queue"));
      MessageProducer p = tx.createProducer(q);
      p.send(tx.createTextMessage("q1"));
      p.send(tx.createTextMessage("q2"));
      tx.commit();
      MessageConsumer consumer = tx.createConsumer(q);
      assertEquals("q1", ((TextMessage) consumer.receive(5_000)).getText());
      assertEquals("q2", ((TextMessage) consumer.receive(5_000)).getText());
      tx.close();

      Session again = c.createSession(Session.SESSION_TRANSACTED);
      MessageConsumer resumed = again.createConsumer(q);
      Message m = resumed.receive(5_000);
      assertEquals("q1", ((TextMessage) m).getText());
      assertTrue(m.getJMSRedelivered());
      assertEquals("q2", ((TextMessage) resumed.receive(5_000)).getText());
      again.commit();
    }
  }

  @Test
  @DisplayName("6.2.7: rollback redelivers a topic subscriber's messages to the same subscriber")
  void rollbackRedeliversToANonDurableSubscriber() throws JMSException {
    try (Connection c = startedConnection()) {
      Session tx = c.createSession(Session.SESSION_TRANSACTED);
      Topic t = tx.createTopic("tx-rollback-nd");
      MessageConsumer sub = tx.createConsumer(t);
      publish(c, t, "n1");
      assertEquals("n1", ((TextMessage) sub.receive(5_000)).getText());
      tx.rollback();
      Message again = sub.receive(5_000);
      assertEquals("n1", ((TextMessage) again).getText());
      assertTrue(again.getJMSRedelivered());
      tx.commit();
      assertNull(sub.receive(200));
    }
  }

  @Test
  @DisplayName(
      "6.2.15: a TopicSession closed after a commit and one more receive rolls that one back")
  void closingATopicSessionAfterACommitRedeliversOnlyTheUncommittedMessage() throws JMSException {
    String clientId = "tx-topic-session-" + UUID.randomUUID();
    try (TopicConnection c = factory.createTopicConnection()) {
      c.setClientID(clientId);
      TopicSession publisher = c.createTopicSession(true, 0);
      Topic t = publisher.createTopic("tx-topic-session");
      TopicSession tx = c.createTopicSession(true, 0);
      MessageConsumer sub = tx.createDurableSubscriber(t, "sub");
      c.start();
      MessageProducer p = publisher.createPublisher(t);
      TextMessage m = publisher.createTextMessage("first");
      p.send(m);
      publisher.commit();
      assertEquals("first", ((TextMessage) sub.receive(5_000)).getText());
      tx.commit();
      p.send(publisher.createTextMessage("second"));
      publisher.commit();
      assertEquals("second", ((TextMessage) sub.receive(5_000)).getText());
      tx.close();

      TopicSession again = c.createTopicSession(true, 0);
      MessageConsumer resumed = again.createDurableSubscriber(t, "sub");
      Message redelivered = resumed.receive(5_000);
      assertNotNull(redelivered, "the uncommitted message must be redelivered");
      assertEquals("second", ((TextMessage) redelivered).getText());
      assertTrue(redelivered.getJMSRedelivered());
      again.commit();
      assertNull(resumed.receive(200), "the committed one is gone");
      resumed.close();
      again.unsubscribe("sub");
    }
  }

  @Test
  @DisplayName("6.2.10: CLIENT_ACKNOWLEDGE acknowledges every message the session consumed")
  void acknowledgeInClientModeAcknowledgesEveryConsumedMessageOfTheSession() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
      Queue q1 = s.createQueue(unique("client-ack-1"));
      Queue q2 = s.createQueue(unique("client-ack-2"));
      s.createProducer(q1).send(s.createTextMessage("a"));
      s.createProducer(q2).send(s.createTextMessage("b"));
      Message a = s.createConsumer(q1).receive(5_000);
      Message b = s.createConsumer(q2).receive(5_000);
      assertNotNull(b);
      a.acknowledge(); // acknowledges b too
      s.close();
      Session check = c.createSession();
      assertNull(check.createConsumer(q1).receive(200));
      assertNull(check.createConsumer(q2).receive(200));
    }
  }

  @Test
  @DisplayName(
      "6.2.10: recover() redelivers the unacknowledged messages in order, marked redelivered")
  void recoverRedeliversUnacknowledgedMessagesInOrder() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
      Queue q = s.createQueue(unique("recover"));
      MessageProducer p = s.createProducer(q);
      p.send(s.createTextMessage("1"));
      p.send(s.createTextMessage("2"));
      MessageConsumer consumer = s.createConsumer(q);
      assertEquals("1", ((TextMessage) consumer.receive(5_000)).getText());
      assertEquals("2", ((TextMessage) consumer.receive(5_000)).getText());
      s.recover();
      Message first = consumer.receive(5_000);
      assertEquals("1", ((TextMessage) first).getText());
      assertTrue(first.getJMSRedelivered());
      assertEquals("2", ((TextMessage) consumer.receive(5_000)).getText());
      first.acknowledge();
      assertThrows(
          IllegalStateException.class, c.createSession(Session.SESSION_TRANSACTED)::recover);
    }
  }

  @Test
  @DisplayName("6.2.8: a temporary queue is consumable only by its connection, deleted when unused")
  void aTemporaryQueueBelongsToItsConnection() throws JMSException {
    try (Connection c = startedConnection();
        Connection other = startedConnection()) {
      Session s = c.createSession();
      jakarta.jms.TemporaryQueue tq = s.createTemporaryQueue();
      s.createProducer(tq).send(s.createTextMessage("temp"));
      Session otherSession = other.createSession();
      assertThrows(
          jakarta.jms.InvalidDestinationException.class, () -> otherSession.createConsumer(tq));
      otherSession.createProducer(tq).send(otherSession.createTextMessage("from other"));
      MessageConsumer consumer = s.createConsumer(tq);
      assertEquals("temp", ((TextMessage) consumer.receive(5_000)).getText());
      assertEquals("from other", ((TextMessage) consumer.receive(5_000)).getText());
      assertThrows(IllegalStateException.class, tq::delete, "it still has a consumer");
      consumer.close();
      tq.delete();
    }
  }
}
