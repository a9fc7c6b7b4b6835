package io.warrenmq.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jakarta Messaging 3.1, chapter 8 "Receiving messages": receiving synchronously (8.5), receiving
 * message bodies synchronously (8.6, {@code JMSConsumer.receiveBody}), asynchronously (8.7) and
 * closing a consumer (8.8).
 */
@Timeout(30)
class ReceivingTest extends ConformanceSupport {

  @Test
  @DisplayName("8.8: a closed QueueReceiver throws IllegalStateException, getQueue() included")
  void aClosedQueueReceiverThrowsIllegalStateException() throws JMSException {
    try (Connection c = startedConnection()) {
      QueueSession s = (QueueSession) c.createSession();
      Queue q = s.createQueue(unique("closed-receiver"));
      QueueReceiver r = s.createReceiver(q);
      assertEquals(q, r.getQueue());
      r.close();
      assertThrows(IllegalStateException.class, r::getQueue);
      assertThrows(IllegalStateException.class, r::getMessageSelector);
      assertThrows(IllegalStateException.class, r::getMessageListener);
      assertThrows(IllegalStateException.class, () -> r.setMessageListener(m -> {}));
      assertThrows(IllegalStateException.class, r::receive);
      assertThrows(IllegalStateException.class, () -> r.receive(10));
      assertThrows(IllegalStateException.class, r::receiveNoWait);
      assertDoesNotThrow(r::close);
    }
  }

  @Test
  @DisplayName("8.8: a closed TopicSubscriber throws IllegalStateException, getTopic() included")
  void aClosedTopicSubscriberThrowsIllegalStateException() throws JMSException {
    try (Connection c = startedConnection()) {
      TopicSession s = (TopicSession) c.createSession();
      Topic t = s.createTopic("closed-subscriber");
      TopicSubscriber sub = s.createSubscriber(t);
      assertEquals(t, sub.getTopic());
      sub.close();
      assertThrows(IllegalStateException.class, sub::getTopic);
      assertThrows(IllegalStateException.class, sub::getNoLocal);
      assertDoesNotThrow(sub::close);
    }
  }

