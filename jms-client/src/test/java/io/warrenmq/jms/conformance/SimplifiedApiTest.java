package io.warrenmq.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.CompletionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jakarta Messaging 3.1, the simplified API ({@code JMSContext}, section 2.7 and 6.1.8/6.2.15 for
 * closing): a closed context, and the MessageListener and CompletionListener rules with their
 * {@code IllegalStateRuntimeException}.
 */
@Timeout(30)
class SimplifiedApiTest extends ConformanceSupport {

  @Test
  @DisplayName("6.2.15: every method of a closed JMSContext but close() throws ISRE")
  void aClosedContextThrowsIllegalStateRuntimeException() {
    JMSContext context = factory.createContext(JMSContext.SESSION_TRANSACTED);
    Queue q = context.createQueue(unique("closed-context"));
    JMSConsumer consumer = context.createConsumer(q);
    JMSProducer producer = context.createProducer();
    context.close();
    Runnable[] calls = {
      context::createProducer,
      () -> context.createConsumer(q),
      () -> context.createQueue("x"),
      () -> context.createTopic("x"),
      context::createTemporaryQueue,
      () -> context.createBrowser(q),
      context::createMessage,
      context::createTextMessage,
      context::createBytesMessage,
      context::getClientID,
      context::getMetaData,
      context::getExceptionListener,
      context::start,
      context::stop,
      context::commit,
      context::rollback,
      context::recover,
      context::acknowledge,
      context::getSessionMode,
      context::getTransacted,
      context::getAutoStart,
      () -> context.createContext(JMSContext.AUTO_ACKNOWLEDGE),
      () -> context.unsubscribe("x"),
      consumer::receiveNoWait,
      () -> consumer.receiveBody(String.class, 10),
      () -> producer.send(q, "after close"),
    };
    for (Runnable call : calls) {
      assertThrows(IllegalStateRuntimeException.class, call::run);
    }
    assertDoesNotThrow(context::close);
    assertDoesNotThrow(consumer::close);
  }

  @Test
  @DisplayName("6.1.8, 6.2.15: close()/stop() of the own JMSContext in a listener throw ISRE")
  void closeAndStopOfTheOwnContextInAListenerThrowAndTheContextStaysUsable() throws Exception {
    try (JMSContext context = factory.createContext()) {
      Queue q = context.createQueue(unique("context-listener"));
      Map<String, Throwable> thrown = new ConcurrentHashMap<>();
      CountDownLatch done = new CountDownLatch(1);
      context
          .createConsumer(q)
          .setMessageListener(
              m -> {
                try {
                  context.close();
                } catch (Throwable e) {
                  thrown.put("close", e);
                }
                try {
                  context.stop();
                } catch (Throwable e) {
                  thrown.put("stop", e);
                }
                done.countDown();
              });
      context.createProducer().send(q, "x");
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertInstanceOf(IllegalStateRuntimeException.class, thrown.get("close"));
      assertInstanceOf(IllegalStateRuntimeException.class, thrown.get("stop"));
      assertEquals(JMSContext.AUTO_ACKNOWLEDGE, context.getSessionMode(), "still open");
      Queue other = context.createQueue(unique("context-still-usable"));
      try (JMSContext second = context.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
        second.createProducer().send(other, "after");
        assertEquals("after", second.createConsumer(other).receiveBody(String.class, 5_000));
      }
    }
  }

  @Test
  @DisplayName("7.3.5: close/commit/rollback of the context in a CompletionListener throw ISRE")
  void closeCommitAndRollbackOfTheContextInACompletionListenerThrow() throws Exception {
    try (JMSContext context = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
      Queue q = context.createQueue(unique("context-completion"));
      Map<String, Throwable> thrown = new ConcurrentHashMap<>();
      CountDownLatch done = new CountDownLatch(1);
      Map<String, Runnable> forbidden =
          Map.of("close", context::close, "commit", context::commit, "rollback", context::rollback);
      context
          .createProducer()
          .setAsync(
              new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                  forbidden.forEach(
                      (name, call) -> {
                        try {
                          call.run();
                          thrown.put(name, new AssertionError(name + " did not throw"));
                        } catch (Throwable e) {
                          thrown.put(name, e);
                        }
                      });
                  done.countDown();
                }

                @Override
                public void onException(Message message, Exception exception) {
                  done.countDown();
                }
              })
          .send(q, "one");
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertEquals(3, thrown.size());
      thrown.forEach((name, e) -> assertInstanceOf(IllegalStateRuntimeException.class, e, name));
      context.commit();
      JMSConsumer consumer = context.createConsumer(q);
      assertEquals("one", consumer.receiveBody(String.class, 5_000));
      context.commit();
      assertNull(consumer.receiveNoWait());
    }
  }

  @Test
  @DisplayName("7.4 (JMSProducer): properties set on the producer arrive on every message it sends")
  void propertiesOfAJmsProducerArriveWithTheMessage() throws Exception {
    try (JMSContext context = factory.createContext()) {
      Queue q = context.createQueue(unique("producer-properties"));
      JMSProducer producer =
          context
              .createProducer()
              .setProperty("i", 1)
              .setProperty("s", "v")
              .setProperty("b", true)
              .setProperty("JMSXGroupID", "g");
      assertEquals(java.util.Set.of("i", "s", "b", "JMSXGroupID"), producer.getPropertyNames());
      producer.send(q, "with properties");
      Message got = context.createConsumer(q).receive(5_000);
      java.util.Set<String> names = new java.util.HashSet<>();
      for (Object name : java.util.Collections.list(got.getPropertyNames())) {
        names.add((String) name);
      }
      assertEquals(java.util.Set.of("i", "s", "b", "JMSXGroupID", "JMSXDeliveryCount"), names);
      assertEquals(1, got.getIntProperty("i"));
      assertEquals("g", got.getStringProperty("JMSXGroupID"));
      producer.clearProperties();
      assertTrue(producer.getPropertyNames().isEmpty());
    }
  }

  @Test
  @DisplayName("6.2.15: closing a transacted JMSContext redelivers a shared durable subscription's")
  void closingATransactedContextRedeliversTheSharedDurableSubscriptionsMessages() {
    jakarta.jms.Topic t;
    try (JMSContext context = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
      t = context.createTopic("context-tx-close");
      JMSConsumer sub = context.createSharedDurableConsumer(t, "shared-sub");
      context.createProducer().send(t, "kept");
      context.commit();
      assertEquals("kept", sub.receiveBody(String.class, 5_000));
    } // closed without commit
    try (JMSContext context = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
      JMSConsumer sub = context.createSharedDurableConsumer(t, "shared-sub");
      Message again = sub.receive(5_000);
      assertEquals("kept", again.getBody(String.class));
      assertTrue(again.getJMSRedelivered());
      context.commit();
      sub.close();
      context.unsubscribe("shared-sub");
    } catch (jakarta.jms.JMSException e) {
      throw new AssertionError(e);
    }
  }
}
