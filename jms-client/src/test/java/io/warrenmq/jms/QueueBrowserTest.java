package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class QueueBrowserTest extends JmsTestSupport {

  private static List<String> texts(QueueBrowser browser) throws Exception {
    List<String> out = new ArrayList<>();
    for (Object m : Collections.list(browser.getEnumeration())) {
      out.add(((TextMessage) m).getText());
    }
    return out;
  }

  @Test
  void aBrowserShowsReadyMessagesInOrderWithoutConsumingThem() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("browsed");
      MessageProducer p = s.createProducer(q);
      for (String color : new String[] {"red", "blue", "red"}) {
        TextMessage m = s.createTextMessage(color);
        m.setStringProperty("color", color);
        p.send(m);
      }
      QueueBrowser all = s.createBrowser(q);
      assertEquals(List.of("red", "blue", "red"), texts(all));
      assertEquals(List.of("red", "blue", "red"), texts(all), "browsing does not consume");
      QueueBrowser reds = s.createBrowser(q, "color = 'red'");
      assertEquals("color = 'red'", reds.getMessageSelector());
      assertEquals(List.of("red", "red"), texts(reds));

      jakarta.jms.MessageConsumer consumer = s.createConsumer(q);
      assertEquals("red", ((TextMessage) consumer.receive(5_000)).getText());
      // the consumer's prefetched (unacknowledged) messages are not shown while it holds them
      consumer.close();
      assertEquals(List.of("blue", "red"), texts(all), "a consumed message leaves the queue");
    }
  }

  /**
   * Jakarta Messaging 8.8 (closing a consumer): a message the closed consumer did not deliver is
   * back on the queue when close() returns, even one the broker was handing over while it closed.
   */
  @Test
  void everyMessageAClosedConsumerDidNotDeliverIsBrowsableWhenCloseReturns() throws Exception {
    int sent = 300;
    int rounds = 20;
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("browsed-after-close");
      MessageProducer p = s.createProducer(q);
      p.setDeliveryMode(jakarta.jms.DeliveryMode.NON_PERSISTENT);
      for (int i = 0; i < sent; i++) {
        p.send(s.createTextMessage("m" + i));
      }
      QueueBrowser browser = s.createBrowser(q);
      for (int round = 1; round <= rounds; round++) {
        jakarta.jms.MessageConsumer consumer = s.createConsumer(q);
        // the broker is still pushing the rest of the prefetch when the consumer closes
        assertInstanceOf(TextMessage.class, consumer.receive(5_000));
        consumer.close();
        assertEquals(sent - round, texts(browser).size(), "after round " + round);
      }
    }
  }

  /**
   * A consumer the broker cancelled (its queue deleted: RabbitMQ's consumer cancel notify) gets no
   * cancel-ok for its own cancel; its close() must not wait for one.
   */
  @Test
  void closingAConsumerWhoseQueueWasDeletedReturnsAtOnce() throws Exception {
    try (Connection c = startedConnection();
        io.warrenmq.engine.Connection admin = broker.newConnection("/", "admin")) {
      Session s = c.createSession();
      jakarta.jms.MessageConsumer consumer = s.createConsumer(s.createQueue("deleted-under-me"));
      assertEquals(0, admin.createChannel().queueDelete("deleted-under-me", false, false));
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
          java.time.Duration.ofSeconds(5), consumer::close, "close waited for a cancel-ok");
    }
  }

  @Test
  void higherPriorityMessagesAreBrowsedFirstAsTheyWouldBeDelivered() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("browsed-priority");
      MessageProducer p = s.createProducer(q);
      p.send(s.createTextMessage("low"), jakarta.jms.DeliveryMode.NON_PERSISTENT, 1, 0);
      p.send(s.createTextMessage("high"), jakarta.jms.DeliveryMode.NON_PERSISTENT, 9, 0);
      assertEquals(List.of("high", "low"), texts(s.createBrowser(q)));
    }
  }

  @Test
  void badBrowserArgumentsAreRefused() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      assertThrows(
          InvalidSelectorException.class, () -> s.createBrowser(s.createQueue("q"), "a ="));
      assertThrows(InvalidDestinationException.class, () -> s.createBrowser(null));
    }
  }
}
