package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jakarta Messaging 3.1, section 3.8.1 "Message selector", through the JMS API: a selector that is
 * invalid by the syntax and type rules of 3.8.1.1 is refused when the consumer is created ({@code
 * InvalidSelectorException}, or {@code InvalidSelectorRuntimeException} in the simplified API), and
 * selectors select by the spec's rules end to end.
 */
@Timeout(30)
class MessageSelectorConformanceTest extends JmsTestSupport {

  /** Invalid by 3.8.1.1: unlike literal types, string/boolean ordering, BETWEEN on strings. */
  private static final String[] INVALID = {
    "color < 'red'",
    "color <= 'red'",
    "color > 'red'",
    "color >= 'red'",
    "'red' = TRUE",
    "NULL = 0",
    "TRUE = 0",
    "FALSE = 0",
    "size BETWEEN 'a' AND 'z'",
    "size NOT BETWEEN 'a' AND 'z'",
    "'it''s' + 1 = 2",
    "color = 'red' AND 7",
    "9223372036854775808 = size",
    "AND = 1",
    "color = 'red",
  };

  @Test
  void anInvalidSelectorThrowsInvalidSelectorExceptionWhenAConsumerIsCreated() throws Exception {
    try (Connection c = factory.createConnection()) {
      c.setClientID("selector-conformance");
      c.start();
      Session s = c.createSession();
      Queue q = s.createQueue("invalid-selectors");
      Topic t = s.createTopic("invalid-selectors");
      for (String selector : INVALID) {
        InvalidSelectorException e =
            assertThrows(
                InvalidSelectorException.class, () -> s.createConsumer(q, selector), selector);
        assertTrue(e.getMessage().contains(selector), e.getMessage());
        assertThrows(InvalidSelectorException.class, () -> s.createConsumer(t, selector), selector);
        assertThrows(
            InvalidSelectorException.class, () -> s.createConsumer(t, selector, true), selector);
        assertThrows(
            InvalidSelectorException.class,
            () -> s.createDurableConsumer(t, "durable", selector, false),
            selector);
        assertThrows(
            InvalidSelectorException.class,
            () -> s.createSharedConsumer(t, "shared", selector),
            selector);
        assertThrows(
            InvalidSelectorException.class,
            () -> s.createSharedDurableConsumer(t, "shared-durable", selector),
            selector);
        assertThrows(InvalidSelectorException.class, () -> s.createBrowser(q, selector), selector);
      }
      // nothing was left behind by the refused consumers: the session still works
      s.createProducer(q).send(s.createTextMessage("still usable"));
      assertEquals("still usable", ((TextMessage) s.createConsumer(q).receive(5_000)).getText());
    }
  }

  @Test
  void anInvalidSelectorThrowsInvalidSelectorExceptionInTheDomainSpecificSessions()
      throws Exception {
    try (QueueConnection qc = factory.createQueueConnection();
        TopicConnection tc = factory.createTopicConnection()) {
      QueueSession qs = qc.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
      TopicSession ts = tc.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
      for (String selector : INVALID) {
        assertThrows(
            InvalidSelectorException.class,
            () -> qs.createReceiver(qs.createQueue("q"), selector),
            selector);
        assertThrows(
            InvalidSelectorException.class,
            () -> ts.createSubscriber(ts.createTopic("t"), selector, false),
            selector);
      }
    }
  }

  @Test
  void anInvalidSelectorThrowsInvalidSelectorRuntimeExceptionInTheSimplifiedApi() {
    try (JMSContext ctx = factory.createContext()) {
      ctx.setClientID("selector-conformance-context");
      Queue q = ctx.createQueue("invalid-selectors");
      Topic t = ctx.createTopic("invalid-selectors");
      for (String selector : INVALID) {
        InvalidSelectorRuntimeException e =
            assertThrows(
                InvalidSelectorRuntimeException.class,
                () -> ctx.createConsumer(q, selector),
                selector);
        assertTrue(e.getCause() instanceof InvalidSelectorException, String.valueOf(e.getCause()));
        assertThrows(
            InvalidSelectorRuntimeException.class,
            () -> ctx.createConsumer(t, selector, false),
            selector);
        assertThrows(
            InvalidSelectorRuntimeException.class,
            () -> ctx.createDurableConsumer(t, "durable", selector, false),
            selector);
        assertThrows(
            InvalidSelectorRuntimeException.class,
            () -> ctx.createSharedConsumer(t, "shared", selector),
            selector);
        assertThrows(
            InvalidSelectorRuntimeException.class,
            () -> ctx.createSharedDurableConsumer(t, "shared-durable", selector),
            selector);
        assertThrows(
            InvalidSelectorRuntimeException.class, () -> ctx.createBrowser(q, selector), selector);
      }
    }
  }

