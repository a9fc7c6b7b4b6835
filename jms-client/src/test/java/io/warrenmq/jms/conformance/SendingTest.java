package io.warrenmq.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jakarta Messaging 3.1, chapter 7 "Sending messages": producers (7.1), asynchronous send and its
 * close, commit or rollback rule (7.3.5), and a closed producer (6.2.15).
 */
@Timeout(30)
class SendingTest extends ConformanceSupport {

  private interface Call {
    void run() throws Exception;
  }

  @Test
  @DisplayName("6.2.15: every method of a closed producer but close() throws IllegalStateException")
  void aClosedProducerThrowsIllegalStateException() throws JMSException {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      Queue q = s.createQueue(unique("closed-producer"));
      MessageProducer p = s.createProducer(q);
      TextMessage m = s.createTextMessage("x");
      p.close();
      Call[] calls = {
        () -> p.send(m),
        () -> p.send(m, new NoOpCompletionListener()),
        p::getDestination,
        p::getDeliveryMode,
        () -> p.setDeliveryMode(1),
        p::getPriority,
        () -> p.setPriority(1),
        p::getTimeToLive,
        () -> p.setTimeToLive(1),
        p::getDeliveryDelay,
        () -> p.setDeliveryDelay(1),
        p::getDisableMessageID,
        () -> p.setDisableMessageID(true),
        p::getDisableMessageTimestamp,
        () -> p.setDisableMessageTimestamp(true),
      };
      for (Call call : calls) {
        assertThrows(IllegalStateException.class, call::run);
      }
      assertDoesNotThrow(p::close);
    }
  }

  /**
   * Sends one message asynchronously and, in its CompletionListener, calls each of {@code
   * forbidden}, recording what each threw.
   */
  private static Map<String, Throwable> callInCompletionListener(
      MessageProducer p, Message m, Map<String, Call> forbidden) throws Exception {
    Map<String, Throwable> thrown = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(1);
    p.send(
        m,
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
        });
    assertTrue(done.await(10, TimeUnit.SECONDS));
    return thrown;
  }

  @Test
  @DisplayName("7.3.5: close/commit/rollback in a CompletionListener throw; all stay usable")
  void closeCommitAndRollbackInACompletionListenerThrowAndLeaveTheObjectsUsable() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession(Session.SESSION_TRANSACTED);
      Queue q = s.createQueue(unique("completion-rules"));
      MessageProducer p = s.createProducer(q);
      Map<String, Throwable> thrown =
          callInCompletionListener(
              p,
              s.createTextMessage("one"),
              Map.of(
                  "producer.close", p::close,
                  "session.close", s::close,
                  "session.commit", s::commit,
                  "session.rollback", s::rollback,
                  "connection.close", c::close));
      assertEquals(5, thrown.size());
      thrown.forEach((name, e) -> assertInstanceOf(IllegalStateException.class, e, name));

      p.send(s.createTextMessage("two"));
      s.commit();
      MessageConsumer consumer = s.createConsumer(q);
      assertEquals("one", ((TextMessage) consumer.receive(5_000)).getText());
      assertEquals("two", ((TextMessage) consumer.receive(5_000)).getText());
      s.commit();
      assertNull(consumer.receive(100));
    }
  }

  private static final class NoOpCompletionListener implements CompletionListener {
    @Override
    public void onCompletion(Message message) {}

    @Override
    public void onException(Message message, Exception exception) {}
  }
}
