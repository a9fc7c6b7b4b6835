package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class DeliverySemanticsTest extends JmsTestSupport {

  @Test
  void higherPriorityMessagesAreDeliveredFirst() throws Exception {
    try (Connection c = factory.createConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("prioritised");
      MessageProducer p = s.createProducer(q);
      for (int priority : new int[] {0, 9, 4, 7}) {
        p.send(s.createTextMessage("p" + priority), DeliveryMode.NON_PERSISTENT, priority, 0);
      }
      c.start();
      MessageConsumer consumer = s.createConsumer(q);
      for (String expected : new String[] {"p9", "p7", "p4", "p0"}) {
        assertEquals(expected, ((TextMessage) consumer.receive(5_000)).getText());
      }
    }
  }

  @Test
  void anExpiredMessageIsNeverDelivered() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("expiring");
      MessageProducer p = s.createProducer(q);
      TextMessage shortLived = s.createTextMessage("short-lived");
      p.send(shortLived, DeliveryMode.NON_PERSISTENT, 4, 50);
      TextMessage lasting = s.createTextMessage("lasting");
      long before = System.currentTimeMillis();
      p.send(lasting, DeliveryMode.NON_PERSISTENT, 4, 60_000);
      assertTrue(lasting.getJMSExpiration() >= before + 60_000, "JMSExpiration = send + ttl");
      // let the clock pass the short-lived message's expiration before anyone consumes; the
      // broker's TTL counts from the message's arrival (as RabbitMQ's), a few ms after
      // JMSExpiration was computed, or more on a loaded machine: hence the margin
      while (System.currentTimeMillis() <= shortLived.getJMSExpiration() + 250) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      }
      MessageConsumer consumer = s.createConsumer(q);
      TextMessage got = (TextMessage) consumer.receive(5_000);
      assertEquals("lasting", got.getText());
      assertEquals(lasting.getJMSExpiration(), got.getJMSExpiration());
      assertNull(consumer.receive(200));
    }
  }

  @Test
  void recoverRedeliversEveryUnacknowledgedMessageOfAClientAcknowledgeSession() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
      Queue q = s.createQueue("recovered");
      MessageProducer p = s.createProducer(q);
      p.send(s.createTextMessage("a"));
      p.send(s.createTextMessage("b"));
      MessageConsumer consumer = s.createConsumer(q);
      assertEquals("a", ((TextMessage) consumer.receive(5_000)).getText());
      TextMessage b = (TextMessage) consumer.receive(5_000);
      assertFalse(b.getJMSRedelivered());
      s.recover();
      TextMessage again = (TextMessage) consumer.receive(5_000);
      assertTrue(again.getJMSRedelivered());
      TextMessage againB = (TextMessage) consumer.receive(5_000);
      assertTrue(againB.getJMSRedelivered());
      assertEquals(java.util.Set.of("a", "b"), java.util.Set.of(again.getText(), againB.getText()));
      againB.acknowledge();
      s.recover();
      assertNull(consumer.receive(200), "acknowledge() acked every message consumed so far");
    }
  }

  @Test
  void recoverInsideAnAutoAcknowledgeListenerRedeliversTheCurrentMessage() throws Exception {
    try (Connection c = factory.createConnection()) {
      List<String> seen = Collections.synchronizedList(new ArrayList<>());
      List<Exception> errors = Collections.synchronizedList(new ArrayList<>());
      c.setExceptionListener(errors::add);
      Session s = c.createSession();
      Queue q = s.createQueue("recover-in-listener");
      CountDownLatch done = new CountDownLatch(2); // a redelivered, then b
      s.createConsumer(q)
          .setMessageListener(
              m -> {
                try {
                  String text = ((TextMessage) m).getText();
                  seen.add(text + (m.getJMSRedelivered() ? "*" : ""));
                  if (text.equals("a") && !m.getJMSRedelivered()) {
                    s.recover(); // Jakarta Messaging 6.2.11: the message comes again
                  } else {
                    done.countDown();
                  }
                } catch (JMSException e) {
                  errors.add(e);
                }
              });
      MessageProducer p = s.createProducer(q);
      p.send(s.createTextMessage("a"));
      c.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (seen.size() < 2 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(1_000_000);
      }
      assertEquals(List.of("a", "a*"), seen, "redelivered, flagged");
      p.send(s.createTextMessage("b"));
      assertTrue(done.await(5, TimeUnit.SECONDS), "seen " + seen);
      assertEquals(List.of("a", "a*", "b"), seen);
      assertEquals(List.of(), errors);
      c.stop();
      MessageConsumer check = c.createSession().createConsumer(q);
      c.start();
      assertNull(check.receive(300), "both messages were acknowledged");
    }
  }

  @Test
  void aQueueRequestorGetsItsReplyThroughATemporaryQueue() throws Exception {
    try (QueueConnection requester = factory.createQueueConnection();
        Connection responder = startedConnection()) {
      Session rs = responder.createSession();
      Queue service = rs.createQueue("service");
      rs.createConsumer(service)
          .setMessageListener(
              m -> {
                try {
                  rs.createProducer(m.getJMSReplyTo())
                      .send(rs.createTextMessage("re: " + ((TextMessage) m).getText()));
                } catch (jakarta.jms.JMSException e) {
                  throw new IllegalStateException(e);
                }
              });
      requester.start();
      QueueSession qs = requester.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
      QueueRequestor requestor = new QueueRequestor(qs, service);
      TextMessage reply = (TextMessage) requestor.request(qs.createTextMessage("ping"));
      assertEquals("re: ping", reply.getText());
      requestor.close();
    }
  }
}
