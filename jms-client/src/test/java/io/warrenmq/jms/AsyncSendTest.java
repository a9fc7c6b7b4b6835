package io.warrenmq.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class AsyncSendTest extends JmsTestSupport {

  @Test
  void completionListenersRunInSendOrderOffTheSendingThreadBeforeCloseReturns() throws Exception {
    Connection c = startedConnection();
    Session s = c.createSession();
    Queue q = s.createQueue("async");
    MessageProducer p = s.createProducer(q);
    List<String> completed = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    CompletionListener listener =
        new CompletionListener() {
          @Override
          public void onCompletion(Message message) {
            threads.add(Thread.currentThread().getName());
            try {
              completed.add(((TextMessage) message).getText());
            } catch (jakarta.jms.JMSException e) {
              throw new AssertionError(e);
            }
          }

          @Override
          public void onException(Message message, Exception exception) {
            completed.add("failed");
          }
        };
    for (int i = 0; i < 100; i++) {
      p.send(s.createTextMessage("m" + i), listener);
    }
    s.close();
    assertEquals(100, completed.size(), "Session.close waits for the completion listeners");
    for (int i = 0; i < 100; i++) {
      assertEquals("m" + i, completed.get(i));
    }
    assertNotEquals(Thread.currentThread().getName(), threads.get(0));
    c.close();
  }

  @Test
  void aCompletionListenerMayNotCloseItsSession() throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      CompletableFuture<Exception> outcome = new CompletableFuture<>();
      CountDownLatch done = new CountDownLatch(1);
      s.createProducer(s.createQueue("async-close"))
          .send(
              s.createTextMessage("x"),
              new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                  try {
                    s.close();
                    outcome.complete(null);
                  } catch (Exception e) {
                    outcome.complete(e);
                  }
                  done.countDown();
                }

                @Override
                public void onException(Message message, Exception exception) {}
              });
      assertTrue(done.await(5, TimeUnit.SECONDS));
      assertInstanceOf(IllegalStateException.class, outcome.get());
    }
  }

  @Test
  void aCompletionListenerThatThrowsAnExceptionOrAnErrorDoesNotStopTheCallbacksOfLaterSends()
      throws Exception {
    try (Connection c = startedConnection()) {
      Session s = c.createSession();
      MessageProducer p = s.createProducer(s.createQueue("async-throws"));
      List<String> completed = new CopyOnWriteArrayList<>();
      CompletionListener listener =
          new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
              try {
                String text = ((TextMessage) message).getText();
                completed.add(text);
                if (text.equals("m1")) {
                  throw new java.lang.IllegalStateException(
                      "the application's listener fails on m1");
                }
              } catch (jakarta.jms.JMSException e) {
                throw new AssertionError(e);
              }
            }

            @Override
            public void onException(Message message, Exception exception) {
              completed.add("failed");
            }
          };
      for (int i = 0; i < 5; i++) {
        p.send(s.createTextMessage("m" + i), listener);
      }
      s.close(); // waits for the completion listeners
      assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), completed);
    }
  }
}
