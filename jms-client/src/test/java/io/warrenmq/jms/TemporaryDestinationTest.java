package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class TemporaryDestinationTest extends JmsTestSupport {

  @Test
  void aReplyThroughATemporaryQueueReachesTheRequester() throws Exception {
    try (Connection requester = startedConnection();
        Connection responder = startedConnection()) {
      Session rs = requester.createSession();
      TemporaryQueue replies = rs.createTemporaryQueue();
      MessageConsumer replyConsumer = rs.createConsumer(replies);
      TextMessage request = rs.createTextMessage("ping");
      request.setJMSReplyTo(replies);
      rs.createProducer(rs.createQueue("requests")).send(request);

      Session ss = responder.createSession();
      Message got = ss.createConsumer(ss.createQueue("requests")).receive(5_000);
      assertTrue(got.getJMSReplyTo() instanceof TemporaryQueue, "JMSReplyTo keeps its kind");
      ss.createProducer(got.getJMSReplyTo()).send(ss.createTextMessage("pong"));

      TextMessage reply = (TextMessage) replyConsumer.receive(5_000);
      assertEquals("pong", reply.getText());
      assertEquals(replies, reply.getJMSDestination());
    }
  }

  @Test
  void onlyTheCreatingConnectionMayConsumeFromATemporaryDestination() throws Exception {
    try (Connection owner = startedConnection();
        Connection other = startedConnection()) {
      TemporaryQueue q = owner.createSession().createTemporaryQueue();
      TemporaryTopic t = owner.createSession().createTemporaryTopic();
      Session os = other.createSession();
      assertThrows(InvalidDestinationException.class, () -> os.createConsumer(q));
      assertThrows(InvalidDestinationException.class, () -> os.createConsumer(t));
      assertThrows(InvalidDestinationException.class, () -> os.createDurableConsumer(t, "d"));
    }
  }

  @Test
  void everySubscriberOfATemporaryTopicGetsEachMessage() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      TemporaryTopic t = s.createTemporaryTopic();
      MessageConsumer a = s.createConsumer(t);
      MessageConsumer b = s.createConsumer(t);
      s.createProducer(t).send(s.createTextMessage("event"));
      assertEquals("event", ((TextMessage) a.receive(5_000)).getText());
      assertEquals("event", ((TextMessage) b.receive(5_000)).getText());
    }
  }

  @Test
  void aTemporaryQueueWithAConsumerCannotBeDeletedAndIsGoneAfterDelete() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      TemporaryQueue q = s.createTemporaryQueue();
      MessageConsumer consumer = s.createConsumer(q);
      assertThrows(IllegalStateException.class, q::delete);
      consumer.close();
      q.delete();
      assertFalse(
          broker.virtualHost("/").queueExists(q.getQueueName()), "the engine queue is deleted");
      assertThrows(InvalidDestinationException.class, () -> s.createConsumer(q));
    }
  }

  @Test
  void closingTheConnectionDeletesItsTemporaryDestinations() throws Exception {
    String queueName;
    String topicExchange;
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      queueName = s.createTemporaryQueue().getQueueName();
      topicExchange = s.createTemporaryTopic().getTopicName();
      assertTrue(broker.virtualHost("/").queueExists(queueName));
      assertTrue(broker.virtualHost("/").exchangeExists(topicExchange));
    }
    assertFalse(broker.virtualHost("/").queueExists(queueName));
    assertFalse(broker.virtualHost("/").exchangeExists(topicExchange));
  }
}
