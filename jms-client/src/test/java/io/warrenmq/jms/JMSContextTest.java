package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class JMSContextTest extends JmsTestSupport {

  @Test
  void theSimplifiedApiSendsBodiesWithPropertiesAndHeadersAndAutoStarts() {
    try (JMSContext ctx = factory.createContext()) {
      Queue q = ctx.createQueue("simple");
      JMSConsumer consumer = ctx.createConsumer(q);
      ctx.createProducer()
          .setProperty("region", "eu")
          .setJMSCorrelationID("c-1")
          .setPriority(7)
          .send(q, "text body");
      ctx.createProducer().send(q, Map.of("k", 5));
      ctx.createProducer().send(q, new byte[] {1, 2});

      Message first = consumer.receive(5_000);
      assertEquals("text body", first.getBody(String.class));
      assertEquals("eu", first.getStringProperty("region"));
      assertEquals("c-1", first.getJMSCorrelationID());
      assertEquals(7, first.getJMSPriority());
      assertEquals(5, consumer.receiveBody(Map.class, 5_000).get("k"));
      assertEquals(2, consumer.receiveBody(byte[].class, 5_000).length);
    } catch (jakarta.jms.JMSException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void receiveBodyOfTheWrongTypeLeavesTheMessageForTheNextReceiveAsIfNotDelivered() {
    try (JMSContext ctx = factory.createContext()) {
      Queue q = ctx.createQueue("wrong-type");
      JMSConsumer consumer = ctx.createConsumer(q);
      ctx.createProducer().send(q, "not a number");
      assertThrows(
          MessageFormatRuntimeException.class, () -> consumer.receiveBody(Long.class, 5_000));
      TextMessage again = (TextMessage) consumer.receive(5_000);
      assertEquals("not a number", again.getText());
      // JMSConsumer.receiveBody API doc: not a redelivery, JMSRedelivered stays false
      assertFalse(again.getJMSRedelivered());
    } catch (jakarta.jms.JMSException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aTransactedContextCommitsAndRollsBack() {
    try (JMSContext tx = factory.createContext(JMSContext.SESSION_TRANSACTED);
        JMSContext reader = tx.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
      Queue q = tx.createQueue("ctx-tx");
      JMSConsumer consumer = reader.createConsumer(q);
      tx.createProducer().send(q, "rolled back");
      tx.rollback();
      tx.createProducer().send(q, "committed");
      assertNull(consumer.receiveBody(String.class, 200));
      tx.commit();
      assertEquals("committed", consumer.receiveBody(String.class, 5_000));
      assertNull(consumer.receiveBody(String.class, 200));
    }
  }

  @Test
  void contextsMadeByCreateContextShareTheConnectionAndCannotSetTheClientId() {
    JMSContext first = factory.createContext();
    first.setClientID("shared-conn");
    JMSContext second = first.createContext(JMSContext.CLIENT_ACKNOWLEDGE);
    assertEquals("shared-conn", second.getClientID());
    assertThrows(IllegalStateRuntimeException.class, () -> second.setClientID("other"));
    first.close();
    Queue q = second.createQueue("still-open");
    second.createProducer().send(q, "works after the first context closed");
    assertEquals(
        "works after the first context closed",
        second.createConsumer(q).receiveBody(String.class, 5_000));
    second.close();
    assertThrows(IllegalStateRuntimeException.class, () -> second.createQueue("x"));
  }

  @Test
  void misuseRaisesTheRuntimeTwinOfTheCheckedException() {
    try (JMSContext ctx = factory.createContext()) {
      assertThrows(
          InvalidDestinationRuntimeException.class,
          () -> ctx.createProducer().send(null, "no destination"));
      assertThrows(IllegalStateRuntimeException.class, ctx::commit);
    }
  }
}
