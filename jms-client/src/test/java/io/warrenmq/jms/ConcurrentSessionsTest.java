package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ConcurrentSessionsTest extends JmsTestSupport {

  private static final int PRODUCERS = 4;
  private static final int PER_PRODUCER = 2_500;
  private static final int CONSUMERS = 4;

  @Test
  void manyProducerAndConsumerSessionsOnOneQueueLoseAndDuplicateNothing() throws Exception {
    int total = PRODUCERS * PER_PRODUCER;
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Map<String, Integer> duplicates = new ConcurrentHashMap<>();
    CountDownLatch all = new CountDownLatch(total);
    try (Connection consumers = startedConnection();
        Connection producers = startedConnection()) {
      Queue q = consumers.createSession().createQueue("busy");
      for (int i = 0; i < CONSUMERS; i++) {
        Session s =
            consumers.createSession(
                false, i % 2 == 0 ? Session.AUTO_ACKNOWLEDGE : Session.CLIENT_ACKNOWLEDGE);
        s.createConsumer(q)
            .setMessageListener(
                m -> {
                  try {
                    String text = ((TextMessage) m).getText();
                    if (!seen.add(text)) {
                      duplicates.merge(text, 1, Integer::sum);
                    }
                    m.acknowledge();
                  } catch (JMSException e) {
                    throw new IllegalStateException(e);
                  }
                  all.countDown();
                });
      }
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        int id = p;
        Session s = producers.createSession();
        MessageProducer producer = s.createProducer(q);
        Thread t =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < PER_PRODUCER; i++) {
                      producer.send(s.createTextMessage(id + "-" + i));
                    }
                  } catch (JMSException e) {
                    throw new IllegalStateException(e);
                  }
                });
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
      assertTrue(all.await(30, TimeUnit.SECONDS), "delivered " + seen.size() + " of " + total);
      assertEquals(total, seen.size());
      assertEquals(Map.of(), duplicates);
    }
  }
}
