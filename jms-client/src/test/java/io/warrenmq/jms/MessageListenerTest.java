package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class MessageListenerTest extends JmsTestSupport {

  @Test
  void aListenerGetsEveryMessageInOrderOneAtATime() throws Exception {
    try (Connection c = factory.createConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("listened");
      MessageConsumer consumer = s.createConsumer(q);
      List<String> got = new CopyOnWriteArrayList<>();
      AtomicInteger concurrent = new AtomicInteger();
      AtomicInteger maxConcurrent = new AtomicInteger();
      CountDownLatch all = new CountDownLatch(500);
      consumer.setMessageListener(
          m -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
              got.add(((TextMessage) m).getText());
            } catch (JMSException e) {
              throw new IllegalStateException(e);
            }
            concurrent.decrementAndGet();
            all.countDown();
          });
      MessageProducer p = c.createSession().createProducer(q);
      for (int i = 0; i < 500; i++) {
        p.send(s.createTextMessage(Integer.toString(i)));
      }
      c.start();
      assertTrue(all.await(10, TimeUnit.SECONDS), "received " + got.size() + " of 500");
      for (int i = 0; i < 500; i++) {
        assertEquals(Integer.toString(i), got.get(i));
      }
      assertEquals(1, maxConcurrent.get(), "listeners of one session must not overlap");
    }
  }

  /**
   * Messages buffered while the connection was stopped and messages that arrive while the listener
   * runs (delivered without the buffer when none is waiting ahead) reach each listener in order,
   * and the two listeners of one session never run at the same time.
   */
  @Test
  void bufferedAndLaterMessagesReachTwoListenersOfOneSessionInOrderOneAtATime() throws Exception {
    int before = 300;
    int after = 2_000;
    try (Connection c = factory.createConnection()) {
      Session s = c.createSession();
      Queue q1 = s.createQueue("listened-1");
      Queue q2 = s.createQueue("listened-2");
      List<String> got1 = new CopyOnWriteArrayList<>();
      List<String> got2 = new CopyOnWriteArrayList<>();
      AtomicInteger concurrent = new AtomicInteger();
      AtomicInteger maxConcurrent = new AtomicInteger();
      CountDownLatch all = new CountDownLatch(2 * (before + after));
      for (Object[] pair : new Object[][] {{q1, got1}, {q2, got2}}) {
        @SuppressWarnings("unchecked")
        List<String> got = (List<String>) pair[1];
        s.createConsumer((Queue) pair[0])
            .setMessageListener(
                m -> {
                  maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                  try {
                    got.add(((TextMessage) m).getText());
                  } catch (JMSException e) {
                    throw new IllegalStateException(e);
                  }
                  concurrent.decrementAndGet();
                  all.countDown();
                });
      }
      Session producerSession = c.createSession();
      MessageProducer p1 = producerSession.createProducer(q1);
      MessageProducer p2 = producerSession.createProducer(q2);
      for (int i = 0; i < before; i++) {
        p1.send(producerSession.createTextMessage(Integer.toString(i)));
        p2.send(producerSession.createTextMessage(Integer.toString(i)));
      }
      c.start();
      for (int i = before; i < before + after; i++) {
        p1.send(producerSession.createTextMessage(Integer.toString(i)));
        p2.send(producerSession.createTextMessage(Integer.toString(i)));
      }

      assertTrue(
          all.await(15, TimeUnit.SECONDS), "received " + got1.size() + " and " + got2.size());
      for (int i = 0; i < before + after; i++) {
        assertEquals(Integer.toString(i), got1.get(i));
        assertEquals(Integer.toString(i), got2.get(i));
      }
      assertEquals(1, maxConcurrent.get(), "listeners of one session must not overlap");
    }
  }

  @Test
  void aListenerThatThrowsGetsTheMessageAgainMarkedRedelivered() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("poison");
      List<Boolean> redeliveredFlags = new CopyOnWriteArrayList<>();
      CountDownLatch twice = new CountDownLatch(2);
      s.createConsumer(q)
          .setMessageListener(
              m -> {
                try {
                  redeliveredFlags.add(m.getJMSRedelivered());
                } catch (JMSException e) {
                  throw new IllegalStateException(e);
                }
                twice.countDown();
                if (redeliveredFlags.size() == 1) {
                  throw new IllegalStateException("first attempt fails");
                }
              });
      c.createSession().createProducer(q).send(s.createTextMessage("x"));
      assertTrue(twice.await(10, TimeUnit.SECONDS));
      assertEquals(List.of(false, true), redeliveredFlags);
    }
  }
}