  @Test
  void anEmptySelectorIsNoSelector() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("empty-selector");
      s.createProducer(q).send(s.createTextMessage("any"));
      MessageConsumer consumer = s.createConsumer(q, "");
      assertEquals("any", ((TextMessage) consumer.receive(5_000)).getText());
    }
  }

  private static List<String> drain(MessageConsumer consumer) throws Exception {
    List<String> texts = new ArrayList<>();
    for (Message m = consumer.receive(2_000); m != null; m = consumer.receive(300)) {
      texts.add(((TextMessage) m).getText());
    }
    return texts;
  }

  @Test
  void aQueueConsumerWithAMixedTypeNumericSelectorReceivesTheMessagesThatMatchAfterPromotion()
      throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("mixed-numbers");
      MessageProducer p = s.createProducer(q);
      TextMessage m;
      // quantity (int) against limit (double): 3 < 3.5 selected, 4 > 3.5 not
      m = s.createTextMessage("int-below-double");
      m.setIntProperty("quantity", 3);
      m.setDoubleProperty("limit", 3.5);
      p.send(m);
      m = s.createTextMessage("int-above-double");
      m.setIntProperty("quantity", 4);
      m.setDoubleProperty("limit", 3.5);
      p.send(m);
      // long against float, byte against short
      m = s.createTextMessage("long-below-float");
      m.setLongProperty("quantity", 3_000_000_000L);
      m.setFloatProperty("limit", 3.5e9f);
      p.send(m);
      m = s.createTextMessage("byte-below-short");
      m.setByteProperty("quantity", (byte) 1);
      m.setShortProperty("limit", (short) 2);
      p.send(m);
      m = s.createTextMessage("equal-int-and-double");
      m.setIntProperty("quantity", 2);
      m.setDoubleProperty("limit", 2.0);
      p.send(m);
      // a string that looks like a number is not a number (3.8.1.1)
      m = s.createTextMessage("string-quantity");
      m.setStringProperty("quantity", "1");
      m.setDoubleProperty("limit", 3.5);
      p.send(m);

      MessageConsumer below = s.createConsumer(q, "quantity < limit");
      assertEquals(
          List.of("int-below-double", "long-below-float", "byte-below-short"), drain(below));
      below.close();
      MessageConsumer equal = s.createConsumer(q, "quantity * 1.0 = limit AND quantity = 2");
      assertEquals(List.of("equal-int-and-double"), drain(equal));
      equal.close();
      MessageConsumer rest = s.createConsumer(q);
      assertEquals(List.of("int-above-double", "string-quantity"), drain(rest));
    }
  }

  @Test
  void headerFieldsCombineWithPropertiesInASelector() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("cars");
      MessageProducer p = s.createProducer(q);
      TextMessage red = s.createTextMessage("red-car");
      red.setJMSType("car");
      red.setStringProperty("color", "red");
      red.setLongProperty("weight", 3000);
      p.send(red);
      TextMessage blue = s.createTextMessage("blue-car");
      blue.setJMSType("car");
      blue.setJMSCorrelationID("order-9");
      blue.setStringProperty("color", "blue");
      blue.setLongProperty("weight", 3000);
      p.send(blue, DeliveryMode.NON_PERSISTENT, 7, 0);

      String selector =
          "JMSType = 'car' AND color = 'blue' AND weight > 2500"
              + " AND JMSCorrelationID = 'order-9' AND JMSPriority = 7"
              + " AND JMSDeliveryMode = 'NON_PERSISTENT'"
              + " AND JMSMessageID = '"
              + blue.getJMSMessageID()
              + "' AND JMSTimestamp = "
              + blue.getJMSTimestamp();
      MessageConsumer blues = s.createConsumer(q, selector);
      TextMessage got = (TextMessage) blues.receive(5_000);
      assertEquals("blue-car", got.getText());
      assertEquals(blue.getJMSMessageID(), got.getJMSMessageID());
      assertNull(blues.receive(300));
      blues.close();

      MessageConsumer persistentReds =
          s.createConsumer(
              q,
              "JMSDeliveryMode = 'PERSISTENT' AND JMSPriority = 4 AND JMSCorrelationID IS NULL"
                  + " AND JMSMessageID = '"
                  + red.getJMSMessageID()
                  + "'");
      assertEquals("red-car", ((TextMessage) persistentReds.receive(5_000)).getText());
    }
  }

  @Test
  void literalsSelectByTheirJavaValues() throws Exception {
    try (JMSContext ctx = factory.createContext()) {
      Queue q = ctx.createQueue("literals");
      ctx.createProducer()
          .setProperty("name", "it's")
          .setProperty("min", Long.MIN_VALUE)
          .setProperty("max", Long.MAX_VALUE)
          .setProperty("ratio", 1500.0)
          .send(q, "match");
      ctx.createProducer()
          .setProperty("name", "its")
          .setProperty("min", Long.MIN_VALUE + 1)
          .setProperty("max", Long.MAX_VALUE - 1)
          .setProperty("ratio", 1.5)
          .send(q, "no-match");
      JMSConsumer consumer =
          ctx.createConsumer(
              q,
              "name = 'it''s' AND min = -9223372036854775808L AND max = 9223372036854775807L"
                  + " AND ratio = 1.5e3");
      assertEquals("match", consumer.receiveBody(String.class, 5_000));
      assertNull(consumer.receiveNoWait());
    }
  }

  @Test
  void betweenOnAPropertyHoldingANonNumericStringSelectsNothing() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue("ages");
      MessageProducer p = s.createProducer(q);
      TextMessage text = s.createTextMessage("text-age");
      text.setStringProperty("age", "seventeen");
      p.send(text);
      TextMessage digits = s.createTextMessage("digit-string-age");
      digits.setStringProperty("age", "17");
      p.send(digits);
      TextMessage number = s.createTextMessage("int-age");
      number.setIntProperty("age", 17);
      p.send(number);
      TextMessage old = s.createTextMessage("old");
      old.setIntProperty("age", 70);
      p.send(old);

      MessageConsumer between = s.createConsumer(q, "age BETWEEN 15 AND 19");
      assertEquals(List.of("int-age"), drain(between));
      between.close();
      MessageConsumer notBetween = s.createConsumer(q, "age NOT BETWEEN 15 AND 19");
      assertEquals(List.of("old"), drain(notBetween));
      notBetween.close();
      assertEquals(List.of("text-age", "digit-string-age"), drain(s.createConsumer(q)));
    }
  }
}