  @Test
  @DisplayName("8.8: a MessageListener may close its own consumer; onMessage completes normally")
  void aListenerMayCloseItsOwnConsumer() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue(unique("self-close"));
      MessageConsumer consumer = s.createConsumer(q);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      CountDownLatch done = new CountDownLatch(1);
      consumer.setMessageListener(
          m -> {
            try {
              consumer.close();
            } catch (Throwable e) {
              failure.set(e);
            }
            done.countDown();
          });
      var p = s.createProducer(q);
      p.send(s.createTextMessage("first"));
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertNull(failure.get());
      p.send(s.createTextMessage("second"));
      Session other = c.createSession();
      MessageConsumer next = other.createConsumer(q);
      assertEquals(
          "second",
          ((TextMessage) next.receive(5_000)).getText(),
          "the first was acknowledged when onMessage returned");
      assertNull(next.receive(100));
    }
  }

  @ParameterizedTest(name = "session mode {0}")
  @ValueSource(ints = {JMSContext.AUTO_ACKNOWLEDGE, JMSContext.DUPS_OK_ACKNOWLEDGE})
  @DisplayName("8.6: receiveBody with a wrong type throws; the message comes next, not redelivered")
  void receiveBodyOfAWrongTypeLeavesTheMessageForTheNextReceive(int mode) {
    try (JMSContext context = factory.createContext(mode)) {
      Queue q = context.createQueue(unique("receive-body"));
      JMSProducer p = context.createProducer();
      p.send(q, "text one");
      p.send(q, "text two");
      JMSConsumer consumer = context.createConsumer(q);
      assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(byte[].class));
      assertThrows(
          MessageFormatRuntimeException.class, () -> consumer.receiveBody(Integer.class, 5_000));
      Message m = consumer.receive(5_000);
      assertTrue(m instanceof TextMessage);
      assertEquals("text one", m.getBody(String.class), "delivered again before later messages");
      assertFalse(m.getJMSRedelivered(), "not a redelivery (JMSConsumer.receiveBody API doc)");
      assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
      assertThrows(
          MessageFormatRuntimeException.class, () -> consumer.receiveBodyNoWait(byte[].class));
      assertEquals("text two", consumer.receiveBodyNoWait(String.class));
      assertNull(consumer.receiveNoWait());
    } catch (JMSException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @DisplayName("8.6: receiveBody of a BytesMessage, a MapMessage; a plain Message throws")
  void receiveBodyReturnsEachBodyTypeAndRefusesAPlainMessage() {
    try (JMSContext context = factory.createContext()) {
      Queue q = context.createQueue(unique("receive-body-types"));
      JMSProducer p = context.createProducer();
      JMSConsumer consumer = context.createConsumer(q);
      p.send(q, new byte[] {1, 2});
      assertArrayEquals(new byte[] {1, 2}, consumer.receiveBody(byte[].class, 5_000));
      p.send(q, java.util.Map.of("k", 1));
      assertEquals(java.util.Map.of("k", 1), consumer.receiveBody(java.util.Map.class, 5_000));
      p.send(q, context.createMessage());
      assertThrows(
          MessageFormatRuntimeException.class, () -> consumer.receiveBody(Object.class, 5_000));
      assertTrue(consumer.receive(5_000) != null, "the plain message is delivered again");
    }
  }

  @Test
  @DisplayName("8.6: after a refused receiveBody a receive() without timeout returns at once")
  void receiveAfterARefusedReceiveBodyDoesNotHang() {
    try (JMSContext context = factory.createContext()) {
      Queue q = context.createQueue(unique("receive-no-hang"));
      context.createProducer().send(q, "only");
      JMSConsumer consumer = context.createConsumer(q);
      assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(Long.class));
      assertEquals("only", consumer.receiveBody(String.class));
    }
  }

  @Test
  @DisplayName(
      "8.6: in CLIENT_ACKNOWLEDGE a refused body counts as delivered; recover() returns it")
  void receiveBodyOfAWrongTypeInClientAcknowledgeModeIsDelivered() throws JMSException {
    try (JMSContext context = factory.createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
      Queue q = context.createQueue(unique("receive-body-client"));
      context.createProducer().send(q, "one");
      JMSConsumer consumer = context.createConsumer(q);
      assertThrows(MessageFormatRuntimeException.class, () -> consumer.receiveBody(Long.class));
      assertNull(consumer.receiveNoWait());
      context.recover();
      Message again = consumer.receive(5_000);
      assertEquals("one", again.getBody(String.class));
      assertTrue(again.getJMSRedelivered());
      context.acknowledge();
    }
  }

  @Test
  @DisplayName("8.6: receiveBody of a message without body throws; the message comes next")
  void receiveBodyOfAMessageWithoutBodyThrowsAndLeavesTheMessage() {
    try (JMSContext context = factory.createContext()) {
      Queue q = context.createQueue(unique("receive-no-body"));
      JMSConsumer consumer = context.createConsumer(q);
      context.createProducer().send(q, context.createTextMessage());
      assertThrows(
          MessageFormatRuntimeException.class, () -> consumer.receiveBody(String.class, 5_000));
      Message m = consumer.receive(5_000);
      assertTrue(m instanceof TextMessage);
      assertNull(((TextMessage) m).getText());
      context.createProducer().send(q, context.createBytesMessage());
      assertThrows(
          MessageFormatRuntimeException.class, () -> consumer.receiveBody(byte[].class, 5_000));
      assertTrue(consumer.receive(5_000) instanceof jakarta.jms.BytesMessage);
    } catch (JMSException e) {
      throw new AssertionError(e);
    }
  }
}
